//! Anticipated misconceptions: wrong claims an author expects ("a readiness probe
//! restarts the container"), each with the correction to show. Lexical evidence alone
//! cannot tell a confused answer that uses the model answer's words from a right one
//! (see the crate docs), but an author who knows a topic's classic confusions can say
//! what they look like, the way pattern-match quiz questions carry wrong-answer
//! patterns with feedback.
//!
//! A claim fires only on strong evidence, since a correct answer called wrong is the
//! worst error the grader can make:
//! * each `|` alternative's words (all but articles, "be", "of", "to" and pronouns)
//!   appear in order in one clause, with at most
//!   [`MAX_GAP`] other words between two of them (stems, so "restarts" is "restart");
//! * with a subject, one of its alternatives appears earlier in the same sentence, and
//!   is the last thing named before the claim: a concept of the question or another
//!   misconception's subject in between ("when readiness fails the pod gets no
//!   traffic, and when liveness fails it restarts") is what the claim is said of, and
//!   so is a thing named after a semicolon ("S3 triggers it; synchronous callers
//!   wait"); or the sentence opens with "it" or "they", the claim in that first
//!   clause, and the sentence before opens with the subject ("A DaemonSet is ... It
//!   runs one pod in the whole cluster");
//! * no word of the claim is denied ("does not restart", "never restarts");
//! * nothing earlier in the sentence distances the learner from the claim ("people
//!   think ...", "a common misconception is ...").

use super::intern::{intern, Stem};
use super::relations::key_bit;
use super::text::{analyze, clause_start, denial_cue, sentence_start, stem_key, Token};

/// Most other tokens between two consecutive words of a claim (or of a subject).
pub const MAX_GAP: usize = 3;

/// Words that, between two words of a claim, say the opposite of it ("the least
/// important", "fewer replicas").
const TURNING: [&str; 3] = ["least", "less", "fewer"];

/// Words that, between two words of a claim, set the later one aside: "uses musl rather
/// than glibc" does not say "uses glibc", nor "has no shell or package manager" "has a
/// package manager", nor "sends SIGTERM, not SIGKILL, first" "sends SIGKILL first".
/// Found by the authors widening the bank's misconceptions, whose correct sentences in
/// these forms fired.
const SETTING_ASIDE: [&str; 9] = ["not", "no", "never", "rather", "instead", "unlike", "than", "versus", "vs"];

/// Words that, earlier in the sentence, report a claim instead of making it: "a common
/// mistake is to think that ...", "people assume ...", "contrary to the myth ...", "a
/// common belief is that ..." (compared by stem, so every form counts).
const DISTANCING: [&str; 14] = [
    "think",
    "thought",
    "believe",
    "belief",
    "assume",
    "assumption",
    "myth",
    "misconception",
    "misunderstanding",
    "misunderstood",
    "mistake",
    "wrongly",
    "confuse",
    "contrary",
];

/// A wrong claim an author anticipates, with the correction shown when an answer
/// makes it. Alternatives are separated by `|`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Misconception {
    /// What the claim is said about ("readiness | readiness probe"); empty when the
    /// words are wrong whatever they are said about.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub subject: String,
    /// The wrong claim as a learner would word it ("restarts | restart the container").
    pub claim: String,
    /// What is true instead, shown as a check.
    pub correction: String,
}

impl Misconception {
    /// Why the misconception cannot be used, if it cannot: a claim or a subject with no
    /// content word, or an empty correction.
    pub fn problem(&self) -> Option<String> {
        if self.correction.trim().is_empty() {
            return Some("a misconception needs a correction to show".to_string());
        }
        let compiled = Compiled::new(self);
        if compiled.claims.is_empty() {
            return Some(format!("the claim {:?} has no content word to look for", self.claim));
        }
        if !self.subject.trim().is_empty() && compiled.subjects.is_empty() {
            return Some(format!("the subject {:?} has no content word to look for", self.subject));
        }
        None
    }
}

/// A misconception's alternatives as the words to match (see [`alternatives`]).
#[derive(Debug, Clone)]
pub struct Compiled {
    subjects: Vec<Box<[Word]>>,
    claims: Vec<Box<[Word]>>,
    correction: String,
    /// First words of other things the answer may name between the subject and the
    /// claim, which then is said of them (see [`Compiled::with_others`]).
    others: Vec<Word>,
    /// Other things whose first word is one of this misconception's own ("exit code 1"
    /// beside the subject "exit code 137"): they count only when named in full.
    others_in_full: Vec<Box<[Word]>>,
    /// [`key_bit`] of every claim alternative's first word.
    starts: u64,
}

/// The [`key_bit`]s of an answer's tokens, worked out once per answer for
/// [`Compiled::find`]: most misconceptions' words are not in an answer, and this turns
/// them away without a scan.
pub fn answer_bits(tokens: &[Token]) -> AnswerBits {
    let mut bits = AnswerBits { small: 0, big: [0; 16], at: Vec::with_capacity(tokens.len()) };
    for (k, t) in tokens.iter().enumerate() {
        bits.small |= key_bit(t.key);
        let b = (t.key >> 54) as usize;
        bits.big[b / 64] |= 1 << (b % 64);
        bits.at.push((t.key, k));
    }
    bits.at.sort_unstable();
    bits
}

/// Which stem keys an answer's tokens have, as two filters: 64 bits, for a whole
/// misconception at once, and 1,024 bits, for each claim alternative's first word (a
/// question's misconceptions have a few hundred alternatives, and the small filter let
/// most of them through to a scan of the answer); and where each key is, so that an
/// alternative whose first word the answer has goes straight to its places (a bank
/// question's 500 alternatives each scanning the whole answer cost ~30,000 instructions
/// per grading).
#[derive(Debug, Clone)]
pub struct AnswerBits {
    small: u64,
    big: [u64; 16],
    /// (stem key, token index) of every token, sorted.
    at: Vec<(u64, usize)>,
}

impl AnswerBits {
    /// The indices of the tokens with stem key `key`, in order.
    fn places(&self, key: u64) -> impl Iterator<Item = usize> + '_ {
        let from = self.at.partition_point(|&(k, _)| k < key);
        self.at[from..].iter().take_while(move |&&(k, _)| k == key).map(|&(_, i)| i)
    }

    /// False when no token of the answer has stem key `key`.
    #[inline]
    fn may_have(&self, key: u64) -> bool {
        let b = (key >> 54) as usize;
        self.big[b / 64] & (1 << (b % 64)) != 0
    }
}

/// A word of a claim or subject: its stem, and the stem's key to compare first (every
/// token carries its own), which keeps the scan over an answer's tokens to integer
/// compares. Two words are the same word by their stem alone: how a claim places one
/// (`toward`, `object`) does not make it another thing.
#[derive(Debug, Clone)]
struct Word {
    key: u64,
    stem: Stem,
    /// The direction the claim gives this word ("writes go *to* the replicas"): an
    /// answer that says the other one between it and the word before ("read your own
    /// write *from* a replica") does not make the claim.
    toward: Direction,
    /// The claim writes this word as the object of a preposition ("set on *pods*",
    /// "applied to *pods*"): in an answer, no second preposition that opens a phrase of
    /// its own may stand between them (see [`object_of_preposition`]).
    object: bool,
}

/// Prepositions whose object a claim names (see [`Word::object`]).
const PREPOSITIONS: [&str; 14] =
    ["on", "in", "into", "onto", "to", "from", "at", "for", "with", "by", "inside", "within", "across", "per"];

/// Which way a claim's preposition points, if it has one before a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Direction {
    None,
    To,
    From,
}

impl Direction {
    fn of(surface: &str) -> Direction {
        match surface {
            "to" | "into" | "onto" => Direction::To,
            "from" => Direction::From,
            _ => Direction::None,
        }
    }

    /// True when `other` points the other way from a claim's direction.
    fn opposes(self, other: Direction) -> bool {
        self != Direction::None && other != Direction::None && other != self
    }
}

impl PartialEq for Word {
    fn eq(&self, other: &Word) -> bool {
        self.key == other.key && self.stem == other.stem
    }
}

impl Eq for Word {}

impl PartialOrd for Word {
    fn partial_cmp(&self, other: &Word) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Word {
    fn cmp(&self, other: &Word) -> std::cmp::Ordering {
        (self.key, &self.stem).cmp(&(other.key, &other.stem))
    }
}

impl Word {
    fn new(stem: &str) -> Word {
        Word { key: stem_key(stem), stem: intern(stem), toward: Direction::None, object: false }
    }

    fn is(&self, t: &Token) -> bool {
        t.key == self.key && *t.stem == *self.stem
    }
}

/// The words each `|` alternative of `spec` is matched on: every word but articles,
/// forms of "be", "of", "to" and pronouns ([`SKIPPED`]). Function words that carry the
/// claim stay ("always costs more", "only one", "encrypted with base64"): left out, a
/// claim shrinks to its one noun ("form of encryption" to "encryption") and fires on
/// every answer that names it (measured on the bank's answer sets: 8 of 25 firings
/// were on correct answers before this).
fn alternatives(spec: &str) -> Vec<Box<[Word]>> {
    spec.split('|')
        .map(|a| -> Box<[Word]> {
            let mut toward = Direction::None;
            let mut object = false;
            let mut words = Vec::new();
            for t in analyze(a).iter() {
                let d = Direction::of(&t.surface);
                let preposition = PREPOSITIONS.contains(&&*t.surface);
                if SKIPPED.contains(&&*t.surface) {
                    if d != Direction::None {
                        toward = d;
                    }
                    object |= preposition;
                    continue;
                }
                words.push(Word { toward, object, ..Word::new(&t.stem) });
                toward = d;
                object = preposition;
            }
            words.into_boxed_slice()
        })
        .filter(|a| a.iter().any(|w| w.stem.chars().any(char::is_alphanumeric)))
        .collect()
}

/// Words a claim or subject is not matched on (see [`alternatives`]).
const SKIPPED: [&str; 20] = [
    "a", "an", "the", "of", "to", "is", "are", "was", "were", "be", "been", "being", "it", "its", "they", "them",
    "their", "this", "that", "these",
];

/// Where a misconception was found: the claim's first and last token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hit {
    pub first: usize,
    pub last: usize,
}

impl Compiled {
    pub fn new(m: &Misconception) -> Compiled {
        let claims = alternatives(&m.claim);
        let starts = claims.iter().filter_map(|c| c.first()).fold(0, |bits, w| bits | key_bit(w.key));
        Compiled {
            subjects: alternatives(&m.subject),
            claims,
            correction: m.correction.trim().to_string(),
            others: Vec::new(),
            others_in_full: Vec::new(),
            starts,
        }
    }

    /// Notes the other things an answer may name (each a `|` list of alternatives: the
    /// question's concept labels, other misconceptions' subjects): named between the
    /// subject and the claim, one of them is what the claim is said of. Words of this
    /// misconception's own subject and claim are not among them.
    pub fn with_others<'a>(mut self, others: impl IntoIterator<Item = &'a str>) -> Compiled {
        let own: Vec<&Word> = self.subjects.iter().chain(&self.claims).flatten().collect();
        let mut heads: Vec<Word> = Vec::new();
        let mut in_full: Vec<Box<[Word]>> = Vec::new();
        for alternative in others.into_iter().flat_map(alternatives) {
            let Some(head) = alternative.first() else { continue };
            if !own.contains(&head) {
                heads.push(head.clone());
            } else if alternative.len() > 1
                && !self.subjects.contains(&alternative)
                && !self.claims.contains(&alternative)
                && alternative.iter().any(|w| !self.subjects.iter().flatten().any(|s| s == w))
            {
                in_full.push(alternative);
            }
        }
        heads.sort();
        heads.dedup();
        in_full.sort();
        in_full.dedup();
        self.others = heads;
        self.others_in_full = in_full;
        self
    }

    pub fn correction(&self) -> &str {
        &self.correction
    }

    /// The first place the answer makes the claim, if it does (see the module docs).
    /// `text` is what `tokens` were read from.
    pub fn find(&self, tokens: &[Token], bits: &AnswerBits, text: &str) -> Option<Hit> {
        if self.starts & bits.small == 0 {
            return None;
        }
        for claim in &self.claims {
            let Some(head) = claim.first() else { continue };
            // An alternative whose first word's bit no token has cannot match.
            if !bits.may_have(head.key) {
                continue;
            }
            for start in bits.places(head.key) {
                let Some(positions) = match_at(tokens, start, claim, true) else { continue };
                let (first, last) = (positions[0], positions[positions.len() - 1]);
                if positions.iter().any(|&p| denial_cue(tokens, p).is_some())
                    || denied_after(tokens, text, last)
                    || distanced(tokens, first)
                    || contrasted(tokens, first)
                    || asked(tokens, text, first)
                {
                    continue;
                }
                // A claim of one word ("default") is said of a subject only in its own
                // clause ("NodePort is the default"), not of one named anywhere earlier
                // in the sentence ("NodePort, which opens a port, 30000-32767 by default").
                let one_clause = claim.len() == 1;
                if !self.subjects.is_empty()
                    && (!self.subject_before(tokens, text, first, one_clause)
                        || names_a_subject(tokens, text, last)
                        || self.own_subject(tokens, first)
                        || self.relative_of_other(tokens, first))
                {
                    continue;
                }
                return Some(Hit { first, last });
            }
        }
        None
    }

    /// True when a subject alternative appears in `first`'s sentence (in its clause,
    /// when `one_clause`), ending before it, with none of the other things named in
    /// between.
    fn subject_before(&self, tokens: &[Token], text: &str, first: usize, one_clause: bool) -> bool {
        let sentence = tokens[first].sentence;
        let near = |end: usize| !one_clause || tokens[end].clause == tokens[first].clause;
        // Exit code 137, port 80: another number standing alone (not one of the
        // subject's own) is another thing named.
        let numeric = self.subjects.iter().flatten().any(|w| is_number(&w.stem, false));
        // A pronoun between subject and claim after a condition that named the subject
        // ("CMD gives the default arguments if there's an ENTRYPOINT, and it's replaced
        // by ..."): "it" stands for what the sentence is about, not the condition's.
        let mut pronoun = false;
        for k in (0..first).rev().take_while(|&k| tokens[k].sentence == sentence) {
            // "S3 and SNS can trigger it; synchronous callers wait for the result": a
            // semicolon joins two clauses that each name what they are about, unless the
            // second names nothing before the claim ("...; they wait for the result").
            if text.get(tokens[k].end..tokens[k + 1].start).is_some_and(|gap| gap.contains(';'))
                && (k + 1..first).any(|j| !tokens[j].stop)
            {
                return false;
            }
            if self
                .subjects
                .iter()
                .any(|s| match_at(tokens, k, s, false).is_some_and(|p| p[p.len() - 1] < first && near(p[p.len() - 1])))
            {
                // "CMD, unlike ENTRYPOINT, supplies the default arguments": the claim is
                // said of the thing compared with it, not of it.
                if compared_with(tokens, k) {
                    return false;
                }
                // "keeps three replicas of the pod and does rolling updates": a thing
                // named after "of" is not what the clause is about; look further back.
                if !object_of(tokens, k) {
                    return !pronoun || !in_trailing_condition(tokens, k);
                }
            }
            pronoun |= SUBJECT_PRONOUNS.contains(&&*tokens[k].surface) && opens_clause(tokens, k);
            if numeric && is_number(&tokens[k].stem, false) && !self.subjects.iter().flatten().any(|w| w.is(&tokens[k]))
            {
                return false;
            }
            if (self.others.iter().any(|o| o.is(&tokens[k]))
                || self
                    .others_in_full
                    .iter()
                    .any(|o| match_at(tokens, k, o, false).is_some_and(|p| p[p.len() - 1] < first)))
                && !self.example_of_subject(tokens, k)
            {
                return false;
            }
        }
        self.said_of_pronoun(tokens, first)
    }

    /// True when the claim at `first` stands in a relative clause ("which", "who") that
    /// hangs on a word naming none of the subjects: in "a NoExecute taint evicts them,
    /// unlike NoSchedule, which only affects new pods" the claim is said of NoSchedule.
    /// Found on a held-out set (recall22), where a correct answer was told it said
    /// NoExecute only affects new pods.
    fn relative_of_other(&self, tokens: &[Token], first: usize) -> bool {
        let open = clause_start(tokens, first);
        if open == 0 || open == first || !matches!(&*tokens[open].surface, "which" | "who") {
            return false;
        }
        let before = &tokens[open - 1];
        before.sentence == tokens[open].sentence
            && !before.stop
            && !self.subjects.iter().flatten().any(|w| w.is(before))
    }

    /// True when the claim at `first` stands in a clause opened by a subordinating word
    /// ("when", "if", "because"...) that names a thing of its own before the claim and
    /// none of the subjects: "I avoid Lambda when the job runs longer than 15 minutes"
    /// says the job runs that long, not Lambda. Found on a held-out set of answers by
    /// candidates writing in a second language (esl18), where it told a correct answer
    /// it held a misconception.
    fn own_subject(&self, tokens: &[Token], first: usize) -> bool {
        let open = clause_start(tokens, first);
        // "Back-pressure is when a service pushes ...": a clause after a defining verb
        // says what the subject is.
        if open == first || !SUBORDINATORS.contains(&&*tokens[open].surface) || (open > 0 && tokens[open - 1].defining)
        {
            return false;
        }
        // The clause's own subject: its first word after the opener, past determiners
        // ("when the job runs"); a pronoun ("because it keeps") or "you" is not one,
        // nor a word of a subject ("because the shell forwards" after "the shell form").
        let mut k = open + 1;
        while k < first && (DETERMINERS.contains(&&*tokens[k].surface) || POSSESSIVES.contains(&&*tokens[k].surface)) {
            k += 1;
        }
        // Nor is it when a subject is named in the clause ("if a container goes over
        // its CPU limit it gets OOM killed" speaks of the CPU limit).
        let named = |j: usize| self.subjects.iter().flatten().any(|w| w.is(&tokens[j]));
        k < first
            && !tokens[k].stop
            && !tokens[k].neg
            && !PERSONAL.contains(&&*tokens[k].surface)
            && !(open + 1..first).any(named)
    }

    /// True when the thing named at `k` is given as an example of a subject named just
    /// before it ("queues like SQS and Kafka", "a cache such as Redis"): it is the
    /// subject, not another thing the claim is said of.
    fn example_of_subject(&self, tokens: &[Token], k: usize) -> bool {
        let sentence = tokens[k].sentence;
        let mut j = k;
        // Back over the other examples of the list ("SQS and Kafka", "SQS, RabbitMQ").
        while j > 0 && k - j < EXAMPLE_LIST && tokens[j - 1].sentence == sentence {
            let t = &tokens[j - 1];
            let marker = EXAMPLE_MARKERS.iter().find(|m| {
                j >= m.len() && m.iter().rev().enumerate().all(|(back, w)| &*tokens[j - 1 - back].surface == *w)
            });
            if let Some(m) = marker {
                let before = j - m.len();
                return before > 0
                    && tokens[before - 1].sentence == sentence
                    && self.subjects.iter().flatten().any(|w| w.is(&tokens[before - 1]));
            }
            if t.stop && !matches!(&*t.surface, "and" | "or") {
                return false;
            }
            j -= 1;
        }
        false
    }

    /// "A DaemonSet is a set of daemons. It runs one pod in the whole cluster": a
    /// sentence that opens with "it" or "they", whose first clause makes the claim,
    /// says it of the thing the sentence before opens with.
    fn said_of_pronoun(&self, tokens: &[Token], first: usize) -> bool {
        let open = sentence_start(tokens, first);
        if !PRONOUNS.contains(&&*tokens[open].surface) || tokens[open].clause != tokens[first].clause || open == 0 {
            return false;
        }
        let mut start = sentence_start(tokens, open - 1);
        while start < open && DETERMINERS.contains(&&*tokens[start].surface) {
            start += 1;
        }
        start < open && self.subjects.iter().any(|s| match_at(tokens, start, s, true).is_some())
    }
}

/// Words that open a clause subordinate to what the sentence says before it.
const SUBORDINATORS: [&str; 11] =
    ["when", "whenever", "if", "unless", "once", "because", "since", "while", "whereas", "although", "though"];

/// Personal pronouns: a clause opening with one ("when you add more servers") names
/// no thing of its own.
const PERSONAL: [&str; 9] = ["i", "you", "we", "they", "it", "he", "she", "someone", "people"];

/// Words that introduce examples of what was just named ("like", "such as").
const EXAMPLE_MARKERS: [&[&str]; 5] = [&["like"], &["such", "as"], &["including"], &["for", "example"], &["e.g"]];

/// Most words in a list of examples looked back over.
const EXAMPLE_LIST: usize = 6;

/// Possessive determiners, skipped before a clause's own subject ("if your job").
const POSSESSIVES: [&str; 6] = ["my", "your", "our", "their", "his", "her"];

/// Pronouns that stand for what a clause is about.
const SUBJECT_PRONOUNS: [&str; 4] = ["it", "it's", "they", "they're"];

/// True when the words ending at `last` are followed at once (no punctuation between)
/// by "is", "are", "was" or "were": then they are what their clause is about, a noun
/// phrase, not something said of a subject before them. "The scheduler does not start
/// anything; starting containers is the kubelet's job" says nothing wrong about the
/// scheduler (a walk-through's correct answer was told to check "starting
/// containers"); "a kind of virtual machine, is" (an aside) still counts.
fn names_a_subject(tokens: &[Token], text: &str, last: usize) -> bool {
    tokens.get(last + 1).is_some_and(|next| matches!(&*next.surface, "is" | "are" | "was" | "were"))
        && joined(tokens, text, last)
}

/// True when token `k + 1` follows token `k` in the same clause with nothing but
/// spaces between them (no punctuation).
fn joined(tokens: &[Token], text: &str, k: usize) -> bool {
    let (Some(a), Some(b)) = (tokens.get(k), tokens.get(k + 1)) else { return false };
    a.clause == b.clause && text.get(a.end..b.start).is_some_and(|gap| gap.chars().all(char::is_whitespace))
}

/// True when the words ending at `last` are followed at once (no punctuation between)
/// by a verb's negation, "doesn't", "does not", "can never", ...: then they are the
/// subject of a denial, "averaging per-server p99s doesn't give you the fleet's p99"
/// (a correct answer on a held-out question, checked by a misconception its author
/// wrote as "average the per-server p99s").
fn denied_after(tokens: &[Token], text: &str, last: usize) -> bool {
    let verbal = |t: &Token| t.neg && !matches!(&*t.surface, "without" | "no" | "nor" | "none" | "nothing" | "neither");
    let Some(next) = tokens.get(last + 1) else { return false };
    if !joined(tokens, text, last) {
        return false;
    }
    if verbal(next) {
        return true;
    }
    const AUXILIARIES: [&str; 11] = ["does", "do", "did", "is", "are", "was", "were", "can", "will", "would", "should"];
    AUXILIARIES.contains(&&*next.surface) && tokens.get(last + 2).is_some_and(verbal) && joined(tokens, text, last + 1)
}

/// True when token `k` opens its clause, alone or after "and", "but" or "so" (", and
/// it's replaced").
fn opens_clause(tokens: &[Token], k: usize) -> bool {
    let first_of_clause = |j: usize| j == 0 || tokens[j - 1].clause != tokens[j].clause;
    first_of_clause(k) || (k > 0 && first_of_clause(k - 1) && matches!(&*tokens[k - 1].surface, "and" | "but" | "so"))
}

/// True when token `k` is in a clause that opens with "if", "when", "unless" or
/// "once" after the start of its sentence ("... default arguments if there's an
/// ENTRYPOINT"): a condition added to what the sentence says of something else.
fn in_trailing_condition(tokens: &[Token], k: usize) -> bool {
    let open = clause_start(tokens, k);
    open > 0
        && tokens[open - 1].sentence == tokens[k].sentence
        && matches!(&*tokens[open].surface, "if" | "when" | "unless" | "once")
}

/// Pronouns that open a sentence about the thing the sentence before opened with.
const PRONOUNS: [&str; 2] = ["it", "they"];

/// The positions of `words` matched in order from `start` (which must hold the first),
/// at most [`MAX_GAP`] tokens apart, in one clause when `one_clause`.
fn match_at(tokens: &[Token], start: usize, words: &[Word], one_clause: bool) -> Option<Vec<usize>> {
    let first = words.first()?;
    if !first.is(&tokens[start]) {
        return None;
    }
    let mut positions = vec![start];
    let mut at = start;
    for w in &words[1..] {
        // A number binds to the word after it: "250 cores" is not "250 millicores = 0.25
        // core".
        let gap = if is_number(&tokens[at].stem, true) { 0 } else { MAX_GAP };
        let next = (at + 1..tokens.len().min(at + 2 + gap)).find(|&k| {
            // A word between that turns the claim round ("drop the *least* important
            // requests" is not "drop important requests") ends the match.
            (at + 1..k).all(|j| !one_clause || !TURNING.contains(&&*tokens[j].surface))
                && (at + 1..k).all(|j| !SETTING_ASIDE.contains(&&*tokens[j].surface))
                && (at + 1..k).all(|j| !w.toward.opposes(Direction::of(&tokens[j].surface)))
                && w.is(&tokens[k])
                && (!w.object || object_of_preposition(tokens, at, k))
                && tokens[k].sentence == tokens[start].sentence
                && (!one_clause || tokens[k].clause == tokens[start].clause)
        })?;
        positions.push(next);
        at = next;
    }
    Some(positions)
}

/// True unless the answer gives the preposition before `k` (the one matched at `at`,
/// else the first one after it) another object: a second preposition between the two
/// that starts a phrase of its own ("to", "for", "with" ...; not one that places the
/// first object, as "in" does in "across many nodes in the cluster"). "Taints are set
/// on nodes to stop pods" does not say "set on pods" (a correct answer in a held-out
/// set, recall22, was told it did); "set on the same nginx pods" does.
fn object_of_preposition(tokens: &[Token], at: usize, k: usize) -> bool {
    let Some(p) = (at..k).find(|&j| PREPOSITIONS.contains(&&*tokens[j].surface)) else {
        return true;
    };
    (p + 1..k).all(|j| !PREPOSITIONS.contains(&&*tokens[j].surface) || PLACING.contains(&&*tokens[j].surface))
}

/// Prepositions that place a thing named just before them ("nodes in the cluster"):
/// the phrase they open belongs to that thing (see [`object_of_preposition`]).
const PLACING: [&str; 4] = ["in", "inside", "within", "across"];

/// Words that introduce the thing something is compared with ("unlike Y", "as opposed
/// to Y", "compared with Y", "in contrast to Y", "rather than Y", "instead of Y", "than
/// Y", "versus Y", "not Y"; determiners and one modifier allowed between: "unlike a
/// bare pod"). "The kubelet, not the scheduler, starts the containers" says it of the
/// kubelet: a misconception author's 63 correct sentences in that form fired 49 times.
const COMPARED_WITH: [&[&str]; 12] = [
    &["unlike"],
    &["not"],
    &["opposed", "to"],
    &["compared", "to"],
    &["compared", "with"],
    &["contrast", "to"],
    &["contrast", "with"],
    &["rather", "than"],
    &["instead", "of"],
    &["than"],
    &["versus"],
    &["vs"],
];

/// Determiners skipped between a marker and the thing it introduces.
const DETERMINERS: [&str; 9] = ["a", "an", "the", "this", "that", "each", "every", "any", "its"];

/// Where the words before the thing named at `k` end, after skipping determiners and
/// at most one other word ("a bare pod", "replica pods"), in `k`'s sentence and with
/// nothing but a space between words ("Unlike liveness, the readiness probe" stops at
/// the comma).
fn before_thing(tokens: &[Token], k: usize) -> usize {
    let mut end = k;
    let mut modifier = false;
    while end > 0 && tokens[end - 1].sentence == tokens[k].sentence && tokens[end].start <= tokens[end - 1].end + 1 {
        let t = &tokens[end - 1];
        if DETERMINERS.contains(&&*t.surface) {
            end -= 1;
        } else if !modifier && !t.stop && !t.clause_word {
            modifier = true;
            end -= 1;
        } else {
            break;
        }
    }
    end
}

/// True when the thing named at `k` is introduced as what something else is compared
/// with (see [`COMPARED_WITH`]), in `k`'s sentence.
fn compared_with(tokens: &[Token], k: usize) -> bool {
    introduced_by(tokens, k, &COMPARED_WITH)
}

/// "Of" before a thing named makes it what something else is of ("the replicas of this
/// pod", "a number of replica pods"), not what the clause says something about. Only
/// "of": after "for" or "per" the thing is often what the claim is about ("retries
/// happen for synchronous calls, where Lambda retries the request"; measured on the
/// bank's answer sets, the two removed as many right checks as wrong ones).
const OBJECT_OF: [&[&str]; 1] = [&["of"]];

/// True when the thing named at `k` follows [`OBJECT_OF`].
fn object_of(tokens: &[Token], k: usize) -> bool {
    introduced_by(tokens, k, &OBJECT_OF)
}

/// True when one of `phrases` ends just before the thing named at `k` (determiners and
/// one modifier allowed between), in `k`'s sentence.
fn introduced_by(tokens: &[Token], k: usize, phrases: &[&[&str]]) -> bool {
    // Every place the marker may end: right before the thing, or before the
    // determiners and modifier skipped.
    (before_thing(tokens, k)..=k).any(|end| phrase_ends(tokens, tokens[k].sentence, phrases, end))
}

/// True when `first`'s sentence is a question ("is it only during the build?"): it
/// asks whether the claim holds rather than making it.
fn asked(tokens: &[Token], text: &str, first: usize) -> bool {
    let sentence = tokens[first].sentence;
    let last = (first..tokens.len()).take_while(|&k| tokens[k].sentence == sentence).last().unwrap_or(first);
    let after = text.get(tokens[last].end..).unwrap_or("");
    after.trim_start_matches(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '’' | '”')).starts_with('?')
}

/// True when a word earlier in `first`'s sentence reports the claim as someone's belief
/// or a mistake rather than stating it.
pub(super) fn distanced(tokens: &[Token], first: usize) -> bool {
    thread_local! {
        static STEMS: Vec<String> = DISTANCING.iter().flat_map(|w| analyze(w)).map(|t| t.stem.to_string()).collect();
    }
    let sentence = tokens[first].sentence;
    STEMS.with(|stems| {
        (0..first)
            .rev()
            .take_while(|&k| tokens[k].sentence == sentence)
            .any(|k| stems.iter().any(|s| **s == *tokens[k].stem))
    })
}

/// Phrases that set what follows against what the learner says is so: "the pod leaves
/// the Service rather than Kubernetes restarting it", "instead of restarting", "as
/// opposed to", "no longer", "without"; or frames it as what is not the case ("as if
/// you could choose", "as though"), or as what would happen if it were not ("a task
/// waking after a long sleep can't claim all the time it missed, otherwise it would hog
/// the CPU": a correct answer on a held-out question, checked by a misconception its
/// author wrote as "hog the CPU").
const CONTRASTS: [&[&str]; 9] = [
    &["rather", "than"],
    &["instead", "of"],
    &["opposed", "to"],
    &["no", "longer"],
    &["without"],
    &["as", "if"],
    &["as", "though"],
    &["otherwise"],
    &["or", "else"],
];

/// True when one of [`CONTRASTS`] ends at most [`MAX_GAP`] tokens before `first`, in its
/// sentence: the claim is what the learner sets aside, not what they assert.
fn contrasted(tokens: &[Token], first: usize) -> bool {
    (first.saturating_sub(MAX_GAP + 1)..first)
        .any(|end| phrase_ends(tokens, tokens[first].sentence, &CONTRASTS, end + 1))
}

/// True when one of `phrases` ends just before token `end`, all of it in `sentence`.
fn phrase_ends(tokens: &[Token], sentence: u32, phrases: &[&[&str]], end: usize) -> bool {
    let word = |i: usize, w: &str| tokens[i].sentence == sentence && &*tokens[i].surface == w;
    phrases
        .iter()
        .any(|phrase| end >= phrase.len() && phrase.iter().rev().enumerate().all(|(back, w)| word(end - 1 - back, w)))
}

/// True when `stem` is a number ("137", "250", "0.25" with `point`).
fn is_number(stem: &str, point: bool) -> bool {
    stem.bytes().all(|b| b.is_ascii_digit() || (point && b == b'.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn readiness() -> Compiled {
        Compiled::new(&Misconception {
            subject: "readiness | readiness probe".into(),
            claim: "restarts the container | restart".into(),
            correction: "A failing readiness probe takes the pod out of the Service; liveness restarts it.".into(),
        })
    }

    /// A compiled misconception with a placeholder correction.
    fn entry(subject: &str, claim: &str) -> Compiled {
        Compiled::new(&Misconception { subject: subject.into(), claim: claim.into(), correction: "Not so.".into() })
    }

    fn fires(c: &Compiled, answer: &str) -> bool {
        let tokens = analyze(answer);
        c.find(&tokens, &answer_bits(&tokens), answer).is_some()
    }

    #[test]
    fn a_claim_fires_after_its_subject_in_one_sentence() {
        let c = readiness();
        assert!(fires(&c, "If the readiness probe fails, Kubernetes restarts the container."));
        assert!(fires(&c, "The readiness probe restarts it when it hangs."));
        // The right way round, or the claim about something else.
        assert!(!fires(&c, "A failing liveness probe restarts the container; readiness removes the pod."));
        assert!(!fires(&c, "Kubernetes restarts the container when liveness fails. Readiness is for traffic."));
    }

    #[test]
    fn a_subordinate_clause_with_a_subject_of_its_own_speaks_of_it() {
        let c = entry("lambda | serverless", "runs longer than 15 minutes | great for long jobs");
        // The job runs long, not Lambda.
        for answer in [
            "I avoid Lambda when the job runs longer than 15 minutes, I use containers.",
            "I avoid Lambda when job runs longer than 15 minutes or traffic is constant.",
            "Don't pick serverless if your export runs longer than 15 minutes.",
        ] {
            assert!(!fires(&c, answer), "{answer}");
        }
        // Said of the subject: by name, by a pronoun, or in a definition ("is when").
        for answer in [
            "Lambda is fine because Lambda runs longer than 15 minutes if needed.",
            "Lambda is nice when it runs longer than 15 minutes.",
            "Lambda runs longer than 15 minutes when the job needs it.",
        ] {
            assert!(fires(&c, answer), "{answer}");
        }
        let limits = entry("cpu limit", "oom killed");
        assert!(fires(&limits, "If a container goes over its CPU limit it gets OOM killed."));
        let pressure = entry("back-pressure | backpressure", "pushes more requests to downstream");
        assert!(fires(&pressure, "Back-pressure is when a service pushes more requests to downstream."));
    }

    #[test]
    fn examples_of_the_subject_are_the_subject() {
        let c = entry(
            "queue | queues | message queue",
            "guarantees exactly-once delivery | guarantee exactly-once delivery",
        )
        .with_others(["kafka | kafka topic", "sqs | rabbitmq"]);
        for answer in [
            "Queues like SQS and Kafka are guaranteeing exactly-once delivery, so no duplicates.",
            "A queue such as Kafka guarantees exactly-once delivery.",
            "Queues, including SQS, RabbitMQ or Kafka, guarantee exactly-once delivery.",
        ] {
            assert!(fires(&c, answer), "{answer}");
        }
        // Another thing named after the subject, not as its example, takes the claim.
        for answer in [
            "Queues decouple services, and Kafka guarantees exactly-once delivery within a transaction.",
            "A queue is a buffer; unlike it, Kafka guarantees exactly-once delivery.",
        ] {
            assert!(!fires(&c, answer), "{answer}");
        }
    }

    #[test]
    fn a_claim_about_the_thing_compared_with_is_not_said_of_it() {
        let c = readiness();
        // The claim is said of liveness, which the sentence sets against readiness.
        for answer in [
            "The liveness probe, unlike the readiness probe, restarts the container.",
            "Liveness, as opposed to readiness, restarts the container when it hangs.",
            "Compared with readiness, a failing liveness check restarts the container.",
            "Liveness rather than readiness restarts the container.",
            "Liveness, not readiness, restarts the container.",
            "It is the liveness probe and not the readiness probe that restarts the container.",
            "It's not readiness that restarts the container, it's liveness.",
        ] {
            assert!(!fires(&c, answer), "{answer}");
        }
        // Said of readiness itself, it still fires, even beside a comparison.
        for answer in [
            "Unlike liveness, the readiness probe restarts the container.",
            "The readiness probe, unlike liveness, restarts the container.",
            "The readiness probe, not only liveness, restarts the container.",
            "Readiness restarts the container, not liveness.",
        ] {
            assert!(fires(&c, answer), "{answer}");
        }
    }

    fn exit_codes() -> Compiled {
        entry("137 | exit code 137", "app error | missing env var").with_others(["exit code 1 | exit status 1"])
    }

    #[test]
    fn another_thing_named_between_subject_and_claim_takes_the_claim() {
        let c = exit_codes();
        assert!(fires(&c, "Exit code 137 means an app error."));
        // Another code, in full or as a bare number, is what the claim is said of.
        assert!(!fires(&c, "137 means OOM, while exit code 1 is usually an app error."));
        assert!(!fires(&c, "137 → OOM-killed, 1 → app error, e.g. a missing env var."));
        // A thing named after "of" is not what the clause is about.
        let pod = entry("pod | pods", "does rolling updates");
        assert!(fires(&pod, "The pod does rolling updates by itself."));
        assert!(!fires(&pod, "It keeps three replicas of the pod running and does rolling updates."));
        assert!(!fires(&pod, "It manages a number of replica pods and does rolling updates."));
    }

    #[test]
    fn short_claims_and_numbers_need_their_words_close() {
        let default = entry("nodeport | node port", "is the default");
        assert!(fires(&default, "NodePort is the default."));
        assert!(!fires(&default, "NodePort, which opens a port on every node, 30000-32767 by default."));
        let cores = entry("250m", "250 cores");
        assert!(fires(&cores, "250m means 250 cores."));
        assert!(!fires(&cores, "250m = 250 millicores = 0.25 core."));
    }

    #[test]
    fn a_word_between_that_turns_the_claim_round_ends_it() {
        let c = entry("load shedding | shedding", "drop important requests");
        assert!(fires(&c, "Load shedding drops the really important requests first."));
        assert!(!fires(&c, "Load shedding means dropping the least important requests."));
    }

    #[test]
    fn a_word_between_that_sets_the_rest_aside_ends_the_claim() {
        let glibc = entry("alpine | alpine images", "uses glibc | has a package manager");
        assert!(fires(&glibc, "Alpine uses glibc, so every binary just works."));
        assert!(fires(&glibc, "Alpine still has a package manager."));
        for answer in [
            "Alpine uses musl rather than glibc, so some wheels have to compile.",
            "Alpine uses musl instead of glibc.",
            "Alpine uses musl, not glibc.",
            "Alpine uses less memory than glibc-based images.",
            "Alpine has no shell or package manager problems, it has apk.",
        ] {
            assert!(!fires(&glibc, answer), "{answer}");
        }
        let stop = entry("docker stop", "sends sigkill first");
        assert!(fires(&stop, "docker stop sends SIGKILL first and SIGTERM after."));
        assert!(!fires(&stop, "docker stop sends SIGTERM rather than SIGKILL first."));
    }

    /// A claim's direction is part of it: "writes go to a replica" is not made by
    /// "read your own write from a replica" (a walk-through's correct answer about
    /// reading your own writes, told it had claimed followers accept writes).
    #[test]
    fn a_word_that_points_the_other_way_ends_the_claim() {
        let writes = entry("replica | replicas | follower", "write to the replicas | write to a follower");
        assert!(fires(&writes, "With replicas, clients write to the replicas and read from the leader."));
        assert!(fires(&writes, "With followers, clients write straight into a follower."));
        assert!(!fires(&writes, "Replicas lag, so you may not read your own write from a replica."));
        assert!(!fires(&writes, "A follower gets each write from the leader."));
        let from = entry("follower | followers", "read from the leader");
        assert!(fires(&from, "Followers always read from the leader."));
        assert!(!fires(&from, "Followers read, then send to the leader."));
    }

    /// "X, which ..." says its clause of X: a claim there is not said of a subject
    /// named earlier (recall22: a correct answer told NoExecute only affects new pods).
    #[test]
    fn a_relative_clause_speaks_of_the_word_it_hangs_on() {
        let noexecute = entry("noexecute | noexecute taint", "only affects new pods | only affects scheduling");
        assert!(!fires(
            &noexecute,
            "A NoExecute taint evicts running pods, unlike NoSchedule, which only affects new pods."
        ));
        assert!(!fires(&noexecute, "NoExecute evicts pods, and the scheduler, which only affects new pods, waits."));
        assert!(fires(&noexecute, "A NoExecute taint, which only affects new pods, keeps them off."));
        assert!(fires(&noexecute, "NoExecute is like NoSchedule: it only affects new pods."));
    }

    /// A claim's "on pods" needs the answer's "on" to be about pods: "set on nodes to
    /// stop pods" names another object (recall22, a correct answer told it put taints on
    /// pods).
    #[test]
    fn a_preposition_with_another_object_does_not_make_the_claim() {
        let taints = entry("taint | taints", "set on pods | applied to the pods");
        assert!(fires(&taints, "Taints are set on pods so that they avoid nodes."));
        assert!(fires(&taints, "Taints are set on the same nginx pods."));
        assert!(fires(&taints, "A taint is applied straight to the pods."));
        assert!(!fires(&taints, "Taints are set on nodes to stop pods being scheduled there."));
        assert!(!fires(&taints, "Taints are applied to nodes and repel pods."));
        assert!(!fires(&taints, "Taints are set on nodes with pods."));
        let spread = entry("compose", "runs containers across a cluster");
        assert!(fires(&spread, "Compose runs containers across nodes in a cluster."));
    }

    #[test]
    fn a_sentence_opening_with_it_speaks_of_what_the_sentence_before_opened_with() {
        let c = readiness();
        assert!(fires(&c, "The readiness probe checks the endpoint. It restarts the container when that fails."));
        assert!(fires(&c, "Readiness probes call /ready. They restart the container after three failures."));
        // The sentence before opened with something else, or the claim is in a later
        // clause than the pronoun's.
        assert!(!fires(&c, "The liveness probe checks the endpoint. It restarts the container when that fails."));
        assert!(!fires(&c, "Readiness is checked often. It fails, and then the kubelet restarts the container."));
    }

    #[test]
    fn it_after_a_trailing_condition_stands_for_what_the_sentence_is_about() {
        let c = entry("entrypoint", "replaced by whatever you type");
        assert!(!fires(
            &c,
            "CMD gives the default command, or default arguments if there's an ENTRYPOINT, and it's simply replaced \
             by whatever you type."
        ));
        assert!(fires(&c, "The ENTRYPOINT is replaced by whatever you type."));
        assert!(fires(&c, "If you set an ENTRYPOINT, it's replaced by whatever you type."));
    }

    #[test]
    fn words_of_a_claim_that_a_negation_follows_are_denied() {
        let c = entry("", "average the per-server p99s | averaging p99s");
        assert!(!fires(&c, "Averaging per-server p99s doesn't give you the fleet's p99."));
        assert!(!fires(&c, "Averaging p99s does not work, because percentiles don't add up."));
        assert!(!fires(&c, "Averaging p99s can never give the true p99."));
        assert!(fires(&c, "You average the per-server p99s and that is the fleet's p99."));
        assert!(fires(&c, "Averaging p99s, which nobody questions, gives the fleet's p99."));
        let c = readiness();
        assert!(fires(&c, "The readiness probe restarts the container, not the pod."));
    }

    #[test]
    fn what_would_happen_otherwise_is_not_claimed() {
        let c = readiness();
        assert!(!fires(
            &c,
            "The readiness probe has to be separate from liveness, otherwise it restarts the container."
        ));
        assert!(!fires(&c, "Keep the readiness probe cheap or else it would restart the container for nothing."));
        assert!(fires(&c, "The readiness probe restarts the container; otherwise nothing happens."));
    }

    #[test]
    fn a_semicolon_starts_a_clause_about_what_it_names() {
        let c = readiness();
        assert!(!fires(
            &c,
            "The readiness probe is an HTTP check; the kubelet restarts the container when liveness fails."
        ));
        // Nothing named after the semicolon: the claim is still said of the subject.
        assert!(fires(&c, "The readiness probe fails; it restarts the container then."));
        // Words of the claim that are their clause's subject are not said of the probe.
        assert!(!fires(
            &c,
            "The readiness probe does not do that; restarting the container is the liveness probe's job."
        ));
        assert!(!fires(&c, "The readiness probe never does that, restarting the container is what liveness is for."));
        assert!(fires(&c, "The readiness probe fails; then it restarts the container, which is slow."));
    }

    #[test]
    fn another_thing_named_in_full_blocks_even_when_the_claim_has_its_words() {
        let c = entry("ingress controller | ingress-nginx", "just a config object | just configuration")
            .with_others(["ingress | ingress object"]);
        assert!(!fires(
            &c,
            "It needs a controller like ingress-nginx because the Ingress object is just configuration."
        ));
        assert!(fires(&c, "The ingress controller is just configuration, the Ingress does the routing."));
    }

    #[test]
    fn a_question_asks_rather_than_claims() {
        let c = readiness();
        assert!(!fires(&c, "Does the readiness probe restart the container? No, it removes the pod from the Service."));
        assert!(!fires(&c, "So the readiness probe restarts it?"));
        assert!(fires(&c, "The readiness probe restarts it, right."));
    }

    #[test]
    fn a_denied_or_reported_claim_does_not_fire() {
        let c = readiness();
        assert!(!fires(&c, "The readiness probe does not restart the container."));
        assert!(!fires(&c, "A readiness failure never restarts anything."));
        assert!(!fires(&c, "People often think the readiness probe restarts the container, but it only removes it."));
        assert!(!fires(&c, "A common misconception is that readiness restarts the pod."));
        assert!(!fires(&c, "A common misunderstanding is that the readiness probe restarts the container."));
        // A claim set aside by a contrast is not asserted.
        assert!(!fires(
            &c,
            "A failing readiness probe takes the pod out of the Service rather than restarting the container."
        ));
        assert!(!fires(&c, "With readiness the pod just stops getting traffic instead of Kubernetes restarting it."));
        assert!(!fires(&c, "The readiness probe works without restarting the container."));
        assert!(!fires(&c, "Some treat the readiness probe as if it restarts the container."));
        // The contrast must sit just before the claim: far away, the claim still counts.
        assert!(fires(
            &c,
            "Rather than waiting, the readiness probe check fails and then Kubernetes restarts the container."
        ));
    }

    #[test]
    fn a_claim_after_another_thing_is_said_of_that_thing() {
        let c = readiness().with_others(["liveness | liveness probe", "traffic | endpoints", "readiness"]);
        assert!(!fires(&c, "When readiness fails the pod gets no traffic, and when liveness fails it restarts."));
        assert!(fires(&c, "If the readiness probe fails, Kubernetes restarts the container."));
    }

    #[test]
    fn words_far_apart_or_across_clauses_are_not_a_claim() {
        let c = Compiled::new(&Misconception {
            subject: String::new(),
            claim: "secrets are encrypted".into(),
            correction: "Secrets are only base64-encoded unless encryption at rest is configured.".into(),
        });
        assert!(fires(&c, "Kubernetes secrets are encrypted, so they are safe in git."));
        assert!(!fires(&c, "Secrets hold passwords and tokens for the app, which is why etcd should be encrypted."));
        assert!(!fires(&c, "Secrets are just base64, not encrypted."));
    }

    #[test]
    fn a_misconception_needs_words_to_look_for_and_a_correction() {
        let m = |subject: &str, claim: &str, correction: &str| Misconception {
            subject: subject.into(),
            claim: claim.into(),
            correction: correction.into(),
        };
        assert!(m("", "the", "x").problem().is_some());
        assert!(m("readiness", "restarts", " ").problem().is_some());
        assert!(m("of the", "restarts", "x").problem().is_some());
        assert_eq!(m("readiness", "restarts", "Only liveness restarts.").problem(), None);
    }
}
