//! Command line: `rehearse serve | import | grade | calibrate | backup | healthcheck | user`.
mod backup;
pub mod batch;
pub mod calibrate;
mod grade;
mod healthcheck;
mod notes;
mod user;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

use crate::configuration::{
    Limits, Registration, Settings, DEFAULT_BIND, DEFAULT_BODY_TIMEOUT, DEFAULT_DATABASE_URL, DEFAULT_SHUTDOWN_DRAIN,
    DEFAULT_SHUTDOWN_TIMEOUT,
};
use crate::startup::{import_bank, Application};
use crate::store::Store;
use crate::telemetry::LogFormat;

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
    /// Load questions/*.toml, or the questions of a study-notes file, into the database
    /// (validates first; nothing changes on error).
    Import(ImportArgs),
    /// Write the bank (web edits included) as question files into DIR, one `<topic>.toml`
    /// per topic with active questions, in the form `import` reads back.
    Export(ExportArgs),
    /// Grade JSONL answers: one JSON object in per line, one graded object out per line.
    Grade(grade::GradeArgs),
    /// Compare the grader with human grades in a JSONL file, or with peer marks (--from-db):
    /// Pearson, Spearman, MAE, per kind.
    Calibrate(calibrate::CalibrateArgs),
    /// Copy the database to a new file, consistently, while the server keeps running.
    Backup(backup::BackupArgs),
    /// Exit 0 if the server on --bind answers GET /health with 200, else 1 (for Docker's HEALTHCHECK).
    Healthcheck(healthcheck::HealthcheckArgs),
    /// Create users (the first admin too), change roles, disable or enable accounts.
    User(user::UserArgs),
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
struct ImportArgs {
    /// A study-notes file (Markdown or text, `"Question?" → "Answer"` lines) or a folder
    /// of question files; the --questions folder when omitted.
    path: Option<PathBuf>,
    #[command(flatten)]
    storage: StorageArgs,
    /// Put every question of a notes file in this topic (an existing topic's name or id,
    /// or a new name) instead of the one its heading gives.
    #[arg(long)]
    topic: Option<String>,
    /// Print what would be added, changed and retired, and write nothing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Args, Debug, Clone)]
struct ExportArgs {
    /// Folder to write the question files into (created if missing; files of the same
    /// names are replaced, others left alone).
    dir: PathBuf,
    /// Database URL.
    #[arg(long = "database", env = "REHEARSE_DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

#[derive(Args, Debug, Clone)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "REHEARSE_BIND", default_value = DEFAULT_BIND)]
    bind: String,
    #[command(flatten)]
    storage: StorageArgs,
    /// Mark session cookies Secure and send Strict-Transport-Security (set this when
    /// serving over HTTPS).
    #[arg(long, env = "REHEARSE_SECURE_COOKIES")]
    secure_cookies: bool,
    /// Seconds `/ready` answers 503 after SIGTERM while requests are still served, so a
    /// load balancer can stop sending traffic before the listener closes.
    #[arg(long, env = "REHEARSE_SHUTDOWN_DRAIN", default_value_t = DEFAULT_SHUTDOWN_DRAIN.as_secs())]
    shutdown_drain: u64,
    /// Seconds requests in flight get to finish once the listener has closed.
    #[arg(long, env = "REHEARSE_SHUTDOWN_TIMEOUT", default_value_t = DEFAULT_SHUTDOWN_TIMEOUT.as_secs())]
    shutdown_timeout: u64,
    /// Seconds a request's body may take to arrive after its headers (then 408).
    #[arg(long, env = "REHEARSE_BODY_TIMEOUT", default_value_t = DEFAULT_BODY_TIMEOUT.as_secs(), value_parser = clap::value_parser!(u64).range(1..=600))]
    body_timeout: u64,
    /// Hours a login may go unused before it ends.
    #[arg(long, env = "REHEARSE_SESSION_IDLE_HOURS", default_value_t = 7 * 24, value_parser = clap::value_parser!(u64).range(1..=24 * 365))]
    session_idle_hours: u64,
    /// Days after which a login ends however much it is used.
    #[arg(long, env = "REHEARSE_SESSION_MAX_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3650))]
    session_max_days: u64,
    #[command(flatten)]
    limits: LimitArgs,
    /// Serve GET /metrics on this address only (e.g. 0.0.0.0:9090) instead of beside the
    /// app on --bind, so whatever exposes the app does not expose the metrics.
    #[arg(long, env = "REHEARSE_METRICS_BIND")]
    metrics_bind: Option<String>,
    /// Log lines as readable text or as JSON objects, one per line (for a log collector).
    #[arg(long, env = "REHEARSE_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Who may sign up: anyone, only with a study group's invite code, or nobody (admins
    /// create accounts with `rehearse user add`).
    #[arg(long, env = "REHEARSE_REGISTRATION", value_enum, default_value_t = Registration::Open)]
    registration: Registration,
}

/// Per-user limits (requests per minute; a quarter of each passes in a burst).
#[derive(Args, Debug, Clone)]
struct LimitArgs {
    /// Answers, retries and follow-up replies per user per minute.
    #[arg(long, env = "REHEARSE_ANSWERS_PER_MINUTE", default_value_t = Limits::default().answers_per_minute)]
    answers_per_minute: u32,
    /// New interviews per user per minute.
    #[arg(long, env = "REHEARSE_INTERVIEWS_PER_MINUTE", default_value_t = Limits::default().interviews_per_minute)]
    interviews_per_minute: u32,
    /// Stateless gradings (POST /api/v1/grade) per user per minute.
    #[arg(long, env = "REHEARSE_GRADINGS_PER_MINUTE", default_value_t = Limits::default().gradings_per_minute)]
    gradings_per_minute: u32,
    /// Login attempts per network address per minute, whatever the usernames.
    #[arg(long, env = "REHEARSE_LOGINS_PER_MINUTE_PER_ADDRESS", default_value_t = Limits::default().logins_per_minute_per_address)]
    logins_per_minute_per_address: u32,
    /// New accounts per network address per hour.
    #[arg(long, env = "REHEARSE_SIGNUPS_PER_HOUR_PER_ADDRESS", default_value_t = Limits::default().signups_per_hour_per_address)]
    signups_per_hour_per_address: u32,
    /// Take the client's address from the last X-Forwarded-For entry (only behind a
    /// reverse proxy that sets it).
    #[arg(long, env = "REHEARSE_TRUST_FORWARDED_FOR")]
    trust_forwarded_for: bool,
}

impl Default for LimitArgs {
    fn default() -> LimitArgs {
        let d = Limits::default();
        LimitArgs {
            answers_per_minute: d.answers_per_minute,
            interviews_per_minute: d.interviews_per_minute,
            gradings_per_minute: d.gradings_per_minute,
            logins_per_minute_per_address: d.logins_per_minute_per_address,
            signups_per_hour_per_address: d.signups_per_hour_per_address,
            trust_forwarded_for: false,
        }
    }
}

impl ServeArgs {
    fn settings(&self) -> Settings {
        Settings {
            bind: self.bind.clone(),
            database_url: self.storage.database_url.clone(),
            questions_dir: self.storage.questions.clone(),
            secure_cookies: self.secure_cookies,
            limits: Limits {
                answers_per_minute: self.limits.answers_per_minute,
                interviews_per_minute: self.limits.interviews_per_minute,
                gradings_per_minute: self.limits.gradings_per_minute,
                logins_per_minute_per_address: self.limits.logins_per_minute_per_address,
                signups_per_hour_per_address: self.limits.signups_per_hour_per_address,
            },
            trust_forwarded_for: self.limits.trust_forwarded_for,
            shutdown_drain: Duration::from_secs(self.shutdown_drain),
            shutdown_timeout: Duration::from_secs(self.shutdown_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            session_idle_timeout: Duration::from_secs(self.session_idle_hours * 3600),
            session_absolute_timeout: Duration::from_secs(self.session_max_days * 24 * 3600),
            metrics_bind: self.metrics_bind.clone(),
            registration: self.registration,
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
            limits: LimitArgs::default(),
            shutdown_drain: DEFAULT_SHUTDOWN_DRAIN.as_secs(),
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT.as_secs(),
            body_timeout: DEFAULT_BODY_TIMEOUT.as_secs(),
            session_idle_hours: 7 * 24,
            session_max_days: 30,
            log_format: LogFormat::Text,
            metrics_bind: None,
            registration: Registration::Open,
        }))
    });
    match command {
        Command::Serve(args) => {
            crate::telemetry::init(args.log_format);
            let app = Application::build(args.settings()).await?;
            let host = args.bind.rsplit_once(':').map(|(h, _)| h).unwrap_or("127.0.0.1");
            let shown = if host == "0.0.0.0" || host == "[::]" { "127.0.0.1" } else { host };
            println!("rehearse is running: open http://{shown}:{}/ in your browser (Ctrl+C to stop)", app.port());
            app.run_until_stopped().await?;
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Import(args) => {
            let storage = args.storage;
            // Without a PATH, or with a folder, this is the bank import it always was.
            let path = args.path.unwrap_or_else(|| storage.questions.clone());
            if !path.is_dir() && path != storage.questions {
                if path.extension().is_some_and(|x| x == "toml") {
                    anyhow::bail!(
                        "{} is a question file: import the folder that holds it (rehearse import DIR)",
                        path.display()
                    );
                }
                let report = notes::import_notes(
                    &path,
                    &storage.database_url,
                    &storage.questions,
                    args.topic.as_deref(),
                    args.dry_run,
                )
                .await?;
                print!("{report}");
                return Ok(std::process::ExitCode::SUCCESS);
            }
            if args.topic.is_some() {
                anyhow::bail!("--topic applies to a notes file; {} is a folder of question files", path.display());
            }
            if args.dry_run {
                let topics = crate::bank::load_dir(&path)?;
                print!("{}", notes::dry_run_dir(&topics, &path, &storage.database_url).await?);
                return Ok(std::process::ExitCode::SUCCESS);
            }
            let settings = Settings { questions_dir: path, ..Settings::for_database(storage.database_url) };
            let store = Store::connect(&settings.database_url).await?;
            let report = import_bank(&store, &settings).await?;
            store.close().await;
            println!(
                "imported {} questions in {} topics from {}; {} retired; {} kept as edited on the web",
                report.questions,
                report.topics,
                settings.questions_dir.display(),
                report.retired,
                report.kept_web_edits
            );
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Export(args) => {
            let store = Store::connect(&args.database_url).await?;
            let topics = store.export_topics().await;
            store.close().await;
            let topics = topics?;
            std::fs::create_dir_all(&args.dir).with_context(|| format!("cannot create {}", args.dir.display()))?;
            let mut questions = 0;
            for topic in &topics {
                let path = args.dir.join(format!("{}.toml", topic.slug));
                let text = crate::bank::to_toml(topic).with_context(|| format!("cannot write topic {}", topic.slug))?;
                std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
                questions += topic.questions.len();
            }
            println!("exported {questions} questions in {} topics to {}", topics.len(), args.dir.display());
            Ok(std::process::ExitCode::SUCCESS)
        }
        Command::Grade(args) => grade::run(args),
        Command::Calibrate(args) => calibrate::run(args).await,
        Command::Backup(args) => backup::run(args).await,
        Command::Healthcheck(args) => Ok(healthcheck::run(args)),
        Command::User(args) => user::run(args).await,
    }
}
