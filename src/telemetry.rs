//! Logging: `RUST_LOG` picks the level (default `info`, see [`filter_spec`]), output goes to stderr, as text
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

/// Added to the filter (`RUST_LOG`, default `info`) unless it names `actix_http`
/// itself: actix-http's connection dispatcher writes an ERROR line for every malformed
/// request a client sends ("stream error: request parse error") although the client
/// got its 400 and the server is fine; a probe of garbage requests filled the log with
/// them. `RUST_LOG=info,actix_http=debug` shows them again.
pub const QUIET_DISPATCHER: &str = "actix_http::h1::dispatcher=off";

/// The log filter for a `RUST_LOG` value (`None`: unset).
pub fn filter_spec(rust_log: Option<&str>) -> String {
    let spec = rust_log.map(str::trim).filter(|s| !s.is_empty()).unwrap_or("info");
    match spec.contains("actix_http") {
        true => spec.to_string(),
        false => format!("{spec},{QUIET_DISPATCHER}"),
    }
}

pub fn init(format: LogFormat) {
    let spec = filter_spec(std::env::var("RUST_LOG").ok().as_deref());
    let filter = EnvFilter::try_new(&spec).unwrap_or_else(|_| EnvFilter::new(filter_spec(None)));
    // Colours only on a terminal: a log file or a collector gets plain text.
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi);
    // A second init (tests start several apps) is harmless, so the error is ignored.
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).with_current_span(false).with_span_list(true).try_init(),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dispatcher_is_quiet_unless_rust_log_names_actix_http() {
        assert_eq!(filter_spec(None), "info,actix_http::h1::dispatcher=off");
        assert_eq!(filter_spec(Some(" ")), "info,actix_http::h1::dispatcher=off");
        assert_eq!(filter_spec(Some("debug")), "debug,actix_http::h1::dispatcher=off");
        assert_eq!(filter_spec(Some("info,actix_http=debug")), "info,actix_http=debug");
        assert!(EnvFilter::try_new(filter_spec(Some("warn,rehearse=debug"))).is_ok());
    }
}
