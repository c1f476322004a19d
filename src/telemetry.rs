//! Logging: `RUST_LOG` picks the level (default `info`), output goes to stderr, as text
//! for a person (coloured only on a terminal) or as JSON lines for a log collector (`--log-format json`).
use tracing_subscriber::EnvFilter;

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum LogFormat {
    /// One readable line per event, spans and their fields before the message.
    #[default]
    Text,
    /// One JSON object per line: `timestamp`, `level`, the event's fields (`message`
    /// among them) at the top level, and `spans`, the enclosing spans with their fields
    /// (the request span carries `request_id`, also sent as `X-Request-Id`).
    Json,
}

pub fn init(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    // Colours only on a terminal: a log file or a collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    // A second init (tests start several apps) is harmless, so the error is ignored.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).with_span_list(true).try_init(),
    };
}
