//! Delivery insights: *how* an answer was said, beside the grade of *what* was said.
//! Word count, pace, filler words, the words leant on most, and how many of the model
//! answer's key words the answer used. Pure and cheap: computed whenever an answer is
//! shown, never stored.

use serde::Serialize;

use super::fxhash::{FastMap, FastSet};
use super::text::{analyze, Token};

/// Filler phrases counted wherever they occur, as whole words.
const FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "uhm",
    "erm",
    "er",
    "hmm",
    "you know",
    "i mean",
    "basically",
    "literally",
    "actually",
    "sort of",
    "kind of",
    "so yeah",
];
/// "like" is a filler only with a comma after it ("it's, like, a box", "like, it
/// restarts"); "tools like Fluentd" is not, nor is "ordinary settings, like feature
/// flags", where it means "for example".
const LIKE: &str = "like";
/// Below this the time taken says little about pace (a pasted answer, a quick "no").
const MIN_SECONDS_FOR_PACE: f64 = 10.0;
/// Above this no one speaks or types: the answer was pasted or written beforehand, and
/// its time says nothing about pace (fast speech is about 200 words a minute).
const MAX_WORDS_PER_MINUTE: f64 = 300.0;
/// How many of the most-used words are reported.
const TOP_WORDS: usize = 5;

/// How an answer was delivered.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Delivery {
    /// Words in the answer (runs of letters or digits).
    pub words: usize,
    /// Words per minute over the time taken, when it is known, at least 10 s, and the
    /// pace at most 300 a minute (faster was pasted, not spoken or typed).
    pub words_per_minute: Option<u32>,
    /// Filler words and phrases with their counts, most frequent first.
    pub fillers: Vec<WordCount>,
    /// All fillers together.
    pub filler_total: usize,
    /// Content words used at least twice, most used first (at most five).
    pub most_used: Vec<WordCount>,
    /// Distinct content words of the model answer.
    pub key_terms: usize,
    /// How many of those the answer used.
    pub key_terms_used: usize,
}

/// A word or phrase and how often it was used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordCount {
    pub word: String,
    pub count: usize,
}

impl Delivery {
    /// Share of the model answer's key words used (0 when the model answer has none).
    pub fn key_term_share(&self) -> f64 {
        if self.key_terms == 0 {
            0.0
        } else {
            self.key_terms_used as f64 / self.key_terms as f64
        }
    }
}

/// Lower-case words of `text` with, for each, whether a comma sits right after it.
fn words(text: &str) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = Vec::new();
    let mut word = String::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if c.is_alphanumeric() || (c == '\'' || c == '\u{2019}') && !word.is_empty() {
            word.extend(c.to_lowercase());
        } else {
            if !word.is_empty() {
                let w = std::mem::take(&mut word);
                // A typographic apostrophe reads as a plain one; most words have neither,
                // and keep their string.
                let w = if w.contains('\u{2019}') { w.replace('\u{2019}', "'") } else { w };
                out.push((w, false));
            }
            if c == ',' {
                if let Some(last) = out.last_mut() {
                    last.1 = true;
                }
            }
        }
    }
    out
}

/// What needs only the answer and its time: words, pace and filler words.
#[derive(Debug, Clone, PartialEq)]
pub struct Pace {
    pub words: usize,
    pub words_per_minute: Option<u32>,
    /// Most frequent first.
    pub fillers: Vec<WordCount>,
    pub filler_total: usize,
}

/// Words, pace and fillers of `answer` (time taken in milliseconds); no model answer
/// needed, so trends over many answers cost no reference analysis.
pub fn pace(answer: &str, time_taken_ms: Option<i64>) -> Pace {
    let words = words(answer);
    let n = words.len();
    let minutes = time_taken_ms.map(|ms| ms as f64 / 60_000.0).filter(|m| *m * 60.0 >= MIN_SECONDS_FOR_PACE);
    let words_per_minute =
        minutes.map(|m| n as f64 / m).filter(|wpm| *wpm <= MAX_WORDS_PER_MINUTE).map(|wpm| wpm.round() as u32);

    let mut fillers: Vec<WordCount> = Vec::new();
    let mut add = |word: &str| match fillers.iter_mut().find(|f| f.word == word) {
        Some(f) => f.count += 1,
        None => fillers.push(WordCount { word: word.to_string(), count: 1 }),
    };
    let mut i = 0;
    while i < n {
        let (w, after) = &words[i];
        if w == LIKE && *after {
            add(LIKE);
            i += 1;
            continue;
        }
        // Compared part by part in place: this runs for every word of every answer.
        let phrase = FILLERS.iter().find(|f| {
            f.starts_with(w.as_str())
                && f.split(' ').enumerate().all(|(k, p)| words.get(i + k).is_some_and(|w| w.0 == p))
        });
        match phrase {
            Some(f) => {
                add(f);
                i += f.split(' ').count();
            }
            None => i += 1,
        }
    }
    fillers.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.word.cmp(&b.word)));
    let filler_total = fillers.iter().map(|f| f.count).sum();
    Pace { words: n, words_per_minute, fillers, filler_total }
}

/// A word that counts as content for the delivery figures: not a stop word, not a
/// common word, and not a bare number.
fn content(t: &&Token) -> bool {
    !t.stop && !t.common && t.surface.chars().any(char::is_alphabetic)
}

/// The distinct content words (stems) of a model answer, worked out once per question
/// rather than for every answer shown against it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct KeyTerms(FastSet<Box<str>>);

impl KeyTerms {
    pub fn of(reference: &str) -> KeyTerms {
        KeyTerms(analyze(reference).iter().filter(content).map(|t| Box::from(&*t.stem)).collect())
    }
}

/// Analyses `answer`, given the model answer and the time taken (milliseconds).
pub fn analyse(answer: &str, reference: &str, time_taken_ms: Option<i64>) -> Delivery {
    analyse_with(answer, &KeyTerms::of(reference), time_taken_ms)
}

/// [`analyse`] against the model answer's key terms worked out beforehand.
pub fn analyse_with(answer: &str, key: &KeyTerms, time_taken_ms: Option<i64>) -> Delivery {
    analyse_leaving_out(answer, key, &KeyTerms::default(), time_taken_ms)
}

/// [`analyse_with`], with the words of `own` (the question's own words, in any form)
/// never among the words leant on: an answer has to repeat them.
pub fn analyse_leaving_out(answer: &str, key: &KeyTerms, own: &KeyTerms, time_taken_ms: Option<i64>) -> Delivery {
    let Pace { words, words_per_minute, fillers, filler_total } = pace(answer, time_taken_ms);
    let answer_tokens = analyze(answer);
    // Per stem: count and the first surface form, in order of first use.
    let mut counts: FastMap<&str, (usize, &str, usize)> = FastMap::default();
    for (i, t) in answer_tokens.iter().filter(content).enumerate() {
        counts.entry(&t.stem).or_insert((0, &t.surface, i)).0 += 1;
    }
    let mut most_used: Vec<(usize, usize, &str)> = counts
        .iter()
        .filter(|(stem, (c, _, _))| *c >= 2 && !own.0.contains(**stem))
        .map(|(_, &(c, surface, first))| (c, first, surface))
        .collect();
    most_used.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let most_used = most_used
        .into_iter()
        .take(TOP_WORDS)
        // Forms of one word count together ("migrate", "migration"); shown as the first
        // one used, without a possessive ("ENTRYPOINT's" reads as "entrypoint").
        .map(|(count, _, word)| WordCount {
            word: word.strip_suffix("'s").filter(|w| !w.is_empty()).unwrap_or(word).to_string(),
            count,
        })
        .collect();

    let key_terms_used = key.0.iter().filter(|k| counts.contains_key(&***k)).count();

    Delivery { words, words_per_minute, fillers, filler_total, most_used, key_terms: key.0.len(), key_terms_used }
}

#[cfg(test)]
mod tests {
    use super::*;

    const REFERENCE: &str = "A pod wraps one or more containers that share a network namespace and volumes.";

    fn filler(d: &Delivery, word: &str) -> usize {
        d.fillers.iter().find(|f| f.word == word).map_or(0, |f| f.count)
    }

    #[test]
    fn counts_words_and_pace_only_with_enough_time() {
        let answer = "A pod wraps containers that share one network.";
        assert_eq!(analyse(answer, REFERENCE, None).words, 8);
        assert_eq!(analyse(answer, REFERENCE, Some(60_000)).words_per_minute, Some(8));
        assert_eq!(analyse(answer, REFERENCE, Some(12_000)).words_per_minute, Some(40));
        assert_eq!(analyse(answer, REFERENCE, Some(3_000)).words_per_minute, None, "a few seconds says nothing");
        // 240 words in 12 s (1,200 a minute) were pasted, not spoken or typed.
        let pasted = "word ".repeat(240);
        assert_eq!(analyse(&pasted, REFERENCE, Some(12_000)).words_per_minute, None, "a pasted answer has no pace");
        assert_eq!(analyse(&pasted, REFERENCE, Some(60_000)).words_per_minute, Some(240), "fast but possible");
        assert_eq!(analyse("", REFERENCE, Some(60_000)).words, 0);
    }

    #[test]
    fn fillers_are_whole_words_and_phrases() {
        let d = analyse(
            "Um, so a pod is, like, basically a wrapper, you know, um, for containers like sidecars. Umbrella.",
            REFERENCE,
            None,
        );
        assert_eq!(filler(&d, "um"), 2, "{d:?}");
        assert_eq!(filler(&d, "like"), 1, "only the comma-bounded like: {d:?}");
        assert_eq!(filler(&d, "basically"), 1);
        assert_eq!(filler(&d, "you know"), 1);
        assert_eq!(d.filler_total, 5);
        assert_eq!(d.fillers[0].word, "um", "most frequent first");
        let clean = analyse("Tools like Fluentd know the node; the kind of probe matters.", REFERENCE, None);
        assert_eq!(filler(&clean, "like"), 0);
        let example = analyse("Put ordinary settings in it, like feature flags or a log level.", REFERENCE, None);
        assert_eq!(filler(&example, "like"), 0, "a 'like' that gives an example is no filler");
        let opening = analyse("Like, it restarts the container, I think.", REFERENCE, None);
        assert_eq!(filler(&opening, "like"), 1);
        assert_eq!(filler(&clean, "kind of"), 1, "a listed phrase counts wherever it occurs");
    }

    #[test]
    fn most_used_words_are_repeated_content_words() {
        let d = analyse(
            "The pod runs containers. Each pod gets an IP, and the pod's containers share that IP. Pods die.",
            REFERENCE,
            None,
        );
        assert_eq!(d.most_used.first(), Some(&WordCount { word: "pod".into(), count: 4 }), "{d:?}");
        assert!(d.most_used.iter().all(|w| w.count >= 2));
        assert!(d.most_used.iter().all(|w| w.word != "the" && w.word != "and"), "function words are not reported");
        // A word first used as a possessive is shown as the word.
        let possessive = analyse("The entrypoint's form matters: the entrypoint is the program.", REFERENCE, None);
        assert_eq!(
            possessive.most_used.first(),
            Some(&WordCount { word: "entrypoint".into(), count: 2 }),
            "{possessive:?}"
        );
    }

    #[test]
    fn key_terms_are_the_model_answers_content_words() {
        let none = analyse("Something else entirely.", REFERENCE, None);
        let some = analyse("Containers in a pod share the network.", REFERENCE, None);
        let all = analyse(REFERENCE, REFERENCE, None);
        assert!(none.key_terms_used < some.key_terms_used && some.key_terms_used < all.key_terms_used);
        assert_eq!(all.key_terms_used, all.key_terms);
        assert!((all.key_term_share() - 1.0).abs() < 1e-9);
        assert_eq!(analyse("anything", "", None).key_term_share(), 0.0);
    }
}
