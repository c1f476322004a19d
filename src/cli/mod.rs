//! Command line: `rehearse serve | import | grade`.
pub mod batch;
pub mod calibrate;
mod grade;

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

use crate::configuration::{Settings, DEFAULT_BIND, DEFAULT_DATABASE_URL};
use crate::startup::{import_bank, Application};
use crate::store::Store;

#[derive(Parser, Debug)]
#[command(name = "rehearse", version, about = "Chat-style interview practice server")]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Serve the web app and API (the default when no command is given).
    Serve(ServeArgs),
    /// Load questions/*.toml into the database (validates first; nothing changes on error).
    Import(StorageArgs),
    /// Grade JSONL answers: one JSON object in per line, one graded object out per line.
    Grade(grade::GradeArgs),
    /// Compare the grader with human grades in a JSONL file (Pearson, Spearman, MAE, per kind).
    Calibrate(calibrate::CalibrateArgs),
}

#[derive(Args, Debug, Clone)]
struct StorageArgs {
    /// Database URL; the SQLite file is created if missing.
    #[arg(long = "database", env = "REHEARSE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
    /// Folder of question files (*.toml).
    #[arg(long, env = "REHEARSE_QUESTIONS", default_value = "questions")]
    questions: PathBuf,
}

#[derive(Args, Debug, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REHEARSE_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    #[command(flatten)]
    storage: StorageArgs,
    /// Mark session cookies Secure (set this when serving over HTTPS).
    #[arg(long, env = "REHEARSE_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Hours a login may go unused before it ends.
    #[arg(long, env = "REHEARSE_SESSION_IDLE_HOURS", default_value_t = 7 * 24, value_parser = clap::value_parser!(u64).range(1..=24 * 365))]
    session_idle_hours: u64,
    /// Days after which a login ends however much it is used.
    #[arg(long, env = "REHEARSE_SESSION_MAX_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3650))]
    session_max_days: u64,
}

impl ServeArgs {
    fn settings(&self) -> Settings {
        Settings {
            bind: self.bind.clone(),
            database_url: self.storage.database_url.clone(),
            questions_dir: self.storage.questions.clone(),
            secure_cookies: self.secure_cookies,
            session_idle_timeout: Duration::from_secs(self.session_idle_hours * 3600),
            session_absolute_timeout: Duration::from_secs(self.session_max_days * 24 * 3600),
        }
    }
}

/// Runs the command; the exit code is the process's.
pub async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    let command = cli.command.unwrap_or_else(|| {
        // `rehearse` alone serves, honouring the environment variables.
        let parsed = Cli::parse_from(["rehearse", "serve"]);
        parsed.command.unwrap_or(Command::Serve(ServeArgs {
            bind: DEFAULT_BIND.into(),
            storage: StorageArgs { database_url: DEFAULT_DATABASE_URL.into(), questions: "questions".into() },
            secure_cookies: false,
            session_idle_hours: 7 * 24,
            session_max_days: 30,
        }))
    });
    match command {
        Command::Serve(args) => {
            crate::telemetry::init();
            let app = Application::build(args.settings()).await?;
            let host = args.bind.rsplit_once(':').map(|(h, _)| h).unwrap_or("127.0.0.1");
            let shown = if host == "0.0.0.0" || host == "[::]" { "127.0.0.1" } else { host };
            println!("rehearse is running: open http://{shown}:{}/ in your browser (Ctrl+C to stop)", app.port());
            app.run_until_stopped().await?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Import(args) => {
            let settings =
                Settings { questions_dir: args.questions.clone(), ..Settings::for_database(args.database_url) };
            let store = Store::connect(&settings.database_url).await?;
            let report = import_bank(&store, &settings).await?;
            store.close().await;
            println!(
                "imported {} questions in {} topics from {}; {} retired",
                report.questions,
                report.topics,
                settings.questions_dir.display(),
                report.retired
            );
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Grade(args) => grade::run(args),
        Command::Calibrate(args) => calibrate::run(args),
    }
}
