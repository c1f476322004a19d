//! The interview page: the transcript of questions, answers and feedback, the
//! follow-up waiting for a reply, and the summary once the interview is over.
use askama::Template;

use super::super::escape;
use crate::domain::{Attempt, ClaimRecord, StoredGrade};
use crate::domain::{AttemptKind, Band, ConceptStatus, StatusText, TimeTaken};
use crate::grading::delivery::{Delivery, WordCount};
use crate::grading::{next_time, HELD_BACK_NOTE};
use crate::learning::follow_up;
use crate::practice::{
    answer_delivery, Assessed, BankQuestion, ConceptClaim, FollowUpJudgement, InterviewView, StoredSpan,
};
use crate::routes::pages::{band_class, NavUser};

/// A concept's hint when the same check is shown above it already.
const SEE_ABOVE: &str = "See the check above.";

/// One answer in the transcript (a first answer or a retry), with its feedback.
struct Exchange {
    attempt_id: String,
    number: usize,
    retry: bool,
    /// The learner skipped the question: no answer, no concepts, no delivery shown.
    skipped: bool,
    prompt: String,
    topic: String,
    answer_html: String,
    score: i64,
    /// The self-assessed score, when the learner's claims moved it.
    self_score: Option<i64>,
    band: String,
    band_label: String,
    feedback: String,
    /// The feedback once the follow-up waiting under it ends without a reply (it then
    /// names what the follow-up asked about; static/app.js swaps it in).
    feedback_after: Option<String>,
    /// By the grader's verdict.
    covered: Vec<ConceptLine>,
    missed: Vec<ConceptLine>,
    /// Missed in the answer, covered by the reply to its follow-up: a list of their own
    /// (under "Missed" with a green chip beside it, a walk-through read it as both).
    covered_later: Vec<ConceptLine>,
    contradicted: Vec<ConceptLine>,
    /// The answer has checks (anticipated misconceptions) the learner may dispute.
    has_checks: bool,
    /// `covered` when the learner said the checked statement is right, else `""`.
    checks_claim: String,
    reference: String,
    question_id: String,
    follow_up: Option<FollowUpView>,
    /// The follow-up waiting for a reply asks for a missed concept it does not name
    /// (`follow_up::holds_back`): that concept's line stays hidden until the learner
    /// replies or moves on, and the model answer warns that it gives the follow-up away.
    held_back: bool,
    /// "72 s against a 60 s limit" when a timed answer took longer than allowed.
    overtime: Option<String>,
    delivery: DeliveryView,
}

/// Delivery insights as shown under the feedback.
struct DeliveryView {
    /// "58 words · 112 a minute · spoken"
    summary: String,
    /// "um ×2, basically" or "none"
    fillers: String,
    /// "pod ×4, container ×2", empty when no word was repeated
    most_used: String,
    /// "12 of the model answer's 40 key words"
    key_terms: String,
}

impl DeliveryView {
    fn new(d: &Delivery, spoken: bool) -> Self {
        let counts = |list: &[WordCount]| {
            list.iter()
                .map(|w| if w.count > 1 { format!("{} \u{d7}{}", w.word, w.count) } else { w.word.clone() })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut summary = format!("{} word{}", d.words, if d.words == 1 { "" } else { "s" });
        // A typed answer's time is mostly thinking and typing: a pace only when spoken.
        if let (Some(wpm), true) = (d.words_per_minute, spoken) {
            summary.push_str(&format!(" \u{b7} {wpm} a minute"));
        }
        summary.push_str(if spoken { " \u{b7} spoken" } else { " \u{b7} typed" });
        DeliveryView {
            summary,
            fillers: if d.fillers.is_empty() { "none".into() } else { counts(&d.fillers) },
            most_used: counts(&d.most_used),
            key_terms: format!("{} of the model answer's {} key words", d.key_terms_used, d.key_terms),
        }
    }
}

/// One graded concept with the learner's claim on it.
struct ConceptLine {
    label: String,
    hint: String,
    /// The grader's verdict: `covered`, `missed` or `contradicted`.
    graded: String,
    /// `covered`, `wrong`, or `""` when the learner has not disputed it.
    claim: String,
    /// The concept the pending follow-up asks for without naming it: hidden until the
    /// learner replies or moves on (see [`Exchange::held_back`]).
    held_back: bool,
    /// For a covered concept the answer named in other words than its label ("image
    /// store" for *registry*), those words, so the learner sees what counted and
    /// learns the term (see [`said_instead`]).
    said: Option<String>,
}

/// Longest phrase quoted as what the learner said for a concept: a longer match spans
/// words that belong to the sentence, not to the concept.
const SAID_MAX_CHARS: usize = 40;

/// Two forms of one word, roughly: one starts with the other ("pod", "pods"), or they
/// differ only in their last two letters or so ("handling", "handler").
fn same_word(a: &str, b: &str) -> bool {
    let common = a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count();
    let shorter = a.chars().count().min(b.chars().count());
    common == shorter || (common >= 4 && common + 2 >= shorter)
}

/// The words of `answer` that covered the concept `label`, when no place that covered it
/// shares a word with the label (otherwise the learner used the term, and there is
/// nothing to point out): the first such place short enough to quote.
fn said_instead(answer: &str, stored: &StoredGrade, label: &str) -> Option<String> {
    let concept = stored.with_status(ConceptStatus::Covered).find(|c| c.label == label)?;
    let words = |t: &str| -> Vec<String> {
        t.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 3).map(str::to_lowercase).collect()
    };
    let label_words = words(label);
    // A looser match is highlighted but not quoted: its words may be about something else.
    let places: Vec<&str> =
        concept.spans.iter().filter(|s| !s.loose).filter_map(|s| answer.get(s.start..s.end)).map(str::trim).collect();
    let named = places.iter().any(|p| words(p).iter().any(|w| label_words.iter().any(|l| same_word(w, l))));
    // The term said somewhere else in the answer too ("cold starts" besides "latency"):
    // "you said 'latency'" would read as if it had not been (a walk-through's finding).
    let answer_words = words(answer);
    let said_too = !label_words.is_empty() && label_words.iter().all(|l| answer_words.iter().any(|w| same_word(w, l)));
    if named || said_too {
        return None;
    }
    places
        .into_iter()
        .find(|p| !p.is_empty() && p.chars().count() <= SAID_MAX_CHARS && one_phrase(p))
        .map(str::to_string)
}

/// True when `place` reads as one phrase: words of a match spread over two clauses
/// ("kernel; they share", "endpoint, maps") are a match, not something the learner said
/// (a walk-through's finding).
fn one_phrase(place: &str) -> bool {
    !place.chars().any(|c| matches!(c, ',' | ';' | ':' | '!' | '?' | '(' | ')' | '\u{2014}')) && !place.contains(". ")
}

/// A follow-up the interviewer asked, and the reply if there is one.
struct FollowUpView {
    attempt_id: String,
    prompt: String,
    concept: String,
    reply: Option<FollowUpReply>,
    /// No reply yet and it still waits for one (the latest answer's); a follow-up
    /// without a reply that no longer waits (the learner moved on) is shown as not
    /// answered.
    open: bool,
}

/// A follow-up's reply as shown: the reply, whether it covered the concept, the band
/// class of its verdict and the verdict.
struct FollowUpReply {
    answer: String,
    covered: bool,
    band: &'static str,
    verdict: String,
}

struct Current {
    number: usize,
    question_id: String,
    prompt: String,
    topic: String,
}

struct Summary {
    answered: usize,
    /// First answers the grader was unsure of: not in the mean or the strong count.
    unsure: usize,
    /// `None` when every answer was unsure.
    mean: Option<i64>,
    strong: usize,
    /// Judged wrong first, then missed; at most six.
    missed: Vec<String>,
    /// The rest, behind "and N more".
    more: Vec<String>,
    /// Of those, the ones a retry covered.
    covered_on_retry: Vec<String>,
    /// Retries, which the figures leave out.
    retries: usize,
    skipped: usize,
    /// Questions never asked (the interview was ended early).
    unasked: usize,
    /// The last answer's follow-up waits for a reply (optional): the interview is not
    /// called complete under it.
    follow_up_open: bool,
    /// The concept that follow-up asks for without naming it, hidden among the concepts
    /// to work on until the learner replies or finishes (empty when none).
    held_back: String,
}

#[derive(Template)]
#[template(path = "interview.html")]
pub(super) struct InterviewPage {
    user: Option<NavUser>,
    csrf: String,
    id: String,
    mode: String,
    /// What the interview is called ("Mock interview", "Drill", "Practice").
    kind: &'static str,
    /// A one-question practice ([`super::super::interview_kind`]): no "Question 1 of 1".
    single: bool,
    /// With no question left to ask, the number of the question whose follow-up still
    /// waits for a reply: the heading says so rather than "Complete".
    follow_up_waits: Option<usize>,
    /// The heading once the interview is complete (shown by static/app.js when the
    /// learner finishes without replying to the last follow-up).
    done_heading: String,
    progress: usize,
    total: usize,
    timer_seconds: i64,
    exchanges: Vec<Exchange>,
    current: Option<Current>,
    reveal_next: bool,
    /// Text and message of a refused answer, put back in the form it came from.
    draft: String,
    error: Option<String>,
    retry_draft: String,
    retry_error: Option<String>,
    follow_up_draft: String,
    follow_up_error: Option<String>,
    summary: Option<Summary>,
    /// Why the interview has fewer questions than were asked for (the topics had fewer).
    pub(super) shortened: Option<String>,
}

/// Which form a refused submission came from.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Slot {
    Answer,
    Retry,
    FollowUp,
}

/// A submission the server refused: shown again with its text so nothing is lost.
pub(super) struct Refusal {
    pub(super) slot: Slot,
    pub(super) text: String,
    pub(super) message: String,
}

/// The band's label; `checked` when the grader flagged statements to check (a swap, an
/// anticipated misconception), which is why the score is low, not missing terms.
fn band_label(band: Band, checked: bool) -> String {
    match band {
        Band::Strong => "Strong answer",
        Band::Partial => "Partly there",
        // The right terms are there but tied the wrong way: "not found" would contradict
        // the feedback beside it.
        Band::Weak | Band::OffTopic if checked => "Key points to check",
        // What the grader found, not a verdict: a correct answer worded unlike the
        // model answer can land in these two bands.
        Band::Weak => "Few key points found",
        Band::OffTopic => "Key points not found",
    }
    .to_string()
}

/// A part of the answer to mark: what matched a covered concept, or the phrase a check
/// about a suspected error quotes (with that check).
#[derive(Clone, Copy)]
struct Marked<'a> {
    span: StoredSpan,
    check: Option<&'a str>,
    /// The covered concept the place counts for (shown on hover: a walk-through could
    /// not tell which concept a highlight supported).
    concept: Option<&'a str>,
}

/// Escapes the answer and wraps the marked parts in `<mark>`: covered concepts plainly,
/// phrases judged wrong as `<mark class="check">` with the check as its title and, for
/// screen readers, a hidden label after it.
fn highlight(answer: &str, marks: &[Marked]) -> String {
    let usable = |s: &StoredSpan| {
        s.start < s.end && s.end <= answer.len() && answer.is_char_boundary(s.start) && answer.is_char_boundary(s.end)
    };
    // Overlapping matches of covered concepts ("default", "default arguments", and a
    // window match "arguments or default") are marked as one stretch, unless that
    // stretch would swallow a phrase to check: then each is marked as before.
    let (checks, mut covered): (Vec<Marked>, Vec<Marked>) =
        marks.iter().copied().filter(|m| usable(&m.span)).partition(|m| m.check.is_some());
    covered.sort_by_key(|m| (m.span.start, m.span.end));
    // "Covers liveness, restart" for the concepts a stretch counts for.
    let names = |marks: &[Marked]| -> String {
        let mut names: Vec<&str> = Vec::new();
        for name in marks.iter().filter_map(|m| m.concept) {
            if !names.contains(&name) {
                names.push(name);
            }
        }
        if names.is_empty() {
            String::new()
        } else {
            format!("Covers {}", names.join(", "))
        }
    };
    let mut merged: Vec<(Marked, String)> = checks.iter().map(|&m| (m, String::new())).collect();
    let mut i = 0;
    while i < covered.len() {
        let mut union = covered[i].span;
        let mut j = i + 1;
        while j < covered.len() && covered[j].span.start < union.end {
            union.end = union.end.max(covered[j].span.end);
            j += 1;
        }
        if checks.iter().any(|c| c.span.start < union.end && union.start < c.span.end) {
            merged.extend(covered[i..j].iter().map(|m| (*m, names(std::slice::from_ref(m)))));
        } else {
            merged.push((Marked { span: union, check: None, concept: None }, names(&covered[i..j])));
        }
        i = j;
    }
    // A phrase judged wrong wins over a covered match at the same place.
    merged.sort_by_key(|(m, _)| (m.span.start, m.check.is_none(), m.span.end));
    let mut out = String::new();
    let mut at = 0;
    for (m, title) in merged {
        let s = m.span;
        if s.start < at {
            continue;
        }
        out.push_str(&escape(&answer[at..s.start]));
        match m.check {
            Some(check) => {
                out.push_str(&format!("<mark class=\"check\" title=\"{}\">", escape(check)));
                out.push_str(&escape(&answer[s.start..s.end]));
                out.push_str("</mark><span class=\"visually-hidden\"> (check this part)</span>");
            }
            None => {
                if title.is_empty() {
                    out.push_str("<mark>");
                } else {
                    out.push_str(&format!("<mark title=\"{}\">", escape(&title)));
                }
                out.push_str(&escape(&answer[s.start..s.end]));
                out.push_str("</mark>");
            }
        }
        at = s.end;
    }
    out.push_str(&escape(&answer[at..]));
    out
}

fn exchange(
    number: usize,
    attempt: &Attempt,
    question: Option<&BankQuestion>,
    follow_up: Option<FollowUpView>,
    timer_seconds: Option<i64>,
    claims: &[ClaimRecord],
) -> Exchange {
    let stored = &attempt.grade;
    let marks: Vec<Marked> = stored
        .with_status(ConceptStatus::Covered)
        .flat_map(|c| c.spans.iter().map(|&span| Marked { span, check: None, concept: Some(c.label.as_str()) }))
        .chain(
            stored
                .with_status(ConceptStatus::Contradicted)
                .flat_map(|c| c.spans.iter().map(|&span| Marked { span, check: Some(c.hint.as_str()), concept: None })),
        )
        .chain(stored.checks.iter().map(|c| Marked { span: c.span, check: Some(c.check.as_str()), concept: None }))
        .collect();
    let assessed = Assessed::of(attempt, claims);
    let covered_in_reply =
        follow_up.as_ref().filter(|f| f.reply.as_ref().is_some_and(|r| r.covered)).map(|f| f.concept.clone());
    let held_back = held_back_concept(stored, follow_up.as_ref());
    let lines = |status: ConceptStatus| -> Vec<ConceptLine> {
        assessed
            .concepts
            .iter()
            .filter(|c| c.status == status)
            .map(|c| ConceptLine {
                label: c.label.clone(),
                hint: c.hint.clone(),
                graded: c.status.as_str().to_string(),
                claim: c.claim.map(|claim| claim.as_str()).unwrap_or_default().to_string(),
                held_back: status == ConceptStatus::Missed && held_back.as_deref() == Some(c.label.as_str()),
                said: (status == ConceptStatus::Covered)
                    .then(|| said_instead(&attempt.answer, stored, &c.label))
                    .flatten(),
            })
            .collect()
    };
    // A correction shown once: one anticipated misconception can contradict two concepts
    // and head the feedback too (walk-through 5 read the same sentence three times).
    let mut shown: Vec<String> = Vec::new();
    let mut once = |mut list: Vec<ConceptLine>| {
        for line in &mut list {
            if line.hint.is_empty() {
                continue;
            }
            if attempt.feedback.contains(line.hint.as_str()) || shown.contains(&line.hint) {
                line.hint = SEE_ABOVE.to_string();
            } else {
                shown.push(line.hint.clone());
            }
        }
        list
    };
    let contradicted = once(lines(ConceptStatus::Contradicted));
    let (covered_later, missed): (Vec<ConceptLine>, Vec<ConceptLine>) = once(lines(ConceptStatus::Missed))
        .into_iter()
        .partition(|c| covered_in_reply.as_deref() == Some(c.label.as_str()));
    let feedback = shown_feedback(attempt, &assessed, follow_up.as_ref().is_some_and(|f| f.open));
    Exchange {
        attempt_id: attempt.id.clone(),
        number,
        retry: attempt.kind == AttemptKind::Retry,
        skipped: attempt.kind == AttemptKind::Skipped,
        prompt: attempt.prompt.clone(),
        topic: attempt.topic_name.clone(),
        answer_html: highlight(&attempt.answer, &marks),
        score: (attempt.score * 100.0).round() as i64,
        self_score: assessed.differs().then(|| (assessed.self_assessed_score * 100.0).round() as i64),
        band: band_class(attempt).to_string(),
        band_label: match (attempt.kind, attempt.unsure) {
            (AttemptKind::Skipped, _) => "Skipped".to_string(),
            (_, true) => "Unsure: not counted".to_string(),
            _ => band_label(
                attempt.band,
                !stored.checks.is_empty() || stored.with_status(ConceptStatus::Contradicted).next().is_some(),
            ),
        },
        feedback_after: follow_up
            .as_ref()
            .filter(|f| f.open)
            .map(|_| shown_feedback(attempt, &assessed, false))
            .filter(|after| *after != feedback),
        feedback,
        covered: lines(ConceptStatus::Covered),
        has_checks: !stored.checks.is_empty(),
        checks_claim: assessed.checks_claim.map(|c| c.as_str()).unwrap_or_default().to_string(),
        missed,
        covered_later,
        contradicted,
        delivery: DeliveryView::new(
            &answer_delivery(
                &attempt.answer,
                question,
                attempt.time_taken_ms.and_then(|t| TimeTaken::parse(t).ok()).map(TimeTaken::millis),
            ),
            attempt.spoken,
        ),
        reference: question.map(|q| q.answer.clone()).unwrap_or_default(),
        question_id: attempt.question_id.clone(),
        follow_up,
        held_back: held_back.is_some(),
        // Rows stored before time taken was bounded may hold anything: those show nothing.
        overtime: match (timer_seconds, attempt.time_taken_ms.and_then(|t| TimeTaken::parse(t).ok())) {
            (Some(limit), Some(took))
                if took.millis() > limit.saturating_mul(1000) && attempt.kind != AttemptKind::Retry =>
            {
                Some(format!("{} s against a {limit} s limit", took.seconds()))
            }
            _ => None,
        },
    }
}

/// The answer's feedback as shown: its "Next time also explain …" as the learner's
/// claims leave it ([`next_time_with_claims`]) and, once its follow-up no longer waits
/// for a reply (it was answered, or the learner moved on), the note that held the
/// concept back naming it.
fn shown_feedback(attempt: &Attempt, assessed: &Assessed, pending: bool) -> String {
    let feedback = next_time_with_claims(attempt, assessed);
    match (&attempt.follow_up, feedback.strip_suffix(HELD_BACK_NOTE)) {
        (Some(f), Some(head)) if !pending => format!("{head}The follow-up asked about {}.", f.concept),
        _ => feedback,
    }
}

/// How the grader's feedback opens its list of missed concepts to explain.
const NEXT_TIME: &str = "Next time also ";

/// The stored feedback with its "Next time also explain …" as the learner's claims
/// leave it: a missed concept they marked as covered is no longer named, a covered one
/// they say they got wrong is, as in the summary's concepts to work on (a learner was
/// still told to explain what they had marked as covered). The grade is never
/// rewritten: the grader's sentence is built again here, as `grading::feedback` builds
/// it, and replaced only where it is found, so any other feedback stays as it was.
fn next_time_with_claims(attempt: &Attempt, assessed: &Assessed) -> String {
    let feedback = &attempt.feedback;
    if !feedback.contains(NEXT_TIME) || assessed.concepts.iter().all(|c| c.claim.is_none()) {
        return feedback.clone();
    }
    // A concept a follow-up asks for unnamed is in neither list: the held-back note
    // stands for it.
    let held = attempt.follow_up.as_ref().filter(|_| feedback.ends_with(HELD_BACK_NOTE)).map(|f| f.concept.as_str());
    let labels = |keep: fn(&ConceptClaim) -> bool| -> Vec<&str> {
        assessed
            .concepts
            .iter()
            .filter(|c| Some(c.label.as_str()) != held && keep(c))
            .map(|c| c.label.as_str())
            .collect()
    };
    let graded = labels(|c| c.status == ConceptStatus::Missed);
    // One the grader judged wrong is not in this sentence (the feedback says to check
    // it instead), whatever the learner says of it.
    let claimed = labels(|c| c.status != ConceptStatus::Contradicted && c.self_assessed() != ConceptStatus::Covered);
    let sentence = |labels: &[&str]| if labels.is_empty() { String::new() } else { format!(" {}", next_time(labels)) };
    let old = sentence(&graded);
    if old.is_empty() || graded == claimed || !feedback.contains(&old) {
        return feedback.clone();
    }
    feedback.replacen(&old, &sentence(&claimed), 1)
}

/// The missed concept a follow-up still waiting for its reply asks for without naming
/// it (`follow_up::holds_back`), if any.
fn held_back_concept(stored: &StoredGrade, follow_up: Option<&FollowUpView>) -> Option<String> {
    let f = follow_up.filter(|f| f.open)?;
    let status = stored.concepts.iter().find(|c| c.label == f.concept).map(|c| c.status)?;
    follow_up::holds_back(status, &f.concept, &f.prompt).then(|| f.concept.clone())
}

/// The follow-up shown under an attempt: with its reply if it was answered; otherwise,
/// for the latest answer, the one asked after it, waiting for a reply; for an earlier
/// answer, the one asked, not answered (the learner moved on without a reply).
fn follow_up_view(view: &InterviewView, attempt: &Attempt) -> Option<FollowUpView> {
    if let Some(f) = view.follow_ups.iter().find(|f| f.attempt_id == attempt.id) {
        let question = view.plan.questions.iter().find(|q| q.id == attempt.question_id).map(|q| q.as_ref());
        let judgement = FollowUpJudgement::of(question, &f.concept, &f.prompt, &f.answer, f.status);
        // A reply the grader does not judge is shown as undecided, not as half wrong.
        let band = match judgement {
            FollowUpJudgement::Covered => "band-strong",
            FollowUpJudgement::NotJudged | FollowUpJudgement::Unmatched => "band-unsure",
            FollowUpJudgement::Contradicted | FollowUpJudgement::Missed => "band-weak",
        };
        let verdict = judgement.verdict_with_model(question, &f.concept, &f.prompt);
        return Some(FollowUpView {
            attempt_id: f.attempt_id.clone(),
            prompt: f.prompt.clone(),
            concept: f.concept.clone(),
            reply: Some(FollowUpReply {
                answer: f.answer.clone(),
                covered: f.status == ConceptStatus::Covered,
                band,
                verdict,
            }),
            open: false,
        });
    }
    let open = view.pending_follow_up().is_some_and(|(a, _)| a.id == attempt.id);
    let asked = attempt.follow_up.as_ref().filter(|_| attempt.kind.counts())?;
    Some(FollowUpView {
        attempt_id: attempt.id.clone(),
        prompt: asked.prompt.clone(),
        concept: asked.concept.clone(),
        reply: None,
        open,
    })
}

pub(super) fn page(user: NavUser, csrf: String, view: &InterviewView, refusal: Option<Refusal>) -> InterviewPage {
    let bank_question = |id: &str| view.plan.questions.iter().find(|q| q.id == id).map(|q| q.as_ref());
    let exchanges: Vec<Exchange> = view
        .attempts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let question = bank_question(&a.question_id);
            let number = view.plan.questions.iter().position(|q| q.id == a.question_id).map(|p| p + 1).unwrap_or(i + 1);
            let follow_up = follow_up_view(view, a);
            exchange(number, a, question, follow_up, view.plan.interview.timer_seconds, &view.claims)
        })
        .collect();
    let position = view.plan.interview.position as usize;
    let current = view.plan.current().map(|q| Current {
        number: position + 1,
        question_id: q.id.clone(),
        prompt: q.prompt.clone(),
        topic: q.topic_name.clone(),
    });
    let follow_up_open = exchanges.last().and_then(|x| x.follow_up.as_ref()).is_some_and(|f| f.open);
    let follow_up_waits = exchanges.last().filter(|_| follow_up_open && current.is_none()).map(|x| x.number);
    let held_back = exchanges
        .last()
        .filter(|x| x.held_back)
        .and_then(|x| x.follow_up.as_ref())
        .map(|f| f.concept.clone())
        .unwrap_or_default();
    let summary = view.summary().map(|s| Summary {
        answered: s.answered,
        unsure: s.unsure,
        mean: s.mean_score.map(|m| (m * 100.0).round() as i64),
        strong: s.strong,
        missed: s.to_work_on,
        more: s.more,
        covered_on_retry: s.covered_on_retry,
        retries: s.retries,
        skipped: s.skipped,
        unasked: s.unasked,
        follow_up_open,
        held_back,
    });
    let pick = |slot: Slot| match &refusal {
        Some(r) if r.slot == slot => (r.text.clone(), Some(r.message.clone())),
        _ => (String::new(), None),
    };
    let (draft, error) = pick(Slot::Answer);
    let (retry_draft, retry_error) = pick(Slot::Retry);
    let (follow_up_draft, follow_up_error) = pick(Slot::FollowUp);
    let total = view.plan.questions.len();
    let kind = super::super::interview_kind(view.plan.interview.mode, total);
    let single = kind == super::super::PRACTICE;
    // Ended early, the heading counts the questions asked, as the summary under it
    // does ("Complete · 3 questions" stood over "You answered 2 questions").
    let unasked = summary.as_ref().map_or(0, |s| s.unasked);
    let done_heading = if single {
        format!("{kind} \u{b7} {}", if unasked > 0 { "Ended" } else { "Complete" })
    } else if unasked > 0 {
        format!("{kind} \u{b7} Ended \u{b7} {} of {total} questions asked", total - unasked.min(total))
    } else {
        format!("{kind} \u{b7} Complete \u{b7} {total} question{}", if total == 1 { "" } else { "s" })
    };
    InterviewPage {
        user: Some(user),
        csrf,
        id: view.plan.interview.id.clone(),
        mode: view.plan.interview.mode.as_str().to_string(),
        kind,
        single,
        follow_up_waits,
        done_heading,
        progress: (position + 1).min(total),
        total,
        timer_seconds: view.plan.interview.timer_seconds.unwrap_or(0),
        reveal_next: !exchanges.is_empty() && refusal.is_none(),
        exchanges,
        current,
        draft,
        error,
        retry_draft,
        retry_error,
        follow_up_draft,
        follow_up_error,
        summary,
        shortened: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::StoredConcept;

    /// The byte range of `text`'s first occurrence in `answer`.
    fn span_of(answer: &str, text: &str) -> StoredSpan {
        let start = answer.find(text).expect("in answer");
        StoredSpan { start, end: start + text.len(), loose: false }
    }

    /// "You said ..." points out the learner's own words only when the answer never
    /// says the concept's term; a covered concept whose term is also in the answer
    /// (matched elsewhere first) shows nothing.
    #[test]
    fn said_instead_only_when_the_term_is_nowhere_in_the_answer() {
        let grade = |answer: &str, matched: &str| StoredGrade {
            concepts: vec![StoredConcept {
                label: "cold starts".into(),
                status: ConceptStatus::Covered,
                spans: vec![span_of(answer, matched)],
                hint: String::new(),
                weight: None,
            }],
            ..StoredGrade::default()
        };
        let own = "Lambda adds latency when a new instance boots.";
        assert_eq!(said_instead(own, &grade(own, "latency"), "cold starts").as_deref(), Some("latency"));
        let both = "Lambda adds latency, the cold starts, when a new instance boots.";
        assert_eq!(said_instead(both, &grade(both, "latency"), "cold starts"), None);
        assert_eq!(said_instead(both, &grade(both, "cold starts"), "cold starts"), None);
        // Nor is a match whose words stand in two clauses.
        let spread = "Containers are light: kernel; they share it.";
        assert_eq!(said_instead(spread, &grade(spread, "kernel; they share"), "cold starts"), None);
        // A looser match is highlighted but never quoted: its words may be about
        // something else.
        let mut loose = grade(own, "latency");
        loose.concepts[0].spans[0].loose = true;
        assert_eq!(said_instead(own, &loose, "cold starts"), None);
    }

    #[test]
    fn covered_phrases_and_phrases_to_check_are_marked_differently_and_escaped() {
        let answer = "Readiness <b> restarts it, liveness removes traffic.";
        let span = |text: &str| span_of(answer, text);
        let marks = [
            Marked {
                span: span("restarts"),
                check: Some("Check: is \"restarts\" true of the readiness?"),
                concept: None,
            },
            Marked { span: span("restarts"), check: None, concept: None },
            Marked { span: span("traffic"), check: None, concept: None },
            Marked { span: StoredSpan { start: 0, end: 999, loose: false }, check: None, concept: None },
        ];
        let html = highlight(answer, &marks);
        assert!(html.contains("&lt;b&gt;"), "{html}");
        assert!(html.contains("<mark class=\"check\" title=\"Check: is &quot;restarts&quot; true of the readiness?\">restarts</mark><span class=\"visually-hidden\"> (check this part)</span>"), "{html}");
        assert!(html.contains("<mark>traffic</mark>"), "{html}");
        assert_eq!(html.matches("<mark").count(), 2, "overlaps and out-of-range spans are skipped: {html}");
    }

    #[test]
    fn overlapping_covered_matches_are_one_mark_and_never_hide_a_check() {
        let answer = "CMD is the default arguments or default command, and it restarts.";
        let span = |text: &str| span_of(answer, text);
        let covered = |text: &str| Marked { span: span(text), check: None, concept: None };
        let marks = [
            covered("default"),
            covered("default arguments"),
            covered("arguments or default"),
            covered("default command"),
            covered("restarts"),
        ];
        let html = highlight(answer, &marks);
        assert!(html.contains("<mark>default arguments or default command</mark>"), "{html}");
        assert_eq!(html.matches("<mark").count(), 2, "{html}");
        // A check inside the stretch keeps its own mark; the covered parts stay apart.
        let with_check = [
            covered("default arguments"),
            covered("arguments or default"),
            Marked { span: span("or default"), check: Some("Check: is it the default?"), concept: None },
        ];
        let html = highlight(answer, &with_check);
        assert!(html.contains("<mark class=\"check\""), "{html}");
        assert!(html.contains("<mark>default arguments</mark>"), "{html}");
    }

    /// A covered highlight says on hover which concepts it counts for: one stretch of
    /// overlapping matches names each once.
    #[test]
    fn a_covered_highlight_names_its_concepts() {
        let answer = "CMD gives the default arguments, and <it> restarts.";
        let span = |text: &str| span_of(answer, text);
        let marks = [
            Marked { span: span("default arguments"), check: None, concept: Some("default") },
            Marked { span: span("arguments"), check: None, concept: Some("arguments") },
            Marked { span: span("default"), check: None, concept: Some("default") },
            Marked { span: span("restarts"), check: None, concept: Some("restart <policy>") },
        ];
        let html = highlight(answer, &marks);
        assert!(html.contains("<mark title=\"Covers default, arguments\">default arguments</mark>"), "{html}");
        assert!(html.contains("<mark title=\"Covers restart &lt;policy&gt;\">restarts</mark>"), "{html}");
    }
}
