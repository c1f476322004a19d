//! Peer marks: a member's answer shared with a group, and the 0-5 marks with comments
//! other members give it.
use super::{Attempt, Invalid};

/// A peer's mark: a whole number from 0 (nothing right) to 5 (as good as the model answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerScore(i64);

impl PeerScore {
    pub const MAX: i64 = 5;

    pub fn parse(raw: i64) -> Result<PeerScore, Invalid> {
        if (0..=Self::MAX).contains(&raw) {
            Ok(PeerScore(raw))
        } else {
            Err(Invalid(format!("A mark is a whole number from 0 to {}, not {raw}.", Self::MAX)))
        }
    }

    /// As typed into a form.
    pub fn parse_text(raw: &str) -> Result<PeerScore, Invalid> {
        match raw.trim().parse::<i64>() {
            Ok(n) => PeerScore::parse(n),
            Err(_) => Err(Self::not_whole(&format!("{:?}", raw.trim()))),
        }
    }

    /// The refusal of something that is not a whole number, `shown` as the user sent it.
    pub fn not_whole(shown: &str) -> Invalid {
        Invalid(format!("A mark is a whole number from 0 to {}, not {shown}.", Self::MAX))
    }

    pub fn value(self) -> i64 {
        self.0
    }
}

/// The comment that goes with a mark: optional, at most [`MarkComment::MAX_CHARS`]
/// characters once trimmed, no control characters but line breaks and tabs.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MarkComment(String);

impl MarkComment {
    pub const MAX_CHARS: usize = 500;

    pub fn parse(raw: &str) -> Result<MarkComment, Invalid> {
        let text = raw.trim();
        let chars = text.chars().count();
        if chars > Self::MAX_CHARS {
            return Err(Invalid(format!(
                "A comment is at most {} characters long; this one has {chars}.",
                Self::MAX_CHARS
            )));
        }
        if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')) {
            return Err(Invalid("A comment cannot contain control characters.".into()));
        }
        Ok(MarkComment(text.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A mark as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerMark {
    pub attempt_id: String,
    pub marker_id: String,
    pub marker_name: String,
    /// 0-5.
    pub score: i64,
    /// Empty when none was given.
    pub comment: String,
    /// Unix milliseconds.
    pub marked_at: i64,
}

/// An answer shared with a group.
#[derive(Debug, Clone)]
pub struct SharedAttempt {
    pub group_id: String,
    pub attempt: Attempt,
    pub shared_by: String,
    pub sharer_name: String,
    /// Unix milliseconds.
    pub shared_at: i64,
}

/// One marked answer to a question: what the grader said and what the peers said.
#[derive(Debug, Clone, PartialEq)]
pub struct MarkedAttempt {
    pub attempt_id: String,
    /// A group it is shared with (where the attempt can be seen), if one is left.
    pub group_id: Option<String>,
    pub answer: String,
    /// The grader's score when it was answered, 0..1.
    pub grader_score: f64,
    /// The grader was unsure of that score (see `Attempt::unsure`).
    pub unsure: bool,
    /// How many peers marked it.
    pub marks: i64,
    /// Their mean mark, 0..5.
    pub mean_mark: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_whole_numbers_from_0_to_5() {
        for ok in [0, 3, 5] {
            assert_eq!(PeerScore::parse(ok).map(PeerScore::value), Ok(ok), "{ok}");
        }
        for bad in [-1, 6, 100] {
            assert!(PeerScore::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(PeerScore::parse_text(" 4 ").map(PeerScore::value), Ok(4));
        for bad in ["", "x", "4.5", "6"] {
            let e = PeerScore::parse_text(bad).expect_err(bad);
            assert!(e.0.contains("0 to 5"), "{bad}: {}", e.0);
        }
    }

    #[test]
    fn comments_are_trimmed_bounded_and_free_of_control_characters() {
        assert_eq!(MarkComment::parse("  good, but say why \n").expect("valid").as_str(), "good, but say why");
        assert_eq!(MarkComment::parse("").expect("empty is fine").as_str(), "");
        assert!(MarkComment::parse("line one\nline two").is_ok());
        assert!(MarkComment::parse(&"é".repeat(500)).is_ok(), "500 characters, not bytes");
        let long = MarkComment::parse(&"x".repeat(501)).expect_err("too long");
        assert!(long.0.contains("at most 500"), "{}", long.0);
        assert!(MarkComment::parse("a\u{7}b").is_err());
    }
}
