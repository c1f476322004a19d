//! `rehearse user add | list | set-role | disable | enable`: user administration on the
//! database directly, so the first admin can be made before anyone can log in.
use std::io::{BufRead, IsTerminal};

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::auth::{Accounts, SessionPolicy};
use crate::configuration::{Limits, Registration, DEFAULT_DATABASE_URL};
use crate::domain::Role;
use crate::store::Store;

#[derive(Args, Debug)]
pub struct UserArgs {
    #[command(subcommand)]
    command: UserCommand,
    /// Database URL; the SQLite file is created (and migrated) if missing.
    #[arg(long = "database", env = "REHEARSE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
    database_url: String,
}

#[derive(Subcommand, Debug)]
enum UserCommand {
    /// Create a user. The password is read from standard input (its first line) when
    /// that is not a terminal, else asked for twice without echo.
    Add {
        name: String,
        /// Make the user an admin.
        #[arg(long)]
        admin: bool,
    },
    /// List every user with their role, admins first.
    List,
    /// Make a user an admin or a member (the last active admin cannot be demoted).
    SetRole {
        name: String,
        #[arg(value_parser = ["admin", "member"])]
        role: String,
    },
    /// Disable a user: they cannot log in and their sessions end.
    Disable { name: String },
    /// Enable a disabled user again.
    Enable { name: String },
}

/// The password: the first line of standard input, or asked for twice on a terminal.
fn read_password() -> anyhow::Result<String> {
    if !std::io::stdin().is_terminal() {
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).context("cannot read the password from standard input")?;
        return Ok(line.trim_end_matches(['\r', '\n']).to_string());
    }
    let first = rpassword::prompt_password("Password: ").context("cannot read the password")?;
    let again = rpassword::prompt_password("Password again: ").context("cannot read the password")?;
    anyhow::ensure!(first == again, "the two passwords differ; nothing was changed");
    Ok(first)
}

pub async fn run(args: UserArgs) -> anyhow::Result<std::process::ExitCode> {
    let store = Store::connect(&args.database_url).await?;
    let accounts = Accounts::new(store.clone(), SessionPolicy::default(), &Limits::default(), Registration::Closed);
    let result = match &args.command {
        UserCommand::Add { name, admin } => {
            let role = if *admin { Role::Admin } else { Role::Member };
            match read_password() {
                Ok(password) => accounts
                    .create_account(name, &password, role)
                    .await
                    .map(|user| format!("created {} ({})", user.username, role.as_str()))
                    .map_err(anyhow::Error::from),
                Err(e) => Err(e),
            }
        }
        UserCommand::List => accounts
            .all_accounts()
            .await
            .map(|list| {
                list.iter()
                    .map(|a| {
                        format!("{}\t{}{}", a.username, a.role.as_str(), if a.disabled { "\tdisabled" } else { "" })
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .map_err(anyhow::Error::from),
        UserCommand::SetRole { name, role } => match Role::parse(role) {
            Ok(role) => accounts
                .set_role_by_name(name, role)
                .await
                .map(|()| format!("{} is now {}", name.trim(), role.as_str()))
                .map_err(anyhow::Error::from),
            Err(e) => Err(e.into()),
        },
        UserCommand::Disable { name } => accounts
            .set_disabled_by_name(name, true)
            .await
            .map(|()| format!("disabled {}; their sessions ended", name.trim()))
            .map_err(anyhow::Error::from),
        UserCommand::Enable { name } => accounts
            .set_disabled_by_name(name, false)
            .await
            .map(|()| format!("enabled {}", name.trim()))
            .map_err(anyhow::Error::from),
    };
    store.close().await;
    println!("{}", result?);
    Ok(std::process::ExitCode::SUCCESS)
}
