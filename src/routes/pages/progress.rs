//! The progress dashboard (its trend chart is drawn in `chart.rs`).
mod chart;

use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{html, PageError};
use crate::learning::mastery::Bucket;
use crate::practice;
use crate::practice::review::Scheduled;
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::startup::AppState;
use crate::store::now_millis;
use chart::{chart, day_label, Series};

struct TopicItem {
    id: String,
    name: String,
    mastery: Option<i64>,
    tried: usize,
    /// Answered only with unsure grades (not in `tried`).
    unsure_only: usize,
    total: usize,
    /// Answers that count, as the headline counts them: skips apart.
    answers: usize,
    skipped: usize,
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
    /// Predicted recall now, in percent.
    recall: i64,
    /// The same a day from now.
    recall_in_a_day: i64,
    /// "due now", "due in 3 days"
    due: String,
}

/// Delivery over one day or week.
struct DeliveryRowView {
    label: String,
    answers: usize,
    /// "1.5"
    fillers: String,
    /// "112", or "none spoken" when no answer of the period was dictated (a typed
    /// answer's time is mostly thinking and typing, so it has no pace)
    pace: String,
}

struct TrendRow {
    label: String,
    overall: i64,
    topics: Vec<String>,
}

#[derive(Template)]
#[template(path = "progress.html")]
struct ProgressPage {
    user: Option<NavUser>,
    csrf: String,
    /// Answers in the mastery (skipped questions not among them).
    answers: usize,
    /// Questions skipped: scored 0 in the mastery, but no answers.
    skipped: usize,
    streak: i64,
    topics: Vec<TopicItem>,
    concepts: Vec<ConceptItem>,
    /// All weak concepts, of which `concepts` may show only the first.
    concepts_total: usize,
    due: Vec<DueItem>,
    /// Scheduled questions that are not due yet, least likely to be recalled first (ten).
    recall: Vec<DueItem>,
    /// How many scheduled questions are not due yet.
    recall_total: usize,
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
    delivery_bucket: &'static str,
    delivery_rows: Vec<DeliveryRowView>,
    /// Some period has a speaking pace; without one the column is left out.
    delivery_paced: bool,
}

/// Weak concepts listed before "Show all".
const CONCEPTS_SHOWN: usize = 10;

#[derive(serde::Deserialize)]
pub struct ProgressQuery {
    /// `all` lists every weak concept.
    #[serde(default)]
    concepts: String,
}

/// "in 8 minutes", "in 3 hours", "in 2 days": hours below a day, days from a day on, so
/// a time is never said in hours that reads elsewhere in days ("in 48 hours" on the
/// phone, "in 2 days" a moment earlier, for the same question).
fn relative(at: i64, now: i64) -> String {
    let minutes = ((at - now) as f64 / 60_000.0).ceil().max(1.0) as i64;
    let hours = (minutes + 30) / 60;
    let (n, unit) = match minutes {
        m if m < 60 => (m, "minute"),
        _ if hours < 24 => (hours, "hour"),
        m => (((m + 720) / 1440).max(1), "day"),
    };
    format!("in {n} {unit}{}", if n == 1 { "" } else { "s" })
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<ProgressQuery>,
) -> Result<HttpResponse, PageError> {
    let now = now_millis();
    let p = practice::progress(&state.practice, &user.0, now).await?;
    let delivery = practice::delivery_trend(&state.practice, &user.0).await?;
    let shown = if query.concepts == "all" { usize::MAX } else { CONCEPTS_SHOWN };
    let bank = state.practice.bank();
    let prompt_of = |id: &str| bank.question(id).map(|q| q.prompt.clone()).unwrap_or_else(|| id.to_string());
    let due_item = |s: &Scheduled| DueItem {
        question_id: s.row.question_id.clone(),
        prompt: prompt_of(&s.row.question_id),
        topic: bank.question(&s.row.question_id).map(|q| q.topic_name.clone()).unwrap_or_default(),
        last_score: (s.row.last_score * 100.0).round() as i64,
        recall: (s.recall * 100.0).round() as i64,
        recall_in_a_day: (s.recall_in_a_day * 100.0).round() as i64,
        due: if s.row.due_at <= now { "due now".into() } else { format!("due {}", relative(s.row.due_at, now)) },
    };
    let topics: Vec<TopicItem> = p
        .topics
        .iter()
        .map(|t| TopicItem {
            id: t.topic_id.clone(),
            name: t.name.clone(),
            mastery: t.mastery.map(|m| (m * 100.0).round() as i64),
            tried: t.tried,
            unsure_only: t.unsure_only,
            total: t.total,
            answers: t.attempts.saturating_sub(p.skipped_by_topic.get(&t.topic_id).copied().unwrap_or(0)),
            skipped: p.skipped_by_topic.get(&t.topic_id).copied().unwrap_or(0),
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
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        answers: p.attempts.saturating_sub(p.skipped),
        skipped: p.skipped,
        often,
        headline,
        streak: p.streak,
        topics,
        concepts_total: p.weak.len(),
        concepts: p
            .weak
            .iter()
            .take(shown)
            .map(|w| ConceptItem {
                concept: w.concept.clone(),
                misses: w.misses,
                seen: w.seen,
                contradicted: w.contradicted,
                questions: w.questions.iter().map(|q| (q.clone(), prompt_of(q))).collect(),
            })
            .collect(),
        due: p.due.iter().take(10).map(due_item).collect(),
        recall: p.recall.iter().filter(|s| s.row.due_at > now).take(10).map(due_item).collect(),
        recall_total: p.recall.iter().filter(|s| s.row.due_at > now).count(),
        next_due: p.next_due_at.filter(|t| *t > now).map(|t| relative(t, now)),
        bucket: if p.bucket == Bucket::Week { "week" } else { "day" },
        series,
        x_labels,
        trend_topics: trend_names.into_iter().map(|(_, n)| n).collect(),
        trend_rows,
        delivery_bucket: if delivery.weekly { "week" } else { "day" },
        delivery_paced: delivery.points.iter().any(|d| d.words_per_minute.is_some()),
        delivery_rows: delivery
            .points
            .iter()
            .rev()
            .map(|d| DeliveryRowView {
                label: day_label(d.start, if delivery.weekly { Bucket::Week } else { Bucket::Day }),
                answers: d.answers,
                fillers: format!("{:.1}", d.fillers_per_answer),
                pace: d.words_per_minute.map(|w| w.to_string()).unwrap_or_else(|| "none spoken".into()),
            })
            .collect(),
    };
    html(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::relative;

    #[test]
    fn a_time_ahead_is_said_in_minutes_hours_or_days_never_a_day_in_hours() {
        const MINUTE: i64 = 60_000;
        for (ahead, said) in [
            (1, "in 1 minute"),
            (59, "in 59 minutes"),
            (60, "in 1 hour"),
            (23 * 60 + 29, "in 23 hours"),
            (23 * 60 + 30, "in 1 day"),
            (36 * 60 - 1, "in 1 day"),
            (36 * 60, "in 2 days"),
            (47 * 60 + 40, "in 2 days"),
            (48 * 60 + 20, "in 2 days"),
            (8 * 24 * 60, "in 8 days"),
        ] {
            assert_eq!(relative(ahead * MINUTE, 0), said, "{ahead} minutes");
        }
    }
}
