//! Order of steps: when the reference puts one thing before another ("install the
//! dependencies before copying the source code"), an answer that puts them the other
//! way round ("copy the source code first, install the dependencies at the end") has
//! the steps reversed. Only pairs the reference orders one way are checked.

use super::fxhash::FastSet;
use super::text::Token;

/// How far from an order word its two sides reach, in tokens.
const REACH: usize = 8;
/// At most this many words of one sentence take part in sequence pairs.
const MAX_RANKED: usize = 24;

fn word(t: &Token) -> bool {
    !t.stop && !t.common
}

/// Ordered (earlier, later) stem pairs stated with "before" / "after" in one sentence.
fn explicit_pairs(tokens: &[Token], out: &mut FastSet<(String, String)>) {
    for (i, t) in tokens.iter().enumerate() {
        let marker = t.surface.as_str();
        if marker != "before" && marker != "after" {
            continue;
        }
        let same = |j: &usize| tokens[*j].sentence == t.sentence && word(&tokens[*j]);
        let left: Vec<usize> = (i.saturating_sub(REACH)..i).filter(same).collect();
        let right: Vec<usize> = (i + 1..(i + 1 + REACH).min(tokens.len())).filter(same).collect();
        for &l in &left {
            for &r in &right {
                let (a, b) = if marker == "before" { (l, r) } else { (r, l) };
                out.insert((tokens[a].stem.to_string(), tokens[b].stem.to_string()));
            }
        }
    }
}

/// Pairs from sequence words across the clauses of a sentence: "first ..., then ...,
/// ... at the (very) end / last".
fn sequence_pairs(tokens: &[Token], out: &mut FastSet<(String, String)>) {
    let mut i = 0;
    while i < tokens.len() {
        let sentence = tokens[i].sentence;
        let end = (i..tokens.len()).find(|&j| tokens[j].sentence != sentence).unwrap_or(tokens.len());
        // Rank each clause: "first" 0, unmarked 1, "then"/"next" 2, "end"/"last"/"finally" 3.
        let mut ranked: Vec<(u8, usize)> = Vec::new();
        let rank_of_clause = |clause: u32| -> u8 {
            let words = tokens[i..end].iter().filter(|t| t.clause == clause);
            let mut rank = 1;
            for t in words {
                match t.surface.as_str() {
                    "first" | "firstly" | "initially" => rank = 0,
                    "then" | "next" | "afterwards" => rank = rank.max(2),
                    "end" | "last" | "finally" | "lastly" => rank = 3,
                    _ => {}
                }
            }
            rank
        };
        let mut clause_rank: Vec<(u32, u8)> = Vec::new();
        for t in &tokens[i..end] {
            if !clause_rank.iter().any(|(c, _)| *c == t.clause) {
                clause_rank.push((t.clause, rank_of_clause(t.clause)));
            }
        }
        if clause_rank.iter().any(|(_, r)| *r != 1) {
            for (j, t) in tokens.iter().enumerate().take(end).skip(i) {
                if word(t) {
                    let rank = clause_rank.iter().find(|(c, _)| *c == t.clause).map_or(1, |(_, r)| *r);
                    ranked.push((rank, j));
                }
            }
            // Long run-on sentences would make many weak pairs; keep the cost bounded.
            ranked.truncate(MAX_RANKED);
            for &(ra, a) in &ranked {
                for &(rb, b) in &ranked {
                    if ra < rb {
                        out.insert((tokens[a].stem.to_string(), tokens[b].stem.to_string()));
                    }
                }
            }
        }
        i = end;
    }
}

/// The order the reference states, one way only.
#[derive(Debug, Clone, Default)]
pub struct Order {
    pairs: FastSet<(String, String)>,
}

impl Order {
    pub fn new(reference: &[Token]) -> Order {
        let mut all = FastSet::default();
        explicit_pairs(reference, &mut all);
        sequence_pairs(reference, &mut all);
        let pairs = all.iter().filter(|(a, b)| a != b && !all.contains(&(b.clone(), a.clone()))).cloned().collect();
        Order { pairs }
    }

    /// Number of the reference's ordered pairs the answer states reversed, provided it
    /// reverses more than it confirms (a stray word in a long sentence is not a claim).
    pub fn reversed(&self, answer: &[Token]) -> usize {
        if self.pairs.is_empty() {
            return 0;
        }
        let mut stated = FastSet::default();
        explicit_pairs(answer, &mut stated);
        sequence_pairs(answer, &mut stated);
        let reversed = stated.iter().filter(|(a, b)| self.pairs.contains(&(b.clone(), a.clone()))).count();
        let kept = stated.iter().filter(|p| self.pairs.contains(*p)).count();
        usize::from(reversed >= 2 && reversed > kept)
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn reversed_steps_are_caught_and_kept_steps_are_not() {
        let o = Order::new(&analyze(
            "Copy requirements.txt and run pip install before copying the rest of the source code.",
        ));
        let reversed = analyze("Copy all your source code first, and then run pip install at the very end.");
        let kept = analyze("Copy requirements.txt and install first, then copy the source code.");
        assert_eq!(o.reversed(&reversed), 1);
        assert_eq!(o.reversed(&kept), 0);
        assert_eq!(Order::new(&analyze("No order here.")).reversed(&reversed), 0);
    }
}
