//! The progress dashboard and the per-question attempt comparison.
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{html, when, PageError};
use crate::domain::StatusText;
use crate::learning::mastery::{Bucket, TrendPoint};
use crate::practice::{self, Comparison};
use crate::routes::session::PageUser;
use crate::startup::AppState;
use crate::store::now_millis;

struct TopicItem {
    id: String,
    name: String,
    mastery: Option<i64>,
    tried: usize,
    total: usize,
    attempts: usize,
}

struct ConceptItem {
    concept: String,
    misses: i64,
    seen: i64,
    contradicted: i64,
    questions: Vec<(String, String)>,
}

struct DueItem {
    question_id: String,
    prompt: String,
    topic: String,
    last_score: i64,
}

/// One line of the trend chart.
struct Series {
    name: String,
    colour: &'static str,
    points: String,
    width: f64,
}

struct TrendRow {
    label: String,
    overall: i64,
    topics: Vec<String>,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    user: Option<String>,
    attempts: usize,
    streak: i64,
    topics: Vec<TopicItem>,
    concepts: Vec<ConceptItem>,
    due: Vec<DueItem>,
    /// Concepts missed at least twice (the "you often miss" headline).
    often: Vec<String>,
    /// The concepts named in the headline.
    headline: Vec<String>,
    next_due: Option<String>,
    bucket: &'static str,
    series: Vec<Series>,
    x_labels: Vec<(f64, String)>,
    trend_topics: Vec<String>,
    trend_rows: Vec<TrendRow>,
}

const COLOURS: [&str; 6] = ["#c2410c", "#0f766e", "#7c3aed", "#b91c1c", "#1d4ed8", "#4d7c0f"];
/// Chart geometry (SVG user units): plot area inside margins.
const W: f64 = 640.0;
const H: f64 = 240.0;
const LEFT: f64 = 40.0;
const RIGHT: f64 = 10.0;
const TOP: f64 = 10.0;
const BOTTOM: f64 = 30.0;

/// "in 8 minutes", "in 3 hours", "in 2 days".
fn relative(at: i64, now: i64) -> String {
    let minutes = ((at - now) as f64 / 60_000.0).ceil().max(1.0) as i64;
    let (n, unit) = match minutes {
        m if m < 60 => (m, "minute"),
        m if m < 48 * 60 => ((m + 30) / 60, "hour"),
        m => ((m + 720) / 1440, "day"),
    };
    format!("in {n} {unit}{}", if n == 1 { "" } else { "s" })
}

fn x_of(i: usize, n: usize) -> f64 {
    if n <= 1 {
        LEFT + (W - LEFT - RIGHT) / 2.0
    } else {
        LEFT + (W - LEFT - RIGHT) * i as f64 / (n - 1) as f64
    }
}

fn y_of(value: f64) -> f64 {
    TOP + (H - TOP - BOTTOM) * (1.0 - value.clamp(0.0, 1.0))
}

fn day_label(millis: i64, bucket: Bucket) -> String {
    let base =
        chrono::DateTime::from_timestamp_millis(millis).map(|t| t.format("%b %d").to_string()).unwrap_or_default();
    match bucket {
        Bucket::Day => base,
        Bucket::Week => format!("week of {base}"),
    }
}

fn chart(trend: &[TrendPoint], names: &[(String, String)], bucket: Bucket) -> (Vec<Series>, Vec<(f64, String)>) {
    let n = trend.len();
    let line = |values: Vec<Option<f64>>| -> String {
        values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|v| format!("{:.1},{:.1}", x_of(i, n), y_of(v))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let mut series = vec![Series {
        name: "All topics".into(),
        colour: "#1d2430",
        points: line(trend.iter().map(|t| Some(t.overall)).collect()),
        width: 3.0,
    }];
    for (k, (id, name)) in names.iter().enumerate() {
        series.push(Series {
            name: name.clone(),
            colour: COLOURS[k % COLOURS.len()],
            points: line(trend.iter().map(|t| t.topics.get(id).copied()).collect()),
            width: 1.5,
        });
    }
    let mut labels = Vec::new();
    for i in [0, n / 2, n.saturating_sub(1)] {
        if let Some(t) = trend.get(i) {
            if !labels.iter().any(|(x, _): &(f64, String)| (*x - x_of(i, n)).abs() < 1.0) {
                labels.push((x_of(i, n), day_label(t.start, bucket)));
            }
        }
    }
    (series, labels)
}

pub async fn show(user: PageUser, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let now = now_millis();
    let p = practice::progress(&state.practice, &user.0, now).await?;
    let bank = state.practice.bank();
    let prompt_of = |id: &str| bank.question(id).map(|q| q.prompt.clone()).unwrap_or_else(|| id.to_string());
    let topics: Vec<TopicItem> = p
        .topics
        .iter()
        .map(|t| TopicItem {
            id: t.topic_id.clone(),
            name: t.name.clone(),
            mastery: t.mastery.map(|m| (m * 100.0).round() as i64),
            tried: t.tried,
            total: t.total,
            attempts: t.attempts,
        })
        .collect();
    let trend_names: Vec<(String, String)> =
        p.topics.iter().filter(|t| t.mastery.is_some()).map(|t| (t.topic_id.clone(), t.name.clone())).collect();
    let (series, x_labels) = chart(&p.trend, &trend_names, p.bucket);
    let trend_rows = p
        .trend
        .iter()
        .map(|t| TrendRow {
            label: day_label(t.start, p.bucket),
            overall: (t.overall * 100.0).round() as i64,
            topics: trend_names
                .iter()
                .map(|(id, _)| {
                    t.topics.get(id).map(|m| format!("{}", (m * 100.0).round() as i64)).unwrap_or("–".into())
                })
                .collect(),
        })
        .collect();
    let often = p.often_missed();
    let headline = p.headline();
    let page = ProgressPage {
        user: Some(user.0.username.clone()),
        attempts: p.attempts,
        often,
        headline,
        streak: p.streak,
        topics,
        concepts: p
            .weak
            .iter()
            .map(|w| ConceptItem {
                concept: w.concept.clone(),
                misses: w.misses,
                seen: w.seen,
                contradicted: w.contradicted,
                questions: w.questions.iter().map(|q| (q.clone(), prompt_of(q))).collect(),
            })
            .collect(),
        due: p
            .due
            .iter()
            .take(10)
            .map(|d| DueItem {
                question_id: d.question_id.clone(),
                prompt: prompt_of(&d.question_id),
                topic: bank.question(&d.question_id).map(|q| q.topic_name.clone()).unwrap_or_default(),
                last_score: (d.last_score * 100.0).round() as i64,
            })
            .collect(),
        next_due: p.next_due_at.filter(|t| *t > now).map(|t| relative(t, now)),
        bucket: if p.bucket == Bucket::Week { "week" } else { "day" },
        series,
        x_labels,
        trend_topics: trend_names.into_iter().map(|(_, n)| n).collect(),
        trend_rows,
    };
    html(StatusCode::OK, &page)
}

struct Column {
    attempt_id: String,
    when: String,
    kind: String,
    score: i64,
    /// The self-assessed score, when the learner's claims moved it.
    self_score: Option<i64>,
    band: String,
    answer: String,
    gained: Vec<String>,
    lost: Vec<String>,
}

#[derive(Template)]
#[template(path = "question.html")]
struct QuestionPage {
    user: Option<String>,
    prompt: String,
    topic: String,
    reference: String,
    columns: Vec<Column>,
    rows: Vec<ConceptRow>,
    /// (concept, "I covered this" claims, "I got this wrong" claims), most disputed first.
    claim_counts: Vec<(String, i64, i64)>,
}

/// One concept across the attempts.
struct ConceptRow {
    concept: String,
    cells: Vec<Cell>,
}

/// One concept in one attempt: the grader's verdict and the learner's claim.
struct Cell {
    attempt_id: String,
    /// `covered`, `missed`, `contradicted`, or `""` when the attempt was not graded on it.
    status: String,
    /// `covered`, `wrong` or `""`.
    claim: String,
}

pub async fn question(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let c: Comparison = practice::comparison(&state.practice, &user.0, &path).await?;
    let rows = c
        .concepts
        .iter()
        .enumerate()
        .map(|(i, concept)| ConceptRow {
            concept: concept.clone(),
            cells: c
                .columns
                .iter()
                .map(|col| Cell {
                    attempt_id: col.attempt.id.clone(),
                    status: col.statuses[i].map(|s| s.as_str()).unwrap_or_default().to_string(),
                    claim: col.claims[i].map(|claim| claim.as_str()).unwrap_or_default().to_string(),
                })
                .collect(),
        })
        .collect();
    let columns = c
        .columns
        .iter()
        .map(|col| Column {
            attempt_id: col.attempt.id.clone(),
            when: when(col.attempt.created_at),
            kind: col.attempt.kind.as_str().to_string(),
            score: (col.attempt.score * 100.0).round() as i64,
            self_score: col.assessed.differs().then(|| (col.assessed.self_assessed_score * 100.0).round() as i64),
            band: col.attempt.band.clone(),
            answer: col.attempt.answer.clone(),
            gained: col.gained.clone(),
            lost: col.lost.clone(),
        })
        .collect();
    let page = QuestionPage {
        user: Some(user.0.username.clone()),
        prompt: c.question.prompt.clone(),
        topic: c.question.topic_name.clone(),
        reference: c.question.answer.clone(),
        columns,
        rows,
        claim_counts: c.claim_counts.iter().map(|n| (n.concept.clone(), n.covered_claims, n.wrong_claims)).collect(),
    };
    html(StatusCode::OK, &page)
}
