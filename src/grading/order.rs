//! Order of steps, for questions whose author marks them as ordered (`ordered = true`
//! in the question file): the concepts are the steps, in the order the author lists
//! them. Order is never inferred from the reference's wording: sequence words in a
//! model answer ("first ..., then ...") were found to flag correct answers far more
//! often than wrong ones on answers nobody tuned for.
//!
//! An answer states an order between two steps only with an explicit marker that
//! links two concept matches: "X before Y", "Y after X", "after X, Y", "before Y, X",
//! or a sequence opened by "first" ("first X ..., then Y ..., finally Z"). Steps merely
//! mentioned in another order state nothing.

use super::concepts::Occurrence;
use super::text::Token;

/// How far (in tokens, same sentence) a before/after marker reaches for its steps.
const REACH: usize = 8;

const OPENERS: &[&str] = &["first", "firstly", "initially"];
const CONTINUERS: &[&str] = &[
    "then",
    "next",
    "afterwards",
    "afterward",
    "second",
    "secondly",
    "third",
    "thirdly",
    "finally",
    "lastly",
    "later",
];

/// One step order an answer states: concept `earlier` happens before concept `later`,
/// said at token `at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stated {
    pub earlier: usize,
    pub later: usize,
    pub at: usize,
}

/// The occurrence of any concept nearest to marker `m` on one side, in its sentence and
/// within [`REACH`]: (concept, occurrence).
fn nearest(tokens: &[Token], found: &[Vec<Occurrence>], m: usize, after: bool) -> Option<(usize, Occurrence)> {
    let sentence = tokens[m].sentence;
    found
        .iter()
        .enumerate()
        .flat_map(|(c, occ)| occ.iter().map(move |o| (c, *o)))
        .filter(|(_, o)| !o.negated && tokens[o.first].sentence == sentence)
        .filter(|(_, o)| if after { o.first > m && o.first - m <= REACH } else { o.last < m && m - o.last <= REACH })
        .min_by_key(|(c, o)| (if after { o.first - m } else { m - o.last }, *c))
}

/// The occurrences that are not part of a longer match of another concept ("syn"
/// inside "SYN-ACK" names the SYN-ACK step, not the SYN step).
fn outermost(found: &[Vec<Occurrence>]) -> Vec<Vec<Occurrence>> {
    // Every occurrence as (first, last, concept), sorted by first token. One that holds
    // `o` starts at or before `o` and ends at or after it, so it starts at most the
    // longest span before `o`: only that stretch of the list is searched (a long answer
    // has thousands of occurrences, and comparing all pairs dominated its grading).
    let mut all: Vec<(usize, usize, usize)> =
        found.iter().enumerate().flat_map(|(c, occ)| occ.iter().map(move |o| (o.first, o.last, c))).collect();
    all.sort_unstable();
    let longest = all.iter().map(|&(first, last, _)| last - first).max().unwrap_or(0);
    let inside = |c: usize, o: &Occurrence| {
        let from = all.partition_point(|&(first, _, _)| first < o.first.saturating_sub(longest));
        let to = all.partition_point(|&(first, _, _)| first <= o.first);
        all[from..to]
            .iter()
            .any(|&(first, last, d)| d != c && first <= o.first && o.last <= last && last - first > o.last - o.first)
    };
    found.iter().enumerate().map(|(c, occ)| occ.iter().filter(|o| !inside(c, o)).copied().collect()).collect()
}

/// Every step order the answer states with explicit markers.
pub fn stated(tokens: &[Token], found: &[Vec<Occurrence>]) -> Vec<Stated> {
    let found = &outermost(found);
    let mut out = Vec::new();
    for (m, t) in tokens.iter().enumerate() {
        let before = match &*t.surface {
            "before" => true,
            "after" => false,
            _ => continue,
        };
        let Some((right, r)) = nearest(tokens, found, m, true) else { continue };
        let opens_clause = m == 0 || tokens[m - 1].clause != t.clause || tokens[m - 1].sentence != t.sentence;
        let left = if opens_clause {
            // "After X, Y" / "Before X, Y": the other step follows X's clause.
            found
                .iter()
                .enumerate()
                .flat_map(|(c, occ)| occ.iter().map(move |o| (c, *o)))
                .filter(|(_, o)| {
                    !o.negated
                        && tokens[o.first].sentence == t.sentence
                        && tokens[o.first].clause != tokens[r.first].clause
                        && o.first > r.last
                })
                .min_by_key(|(c, o)| (o.first, *c))
                .map(|(c, _)| c)
        } else {
            nearest(tokens, found, m, false).map(|(c, _)| c)
        };
        let Some(left) = left else { continue };
        if left == right {
            continue;
        }
        // `right` is the step named just after the marker, `left` the other one: "L
        // before R" and "before R, L" put L first; "L after R" and "after R, L" put R
        // first.
        let (earlier, later) = if before { (left, right) } else { (right, left) };
        out.push(Stated { earlier, later, at: m });
    }
    // "First X, then Y, finally Z": the marked clauses of one sequence, in text order.
    let mut rank: Option<usize> = None;
    let mut marked: Vec<(usize, usize)> = Vec::new(); // (rank, concept)
    let mut clause = u32::MAX;
    for (i, t) in tokens.iter().enumerate() {
        if t.clause != clause {
            clause = t.clause;
            let words = tokens[i..].iter().take_while(|u| u.clause == clause);
            let mut opener = false;
            let mut continuer = false;
            for u in words {
                opener |= OPENERS.contains(&&*u.surface);
                continuer |= CONTINUERS.contains(&&*u.surface);
            }
            rank = match (opener, continuer, rank) {
                (true, _, _) => {
                    marked.clear();
                    Some(0)
                }
                (false, true, Some(r)) => Some(r + 1),
                (false, false, Some(r)) => Some(r),
                _ => None,
            };
            if opener || continuer {
                let Some(r) = rank else { continue };
                for (c, occ) in found.iter().enumerate() {
                    if occ.iter().any(|o| !o.negated && tokens[o.first].clause == clause) {
                        marked.push((r, c));
                    }
                }
                for &(ra, a) in &marked {
                    for &(rb, b) in &marked {
                        if ra < rb && rb == r && a != b {
                            out.push(Stated { earlier: a, later: b, at: i });
                        }
                    }
                }
            }
        }
    }
    out.sort_by_key(|s| (s.earlier, s.later, s.at));
    out.dedup_by_key(|s| (s.earlier, s.later));
    out
}

/// The stated orders that reverse the author's (concept index order), when they
/// outnumber the ones that keep it (one stray marker is not a claim).
pub fn reversed(tokens: &[Token], found: &[Vec<Occurrence>]) -> Vec<Stated> {
    let stated = stated(tokens, found);
    let kept = stated.iter().filter(|s| s.earlier < s.later).count();
    let reversed: Vec<Stated> = stated.into_iter().filter(|s| s.earlier > s.later).collect();
    if reversed.len() > kept {
        reversed
    } else {
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::super::concepts::CompiledConcept;
    use super::super::text::analyze;
    use super::*;

    /// The windowed search keeps exactly the occurrences that comparing every pair
    /// keeps.
    #[test]
    fn outermost_keeps_what_comparing_all_pairs_keeps() {
        let all_pairs = |found: &[Vec<Occurrence>]| -> Vec<Vec<Occurrence>> {
            let inside = |c: usize, o: &Occurrence| {
                found.iter().enumerate().any(|(d, occ)| {
                    d != c
                        && occ
                            .iter()
                            .any(|p| p.first <= o.first && o.last <= p.last && p.last - p.first > o.last - o.first)
                })
            };
            found.iter().enumerate().map(|(c, occ)| occ.iter().filter(|o| !inside(c, o)).copied().collect()).collect()
        };
        // A small deterministic generator: spans of 0 to 5 tokens over 60 tokens.
        let mut state = 12345u64;
        let mut next = |m: usize| {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as usize % m
        };
        for _ in 0..200 {
            let found: Vec<Vec<Occurrence>> = (0..1 + next(5))
                .map(|_| {
                    (0..next(8))
                        .map(|_| {
                            let first = next(60);
                            Occurrence { first, last: first + next(6), negated: false, inverted: false, complete: true }
                        })
                        .collect()
                })
                .collect();
            assert_eq!(outermost(&found), all_pairs(&found), "{found:?}");
        }
    }

    fn steps(answer: &str) -> (Vec<Stated>, Vec<Stated>) {
        let concepts: Vec<CompiledConcept> = [["copy requirements"], ["pip install"], ["copy the source code"]]
            .iter()
            .map(|alts| CompiledConcept::compile(&alts.iter().map(|s| s.to_string()).collect::<Vec<_>>()))
            .collect();
        let tokens = analyze(answer);
        let found: Vec<Vec<Occurrence>> = concepts.iter().map(|c| c.find(&tokens)).collect();
        (stated(&tokens, &found), reversed(&tokens, &found))
    }

    #[test]
    fn explicit_markers_state_an_order_and_plain_mentions_do_not() {
        let (s, r) = steps("Run pip install before you copy the source code.");
        assert_eq!((s.len(), r.len()), (1, 0), "{s:?}");
        let (_, r) = steps("Copy the source code before you run pip install.");
        assert_eq!(r.len(), 1);
        let (_, r) = steps("After you copy the source code, run pip install.");
        assert_eq!(r.len(), 1);
        let (_, r) = steps("Before you copy the source code, run pip install.");
        assert!(r.is_empty());
        let (_, r) = steps("First copy the source code, then run pip install at the end.");
        assert_eq!(r.len(), 1);
        // Mentioned in another order, with no marker: no claim.
        let (s, _) = steps("Copy the source code. Pip install is a step too. Copy requirements as well.");
        assert!(s.is_empty(), "{s:?}");
    }

    #[test]
    fn a_reversal_outweighed_by_kept_orders_is_not_reported() {
        let (_, r) = steps("First copy requirements, then pip install, then copy the source code after pip install.");
        assert!(r.is_empty(), "{r:?}");
    }
}
