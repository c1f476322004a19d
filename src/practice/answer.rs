//! Answering: grade, store durably (the reply is sent only after the commit), schedule,
//! and offer a follow-up on what was missed.
use std::sync::Arc;

use super::{interview_plan, BankQuestion, Error, Limited, Practice, StoredGrade};
use crate::domain::{AnswerText, TimeTaken};
use crate::domain::{AttemptKind, User};
use crate::grading::delivery::Delivery;
use crate::grading::{find_word, ConceptResult, ConceptStatus, Grade, Span};
use crate::learning::follow_up::{self, FollowUp};
use crate::metrics::GradingKind;
use crate::store::{now_millis, NewAttempt, StoreError, RETRIES_USED};

/// Scores at or above this get no follow-up unless something was contradicted.
const FOLLOW_UP_BELOW: f64 = 0.85;

/// An answer to a question of an interview, as the learner sent it.
#[derive(Debug, Clone, Copy)]
pub struct AnswerRequest<'a> {
    pub question_id: &'a str,
    pub answer: &'a str,
    /// Milliseconds taken, as measured by the client; refused outside 0..=a day.
    pub time_taken_ms: Option<i64>,
    /// Answer the question just answered again, instead of the current one.
    pub retry: bool,
    /// The learner dictated the answer (speech recognition) rather than typing it.
    pub spoken: bool,
    /// The learner skips the question instead of answering (`answer` is ignored).
    pub skip: bool,
}

/// A graded, stored answer and what comes next.
pub struct AnswerOutcome {
    pub attempt_id: String,
    /// 1-based position of the answered question in its interview.
    pub number: usize,
    pub question: Arc<BankQuestion>,
    pub grade: Grade,
    pub next: Option<Arc<BankQuestion>>,
    /// What the interviewer asks about a missed or contradicted concept, if anything.
    pub follow_up: Option<FollowUp>,
    pub retry: bool,
    /// How the answer was delivered (words, pace, fillers).
    pub delivery: Delivery,
}

/// The graded reply to a follow-up.
pub struct FollowUpOutcome {
    pub follow_up: FollowUp,
    /// The reply's result on the concept, as stored: a reply the grader does not judge
    /// (the follow-up named the concept) reads as missed, with no spans.
    pub result: ConceptResult,
    pub feedback: String,
    /// False when the follow-up named the concept itself, so the grader does not judge
    /// the reply either way.
    pub judged: bool,
}

/// The follow-up an interviewer asks after this grade. It is stored with the answer
/// (never worked out again), so editing the bank does not change what was asked.
pub fn follow_up_for(question: &BankQuestion, grade: &Grade) -> Option<FollowUp> {
    let contradicted = grade.concepts.iter().any(|c| c.status == ConceptStatus::Contradicted);
    if grade.score >= FOLLOW_UP_BELOW && !contradicted {
        return None;
    }
    follow_up::choose(&grade.concepts, question.prepared.concepts(), &question.follow_ups, |label| {
        gap_sentence(question, label)
    })
}

/// What a skipped question's feedback says.
pub const SKIPPED_FEEDBACK: &str =
    "You skipped this question. Read the model answer below; the question comes back soon in your reviews.";

pub use crate::domain::MAX_RETRIES;

/// The refusal of a retry past [`MAX_RETRIES`].
fn retries_used() -> Error {
    Error::Conflict(format!(
        "You have retried this question {MAX_RETRIES} times; move on to the next one and it will come back later."
    ))
}

/// Grades `answer` to the interview's current question (or, with `retry`, to the
/// question just answered) and stores it.
#[tracing::instrument(skip_all, fields(user = %user.id, interview = interview_id))]
pub async fn submit_answer(
    state: &Practice,
    user: &User,
    interview_id: &str,
    request: AnswerRequest<'_>,
) -> Result<AnswerOutcome, Error> {
    let AnswerRequest { question_id, answer, time_taken_ms, retry, spoken, skip } = request;
    if skip && retry {
        return Err(Error::Invalid("A retry cannot be skipped: just move on to the next question.".into()));
    }
    let view = interview_plan(state, user, interview_id).await?;
    let question = if retry {
        let last = view.last_answered().cloned().ok_or_else(|| {
            Error::Conflict("There is nothing to retry yet: answer the current question first.".into())
        })?;
        if last.id != question_id {
            return Err(Error::Conflict(format!(
                "Only the question just answered can be retried; that is {:?}, not {question_id:?}.",
                last.id
            )));
        }
        if state.store.retries(interview_id, question_id).await? >= MAX_RETRIES {
            return Err(retries_used());
        }
        last
    } else {
        let Some(current) = view.current().cloned() else {
            return Err(Error::Conflict("This interview is finished; start a new one to keep practising.".into()));
        };
        if current.id != question_id {
            return Err(if let Some(answered) = view.questions.iter().find(|q| q.id == question_id) {
                Error::Conflict(format!(
                    "You already answered \"{}\" (perhaps in another tab); the interview has moved on to \"{}\". Reload the page to see it.",
                    answered.prompt, current.prompt
                ))
            } else {
                Error::NotFound(format!("Question {question_id:?} is not part of this interview."))
            });
        }
        current
    };
    // A skip has no text: it is graded as an empty answer (0, every concept missed).
    let answer = if skip { String::new() } else { AnswerText::parse(answer)?.as_str().to_string() };
    let time_taken = time_taken_ms.map(TimeTaken::parse).transpose()?;
    // Counted once the answer is valid and due: grading and storing it is the cost.
    state.limits.check(user, Limited::Answer)?;
    // The question is shared (an `Arc`), not copied: a prepared question holds the
    // reference's tokens, vectors and concept matchers, and copying them for every
    // answer cost more than grading it.
    // The delivery figures are worked out in the same job, off the async workers.
    let (shared, text, took) = (question.clone(), answer.clone(), time_taken.map(TimeTaken::millis));
    let (mut grade, delivery) = state
        .grade_timed(GradingKind::Answer, move || {
            (shared.prepared.grade(&text), super::answer_delivery(&text, Some(&shared), took))
        })
        .await?;
    if skip {
        grade.feedback = SKIPPED_FEEDBACK.to_string();
    }
    let grade_json = StoredGrade::from_grade(&grade).to_json().map_err(anyhow::Error::from)?;
    let unsure = grade.unsure();
    let (kind, schedule, concepts) = if skip {
        // Not knowing is evidence about the question (it comes back soon), not about
        // which of its concepts are weak.
        let next = view.learner.review(view.current_schedule.as_ref(), 0.0, now_millis());
        (AttemptKind::Skipped, Some(next), Vec::new())
    } else if retry {
        // A retry comes after the feedback named what was missing (and perhaps the
        // model answer was opened): kept, but not evidence
        // of mastery, so it moves neither the schedule nor the weak-concept counts.
        (AttemptKind::Retry, None, Vec::new())
    } else if unsure {
        // The grader cannot tell whether the answer holds (an analogy scores low
        // whether it is sound or not): no evidence either way, so it moves neither the
        // schedule nor the weak-concept counts, and the question stays due.
        (AttemptKind::first_answer_in(view.interview.mode), None, Vec::new())
    } else {
        let next = view.learner.review(view.current_schedule.as_ref(), grade.score, now_millis());
        let concepts = grade.concepts.iter().map(|c| (c.label.clone(), c.status)).collect();
        (AttemptKind::first_answer_in(view.interview.mode), Some(next), concepts)
    };
    let follow_up = if retry || skip { None } else { follow_up_for(&question, &grade) };
    // The feedback does not name the concept the follow-up asks for: the learner
    // recalls it (the follow-up's verdict names it, and the page shows it after).
    if let Some(f) = &follow_up {
        let status = grade.concepts.iter().find(|c| c.label == f.concept).map(|c| c.status);
        if status.is_some_and(|s| follow_up::holds_back(s, &f.concept, &f.prompt)) {
            grade.feedback = grade.feedback_holding_back(&f.concept);
        }
    }
    let attempt = NewAttempt {
        user_id: user.id.clone(),
        interview_id: Some(interview_id.to_string()),
        question_id: question_id.to_string(),
        answer,
        score: grade.score,
        band: grade.band,
        feedback: grade.feedback.clone(),
        grade_json,
        concepts,
        time_taken_ms: time_taken.map(TimeTaken::millis),
        spoken,
        unsure,
        kind,
        schedule,
        follow_up: follow_up.clone(),
        question_version: question.version,
    };
    let position = (!retry).then_some(view.interview.position);
    let attempt_id = state.store.record_attempt(attempt, position).await.map_err(|e| match e {
        StoreError::Conflict(RETRIES_USED) => retries_used(),
        e => Error::from(e),
    })?;
    let answered = if retry { view.interview.position - 1 } else { view.interview.position } as usize;
    Ok(AnswerOutcome {
        attempt_id,
        number: answered + 1,
        next: view.questions.get(answered + 1).cloned(),
        question,
        grade,
        follow_up,
        retry,
        delivery,
    })
}

/// Ends the interview before its last question: the questions not asked yet stay
/// unasked (they were never answered, so nothing about them is stored).
#[tracing::instrument(skip_all, fields(user = %user.id, interview = interview_id))]
pub async fn finish_interview(state: &Practice, user: &User, interview_id: &str) -> Result<(), Error> {
    let view = interview_plan(state, user, interview_id).await?;
    // Over already, or ended in another tab between the read and the write.
    if view.current().is_none() || !state.store.finish_interview(interview_id, &user.id).await? {
        return Err(Error::Conflict("This interview is finished already.".into()));
    }
    Ok(())
}

/// Grades the reply to the follow-up asked after `attempt_id`, against that one concept.
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn answer_follow_up(
    state: &Practice,
    user: &User,
    interview_id: &str,
    attempt_id: &str,
    answer: &str,
) -> Result<FollowUpOutcome, Error> {
    let not_found = || Error::NotFound(format!("No answer {attempt_id:?} in this interview of yours."));
    let attempt = state.store.attempt(&user.id, attempt_id).await?.ok_or_else(not_found)?;
    if attempt.interview_id.as_deref() != Some(interview_id) || !attempt.kind.counts() {
        return Err(not_found());
    }
    let question = state.bank().get(&attempt.question_id).ok_or_else(not_found)?;
    let follow_up =
        attempt.follow_up.clone().ok_or_else(|| Error::Conflict("That answer needs no follow-up.".into()))?;
    let answer = AnswerText::parse(answer)?;
    let index = question.prepared.concepts().iter().position(|c| c.label == follow_up.concept).ok_or_else(|| {
        Error::Conflict(format!(
            "The question was edited since this answer and no longer asks about {}; this follow-up cannot be graded.",
            follow_up.concept
        ))
    })?;
    state.limits.check(user, Limited::Answer)?;
    let (shared, text) = (question.clone(), answer.as_str().to_string());
    let mut result = state
        .grade_timed(GradingKind::FollowUp, move || shared.prepared.grade_concept(index, &text))
        .await?
        .ok_or_else(|| Error::Unexpected(anyhow::anyhow!("concept {index} could not be graded")))?;
    let judgement =
        FollowUpJudgement::of(Some(&question), &follow_up.concept, &follow_up.prompt, answer.as_str(), result.status);
    // A reply the grader does not judge is stored as not covering the concept, so it
    // moves nothing in the learning loop; the learner can say they covered it.
    if judgement == FollowUpJudgement::NotJudged {
        result.status = ConceptStatus::Missed;
        result.spans.clear();
    }
    let status = result.status;
    state
        .store
        .record_follow_up(
            attempt_id,
            &user.id,
            &question.id,
            &follow_up.concept,
            &follow_up.prompt,
            answer.as_str(),
            status,
        )
        .await?;
    let mut feedback = judgement.verdict_on(Some(&question), &follow_up.concept, &follow_up.prompt);
    let unjudged = matches!(judgement, FollowUpJudgement::NotJudged | FollowUpJudgement::Unmatched);
    if status != ConceptStatus::Covered && !unjudged && !result.hint.is_empty() {
        feedback.push(' ');
        feedback.push_str(&result.hint);
    }
    // A second miss is where a learner most needs to see what was looked for: the model
    // answer's own sentence on the concept, and the way to say the grader missed it; so
    // is a reply the grader cannot judge, which the learner is asked to compare.
    if judgement == FollowUpJudgement::Missed || unjudged {
        if let Some(quote) = model_quote(&question, index) {
            feedback.push_str(&quote);
        }
        feedback.push_str(if judgement == FollowUpJudgement::NotJudged {
            " If your reply holds, use \u{201c}Mark as covered\u{201d} on your answer."
        } else {
            " If your reply said this in other words, use \u{201c}Mark as covered\u{201d} on your answer."
        });
    }
    Ok(FollowUpOutcome { follow_up, result, feedback, judged: !unjudged })
}

/// " The model answer puts it this way: “…”" with [`model_sentence`], as appended to a
/// follow-up reply's verdict.
fn model_quote(question: &BankQuestion, index: usize) -> Option<String> {
    model_sentence(question, index)
        .map(|sentence| format!(" The model answer puts it this way: \u{201c}{sentence}\u{201d}"))
}

/// Longest model-answer sentence quoted after a missed follow-up, in bytes.
const MODEL_SENTENCE_MAX: usize = 240;

/// The sentence of `question`'s model answer where concept `index` is found (cut to
/// [`MODEL_SENTENCE_MAX`] bytes around it, at words), if the concept is found there: where the
/// concept's label is written, else where it is found whole, else its first match. (A
/// walk-through's learner, asked about *followers*, was shown "Replication keeps copies
/// of the same data on several nodes.", the first sentence with a paraphrase of it,
/// rather than the one that says what followers do.)
fn model_sentence(question: &BankQuestion, index: usize) -> Option<String> {
    let text = question.answer.as_str();
    let found = question.prepared.grade_concept(index, text)?;
    // ASCII lower case keeps every byte where it was, so offsets into it are offsets
    // into the text.
    let label = question.prepared.concepts().get(index)?.label.to_ascii_lowercase();
    let written = find_word(&text.to_ascii_lowercase(), &label).map(|at| (at, at + label.len()));
    let (from, to) = written
        .or_else(|| found.spans.iter().find(|s| !s.loose).map(|s| (s.start, s.end)))
        .or_else(|| found.spans.first().map(|s| (s.start, s.end)))?;
    let (start, end) = sentence_around(text, from, to);
    // A long sentence is cut around the concept, not only from its start.
    let raw = &text[start..end];
    let lead = raw.len() - raw.trim_start().len();
    Some(window(raw.trim(), from.saturating_sub(start + lead), MODEL_SENTENCE_MAX))
}

/// Byte bounds of the sentence of `text` holding the span `span_start..span_end`: from after the end of the
/// sentence before (a `.`, `?` or `!` followed by a space) to the end of its own.
fn sentence_around(text: &str, span_start: usize, span_end: usize) -> (usize, usize) {
    let ends = |i: usize| text[..i].ends_with(['.', '?', '!']);
    let start = (0..span_start.min(text.len()))
        .rev()
        .find(|&i| text.is_char_boundary(i) && i > 0 && ends(i) && text[i..].starts_with(char::is_whitespace))
        .unwrap_or(0);
    let end = (span_end.min(text.len())..=text.len())
        .find(|&i| {
            text.is_char_boundary(i)
                && i > 0
                && ends(i)
                && (i == text.len() || text[i..].starts_with(char::is_whitespace))
        })
        .unwrap_or(text.len());
    (start, end)
}

/// What stands for the concept in a gap sentence.
const GAP: &str = "___";

/// The model answer's sentence on concept `label` of `question` with each of the
/// concept's words in it blanked out ([`GAP`]), for a follow-up that asks the learner to
/// fill the gap instead of naming the concept (a follow-up that names it cannot be
/// judged, see [`names_concept`]). Cut to [`MODEL_SENTENCE_MAX`] bytes around the first
/// gap. `None` when the model answer does not state the concept, when what is left is
/// too short to give the gap a context (fewer than five words), or when the follow-up
/// asking to fill the gap ([`follow_up::gap_prompt`]) still names the concept (another of its words the match did not mark).
fn gap_sentence(question: &BankQuestion, label: &str) -> Option<String> {
    let text = question.answer.as_str();
    let index = question.prepared.concepts().iter().position(|c| c.label == label)?;
    let found = question.prepared.grade_concept(index, text)?;
    if found.status != ConceptStatus::Covered {
        return None;
    }
    // A sentence where the concept is said once, in one of its own spellings and as
    // whole words: a line with two gaps does not read as "the gap" (a walk-through's
    // learner was asked to fill "its initial ___ ... the server's own ___"), and a gap
    // cut out of a longer word ("last-___-wins") or standing for a looser match of the
    // concept would be a riddle. Where the label itself is one of them, that one.
    let concept = &question.prepared.concepts()[index];
    let said = |span: &Span| text[span.start..span.end].to_lowercase();
    let word_char = |c: char| c.is_alphanumeric() || c == '-' || c == '_';
    let whole = |span: &Span| !text[..span.start].ends_with(word_char) && !text[span.end..].starts_with(word_char);
    // The alternative itself, or its plural.
    let spelled_as = |words: &str, alternative: &str| {
        let alternative = alternative.to_lowercase();
        words.strip_prefix(alternative.as_str()).is_some_and(|rest| matches!(rest, "" | "s" | "es"))
    };
    let candidates = found.spans.iter().filter_map(|span| {
        let words = said(span);
        if !whole(span) || !concept.alternatives.iter().any(|a| spelled_as(&words, a)) {
            return None;
        }
        let (start, end) = sentence_around(text, span.start, span.end);
        let inside = found.spans.iter().filter(|s| s.start < end && s.end > start).count();
        (inside == 1).then_some((start, end, span, words))
    });
    let (start, end, span, _) =
        candidates.clone().find(|(_, _, _, words)| spelled_as(words, label)).or_else(|| candidates.clone().next())?;
    let blanked = format!("{}{GAP}{}", &text[start..span.start], &text[span.end..end]);
    let first_gap = span.start - start;
    let context = blanked.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric) && *w != GAP).count();
    if context < 5 {
        return None;
    }
    let line = window(&blanked, first_gap, MODEL_SENTENCE_MAX);
    let line = line.trim();
    (!names_concept(question, label, &follow_up::gap_prompt(line))).then(|| line.to_string())
}

/// At most `max` bytes of `sentence` from about a third of `max` before byte `at`
/// (from its start for `at` 0), cut at words, with an ellipsis where it was cut (and
/// no comma, semicolon or colon left before a closing one).
fn window(sentence: &str, at: usize, max: usize) -> String {
    if sentence.len() <= max {
        return sentence.to_string();
    }
    let floor = |mut i: usize| {
        while !sentence.is_char_boundary(i) {
            i -= 1;
        }
        i
    };
    let from = floor(at.saturating_sub(max / 3));
    let to = floor((from + max).min(sentence.len()));
    // Whole words only: start after a space, end before one.
    let from = if from == 0 { 0 } else { sentence[from..].find(' ').map_or(from, |i| from + i + 1) };
    let to = if to == sentence.len() { to } else { sentence[..to].rfind(' ').unwrap_or(to) };
    let mut out = String::new();
    if from > 0 {
        out.push('\u{2026}');
    }
    let kept = sentence[from..to.max(from)].trim();
    if to < sentence.len() {
        out.push_str(kept.trim_end_matches([',', ';', ':']));
        out.push('\u{2026}');
    } else {
        out.push_str(kept);
    }
    out
}

/// How a follow-up reply is judged, as the learner is told it: the grader's status on
/// the concept, except that on a follow-up that named the concept itself neither a miss
/// nor a match is called one (see [`names_concept`]), and that a reply to a gap to fill
/// without the concept's words is shown the model answer's fill rather than called a
/// miss. The reply's feedback, the transcript, the
/// question's attempts page and `rehearse calibrate --follow-ups` all read this.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FollowUpJudgement {
    Covered,
    Contradicted,
    Missed,
    /// Matched or missed, but the follow-up named the concept, so the grader cannot tell.
    NotJudged,
    /// A reply to a gap to fill ([`follow_up::gap_prompt`]) that does not use the
    /// concept's words. On 256 replies to such follow-ups written and graded by hand
    /// (`tests/fixtures/validation/gap-follow-up-replies.jsonl`), 128 were right and 48
    /// of those were in other words the grader does not know ("address space layout
    /// randomisation" for *ASLR*, "the backward pass" for *backpropagation*), so the
    /// learner is shown the model answer's fill and judges, as for a claim.
    Unmatched,
}

impl FollowUpJudgement {
    /// The judgement of `reply`, graded `status` on `concept` of `question`, to the
    /// follow-up `prompt` (without the question, a miss is a miss).
    pub fn of(
        question: Option<&BankQuestion>,
        concept: &str,
        prompt: &str,
        reply: &str,
        status: ConceptStatus,
    ) -> Self {
        let named = || question.is_some_and(|q| names_concept(q, concept, prompt));
        match status {
            ConceptStatus::Contradicted => FollowUpJudgement::Contradicted,
            // A follow-up that names the concept ("where does cartesian come into this?")
            // is answered by naming it back whether the reply holds or not ("Cartesian
            // means the rows get sorted by their coordinates"): on the three hand-graded
            // sets of follow-up replies, 22 of the 46 replies so credited were wrong.
            ConceptStatus::Covered | ConceptStatus::Missed if named() => FollowUpJudgement::NotJudged,
            ConceptStatus::Covered => FollowUpJudgement::Covered,
            // "No idea, sorry" is a miss however the follow-up was put.
            ConceptStatus::Missed if follow_up::is_gap_prompt(prompt) && !not_knowing(reply, prompt) => {
                FollowUpJudgement::Unmatched
            }
            ConceptStatus::Missed => FollowUpJudgement::Missed,
        }
    }

    /// The learner is told the reply missed the concept or got it wrong.
    pub fn told_wrong(self) -> bool {
        matches!(self, FollowUpJudgement::Contradicted | FollowUpJudgement::Missed)
    }

    /// The verdict shown in the transcript: [`FollowUpJudgement::verdict`], and after a
    /// reply that missed the concept or that the grader does not judge, the model
    /// answer's own sentence on it (a walk-through's learner, asked to compare their
    /// reply with the model answer, found none on the page).
    pub fn verdict_with_model(self, question: Option<&BankQuestion>, concept: &str, prompt: &str) -> String {
        let mut verdict = self.verdict_on(question, concept, prompt);
        if matches!(self, FollowUpJudgement::Missed | FollowUpJudgement::NotJudged | FollowUpJudgement::Unmatched) {
            let quote = question.and_then(|q| {
                let index = q.prepared.concepts().iter().position(|c| c.label == concept)?;
                model_quote(q, index)
            });
            if let Some(quote) = quote {
                verdict.push_str(&quote);
            }
        }
        verdict
    }

    /// [`FollowUpJudgement::verdict`], quoting the follow-up's own words when it named
    /// the concept ([`FollowUpJudgement::NotJudged`]).
    pub fn verdict_on(self, question: Option<&BankQuestion>, concept: &str, prompt: &str) -> String {
        match (self, question) {
            (FollowUpJudgement::NotJudged, Some(q)) => {
                // The label itself, or an inflection of it ("stage" for *stages*), needs no quote.
                let inflection = |w: &str| {
                    let (w, label) = (w.to_lowercase(), concept.to_lowercase());
                    label.starts_with(&w) || w.starts_with(&label)
                };
                not_judged(concept, naming_words(q, concept, prompt).as_deref().filter(|w| !inflection(w)))
            }
            _ => self.verdict(concept),
        }
    }

    /// The verdict shown with the reply and in the transcript.
    pub fn verdict(self, concept: &str) -> String {
        match self {
            FollowUpJudgement::Covered => format!("Yes: that covers {concept}."),
            FollowUpJudgement::Contradicted => format!("Not quite: that still gets {concept} wrong."),
            FollowUpJudgement::NotJudged => not_judged(concept, None),
            FollowUpJudgement::Missed => format!("I didn't find {concept} in your reply."),
            FollowUpJudgement::Unmatched => format!("The gap reads {concept}; your reply does not use its words."),
        }
    }
}

/// The verdict on a reply to a follow-up that named its concept: `words` are the
/// follow-up's own words the grader counts as the concept, when they differ from its
/// label.
fn not_judged(concept: &str, words: Option<&str>) -> String {
    let named = match words {
        Some(words) => format!("says \u{201c}{words}\u{201d}, which the grader counts as {concept}"),
        None => format!("uses the words the grader looks for on {concept}"),
    };
    format!(
        "Compare your reply with the model answer: the follow-up itself {named}, so whether you explained it is yours to judge, not the grader's."
    )
}

/// Words that say the learner does not know (one of them must be in a reply for
/// [`not_knowing`]).
const NOT_KNOWING: &[&str] = &[
    "know",
    "idea",
    "sure",
    "clue",
    "remember",
    "recall",
    "forgot",
    "forget",
    "forgotten",
    "blanking",
    "blank",
    "dunno",
    "idk",
    "unsure",
    "pass",
];

/// Words that go with those in a reply that says nothing else.
const NOT_KNOWING_FILLERS: &[&str] = &[
    "i",
    "im",
    "i'm",
    "ive",
    "i've",
    "me",
    "my",
    "not",
    "no",
    "don't",
    "dont",
    "do",
    "does",
    "can't",
    "cant",
    "cannot",
    "sorry",
    "honestly",
    "really",
    "tbh",
    "hmm",
    "um",
    "uh",
    "er",
    "the",
    "a",
    "an",
    "this",
    "that",
    "one",
    "it",
    "its",
    "it's",
    "what",
    "which",
    "goes",
    "there",
    "here",
    "on",
    "of",
    "for",
    "name",
    "term",
    "word",
    "now",
    "is",
    "am",
    "just",
    "totally",
    "anymore",
    "any",
    "have",
    "had",
    "got",
    "afraid",
    "again",
    "right",
    "off",
    "top",
    "head",
    "ok",
    "okay",
    "well",
    "sadly",
    "quite",
    "completely",
];

/// True when `reply` says only that the learner does not know ("No idea, sorry",
/// "I forget which bit"): one of [`NOT_KNOWING`], and besides it nothing but fillers
/// and the follow-up's own words. On the hand-graded replies to gap follow-ups, 29 of
/// the 32 "I don't know" replies and none of the 128 right ones (the word lists were
/// written after reading those 32, so that is in sample); on the three earlier sets of
/// follow-up replies, none of 147 right replies and 1 of 48 "I don't know" replies,
/// most of which go on to guess ("not sure, autoscaling something?").
fn not_knowing(reply: &str, prompt: &str) -> bool {
    // Typographic apostrophes ("don’t") read as plain ones.
    let words = |text: &str| -> Vec<String> {
        text.replace('\u{2019}', "'")
            .split(|c: char| !(c.is_alphanumeric() || c == '\''))
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let asked = words(prompt);
    let said = words(reply);
    said.iter().any(|w| NOT_KNOWING.contains(&w.as_str()))
        && said.iter().all(|w| {
            NOT_KNOWING.contains(&w.as_str()) || NOT_KNOWING_FILLERS.contains(&w.as_str()) || asked.contains(w)
        })
}

/// True when the follow-up `prompt` itself names `concept` of `question` (the grader's
/// own match of the concept, run on the prompt): "Why is a timestamp often a bad shard
/// key?" for *shard key*, "where does scaling come into this?" for *scaling*. A correct
/// reply answers such a question without naming the concept again ("always increasing,
/// so every new write hits one shard"), so a reply that does not name it is no evidence
/// of a miss. On two sets of follow-up replies written and graded by hand (256 replies,
/// `tests/fixtures/validation/follow-up-replies*.jsonl`), 20 of the 44 correct replies
/// told "Still missing" were answers to such follow-ups.
fn names_concept(question: &BankQuestion, concept: &str, prompt: &str) -> bool {
    naming_words(question, concept, prompt).is_some()
}

/// The words of the follow-up `prompt` in which the grader finds `concept` (see
/// [`names_concept`]), as written in the prompt: "own pace" for *pull* in "Say how a
/// consumer can set its own pace." A walk-through's learner, told the follow-up "uses
/// the words the grader looks for on pull", could not find "pull" in it.
fn naming_words(question: &BankQuestion, concept: &str, prompt: &str) -> Option<String> {
    let prepared = &question.prepared;
    let index = prepared.concepts().iter().position(|c| c.label == concept)?;
    let found = prepared.grade_concept(index, prompt).filter(|r| r.status == ConceptStatus::Covered)?;
    let words = found
        .spans
        .first()
        .and_then(|span| prompt.get(span.start..span.end))
        .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()).to_string())
        .filter(|w| !w.is_empty())
        .unwrap_or_else(|| concept.to_string());
    Some(words)
}

/// Fills in the follow-up of answers stored before follow-ups were recorded (migration
/// 0006) by grading them once against the current bank, which is what every request
/// used to do. Returns how many answers were filled; after the first start-up, none.
#[tracing::instrument(skip_all)]
pub async fn backfill_follow_ups(state: &Practice) -> Result<usize, Error> {
    let rows = state.store.follow_up_backfill().await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let bank = state.bank();
    let filled: Vec<(String, Option<FollowUp>)> = rows
        .into_iter()
        .map(|row| {
            let follow_up = match bank.question(&row.question_id) {
                Some(question) => follow_up_for(question, &question.prepared.grade(&row.answer)),
                None => {
                    tracing::warn!(attempt = row.id, question = row.question_id, "question missing; no follow-up");
                    None
                }
            };
            (row.id, follow_up)
        })
        .collect();
    state.store.fill_follow_ups(&filled).await?;
    Ok(filled.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::practice::QuestionBank;

    fn bundled() -> QuestionBank {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
        QuestionBank::from_files(&crate::bank::load_dir(dir).expect("bank")).expect("prepared")
    }

    /// The model answer's sentence quoted for a concept is one that writes the concept's
    /// label where the model answer has one: over the whole bundled bank, for every
    /// concept whose label the model answer writes.
    #[test]
    fn the_quoted_model_sentence_names_the_concept() {
        let bank = bundled();
        let mut checked = 0;
        for question in bank.active() {
            let answer = question.answer.to_lowercase();
            for (index, concept) in question.prepared.concepts().iter().enumerate() {
                let label = concept.label.to_lowercase();
                if !answer.contains(&label) {
                    continue;
                }
                let Some(sentence) = model_sentence(question, index) else { continue };
                assert!(sentence.to_lowercase().contains(&label), "{}: {label}: {sentence}", question.id);
                checked += 1;
            }
        }
        assert!(checked >= 300, "only {checked} concepts checked");
    }

    /// A reply not judged because the follow-up named its concept in other words quotes
    /// those words, so the learner can see them in the follow-up (a walk-through's
    /// learner was told the follow-up used the words for *pull*, which it did not show).
    #[test]
    fn a_reply_not_judged_quotes_the_words_that_named_the_concept() {
        let bank = bundled();
        let question = bank.question("sd-back-pressure").expect("question");
        let prompt = "Say how a consumer can set its own pace.";
        let judgement = FollowUpJudgement::of(Some(question), "pull", prompt, "", ConceptStatus::Missed);
        assert_eq!(judgement, FollowUpJudgement::NotJudged);
        let verdict = judgement.verdict_on(Some(question), "pull", prompt);
        assert!(verdict.contains("says \u{201c}own pace\u{201d}, which the grader counts as pull"), "{verdict}");
        // Named by its own label, the verdict needs no quote; other verdicts are as before.
        let docker = bank.question("docker-multi-stage-build").expect("question");
        let named = "Can you build just one stage of a multi-stage Dockerfile?";
        let verdict = FollowUpJudgement::NotJudged.verdict_on(Some(docker), "stages", named);
        assert!(verdict.contains("the follow-up itself uses the words the grader looks for on stages"), "{verdict}");
        assert_eq!(
            FollowUpJudgement::Missed.verdict_on(Some(question), "pull", prompt),
            "I didn't find pull in your reply."
        );
    }

    /// A follow-up that names its concept ("... one stage of a multi-stage Dockerfile?"
    /// for *stages*) is answered without naming it again, so a reply that does not name
    /// it is not called a miss; a follow-up that only describes the concept still is.
    #[test]
    fn a_miss_is_not_called_one_when_the_follow_up_named_the_concept() {
        let bank = bundled();
        let question = bank.question("docker-multi-stage-build").expect("question");
        assert!(names_concept(question, "stages", "Can you build just one stage of a multi-stage Dockerfile?"));
        assert!(!names_concept(question, "stages", "Before we move on: say what each part of the file is for."));
        assert!(!names_concept(question, "no such concept", "Can you build just one stage?"));

        let judge = |status, prompt| FollowUpJudgement::of(Some(question), "stages", prompt, "", status);
        let named = "Can you build just one stage of a multi-stage Dockerfile?";
        let unnamed = "Before we move on: say what each part of the file is for.";
        let verdict = judge(ConceptStatus::Missed, named).verdict("stages");
        assert!(!verdict.contains("didn't find") && verdict.contains("model answer"), "{verdict}");
        assert_eq!(judge(ConceptStatus::Missed, unnamed).verdict("stages"), "I didn't find stages in your reply.");
        // A reply that names the concept is credited only when the follow-up did not name
        // it first (naming it back says nothing of whether the reply holds); one that gets
        // it wrong is told so, whatever the follow-up said.
        assert_eq!(judge(ConceptStatus::Covered, unnamed).verdict("stages"), "Yes: that covers stages.");
        assert_eq!(judge(ConceptStatus::Covered, named), FollowUpJudgement::NotJudged);
        for prompt in [named, unnamed] {
            assert!(judge(ConceptStatus::Contradicted, prompt).verdict("stages").starts_with("Not quite"));
        }
    }

    /// The held-out questions as an admin would write them: the authors' keywords, no
    /// hints, no follow-ups of their own.
    fn held_out() -> QuestionBank {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/validation/held-out-bank"));
        QuestionBank::from_files(&crate::bank::load_dir(dir).expect("bank")).expect("prepared")
    }

    /// Every gap line of the bundled bank and of the held-out questions blanks its
    /// concept out for good: the follow-up built on it does not name the concept (so
    /// its replies are judged), the line has its gap and fits a follow-up. A reply that
    /// fills the gap with the concept's label is credited; one without the concept's
    /// words is shown the model answer's fill (not called a miss: a right fill in other
    /// words looks the same to the grader). On questions written without hints, as an admin writes them,
    /// more than a third of the concepts get such a follow-up (156 of 356 when this was
    /// written) instead of one that names the concept and cannot be judged.
    #[test]
    fn gap_lines_hide_their_concept_and_replies_that_fill_them_are_judged() {
        for (name, bank) in [("bundled", bundled()), ("held-out", held_out())] {
            let (mut concepts, mut gaps) = (0, 0);
            for question in bank.active() {
                let labels: Vec<String> = question.prepared.concepts().iter().map(|c| c.label.clone()).collect();
                for (index, label) in labels.iter().enumerate() {
                    concepts += 1;
                    let Some(line) = gap_sentence(question, label) else { continue };
                    gaps += 1;
                    assert!(line.contains(GAP), "{} / {label}: {line}", question.id);
                    assert!(line.len() <= MODEL_SENTENCE_MAX + 6, "{}: {} bytes", question.id, line.len());
                    let prompt = follow_up::gap_prompt(&line);
                    let judged = |reply: &str| {
                        let status = question.prepared.grade_concept(index, reply).expect("graded").status;
                        FollowUpJudgement::of(Some(question), label, &prompt, reply, status)
                    };
                    assert_ne!(judged(&prompt), FollowUpJudgement::Covered, "{} / {label}: {line}", question.id);
                    assert_eq!(judged(label), FollowUpJudgement::Covered, "{} / {label}", question.id);
                    assert_eq!(judged("No idea, sorry."), FollowUpJudgement::Missed, "{} / {label}", question.id);
                }
            }
            eprintln!("{name}: {gaps} of {concepts} concepts have a gap line");
            if name == "held-out" {
                assert!(gaps * 3 > concepts, "{name}: {gaps} of {concepts} concepts have a gap line");
            }
        }
    }
}
