//! Who does what: the reference's actors ("the scheduler puts it on a node", "the
//! kubelet restarts it") and the actions it gives each. An answer that gives an action
//! to a different actor of the reference ("the Service creates a new pod" where the
//! reference has the controller create it) has swapped them, even when the question
//! names only one entity.
//!
//! Deliberately narrow, to stay clear of false alarms: an actor is a word right after
//! a determiner at the start of a clause, its action the next content word (or the
//! first content word of a following clause of the same sentence that opens with
//! "and", "then", "it"... and names no actor),
//! and only actions the reference gives to exactly one actor are checked.

use std::ops::Range;

use super::fxhash::{FastMap, FastSet};
use super::text::{negated_at, Token};

/// Determiners that open a subject ("its", "that" open objects and relative clauses
/// too often).
const DETERMINERS: &[&str] = &["the", "a", "an", "each", "every"];
/// Clause openers after which the previous actor is still the one acting ("..., and
/// creates a replacement", "..., then it restarts").
const CONTINUERS: &[&str] = &["and", "then", "it", "they", "which", "who", "so"];

/// Actors of the reference and the action stems it gives each.
#[derive(Debug, Clone, Default)]
pub struct Actions {
    actors: Vec<String>,
    /// How the reference writes each actor, for feedback.
    names: Vec<String>,
    /// Action stem -> bit set of actors.
    by_action: FastMap<String, u64>,
    /// Per actor, the stems of the reference clauses about it: an action the reference
    /// says near an actor ("a container that hits its CPU limit ..., while one that
    /// goes over its memory limit") is never a swap for that actor.
    near: Vec<FastSet<String>>,
}

/// Splits the run of `len` words from token `first` on, after a determiner, into actor
/// and action: "the authorization server authenticates" -> ("authorization server",
/// authenticates). The action is the first later word that looks like a present-tense
/// verb (ends in -s), else the word right after the first.
/// A run that fills its clause with no verb in it ("the authorization server, then
/// exchanges ...") is all actor: its action comes in the next clause.
fn split_run(tokens: &[Token], first: usize, len: usize, fills_clause: bool) -> (Range<usize>, Option<usize>) {
    let verb = |t: &Token| {
        let w = &*t.surface;
        w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") && w.chars().all(char::is_alphabetic)
    };
    let k = (1..len).find(|&k| verb(&tokens[first + k])).unwrap_or(if fills_clause { len } else { 1 });
    (first..first + k.min(len), (k < len).then_some(first + k))
}

/// The actor's stems (its key among the reference's actors) or surfaces, joined by
/// spaces, into `out`.
fn write_actor(out: &mut String, actor: &[Token], part: fn(&Token) -> &str) {
    out.clear();
    for (n, t) in actor.iter().enumerate() {
        if n > 0 {
            out.push(' ');
        }
        out.push_str(part(t));
    }
}

/// (actor token range, action token index) pairs of a text; an actor is a run of
/// adjacent words.
fn pairs(tokens: &[Token]) -> Vec<(Range<usize>, usize)> {
    let mut out = Vec::new();
    let mut actor: Option<Range<usize>> = None;
    let mut content: Vec<usize> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (clause, sentence) = (tokens[i].clause, tokens[i].sentence);
        if i == 0 || tokens[i - 1].sentence != sentence {
            actor = None;
        }
        let end = (i..tokens.len()).find(|&j| tokens[j].clause != clause).unwrap_or(tokens.len());
        content.clear();
        content.extend((i..end).filter(|&j| is_word(&tokens[j])));
        if let Some(&first) = content.first() {
            let after_det = first > i && DETERMINERS.contains(&&*tokens[first - 1].surface);
            if after_det {
                // The run of adjacent words after the determiner.
                let len = content.iter().enumerate().take_while(|&(n, &j)| j == first + n).count();
                let fills_clause = len == content.len();
                let (found, action) = split_run(tokens, first, len, fills_clause);
                // A single-word actor may be followed by its verb after function words
                // ("a controller is constantly comparing").
                let action = action.or_else(|| content.get(1).copied().filter(|&a| a == next_word(tokens, first)));
                if let Some(action) = action {
                    out.push((found.clone(), action));
                }
                actor = Some(found);
            } else if CONTINUERS.contains(&&*tokens[i].surface) {
                if let Some(a) = &actor {
                    out.push((a.clone(), first));
                }
            } else {
                // A clause with a subject of its own ("pods in different namespaces
                // still share ..."): what follows is about that subject, not the
                // sentence's earlier actor, and a bare subject is not an actor.
                actor = None;
            }
        }
        i = end;
    }
    out.retain(|(_, a)| !negated_at(tokens, *a));
    out
}

/// A word that can be an actor or an action: not a function word, a filler
/// ("meanwhile") or an adverb ("constantly").
fn is_word(t: &Token) -> bool {
    !t.stop && !t.common && !t.surface.ends_with("ly")
}

/// Index of the next word after `i` (the action must follow the actor).
fn next_word(tokens: &[Token], i: usize) -> usize {
    (i + 1..tokens.len()).find(|&j| is_word(&tokens[j])).unwrap_or(usize::MAX)
}

impl Actions {
    pub fn new(reference: &[Token]) -> Actions {
        let mut model = Actions::default();
        let (mut key, mut name) = (String::new(), String::new());
        for (actor, action) in pairs(reference) {
            write_actor(&mut key, &reference[actor.clone()], |t| &t.stem);
            write_actor(&mut name, &reference[actor], |t| &t.surface);
            let idx = match model.actors.iter().position(|a| *a == key) {
                Some(i) => i,
                None if model.actors.len() < 64 => {
                    model.actors.push(key.clone());
                    model.names.push(name.clone());
                    model.actors.len() - 1
                }
                None => continue,
            };
            *model.by_action.entry(reference[action].stem.to_string()).or_insert(0) |= 1 << idx;
        }
        // Each clause is near the actors it names, or else near the ones the previous
        // clause of its sentence named ("..., while one that goes over its memory
        // limit ...").
        let keys: Vec<Vec<&str>> = model.actors.iter().map(|a| a.split(' ').collect()).collect();
        model.near = vec![FastSet::default(); keys.len()];
        for sentence in reference.chunk_by(|a, b| a.sentence == b.sentence) {
            let mut current: Vec<usize> = Vec::new();
            for clause in sentence.chunk_by(|a, b| a.clause == b.clause) {
                let named: Vec<usize> = (0..keys.len())
                    .filter(|&k| {
                        clause.windows(keys[k].len()).any(|w| w.iter().zip(&keys[k]).all(|(t, s)| *t.stem == **s))
                    })
                    .collect();
                if !named.is_empty() {
                    current = named;
                }
                for &k in &current {
                    model.near[k].extend(clause.iter().map(|t| t.stem.to_string()));
                }
            }
        }
        model
    }

    /// (supported, swapped) actor-action pairs of an answer, and the token indices of
    /// swapped actions with the actor they were given to and the reference's actor.
    /// A swap counts only with symmetric evidence: the answer gives an action of actor
    /// A to B *and* one of B to A. A single action said of another actor is as often a
    /// correct sentence the reference happens not to contain ("the kubelet then runs
    /// the pod") as a wrong one.
    pub fn check(&self, answer: &[Token]) -> (usize, Vec<(usize, String, String)>) {
        let (mut supported, mut swapped): (usize, Vec<(usize, usize, usize)>) = (0, Vec::new());
        if self.actors.len() < 2 {
            return (0, Vec::new());
        }
        let mut key = String::new();
        for (actor, action) in pairs(answer) {
            write_actor(&mut key, &answer[actor], |t| &t.stem);
            let Some(a) = self.actors.iter().position(|x| *x == key) else {
                continue;
            };
            let Some(&mask) = self.by_action.get(&*answer[action].stem) else {
                continue;
            };
            if mask & (1 << a) != 0 {
                supported += 1;
            } else if mask.count_ones() == 1 && !self.near[a].contains(&*answer[action].stem) {
                swapped.push((action, a, mask.trailing_zeros() as usize));
            }
        }
        let directions: Vec<(usize, usize)> = swapped.iter().map(|&(_, a, o)| (a, o)).collect();
        swapped.retain(|&(_, a, o)| directions.contains(&(o, a)));
        let named = swapped.into_iter().map(|(i, a, o)| (i, self.names[a].clone(), self.names[o].clone())).collect();
        (supported, named)
    }
}

#[cfg(test)]
mod tests {
    use super::super::text::analyze;
    use super::*;

    #[test]
    fn an_action_given_to_another_actor_is_a_swap() {
        let a = Actions::new(&analyze(
            "The controller creates a replacement pod and the scheduler puts it on a node. \
             The kubelet restarts the container.",
        ));
        let (ok, bad) = a.check(&analyze("The controller creates a new pod. The kubelet restarts it."));
        assert_eq!((ok, bad.len()), (2, 0));
        // One action said of another actor is not evidence enough ...
        let (_, bad) = a.check(&analyze("The scheduler creates a new pod, and the controller restarts it."));
        assert!(bad.is_empty(), "{bad:?}");
        // ... a swap in both directions is.
        let (_, bad) = a.check(&analyze("The scheduler creates a new pod. The controller puts it on a node."));
        assert_eq!(bad.len(), 2, "{bad:?}");
    }
}
