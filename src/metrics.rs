//! Prometheus metrics: one registry per running app (tests start several in one
//! process, each must count only its own requests), rendered as text at `GET /metrics`.
//!
//! The HTTP middleware that feeds the request metrics is in `routes/metrics.rs`; the
//! services record gradings here. Label values come from closed sets (route patterns,
//! status codes, grading kinds), never from ids or user input, so the number of series
//! stays bounded.
use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounter, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry, TextEncoder,
};
use std::sync::Arc;
use std::time::Duration;

/// What was graded: an answer (first answer or retry), a follow-up reply, or a
/// stateless `POST /api/v1/grade`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradingKind {
    Answer,
    FollowUp,
    Stateless,
}

impl GradingKind {
    fn label(self) -> &'static str {
        match self {
            GradingKind::Answer => "answer",
            GradingKind::FollowUp => "follow_up",
            GradingKind::Stateless => "stateless",
        }
    }
}

/// A cheap handle (an `Arc`) to the app's metrics.
#[derive(Clone)]
pub struct Metrics(Arc<Inner>);

struct Inner {
    registry: Registry,
    requests: IntCounterVec,
    request_seconds: HistogramVec,
    gradings: HistogramVec,
    login_failures: IntCounter,
    rate_limited: IntCounterVec,
    connections: IntGaugeVec,
    answers_waiting: IntGauge,
    active_sessions: IntGauge,
}

/// What the database side looks like at one moment (sampled, see [`Metrics::sampled`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Sample {
    pub readers: u32,
    pub readers_idle: u32,
    pub writers: u32,
    pub writers_idle: u32,
    pub answers_waiting: usize,
    pub active_sessions: i64,
}

/// Request latency buckets: pages and reads take a millisecond or two, answers a few
/// more (grading plus one SQLite commit), password hashing tens of milliseconds.
const REQUEST_BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Grading buckets: typical answers grade in well under a millisecond, the longest
/// stateless inputs in tens of milliseconds.
const GRADING_BUCKETS: &[f64] = &[0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("rehearse".into()), None).expect("a valid metric prefix");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests answered, by method, route pattern and status"),
            &["method", "route", "status"],
        )
        .expect("valid metric");
        let request_seconds = HistogramVec::new(
            HistogramOpts::new("http_request_duration_seconds", "Time to answer an HTTP request, by route pattern")
                .buckets(REQUEST_BUCKETS.to_vec()),
            &["method", "route"],
        )
        .expect("valid metric");
        let gradings = HistogramVec::new(
            HistogramOpts::new(
                "grading_duration_seconds",
                "Time to grade one answer (its _count is the gradings done)",
            )
            .buckets(GRADING_BUCKETS.to_vec()),
            &["kind"],
        )
        .expect("valid metric");
        let login_failures =
            IntCounter::new("login_failures_total", "Logins refused for a wrong username or password").expect("valid");
        let rate_limited = IntCounterVec::new(
            Opts::new("rate_limited_total", "Requests refused with 429 by a limit, by route pattern"),
            &["route"],
        )
        .expect("valid metric");
        let connections = IntGaugeVec::new(
            Opts::new("db_connections", "Open database connections, by pool (reader, writer) and state (idle, in_use)"),
            &["pool", "state"],
        )
        .expect("valid metric");
        let answers_waiting =
            IntGauge::new("answers_waiting", "Graded answers queued for the database writer").expect("valid metric");
        let active_sessions =
            IntGauge::new("active_sessions", "Sessions that would let their browser in (not revoked, not timed out)")
                .expect("valid metric");
        for collector in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(request_seconds.clone()),
            Box::new(gradings.clone()),
            Box::new(login_failures.clone()),
            Box::new(rate_limited.clone()),
            Box::new(connections.clone()),
            Box::new(answers_waiting.clone()),
            Box::new(active_sessions.clone()),
        ] {
            registry.register(collector).expect("each metric is registered once");
        }
        Metrics(Arc::new(Inner {
            registry,
            requests,
            request_seconds,
            gradings,
            login_failures,
            rate_limited,
            connections,
            answers_waiting,
            active_sessions,
        }))
    }

    /// One answered request; `route` is the pattern it matched (`/interviews/{id}`).
    pub fn request(&self, method: &str, route: &str, status: u16, elapsed: Duration) {
        let inner = &self.0;
        inner.requests.with_label_values(&[method, route, status_label(status)]).inc();
        inner.request_seconds.with_label_values(&[method, route]).observe(elapsed.as_secs_f64());
        if status == 429 {
            inner.rate_limited.with_label_values(&[route]).inc();
        }
    }

    pub fn login_failed(&self) {
        self.0.login_failures.inc();
    }

    /// One grading and how long the grader took (time queued for a thread excluded).
    pub fn graded(&self, kind: GradingKind, elapsed: Duration) {
        self.0.gradings.with_label_values(&[kind.label()]).observe(elapsed.as_secs_f64());
    }

    /// Records a sample of the database side (taken every few seconds by the server).
    pub fn sampled(&self, s: Sample) {
        let inner = &self.0;
        let set = |pool: &str, open: u32, idle: u32| {
            inner.connections.with_label_values(&[pool, "idle"]).set(i64::from(idle));
            inner.connections.with_label_values(&[pool, "in_use"]).set(i64::from(open.saturating_sub(idle)));
        };
        set("reader", s.readers, s.readers_idle);
        set("writer", s.writers, s.writers_idle);
        inner.answers_waiting.set(i64::try_from(s.answers_waiting).unwrap_or(i64::MAX));
        inner.active_sessions.set(s.active_sessions);
    }

    /// Every metric in Prometheus' text format.
    pub fn render(&self) -> String {
        let mut out = Vec::new();
        // Writing to a Vec fails only on a metric that breaks the format, which the
        // constructors above already rule out.
        if let Err(e) = TextEncoder::new().encode(&self.0.registry.gather(), &mut out) {
            tracing::error!(error = %e, "metrics could not be encoded");
        }
        String::from_utf8(out).unwrap_or_default()
    }
}

impl Default for Metrics {
    fn default() -> Metrics {
        Metrics::new()
    }
}

/// The statuses this server answers, as static labels.
const STATUSES: &[(u16, &str)] = &[
    (200, "200"),
    (201, "201"),
    (204, "204"),
    (303, "303"),
    (304, "304"),
    (400, "400"),
    (401, "401"),
    (403, "403"),
    (404, "404"),
    (405, "405"),
    (409, "409"),
    (413, "413"),
    (422, "422"),
    (429, "429"),
    (500, "500"),
    (503, "503"),
];

/// Status codes as static labels; anything unusual is still counted, under its class.
fn status_label(status: u16) -> &'static str {
    if let Some((_, label)) = STATUSES.iter().find(|(code, _)| *code == status) {
        return label;
    }
    match status {
        100..=199 => "1xx",
        200..=299 => "2xx",
        300..=399 => "3xx",
        400..=499 => "4xx",
        _ => "5xx",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rendered_text_has_the_counted_series() {
        let metrics = Metrics::new();
        metrics.request("GET", "/interviews/{id}", 200, Duration::from_millis(3));
        metrics.request("POST", "/api/v1/grade", 429, Duration::from_millis(1));
        metrics.graded(GradingKind::Answer, Duration::from_micros(300));
        metrics.login_failed();
        metrics.sampled(Sample {
            readers: 4,
            readers_idle: 3,
            writers: 1,
            writers_idle: 1,
            answers_waiting: 2,
            active_sessions: 7,
        });
        let text = metrics.render();
        for expected in [
            r#"rehearse_db_connections{pool="reader",state="in_use"} 1"#,
            r#"rehearse_db_connections{pool="writer",state="idle"} 1"#,
            "rehearse_answers_waiting 2",
            "rehearse_active_sessions 7",
            r#"rehearse_http_requests_total{method="GET",route="/interviews/{id}",status="200"} 1"#,
            r#"rehearse_rate_limited_total{route="/api/v1/grade"} 1"#,
            r#"rehearse_grading_duration_seconds_count{kind="answer"} 1"#,
            "rehearse_login_failures_total 1",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
        }
    }

    #[test]
    fn unusual_statuses_fall_into_their_class() {
        assert_eq!(status_label(418), "4xx");
        assert_eq!(status_label(302), "3xx");
        assert_eq!(status_label(599), "5xx");
        assert_eq!(status_label(422), "422");
    }
}
