//! The domain's vocabulary: checked input (valid by construction once parsed) and the
//! records the store hands back, already typed, so no layer above it sees a row or raw
//! JSON.
use serde::Serialize;
use std::fmt;

/// A signed-up user, as the services see them (the web layer finds them in the session
/// cookie; services never see how).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: String,
    pub username: String,
    pub role: Role,
}

impl User {
    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

pub use crate::grading::{Band, ConceptStatus};

mod groups;
mod marks;
mod records;
mod stored;
pub use groups::{Account, Assignment, Group, GroupName, InviteCode, Left, Member, Role};
pub use marks::{MarkComment, MarkedAttempt, PeerMark, PeerScore, SharedAttempt};
pub use records::{
    Attempt, AuthoredQuestion, ClaimCount, ClaimRecord, DueQuestion, FollowUpReply, Interview, InterviewOverview,
    Topic, TopicNote,
};
pub use stored::{StoredConcept, StoredGrade, StoredSpan, FORMAT_VERSION};

/// Read back from the database, where it is stored as [`Band::as_str`].
impl TryFrom<String> for Band {
    type Error = Invalid;
    fn try_from(raw: String) -> Result<Band, Invalid> {
        [Band::Strong, Band::Partial, Band::Weak, Band::OffTopic]
            .into_iter()
            .find(|b| b.as_str() == raw)
            .ok_or_else(|| Invalid(format!("unknown band {raw:?}")))
    }
}

/// The word a concept status is stored and shown as. [`ConceptStatus`] is the grader's
/// type; reading it back from a row or a stored grade is this layer's business.
pub trait StatusText: Sized {
    /// `covered`, `missed` or `contradicted` (what the grader serialises it to).
    fn as_str(&self) -> &'static str;
    /// The inverse of [`StatusText::as_str`].
    fn parse(raw: &str) -> Option<Self>;
}

impl StatusText for ConceptStatus {
    fn as_str(&self) -> &'static str {
        match self {
            ConceptStatus::Covered => "covered",
            ConceptStatus::Missed => "missed",
            ConceptStatus::Contradicted => "contradicted",
        }
    }
    fn parse(raw: &str) -> Option<ConceptStatus> {
        [ConceptStatus::Covered, ConceptStatus::Missed, ConceptStatus::Contradicted]
            .into_iter()
            .find(|s| s.as_str() == raw)
    }
}

/// Read back from the database (`attempt_concepts.status`, `concept_stats.last_status`, ...).
impl TryFrom<String> for ConceptStatus {
    type Error = Invalid;
    fn try_from(raw: String) -> Result<ConceptStatus, Invalid> {
        <ConceptStatus as StatusText>::parse(&raw).ok_or_else(|| Invalid(format!("unknown concept status {raw:?}")))
    }
}

/// How an interview picks its questions.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// A mixed set from the chosen topics.
    #[default]
    Mock,
    /// Due questions first, then the weakest concepts and topics.
    Drill,
}

impl Mode {
    /// `mock` (or nothing) or `drill`.
    pub fn parse(raw: &str) -> Result<Mode, Invalid> {
        match raw.trim() {
            "" | "mock" => Ok(Mode::Mock),
            "drill" => Ok(Mode::Drill),
            other => Err(Invalid(format!("Unknown mode {other:?}; use \"mock\" or \"drill\"."))),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Mock => "mock",
            Mode::Drill => "drill",
        }
    }
}

/// Read back from the database, where it is stored as [`Mode::as_str`].
impl TryFrom<String> for Mode {
    type Error = Invalid;
    fn try_from(raw: String) -> Result<Mode, Invalid> {
        Mode::parse(&raw)
    }
}

/// Retries of one question in one interview: enough to practise the model answer, and a
/// bound on how long an interview's transcript can grow. Checked when the retry is
/// asked for, and again in the transaction that stores it (retries sent at once all
/// passed the first check: a hostile probe stored 9 attempts where 6 are allowed,
/// 2026-12-07).
pub const MAX_RETRIES: i64 = 5;

/// What an attempt was, which decides what it counts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AttemptKind {
    /// The first answer to a question of a mock interview.
    Answer,
    /// The question just answered, answered again right after seeing the model answer:
    /// kept and shown, but it moves neither mastery, the schedule nor weak concepts.
    Retry,
    /// The first answer to a question of a drill.
    Drill,
    /// A question the learner skipped ("I don't know"): scored 0, so the schedule brings
    /// it back soon, but no concept is counted missed for it.
    Skipped,
}

impl AttemptKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::Answer => "answer",
            AttemptKind::Retry => "retry",
            AttemptKind::Drill => "drill",
            AttemptKind::Skipped => "skipped",
        }
    }

    /// Whether an attempt of this kind counts for mastery, the schedule and weak
    /// concepts (an unsure grade of any kind does not either: `Attempt::counts`).
    pub fn counts(self) -> bool {
        self != AttemptKind::Retry
    }

    /// The kind of a first answer in an interview of this mode.
    pub fn first_answer_in(mode: Mode) -> AttemptKind {
        match mode {
            Mode::Mock => AttemptKind::Answer,
            Mode::Drill => AttemptKind::Drill,
        }
    }
}

/// Read back from the database, where it is stored as [`AttemptKind::as_str`].
impl TryFrom<String> for AttemptKind {
    type Error = Invalid;
    fn try_from(raw: String) -> Result<AttemptKind, Invalid> {
        match raw.as_str() {
            "answer" => Ok(AttemptKind::Answer),
            "retry" => Ok(AttemptKind::Retry),
            "drill" => Ok(AttemptKind::Drill),
            "skipped" => Ok(AttemptKind::Skipped),
            other => Err(Invalid(format!("unknown attempt kind {other:?}"))),
        }
    }
}

/// Why an input was refused, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Invalid(pub String);

/// An invisible formatting character (Unicode's "format" category as text input meets
/// it): zero-width spaces and joiners, the byte-order mark, the soft hyphen and the
/// marks and overrides of text direction. Typed alone they look like nothing, and the
/// direction overrides reorder the text around them.
pub fn invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}' | '\u{FEFF}')
}

/// A direction override or isolate (U+202A-U+202E, U+2066-U+2069): in a name shown to
/// others it can make the text around it read in another order.
pub fn turns_direction(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// 3-32 characters: letters, digits, `_`, `-`, `.`, in NFKC form and of one script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Username(String);

/// Names that would pass for the server's staff (see [`Username::reserved`]).
pub const RESERVED_USERNAMES: &[&str] = &[
    "admin",
    "administrator",
    "root",
    "system",
    "sysadmin",
    "superuser",
    "moderator",
    "staff",
    "support",
    "security",
    "official",
    "operator",
    "owner",
    "rehearse",
];

impl Username {
    /// The longest username, in characters (after NFKC).
    pub const MAX_CHARS: usize = 32;
    /// Trims and NFKC-normalises `raw` (full-width "ａlice" becomes "alice"), then
    /// checks length, characters and scripts. A name mixing scripts is refused: "аlice"
    /// with a Cyrillic "а" looks like "alice" but would be another account.
    pub fn parse(raw: &str) -> Result<Username, Invalid> {
        use unicode_normalization::UnicodeNormalization;
        use unicode_security::MixedScript;
        let name: String = raw.trim().nfkc().collect();
        let length = name.chars().count();
        if !(3..=Username::MAX_CHARS).contains(&length) {
            return Err(Invalid("Username must be 3 to 32 characters long.".into()));
        }
        if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            return Err(Invalid("Username may contain only letters, digits, '_', '-' and '.'.".into()));
        }
        if !name.as_str().is_single_script() {
            return Err(Invalid(
                "Username mixes letters of different alphabets (say Latin and Cyrillic), which makes it look \
                 like someone else's; use letters of one alphabet."
                    .into(),
            ));
        }
        if Username::passes_for_latin(&name) {
            return Err(Invalid(
                "Username is written in another alphabet but every letter of it looks like a Latin one, so it \
                 would pass for someone else's name; use at least one letter that looks like no Latin letter, \
                 or write it in Latin letters."
                    .into(),
            ));
        }
        Ok(Username(name))
    }
    /// A whole-script look-alike: a name with letters outside ASCII whose every
    /// character has an ASCII look-alike (Unicode's confusable skeleton is all ASCII),
    /// such as "расо" in Cyrillic for "paco". Accents on Latin letters do not count
    /// ("zoë" is itself); a Cyrillic name with a letter of its own ("иван") is fine.
    fn passes_for_latin(name: &str) -> bool {
        use unicode_script::{Script, UnicodeScript};
        use unicode_security::skeleton;
        let foreign = name.chars().any(|c| c.is_alphabetic() && c.script() != Script::Latin);
        foreign && skeleton(name).all(|c| c.is_ascii())
    }
    /// Whether the name passes for the server's staff ("admin", "Root", "support-2",
    /// "ad.min"): its key without separators and trailing digits is one of
    /// [`RESERVED_USERNAMES`]. Sign-up refuses such names so that nobody looks official
    /// in a study group; an operator can still give one out with `rehearse user add`.
    ///
    /// Accents and look-alike letters count as the letters they look like ("Admín",
    /// "Admın" with a dotless i, "r00t"): the name's confusable skeleton with combining
    /// marks removed is compared, not only its key (they passed until a hostile probe,
    /// 2026-12-06); so do a small L for a capital I ("ADMlN") and digits for the letters
    /// they pass for ("adm1n", "4dmin", "5upport"; another probe, 2026-12-07).
    pub fn reserved(&self) -> bool {
        use unicode_normalization::char::is_combining_mark;
        use unicode_normalization::UnicodeNormalization;
        use unicode_security::skeleton;
        let bare = |name: &str| -> String {
            let name: String = name.chars().filter(|c| !matches!(c, '_' | '-' | '.')).collect();
            name.trim_end_matches(|c: char| c.is_ascii_digit()).to_string()
        };
        // The skeleton of the lower-cased name, lower-cased again, with the letters and
        // digits that pass for one another read as one: a small L as an i ("ADMlN" is
        // "admln" in lower case), digits as letters ("adm1n", "4dmin", "5upport").
        let looks = |name: &str| -> String {
            skeleton(&name.to_lowercase())
                .collect::<String>()
                .to_lowercase()
                .chars()
                .map(|c| match c {
                    '1' | 'l' | '|' | '!' => 'i',
                    '0' => 'o',
                    '4' | '@' => 'a',
                    '5' | '$' => 's',
                    '3' => 'e',
                    '7' => 't',
                    c => c,
                })
                .collect()
        };
        let key = bare(&self.key());
        let plain = bare(&self.key().nfd().filter(|c| !is_combining_mark(*c)).collect::<String>());
        let looks_like = looks(&plain);
        RESERVED_USERNAMES.iter().any(|r| key == *r || plain == *r || looks_like == looks(r))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// What usernames are compared by (and unique on): see [`Username::key`].
    pub fn key(&self) -> String {
        Username::key_of(&self.0)
    }
    /// The comparison key of any typed name, valid or not: trimmed, NFKC, lower case.
    /// "ALICE" and "ａｌｉｃｅ" log in to alice.
    pub fn key_of(raw: &str) -> String {
        use unicode_normalization::UnicodeNormalization;
        raw.trim().nfkc().collect::<String>().to_lowercase()
    }
}

/// 8-128 characters; never logged or displayed.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl Password {
    pub const MIN: usize = 10;
    pub const MAX: usize = 128;
    /// Different characters (spaces aside) a password needs: "abababababab" and ten
    /// spaces and an "x" pass the length rule but are guessed at once.
    pub const MIN_DISTINCT: usize = 5;
    /// At least [`Password::MIN`] characters, not blank or one character repeated, at
    /// least [`Password::MIN_DISTINCT`] different characters, and not on the list of
    /// common passwords (`src/data/common_passwords.txt`).
    ///
    /// Length, distinct characters and the list are checked on what can be seen:
    /// invisible characters ([`invisible`]) left out, spaces trimmed at both ends and a
    /// run of spaces inside counted as one ("12345" and five spaces, or "abcde" and five
    /// zero-width spaces, passed until a hostile probe, 2026-12-06). The password itself
    /// is kept as typed.
    pub fn parse(raw: &str) -> Result<Password, Invalid> {
        let seen = Password::visible(raw);
        let length = seen.chars().count();
        if raw.chars().count() > Self::MAX {
            return Err(Invalid(format!("Password must be at most {} characters long.", Self::MAX)));
        }
        if seen.is_empty() && !raw.is_empty() {
            return Err(Invalid("Password must not be blank or one character repeated.".into()));
        }
        if length < Self::MIN {
            return Err(Invalid(format!("Password must be at least {} characters long.", Self::MIN)));
        }
        if length > Self::MAX {
            return Err(Invalid(format!("Password must be at most {} characters long.", Self::MAX)));
        }
        let mut chars = seen.chars();
        let first = chars.next();
        if chars.all(|c| Some(c) == first) {
            return Err(Invalid("Password must not be blank or one character repeated.".into()));
        }
        let mut distinct: Vec<char> = seen.chars().filter(|c| !c.is_whitespace()).collect();
        distinct.sort_unstable();
        distinct.dedup();
        if distinct.len() < Self::MIN_DISTINCT {
            return Err(Invalid(format!(
                "Password must use at least {} different characters (spaces aside); a few letters repeated are guessed at once.",
                Self::MIN_DISTINCT
            )));
        }
        if is_common_password(&seen) || is_common_password(&seen.replace(' ', "")) {
            return Err(Invalid("That password is on lists of common passwords; choose another.".into()));
        }
        Ok(Password(raw.to_string()))
    }
    /// `raw` as it reads: no invisible characters, trimmed, runs of white space as one
    /// space.
    fn visible(raw: &str) -> String {
        let shown: String = raw.chars().filter(|c| !invisible(*c)).collect();
        shown.split_whitespace().collect::<Vec<_>>().join(" ")
    }
    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// True when `raw` (ignoring case) is on the common-password list.
fn is_common_password(raw: &str) -> bool {
    let lower = raw.to_lowercase();
    include_str!("../data/common_passwords.txt")
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .any(|common| common == lower)
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

/// `20000` as `"20,000"`.
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(d);
    }
    out
}

/// A candidate's answer: not blank, at most [`AnswerText::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnswerText(String);

impl AnswerText {
    pub const MAX_CHARS: usize = 10_000;
    pub fn parse(raw: &str) -> Result<AnswerText, Invalid> {
        let text = raw.trim_matches(|c: char| c.is_whitespace() || invisible(c));
        if text.is_empty() {
            return Err(Invalid("Your answer is empty: type what you would say to the interviewer.".into()));
        }
        // Emoji or punctuation alone say nothing to grade: graded, such an answer scored
        // 0 and counted against the learner's mastery (a browser walk-through,
        // 2026-12-06).
        if !text.chars().any(char::is_alphanumeric) {
            return Err(Invalid(
                "Your answer has no words in it: type what you would say to the interviewer, or skip the question."
                    .into(),
            ));
        }
        // Counted as the page counts it (the text without the blanks around it) and
        // written as the page writes it ("20,000"): a walk-through's page said 20,000
        // and the server 19999 for the same answer.
        let length = text.chars().count();
        if length > Self::MAX_CHARS {
            return Err(Invalid(format!(
                "Your answer is {} characters long; the limit is {}. Shorten it and send it again.",
                grouped(length),
                grouped(Self::MAX_CHARS)
            )));
        }
        Ok(AnswerText(text.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// How long an answer took, as the client measured it: 0 to [`TimeTaken::MAX_MS`] (a
/// day). Anything else is a broken or forged measurement, not a slow candidate (and
/// `i64::MAX` ms overflowed when shown in seconds).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeTaken(i64);

impl TimeTaken {
    pub const MAX_MS: i64 = 24 * 60 * 60 * 1000;
    pub fn parse(ms: i64) -> Result<TimeTaken, Invalid> {
        if (0..=Self::MAX_MS).contains(&ms) {
            Ok(TimeTaken(ms))
        } else {
            Err(Invalid(format!(
                "time_taken_ms must be between 0 and {} (a day) milliseconds; {ms} is not a time an answer can take.",
                Self::MAX_MS
            )))
        }
    }
    pub fn millis(self) -> i64 {
        self.0
    }
    /// Rounded to the nearest second.
    pub fn seconds(self) -> i64 {
        (self.0 + 500) / 1000
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_and_kinds_read_back_what_is_stored() {
        for mode in [Mode::Mock, Mode::Drill] {
            assert_eq!(Mode::try_from(mode.as_str().to_string()), Ok(mode), "{mode:?}");
        }
        for kind in [AttemptKind::Answer, AttemptKind::Retry, AttemptKind::Drill] {
            assert_eq!(AttemptKind::try_from(kind.as_str().to_string()), Ok(kind), "{kind:?}");
        }
        assert!(AttemptKind::try_from("follow-up".to_string()).is_err());
        for status in [ConceptStatus::Covered, ConceptStatus::Missed, ConceptStatus::Contradicted] {
            assert_eq!(ConceptStatus::try_from(status.as_str().to_string()), Ok(status), "{status:?}");
            let serialised = serde_json::to_value(status).expect("serialises");
            assert_eq!(serialised, status.as_str(), "the grader's JSON and the stored word agree");
        }
        assert!(ConceptStatus::try_from("Covered".to_string()).is_err());
        for band in [Band::Strong, Band::Partial, Band::Weak, Band::OffTopic] {
            assert_eq!(Band::try_from(band.as_str().to_string()), Ok(band), "{band:?}");
        }
        assert_eq!(Mode::parse(" "), Ok(Mode::Mock), "no mode is a mock interview");
        assert!(Mode::parse("exam").is_err());
    }

    #[test]
    fn usernames_are_checked_for_length_and_characters() {
        let cases = [
            ("alice", true, "plain"),
            ("  bob_1  ", true, "trimmed"),
            ("zoë.k-8", true, "unicode letters and punctuation"),
            ("al", false, "too short"),
            (&"x".repeat(33), false, "too long"),
            ("bad name", false, "space"),
            ("<script>", false, "markup"),
        ];
        for (raw, ok, case) in cases {
            assert_eq!(Username::parse(raw).is_ok(), ok, "{case}: {raw:?}");
        }
        assert_eq!(Username::parse("  bob_1 ").map(|u| u.as_str().to_string()), Ok("bob_1".into()));
    }

    #[test]
    fn usernames_are_nfkc_and_of_one_script() {
        let cases = [
            ("\u{ff41}lice", Ok("alice"), "full-width a becomes ASCII"),
            ("Ａｌｉｃｅ", Ok("Alice"), "all full-width"),
            ("\u{0430}lice", Err("alphabets"), "Cyrillic a among Latin letters"),
            ("p\u{0430}ypal", Err("alphabets"), "Cyrillic a in the middle"),
            ("\u{0430}\u{0431}\u{0432}", Ok("\u{0430}\u{0431}\u{0432}"), "all Cyrillic"),
            ("zoë_2", Ok("zoë_2"), "Latin with a diaeresis, a digit and punctuation"),
            ("e\u{0301}mile", Ok("\u{e9}mile"), "combining accent composed"),
            ("田中たろう", Ok("田中たろう"), "Japanese mixes Han and Hiragana, as it is written"),
            ("Ελένη_7", Ok("Ελένη_7"), "Greek"),
            ("\u{03bf}scar", Err("alphabets"), "a Greek omicron among Latin letters"),
            ("\u{0440}\u{0430}\u{0441}\u{043e}", Err("looks like a Latin"), "all Cyrillic, read as paco"),
            ("\u{0441}\u{043e}\u{0440}\u{0435}_1", Err("looks like a Latin"), "all Cyrillic, read as cope_1"),
            ("\u{0391}\u{0392}\u{0395}", Err("looks like a Latin"), "capital Greek, read as ABE"),
            (
                "\u{0438}\u{0432}\u{0430}\u{043d}",
                Ok("\u{0438}\u{0432}\u{0430}\u{043d}"),
                "Cyrillic with letters of its own",
            ),
            ("z\u{0131}t", Ok("z\u{0131}t"), "a Latin dotless i is Latin"),
        ];
        for (raw, expected, case) in cases {
            match (Username::parse(raw), expected) {
                (Ok(name), Ok(want)) => assert_eq!(name.as_str(), want, "{case}"),
                (Err(e), Err(word)) => assert!(e.0.contains(word), "{case}: {e}"),
                (got, want) => panic!("{case}: got {got:?}, expected {want:?}"),
            }
        }
        assert_eq!(Username::key_of(" ＡＬＩＣＥ "), "alice");
        assert_eq!(Username::parse("Ａｌｉｃｅ").map(|u| u.key()), Ok("alice".into()));
    }

    #[test]
    fn staff_like_usernames_are_reserved_and_names_that_contain_them_are_not() {
        let reserved = ["admin", "Admin", "ADMIN", "ａｄｍｉｎ", "ad.min", "admin_2", "Root", "support-1", "Rehearse"];
        for raw in reserved {
            assert!(Username::parse(raw).expect("valid").reserved(), "{raw:?}");
        }
        // Accents and look-alike letters: what the name looks like is reserved too.
        for raw in [
            "Adm\u{ed}n",
            "Adm\u{131}n",
            "a\u{301}dmin",
            "R\u{d6}\u{d6}T",
            "r00t",
            "supp0rt-2",
            "ADMlN",
            "adm1n",
            "4dmin",
            "5upport",
            "SUPP0RT",
            "r0Ot",
        ] {
            assert!(Username::parse(raw).expect("valid").reserved(), "{raw:?}");
        }
        let free = [
            "badminton",
            "administrative",
            "admins_pal",
            "rooted",
            "alice",
            "supporter",
            "2admin",
            "zo\u{eb}",
            "m\u{fc}ller",
        ];
        for raw in free {
            assert!(!Username::parse(raw).expect("valid").reserved(), "{raw:?}");
        }
    }

    #[test]
    fn passwords_have_bounds_and_are_never_printed() {
        assert!(Password::parse("short").is_err());
        assert!(Password::parse(&"p".repeat(129)).is_err());
        let p = Password::parse("correct horse").expect("valid");
        assert_eq!(format!("{p:?}"), "Password(***)");
        // Long enough but made of a few characters: refused, with the rule named.
        for weak in ["abababababab", "aaaa bbbb cccc", "1212 1212 1212"] {
            let message = Password::parse(weak).expect_err(weak).0;
            assert!(message.contains("different characters"), "{weak}: {message}");
        }
        assert!(Password::parse("abcde abcde").is_ok(), "five different characters are enough");
        // What cannot be seen does not count: spaces around it, runs of spaces, and
        // zero-width and other invisible characters.
        for padded in [
            "          x",
            "12345     ",
            "abcde     ",
            "     abcdef",
            "abc   de",
            "abcde\u{200b}\u{200b}\u{200b}\u{200b}\u{200b}",
            "aaaaa\u{200b}\u{200c}\u{200d}\u{2060}\u{feff}",
        ] {
            let message = Password::parse(padded).expect_err(padded).0;
            assert!(message.contains("at least 10 characters"), "{padded:?}: {message}");
        }
        for common in ["1234567890  ", "1234 5678 90", "\u{200b}1234567890"] {
            let message = Password::parse(common).expect_err(common).0;
            assert!(message.contains("common passwords"), "{common:?}: {message}");
        }
        let kept = Password::parse(" correct  horse ").expect("ten visible characters and more");
        assert_eq!(kept.expose(), " correct  horse ", "the password itself is kept as typed");
    }

    #[test]
    fn answers_must_have_text_and_a_sane_length() {
        assert!(AnswerText::parse("   \n\t ").is_err());
        assert!(AnswerText::parse(" \u{200b}\u{200b} \u{feff}").is_err(), "invisible characters are blank");
        for wordless in ["\u{1f914}\u{1f433}\u{1f525}", "...", "?!", "\u{1f44d} !!"] {
            let message = AnswerText::parse(wordless).expect_err(wordless).0;
            assert!(message.contains("no words"), "{wordless:?}: {message}");
        }
        for short in ["42", "O(1)", "\u{1f44d} yes", "\u{5f8b}"] {
            assert!(AnswerText::parse(short).is_ok(), "{short:?}");
        }
        assert!(AnswerText::parse(&"a".repeat(AnswerText::MAX_CHARS + 1)).is_err());
        // The length is the one the page shows: blanks around the text left out,
        // thousands grouped.
        let long = format!("{}\n", "a".repeat(19_999));
        let message = AnswerText::parse(&long).expect_err("too long").0;
        assert!(message.starts_with("Your answer is 19,999 characters long; the limit is 10,000."), "{message}");
        assert_eq!(
            [0, 7, 999, 1_000, 20_000, 1_234_567].map(grouped),
            ["0", "7", "999", "1,000", "20,000", "1,234,567"].map(String::from)
        );
        assert_eq!(
            AnswerText::parse("  a pod runs containers \n").map(|a| a.as_str().to_string()),
            Ok("a pod runs containers".into())
        );
    }

    #[test]
    fn time_taken_is_a_day_at_most_and_never_negative() {
        for (ms, ok) in [
            (0, true),
            (4_200, true),
            (TimeTaken::MAX_MS, true),
            (-1, false),
            (TimeTaken::MAX_MS + 1, false),
            (i64::MAX, false),
            (i64::MIN, false),
        ] {
            assert_eq!(TimeTaken::parse(ms).is_ok(), ok, "{ms}");
        }
        assert_eq!(TimeTaken::parse(4_499).map(TimeTaken::seconds), Ok(4));
        assert_eq!(TimeTaken::parse(TimeTaken::MAX_MS).map(TimeTaken::seconds), Ok(86_400));
    }
}
