//! Built-in word lists: generic English and interview-speech machinery only, never
//! vocabulary of a particular question. The long lists live in `data/` as plain text.

use std::sync::OnceLock;

use super::fxhash::{FastMap, FastSet};

/// Tokens that negate what follows them in the same clause.
pub const NEGATION_CUES: &[&str] = &[
    "not", "never", "without", "cannot", "nor", "neither", "none", "nobody", "nowhere",
    // Typed without the apostrophe.
    "dont", "doesnt", "isnt", "arent", "wasnt", "cant", "wont", "didnt", "shouldnt",
    // "No one" typed run together ("so noone can proceed", a correct answer that was
    // told it got "none can proceed" wrong).
    "noone",
];

/// Verbs that negate what follows them through "to", as "not" does: "forgets to close
/// them" is "does not close them", "would fail to enter the loop" is "would not enter
/// it" (see `text::implicit_negations`).
pub const NEGATING_VERBS: &[&str] = &[
    "fail",
    "fails",
    "failed",
    "failing",
    "forget",
    "forgets",
    "forgot",
    "forgetting",
    "forgotten",
    "neglect",
    "neglects",
    "neglected",
    "neglecting",
    "refuse",
    "refuses",
    "refused",
    "refusing",
];

/// Words that open a new clause; used to bind terms to the entity they are said about.
pub const CLAUSE_WORDS: &[&str] = &[
    "and",
    "but",
    "because",
    "while",
    "whereas",
    "although",
    "though",
    "so",
    "when",
    "whenever",
    "if",
    "unless",
    "until",
    "since",
    "then",
    "otherwise",
    "instead",
    "meanwhile",
];

/// Words that make their clause a definition of what precedes them ("X is ...", "Y
/// means ..."); see `circular`.
pub const DEFINING_WORDS: &[&str] = &["is", "are", "means", "mean", "refers", "refer"];

/// Words that glue terms together without saying anything: a run of terms goes on
/// through them ("so PID 1 like SIGTERM you know SIGKILL grace period"); see the list
/// reading of `prepared`.
pub const GLUE_WORDS: &[&str] = &["and", "or", "so", "like", "you", "know", "yeah", "um", "uh", "basically"];

/// Word classes, as bit flags of [`Lexicon::flags`]. Function words and fillers
/// ([`STOP`]) still count in the cosine (removing them hurt in measurements) but never
/// form concepts, relations or coverage. [`COMMON`] content words ("use", "way") are
/// kept out of derived concepts and relations and weigh less in similarity.
pub const STOP: u8 = 1;
pub const COMMON: u8 = 2;
pub const QUESTION: u8 = 4;
pub const NEGATION: u8 = 8;
pub const CLAUSE: u8 = 16;
pub const DEFINING: u8 = 32;
pub const GLUE: u8 = 64;

/// The word lists as hash sets, built once per process.
pub struct Lexicon {
    /// Words that ask rather than name ("difference", "why"); never a question's topic.
    pub question: FastSet<&'static str>,
    /// General English words that name nothing technical on their own ("meantime",
    /// "properly"): never a derived concept (`data/generic.txt`).
    pub generic: FastSet<&'static str>,
    /// All classes of a word in one lookup (the tokenizer's hot path).
    flags: FastMap<&'static str, u8>,
}

impl Lexicon {
    /// Bit flags ([`STOP`], [`COMMON`], ...) of a folded word; 0 when in no list.
    pub fn flags(&self, word: &str) -> u8 {
        self.flags.get(word).copied().unwrap_or(0)
    }
}

fn words(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// The shared lexicon.
pub fn lexicon() -> &'static Lexicon {
    static LEX: OnceLock<Lexicon> = OnceLock::new();
    LEX.get_or_init(|| {
        let stop: FastSet<&str> = words(include_str!("data/stopwords.txt")).collect();
        let common: FastSet<&str> = words(include_str!("data/common.txt")).collect();
        let question: FastSet<&str> = words(include_str!("data/question_words.txt")).collect();
        let generic: FastSet<&str> = words(include_str!("data/generic.txt")).collect();
        let negation: FastSet<&str> = NEGATION_CUES.iter().copied().collect();
        let clause: FastSet<&str> = CLAUSE_WORDS.iter().copied().collect();
        let defining: FastSet<&str> = DEFINING_WORDS.iter().copied().collect();
        let glue: FastSet<&str> = GLUE_WORDS.iter().copied().collect();
        let mut flags: FastMap<&'static str, u8> = FastMap::default();
        for (set, flag) in [
            (&stop, STOP),
            (&common, COMMON),
            (&question, QUESTION),
            (&negation, NEGATION),
            (&clause, CLAUSE),
            (&defining, DEFINING),
            (&glue, GLUE),
        ] {
            for w in set.iter() {
                *flags.entry(w).or_insert(0) |= flag;
            }
        }
        Lexicon { question, generic, flags }
    })
}
