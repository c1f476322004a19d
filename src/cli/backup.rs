//! `rehearse backup PATH`: a consistent copy of the database, taken while the server runs.
use clap::Args;
use std::path::PathBuf;

use crate::configuration::DEFAULT_DATABASE_URL;

#[derive(Args, Debug)]
pub struct BackupArgs {
    /// The new file to write; an existing file is never overwritten.
    path: PathBuf,
    /// Database URL of the database to copy.
    #[arg(long = "database", env = "REHEARSE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

pub async fn run(args: BackupArgs) -> anyhow::Result<std::process::ExitCode> {
    let report = crate::store::backup(&args.database_url, &args.path).await?;
    println!(
        "backed up {} to {} ({} bytes, {} users, {} answers; integrity ok)",
        args.database_url,
        args.path.display(),
        report.bytes,
        report.users,
        report.attempts
    );
    Ok(std::process::ExitCode::SUCCESS)
}
