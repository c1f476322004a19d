//! How the grader's scores on one question agree with the marks peers gave the same
//! answers (admins only): the Pearson correlation between the grader's score and the
//! mean peer mark / 5, and the answers they disagree on most, which point an author at
//! keywords to fix.
use super::{Error, Practice};
use crate::domain::{MarkedAttempt, PeerScore, User};
use crate::grading::stats;

/// Below this many marked answers a correlation says nothing (two points always lie on
/// a line), so none is given.
pub const MIN_MARKED: usize = 3;
/// Disagreements listed.
const WORST: usize = 5;

/// One marked answer, with its peer grade on the grader's scale.
pub struct Disagreement {
    pub attempt: MarkedAttempt,
    /// The mean peer mark / 5, 0..1.
    pub peer_score: f64,
    /// `grader_score - peer_score`: positive when the grader was kinder than the peers.
    pub difference: f64,
}

/// Grader versus peers on one question.
pub struct Agreement {
    pub question_id: String,
    pub prompt: String,
    /// Answers with at least one peer mark.
    pub marked_attempts: usize,
    /// Marks over all of them.
    pub marks: i64,
    /// Pearson r of grader score and mean peer mark / 5; `None` below [`MIN_MARKED`]
    /// answers, or when either side has no spread.
    pub pearson: Option<f64>,
    /// Largest |difference| first, at most five.
    pub disagreements: Vec<Disagreement>,
}

impl Agreement {
    pub fn enough(&self) -> bool {
        self.marked_attempts >= MIN_MARKED
    }

    /// What to make of the figures, in words.
    pub fn summary(&self) -> String {
        match self.pearson {
            _ if !self.enough() => format!(
                "Not enough marks: {} marked answer{} (a correlation needs at least {MIN_MARKED}).",
                self.marked_attempts,
                if self.marked_attempts == 1 { "" } else { "s" }
            ),
            None => "No correlation: the grader's scores or the peers' marks are all the same.".to_string(),
            Some(r) => format!("Pearson r {r:.2} over {} marked answers ({} marks).", self.marked_attempts, self.marks),
        }
    }
}

/// The figures for one question's marked answers.
pub fn agreement_of(question_id: &str, prompt: &str, marked: Vec<MarkedAttempt>) -> Agreement {
    let grader: Vec<f64> = marked.iter().map(|m| m.grader_score).collect();
    let peers: Vec<f64> = marked.iter().map(|m| m.mean_mark / PeerScore::MAX as f64).collect();
    let pearson = if marked.len() >= MIN_MARKED { stats::pearson(&grader, &peers) } else { None };
    let marks = marked.iter().map(|m| m.marks).sum();
    let marked_attempts = marked.len();
    let mut disagreements: Vec<Disagreement> = marked
        .into_iter()
        .zip(peers)
        .map(|(attempt, peer_score)| Disagreement {
            difference: attempt.grader_score - peer_score,
            peer_score,
            attempt,
        })
        .collect();
    disagreements.sort_by(|a, b| {
        b.difference.abs().total_cmp(&a.difference.abs()).then_with(|| a.attempt.attempt_id.cmp(&b.attempt.attempt_id))
    });
    disagreements.truncate(WORST);
    Agreement {
        question_id: question_id.to_string(),
        prompt: prompt.to_string(),
        marked_attempts,
        marks,
        pearson,
        disagreements,
    }
}

impl Practice {
    /// Grader versus peer marks on one question (admins; members get `Forbidden`).
    #[tracing::instrument(skip_all, fields(user = %user.id, question = id))]
    pub async fn agreement(&self, user: &User, id: &str) -> Result<Agreement, Error> {
        if !user.is_admin() {
            return Err(Error::Forbidden("Only admins may see how the grader agrees with peer marks.".into()));
        }
        let question = self
            .store
            .authored_question(id)
            .await?
            .ok_or_else(|| Error::NotFound(format!("There is no question {id:?}.")))?;
        let marked = self.store.question_marked_attempts(id).await?;
        Ok(agreement_of(&question.id, &question.def.prompt, marked))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(id: &str, grader: f64, mean_mark: f64) -> MarkedAttempt {
        MarkedAttempt {
            attempt_id: id.into(),
            group_id: None,
            answer: String::new(),
            grader_score: grader,
            unsure: false,
            marks: 2,
            mean_mark,
        }
    }

    #[test]
    fn no_correlation_is_given_below_three_marked_answers() {
        let a = agreement_of("q", "Q?", vec![marked("a", 0.9, 5.0), marked("b", 0.1, 0.0)]);
        assert_eq!(a.marked_attempts, 2);
        assert!(!a.enough());
        assert_eq!(a.pearson, None, "two points always correlate perfectly");
        assert_eq!(a.marks, 4);
    }

    #[test]
    fn the_largest_disagreements_come_first_with_the_peer_mark_on_the_graders_scale() {
        let a = agreement_of(
            "q",
            "Q?",
            vec![
                marked("close", 0.8, 4.0),
                marked("kind", 0.9, 1.0),
                marked("harsh", 0.2, 3.0),
                marked("ok", 0.5, 2.5),
            ],
        );
        assert!(a.enough());
        let order: Vec<&str> = a.disagreements.iter().map(|d| d.attempt.attempt_id.as_str()).collect();
        assert_eq!(order, ["kind", "harsh", "close", "ok"]);
        let kind = &a.disagreements[0];
        assert!((kind.peer_score - 0.2).abs() < 1e-9 && (kind.difference - 0.7).abs() < 1e-9);
        assert!(a.disagreements[1].difference < 0.0, "the grader was harsher than the peers");
        let r = a.pearson.expect("four answers with spread");
        assert!((-1.0..=1.0).contains(&r));
    }

    #[test]
    fn perfectly_agreeing_marks_correlate_at_one() {
        let a = agreement_of("q", "Q?", vec![marked("a", 0.2, 1.0), marked("b", 0.6, 3.0), marked("c", 1.0, 5.0)]);
        assert!((a.pearson.expect("r") - 1.0).abs() < 1e-9);
    }
}
