//! [`PreparedQuestion`]: everything derived from the reference side once per question,
//! and the per-answer pipeline that uses it.

use super::fxhash::{FastMap, FastSet};

use super::concepts::{span_of, CompiledConcept, KeySet, Occurrence, StemIndex};
use super::misconceptions;
use super::order;
use super::relations::{Authored, RelationCheck, RelationModel};
use super::scoring::{self, combine, coverage, Signals};
use super::similarity::{RefVector, Weighter};
use super::text::{analyze, denial_cue, forbidden, turned_down, Token};
use super::vocab::Vocabulary;
use super::{auto, feedback, retraction, synonyms};
use super::{Band, Concept, ConceptResult, ConceptStatus, Corpus, Grade, Relation, Rule, RuleSet, Span};

/// Places in the answer shown for one concept (the first ones): enough to highlight
/// every mention in a real answer, and a bound on what one grade holds and stores for
/// an answer that repeats a term hundreds of times (a hostile `POST /api/v1/grade`
/// returned 6.7 MB of them, 2026-12-07).
pub const MAX_SPANS: usize = 20;

/// Answers longer than this are graded on their first part only, which bounds the
/// time one grading can take; spans stay valid because it is a prefix.
pub const MAX_ANSWER_BYTES: usize = 20_000;
/// A check about a term said of the wrong thing quotes at most this many words before
/// the term, within its clause ...
const SWAP_QUOTE_WORDS: usize = 6;
/// ... and at most this many characters in all (else the term alone).
const SWAP_QUOTE_CHARS: usize = 70;
/// Words a quoted statement does not start with.
const PREPOSITIONS: &[&str] = &["of", "to", "in", "on", "for", "with", "by", "at", "from", "as", "into", "about"];

/// Everything derived from the reference side, computed once per question and reused
/// for every answer. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct PreparedQuestion {
    concepts: Vec<Concept>,
    compiled: Vec<CompiledConcept>,
    /// The stem keys the compiled concepts look up: an answer's [`StemIndex`] holds
    /// only these.
    concept_keys: KeySet,
    weights: Vec<f64>,
    /// Whether the reference itself states the concept negated ("is not restarted").
    ref_negated: Vec<bool>,
    /// Whether the reference names the concept at all: a missed concept it does not
    /// name is not one "the model answer also covers" (a walk-through's author added a
    /// keyword their model answer never mentions, and the learner was told otherwise).
    in_reference: Vec<bool>,
    auto: bool,
    /// The concepts were derived from a model answer of fewer than
    /// [`super::scoring::SHORT_REFERENCE_WORDS`] words.
    short_reference: bool,
    weighter: Weighter,
    reference: RefVector,
    /// Words of question, reference and concepts: the topic's vocabulary.
    vocab: Vocabulary,
    relations: RelationModel,
    /// The author marked the concepts as steps in order (see [`order`]).
    ordered: bool,
    /// Wrong claims the author anticipated (see [`misconceptions`]).
    misconceptions: Vec<misconceptions::Compiled>,
    /// The rules in force (all by default; `calibrate --rules` switches them off one
    /// at a time).
    rules: RuleSet,
}

impl PreparedQuestion {
    /// Prepares a question. With no `concepts`, concepts are derived from the reference;
    /// with no `relations`, entity-term bindings are derived from question and reference.
    pub fn new(
        question: &str,
        reference: &str,
        concepts: &[Concept],
        relations: &[Relation],
        corpus: &Corpus,
    ) -> PreparedQuestion {
        let q_tokens = analyze(question);
        let weighter = Weighter::new(corpus).with_question(&q_tokens);
        let r_tokens = analyze(reference);
        let auto = concepts.is_empty();
        let (concepts, weights): (Vec<Concept>, Vec<f64>) = if auto {
            auto::derive(&q_tokens, &r_tokens, &weighter).into_iter().unzip()
        } else {
            (concepts.to_vec(), vec![1.0; concepts.len()])
        };
        // The content words of each concept's own alternatives: where an author wrote
        // relations, which say what each statement's words are about, a plain-words
        // paraphrase lent to one concept may not use another's. (On every question
        // it cost held-out correct answers: unseen10's false alarms 4 -> 6,
        // unseen11's 12 -> 13.)
        let words: Option<Vec<Vec<String>>> = (!relations.is_empty()).then(|| {
            concepts.iter().map(|c| c.alternatives.iter().flat_map(|a| synonyms::content_stems(a)).collect()).collect()
        });
        let strict: Vec<CompiledConcept> = concepts
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let other =
                    |stem: &str| words.iter().flatten().enumerate().any(|(j, w)| j != i && w.iter().any(|s| s == stem));
                let guard: Option<&dyn Fn(&str) -> bool> = words.as_ref().map(|_| &other as &dyn Fn(&str) -> bool);
                CompiledConcept::compile(&synonyms::with_paraphrases(&c.alternatives, guard))
            })
            .collect();
        let compiled: Vec<CompiledConcept> = (0..strict.len())
            .map(|i| {
                let others: Vec<&CompiledConcept> =
                    strict.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, c)| c).collect();
                let mut compiled = strict[i].clone();
                compiled.relax_for_topic(&[&q_tokens, &r_tokens], &others);
                compiled
            })
            .collect();
        // What the model answer denies, or names only as the alternative it turns down
        // ("in logarithmic time instead of a full table scan"): an answer that denies it
        // agrees.
        let mut in_reference = Vec::with_capacity(compiled.len());
        let ref_negated = compiled
            .iter()
            .map(|c| {
                let found = c.find(&r_tokens);
                in_reference.push(!found.is_empty());
                // A match inside a longer one ("scan" in "full table scan") is turned
                // down with it.
                let down = |o: &Occurrence| {
                    found.iter().any(|p| p.first <= o.first && o.last <= p.last && turned_down(&r_tokens, p.first))
                };
                found.iter().any(|o| !o.inverted && (o.negated || forbidden(&r_tokens, o.first)))
                    || (!found.is_empty() && found.iter().all(|o| o.negated || down(o)))
            })
            .collect();

        let concept_tokens: Vec<Token> =
            concepts.iter().flat_map(|c| c.alternatives.iter().flat_map(|a| analyze(a))).collect();
        let vocab = Vocabulary::new(q_tokens.iter().chain(&r_tokens).chain(&concept_tokens));

        let relations = if relations.is_empty() {
            RelationModel::derive(&q_tokens, question, &r_tokens, reference)
        } else {
            // The compiled concept a side of a relation names: the question's concept of
            // that label, or the side's own alternatives.
            let compiled_side = |label: &str| -> Option<CompiledConcept> {
                concepts
                    .iter()
                    .position(|c| c.label.eq_ignore_ascii_case(label.trim()))
                    .map(|i| compiled[i].clone())
                    .or_else(|| Concept::parse(label).map(|c| CompiledConcept::compile(&c.alternatives)))
            };
            let side = |label: &str| -> Vec<String> {
                let mut stems: Vec<String> =
                    compiled_side(label).iter().flat_map(|c| c.content_stems().map(str::to_string)).collect();
                stems.sort();
                stems.dedup();
                stems
            };
            // The content stems of each alternative the author wrote for an entity (not
            // the paraphrases added to it): each one names the entity.
            let alternatives = |label: &str| -> Vec<Vec<String>> {
                let written = concepts
                    .iter()
                    .find(|c| c.label.eq_ignore_ascii_case(label.trim()))
                    .map(|c| c.alternatives.clone())
                    .or_else(|| Concept::parse(label).map(|c| c.alternatives))
                    .unwrap_or_default();
                written
                    .iter()
                    .map(|a| analyze(a).iter().filter(|t| !t.stop).map(|t| t.stem.to_string()).collect())
                    .collect()
            };
            let pairs: Vec<Authored> = relations
                .iter()
                .map(|r| {
                    // Named in feedback by its label, never by its alternatives list.
                    let name = Concept::parse(&r.left).map_or_else(String::new, |c| c.label);
                    (name, side(&r.left), side(&r.right), alternatives(&r.left))
                })
                .collect();
            // The content words of each alternative of the authored terms.
            let phrases: Vec<Vec<String>> = relations
                .iter()
                .filter_map(|r| compiled_side(&r.right))
                .flat_map(|c| c.alternative_content().collect::<Vec<_>>())
                .collect();
            let mut model = RelationModel::authored(&pairs).with_phrases(phrases);
            model.allow_reference(&r_tokens);
            // Relations about a single entity cannot show a swap; on a question that
            // contrasts two things, the derived entities still can.
            if model.is_useful() {
                model
            } else {
                RelationModel::derive(&q_tokens, question, &r_tokens, reference)
            }
        };

        PreparedQuestion {
            reference: RefVector::build(&r_tokens, &weighter).index(&weighter, vocab.stems()),
            concept_keys: compiled.iter().flat_map(CompiledConcept::keys).collect(),
            concepts,
            compiled,
            weights,
            ref_negated,
            in_reference,
            short_reference: auto && reference.split_whitespace().count() < super::scoring::SHORT_REFERENCE_WORDS,
            auto,
            weighter,
            vocab,
            relations,
            ordered: false,
            misconceptions: Vec::new(),
            rules: RuleSet::default(),
        }
    }

    /// Marks the concepts as steps in the order they are listed, so an answer that
    /// explicitly puts two of them the other way round is flagged (see [`order`]).
    pub fn with_ordered_steps(mut self, ordered: bool) -> PreparedQuestion {
        self.ordered = ordered;
        self
    }

    /// Checks answers for the wrong claims an author anticipated (see
    /// [`super::Misconception`]); ones that cannot be used (no content word, no
    /// correction: see [`super::Misconception::problem`]) are left out.
    pub fn with_misconceptions(mut self, list: &[super::Misconception]) -> PreparedQuestion {
        let usable: Vec<&super::Misconception> = list.iter().filter(|m| m.problem().is_none()).collect();
        self.misconceptions = usable
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let labels = self.concepts.iter().map(|c| c.label.as_str());
                let subjects = usable.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, o)| o.subject.as_str());
                misconceptions::Compiled::new(m).with_others(labels.chain(subjects))
            })
            .collect();
        self
    }

    /// The same question graded with only `rules` in force.
    pub fn with_rules(mut self, rules: RuleSet) -> PreparedQuestion {
        self.rules = rules;
        self
    }

    /// The concepts actually graded: the given ones, or ones derived from the reference
    /// when none were given.
    pub fn concepts(&self) -> &[Concept] {
        &self.concepts
    }

    /// True when the concepts were derived automatically.
    pub fn concepts_are_derived(&self) -> bool {
        self.auto
    }

    /// The entities and the terms bound to each, derived or authored (for explaining).
    pub fn relation_terms(&self) -> Vec<(String, Vec<String>)> {
        self.relations.describe()
    }

    /// Analyses an answer and repairs misspelt words to the topic's vocabulary, so that
    /// "imgae" counts as "image" everywhere (concepts, similarity, relations).
    fn tokens(&self, answer: &str) -> Vec<Token> {
        let mut cut = answer.len().min(MAX_ANSWER_BYTES);
        while !answer.is_char_boundary(cut) {
            cut -= 1;
        }
        let mut tokens = analyze(&answer[..cut]);
        self.vocab.repair(&mut tokens);
        if self.rules.has(Rule::Retraction) {
            retraction::drop_retracted(&mut tokens, &answer[..cut]);
        }
        tokens
    }

    fn result(&self, i: usize, tokens: &[Token], occ: &[Occurrence], found: &Found) -> ConceptResult {
        let concept = &self.concepts[i];
        let rules = self.rules;
        // A plain mention under a negation ("does not restart") states nothing: it is
        // not coverage, and not a contradiction either (measured: such firings were
        // wrong more often than right on answers nobody tuned for). An author's negated
        // alternative ("not hard security") said without its negation is one, and a
        // negated mention of what the reference itself negates agrees with it.
        // The occurrences that count, and the positive ones among them (iterated in
        // place rather than collected: most concepts have few, and this allocates none).
        let keep = |o: &&Occurrence| !o.negated || (o.inverted && rules.has(Rule::Negation)) || self.ref_negated[i];
        let kept = || occ.iter().filter(keep);
        let positive = || kept().filter(|o| !o.negated);
        // Where a concept is found whole, its looser matches (a phrase with a word left
        // out) are not shown beside it: they add nothing to the verdict, and their words
        // often belong to another point ("one of them, so no single server" for "stick
        // to one server", a walk-through's finding).
        let spans_of = |list: &mut dyn Iterator<Item = &Occurrence>| -> Vec<Span> {
            let mut spans: Vec<Span> = list.map(|o| span_of(tokens, o)).collect();
            if spans.iter().any(|s| !s.loose) {
                spans.retain(|s| !s.loose);
            }
            spans.truncate(MAX_SPANS);
            spans
        };
        let (mut status, mut spans): (ConceptStatus, Vec<Span>) = if positive().next().is_some() {
            (ConceptStatus::Covered, spans_of(&mut positive()))
        } else if kept().next().is_some()
            // Turned down in other words ("instead of instantiating them itself" for
            // "not instantiate") is the negation the alternative asks for (unseen25).
            && kept()
                .all(|o| o.inverted && !negation_before(tokens, found.answer, o.first) && !turned_down(tokens, o.first))
        {
            (ConceptStatus::Contradicted, spans_of(&mut kept()))
        } else if kept().next().is_some() {
            (ConceptStatus::Covered, spans_of(&mut kept()))
        } else {
            (ConceptStatus::Missed, Vec::new())
        };
        let mut hint = feedback::hint(concept, status, self.in_reference[i]);
        if status == ConceptStatus::Contradicted {
            if let Some(sp) = spans.first() {
                hint = feedback::negation_check(&found.answer[sp.start..sp.end], &concept.label);
            }
        }
        // A conflict inside a match: the words are there, the statement is not. It
        // costs points, so the concept shows it even if stated right elsewhere, with the
        // learner's own phrase quoted and highlighted.
        if status == ConceptStatus::Covered {
            let hit = positive().find_map(|o| (o.first..=o.last).find_map(|j| found.conflict_at(j).map(|c| (o, c))));
            if let Some((o, c)) = hit {
                status = ConceptStatus::Contradicted;
                spans = vec![span_of(tokens, o)];
                hint = c.message.clone();
            }
        }
        ConceptResult { label: concept.label.clone(), status, spans, hint, weight: self.weights[i] }
    }

    /// True when `name` is one of the question's concepts (a label or an alternative):
    /// only such names may appear in feedback about a suspected swap.
    fn is_concept_name(&self, name: &str) -> bool {
        let name = name.trim();
        // Trimming only shortens an alternative: one shorter than the name is not it,
        // and is not trimmed.
        !name.is_empty()
            && self
                .concepts
                .iter()
                .any(|c| c.alternatives.iter().any(|a| a.len() >= name.len() && a.trim().eq_ignore_ascii_case(name)))
    }

    /// The message for a statement said of `said_of` that the model answer says of `owner`.
    fn swap_check(&self, phrase: &str, said_of: &str, owner: &str) -> String {
        // Quoted as one line, however the learner spaced it.
        let phrase = phrase.split_whitespace().collect::<Vec<_>>().join(" ");
        if self.is_concept_name(said_of) && self.is_concept_name(owner) {
            format!("Check: is \"{phrase}\" true of the {said_of}, or of the {owner}?")
        } else {
            format!("Check: is \"{phrase}\" said about the right thing? The model answer says it about something else.")
        }
    }

    /// Grades an answer.
    pub fn grade(&self, answer: &str) -> Grade {
        let tokens = self.tokens(answer);
        let rules = self.rules;
        let index = StemIndex::for_keys(&tokens, Some(&self.concept_keys));
        let mut occurrences: Vec<Vec<Occurrence>> =
            self.compiled.iter().map(|c| c.find_indexed(&tokens, &index)).collect();
        if rules.has(Rule::Negation) {
            unsay_inverted(&mut occurrences, &tokens);
        }
        let check = if rules.has(Rule::Swap) { self.relations.check(&tokens) } else { RelationCheck::default() };
        let reversed =
            if self.ordered && rules.has(Rule::Order) { order::reversed(&tokens, &occurrences) } else { Vec::new() };

        // Quote the whole concept match a term is part of ("read-only"), else the word,
        // from the word that denies it, if one does ("can't be caught").
        let term_span = |i: usize| -> (usize, usize) {
            let (start, end) = (tokens[i].start, tokens[i].end);
            if let Some(cue) = denial_cue(&tokens, i) {
                return (tokens[cue].start, end);
            }
            occurrences
                .iter()
                .flatten()
                .map(|o| span_of(&tokens, o))
                .find(|sp| sp.start <= start && end <= sp.end && sp.end - sp.start <= 40)
                .map_or((start, end), |sp| (sp.start, sp.end))
        };
        // A term said of the wrong thing is quoted with the words before it in its
        // clause, which tie it to what it was said of ("decides whether the pod gets
        // traffic", not "traffic"); a bare word reads as no statement at all.
        let statement = |i: usize| -> &str {
            let (term_start, term_end) = term_span(i);
            let mut j = i;
            while j > 0
                && i - (j - 1) <= SWAP_QUOTE_WORDS
                && tokens[j - 1].clause == tokens[i].clause
                && tokens[j - 1].sentence == tokens[i].sentence
            {
                j -= 1;
            }
            // Not from a conjunction or a preposition ("of all the overhead").
            while j < i && (tokens[j].clause_word || PREPOSITIONS.contains(&&*tokens[j].surface)) {
                j += 1;
            }
            // Through the noun a modifier term qualifies ("a single container"), from the
            // end of the term's match ("a read-only template": "only" is a stop word).
            let mut last = i;
            while last + 1 < tokens.len() && tokens[last + 1].end <= term_end {
                last += 1;
            }
            let anchor = last;
            while last + 1 < tokens.len()
                && last - anchor < 2
                && !tokens[last + 1].stop
                && tokens[last + 1].clause == tokens[i].clause
                && tokens[last + 1].start == tokens[last].end + 1
            {
                last += 1;
            }
            let quoted = &answer[tokens[j].start.min(term_start)..term_end.max(tokens[last].end)];
            if quoted.chars().count() <= SWAP_QUOTE_CHARS {
                quoted
            } else {
                &answer[term_start..term_end]
            }
        };
        // An author's anticipated misconception comes first: its correction says more
        // than a check can, so it is what a concept it overlaps shows, and what the
        // summary quotes.
        let mut conflicts: Vec<Conflict> = Vec::new();
        let mut misconceptions = 0;
        if rules.has(Rule::Misconception) && !self.misconceptions.is_empty() {
            let bits = misconceptions::answer_bits(&tokens);
            for m in &self.misconceptions {
                if let Some(hit) = m.find(&tokens, &bits, answer) {
                    let span = Span { start: tokens[hit.first].start, end: tokens[hit.last].end, loose: false };
                    let message = format!("Check: you said \"{}\". {}", &answer[span.start..span.end], m.correction());
                    conflicts.push(Conflict { at: hit.first, last: hit.last, message, span: Some(span) });
                    misconceptions += 1;
                }
            }
        }
        let name = |e: usize| self.relations.entity_name(e);
        // Two crossed terms of one clause ("the read-only template") are one statement:
        // both are marked, with the check quoted from the first.
        let mut said: Vec<((u32, usize, usize), String)> = Vec::new();
        for &(i, e, should) in &check.crossed {
            let statement_of = (tokens[i].clause, e, should);
            let message = match said.iter().find(|(k, _)| *k == statement_of) {
                Some((_, m)) => m.clone(),
                None => {
                    let m = self.swap_check(statement(i), &name(e), &name(should));
                    said.push((statement_of, m.clone()));
                    m
                }
            };
            conflicts.push(Conflict { at: i, last: i, message, span: None });
        }
        for st in &reversed {
            let (first, then) = (&self.concepts[st.earlier].label, &self.concepts[st.later].label);
            let message = format!("Check the order: does {first} really come before {then}?");
            conflicts.push(Conflict { at: st.at, last: st.at, message, span: None });
        }
        let found = Found::new(answer, conflicts);
        let mut concepts: Vec<ConceptResult> =
            (0..self.compiled.len()).map(|i| self.result(i, &tokens, &occurrences[i], &found)).collect();
        let coverage = coverage(&concepts);
        let sim = self.reference.compare(&tokens, &self.weighter, self.vocab.stems());
        let list = list_items(answer, &tokens, &occurrences, self.vocab.stems());
        let signals = Signals {
            coverage,
            recall: sim.recall,
            cosine: sim.cosine,
            on_topic: sim.precision,
            tokens: tokens.len() - list.2,
            list_items: list.0,
            list_tokens: list.1,
            supported: check.supported,
            crosswise: check.crosswise,
            reversed_steps: reversed.len(),
            misconceptions,
            circular_share: if rules.has(Rule::Circular) { super::circular::circular_share(&tokens) } else { 0.0 },
            derived_concepts: self.auto,
            short_reference: self.short_reference,
            rules,
            contradicted: concepts.iter().filter(|c| c.status == ConceptStatus::Contradicted).count(),
        };
        let (score, mut components) = combine(&signals);
        let band = Band::from_score(score);
        // Two crossed terms of one statement make the same check: it is listed once.
        let mut messages: Vec<String> = Vec::with_capacity(found.conflicts.len());
        for c in &found.conflicts {
            if !messages.contains(&c.message) {
                messages.push(c.message.clone());
            }
        }
        components.conflicts = messages;
        components.checked_phrases =
            found.conflicts.iter().filter_map(|c| c.span.map(|span| (span, c.message.clone()))).collect();
        if matches!(band, Band::Weak | Band::OffTopic) {
            components.comparison = feedback::comparison(answer, &tokens);
        }
        // A grade the grader cannot judge (see `Grade::unsure`) does not tell the
        // learner they left a concept out: it may be in their own words.
        if components.own_words || components.short_reference || feedback::undecided(band, &components) {
            for (c, def) in concepts.iter_mut().zip(&self.concepts) {
                if c.status == ConceptStatus::Missed && def.hint.as_deref().is_none_or(|h| h.trim().is_empty()) {
                    c.hint = feedback::unsure_hint(&def.label);
                }
            }
        }
        let feedback = feedback::summary(band, &concepts, &components);
        drop(found);
        super::text::recycle(tokens);
        Grade { score, band, concepts, feedback, components }
    }

    /// Grades an answer against one concept only (follow-up questions that probe a
    /// missed concept). `None` when the index is out of range.
    pub fn grade_concept(&self, concept_index: usize, answer: &str) -> Option<ConceptResult> {
        let compiled = self.compiled.get(concept_index)?;
        let tokens = self.tokens(answer);
        let occ = compiled.find(&tokens);
        let found = Found::new(answer, Vec::new());
        Some(self.result(concept_index, &tokens, &occ, &found))
    }
}

/// A suspected error: the token it was found at and the check shown to the learner.
#[derive(Debug, Clone)]
struct Conflict {
    /// The first and last token the conflict is about (the crossed term, or the whole
    /// misconception from its subject through its claim).
    at: usize,
    last: usize,
    message: String,
    /// The phrase the check quotes, when no concept match is sure to mark it (an
    /// anticipated misconception's claim).
    span: Option<Span>,
}

/// What one answer's grading found, shared by the per-concept results.
struct Found<'a> {
    answer: &'a str,
    conflicts: Vec<Conflict>,
    /// Token index -> index into `conflicts`.
    by_token: FastMap<usize, usize>,
}

impl<'a> Found<'a> {
    /// Indexes the conflicts by token: a conflict marks the concept match it is part of.
    fn new(answer: &'a str, conflicts: Vec<Conflict>) -> Found<'a> {
        let mut by_token: FastMap<usize, usize> = FastMap::default();
        for (k, c) in conflicts.iter().enumerate() {
            for token in c.at..=c.last {
                by_token.entry(token).or_insert(k);
            }
        }
        Found { answer, conflicts, by_token }
    }

    fn conflict_at(&self, token: usize) -> Option<&Conflict> {
        self.by_token.get(&token).map(|&k| &self.conflicts[k])
    }
}

/// Clauses of at most [`scoring::LIST_ITEM_MAX`] tokens that do not open with a
/// clause word ("and restarts it" continues a sentence), and how many tokens they hold.
/// A line of its own that holds a function word, or an item next to an arrow or an
/// equals sign, is a note, not an item. Inside longer clauses, runs of at least
/// [`scoring::TERM_RUN_MIN`] words separated by nothing but spaces and with no function
/// word outside a concept's match ("TCP UDP connection-oriented connectionless
/// three-way handshake SYN ACK ...") are terms with the commas left out: such a run
/// counts as one item per two of its words.
/// Short clauses opened by "and" in a row, in one sentence, that read as list items.
const AND_CHAIN_MIN: usize = 3;

/// Ends a run of short "and" clauses ((first token, length) each): a run of at least
/// [`AND_CHAIN_MIN`] adds its clauses to the list items; the run is emptied either way.
fn close_and_run(run: &mut Vec<(usize, usize)>, items: &mut usize, in_items: &mut usize, last_item_end: &mut usize) {
    if run.len() >= AND_CHAIN_MIN {
        *items += run.len();
        *in_items += run.iter().map(|r| r.1).sum::<usize>();
        *last_item_end = run.last().map_or(*last_item_end, |r| r.0 + r.1);
    }
    run.clear();
}

fn list_items(
    answer: &str,
    tokens: &[Token],
    occurrences: &[Vec<Occurrence>],
    topic: &FastSet<String>,
) -> (usize, usize, usize) {
    // Code is not a list of terms: its statements are short clauses too (measured on
    // real student answers, where every stuffing verdict on code was wrong).
    if looks_like_code(answer) {
        return (0, 0, 0);
    }
    let marks = term_marks(tokens.len(), occurrences);
    let (mut items, mut in_items) = (0, 0);
    let mut start = 0;
    // The tokens since the last item, a line break or the sentence's start: where a run of
    // terms is looked for ("stretch"). Clauses opened by a clause word join it, so a
    // run goes on through "and" and "so".
    let mut stretch = 0;
    let mut last_item_end = 0;
    // The current run of short clauses opened by "and": (first token, length) each.
    let mut and_run: Vec<(usize, usize)> = Vec::new();
    for clause in tokens.chunk_by(|a, b| a.clause == b.clause) {
        let offset = start;
        start += clause.len();
        if offset > stretch && tokens[offset - 1].sentence != clause[0].sentence {
            (items, in_items) = add_runs(answer, &tokens[stretch..offset], stretch, &marks, (items, in_items));
            stretch = offset;
        }
        // An item names a term (a word, or a symbol of the question's own vocabulary such
        // as "0.0.0.0"); example values ("1, 2, 3" or "A, B, C") do not.
        let names_a_term = || clause.iter().any(|t| !t.stop && (is_word(&t.surface) || topic.contains(&*t.stem)));
        // A line of its own with a function word in it ("- ACKs from receiver",
        // "3. Receiver reorders") is a note that says something, not a bare term; the
        // same words between commas on one line ("taint on node, toleration on pod")
        // are a list.
        let note = || {
            let end = offset + clause.len();
            // The text between this clause and its neighbours; the answer's ends count
            // as line breaks.
            let gap = |from: usize, to: usize| answer.get(from..to).unwrap_or("");
            let last = clause[clause.len() - 1].end;
            let before = if offset == 0 { "\n" } else { gap(tokens[offset - 1].end, clause[0].start) };
            let after = if end == tokens.len() { "\n" } else { gap(last, tokens[end].start) };
            let own_line = before.contains('\n') && after.contains('\n');
            // An arrow or an equals sign next to or inside the item ties it to another
            // ("resolver → root server", "ack/redelivery = at-least-once").
            let relates = [before, gap(clause[0].start, last), after].iter().any(|g| relates(g));
            relates || (own_line && clause.iter().any(|t| t.stop))
        };
        // "and" opens a clause ("and restarts it" continues a sentence), but three or
        // more short ones in a row are a list written with "and" for commas ("copies
        // and the leader and followers and lag and failover"); one or two are how terse
        // answers join facts ("connection-based and reliable and ordered").
        let chained = &*clause[0].surface == "and" && clause.len() <= scoring::LIST_ITEM_MAX && names_a_term();
        if chained && and_run.last().is_none_or(|&(at, _)| tokens[at].sentence == clause[0].sentence) {
            and_run.push((offset, clause.len()));
            continue;
        }
        close_and_run(&mut and_run, &mut items, &mut in_items, &mut last_item_end);
        if chained {
            and_run.push((offset, clause.len()));
            continue;
        }
        if clause.len() <= scoring::LIST_ITEM_MAX && !clause[0].clause_word && names_a_term() && !note() {
            (items, in_items) = add_runs(answer, &tokens[stretch..offset], stretch, &marks, (items, in_items));
            items += 1;
            in_items += clause.len();
            stretch = start;
            last_item_end = start;
        }
    }
    close_and_run(&mut and_run, &mut items, &mut in_items, &mut last_item_end);
    let (items, in_items) = add_runs(answer, &tokens[stretch..], stretch, &marks, (items, in_items));
    // The lines of a fenced block are commands, and a sentence after it explains them
    // (looked for only when there is a remark to leave out: most answers have none).
    // Too few items make no list (`scoring::LIST_MIN_ITEMS`), whatever comes after them.
    let remark = if items >= scoring::LIST_MIN_ITEMS { closing_remark(tokens, occurrences, last_item_end) } else { 0 };
    (items, in_items, if remark > 0 && answer.contains("```") { 0 } else { remark })
}

/// Tokens of the sentences after the one that holds the last list item, when they name
/// no concept the answer had not named before them: a closing remark on a list ("These
/// are the main points about how a B-tree index speeds up queries.") says nothing the
/// list did not, so it does not dilute the list's share of the answer.
fn closing_remark(tokens: &[Token], occurrences: &[Vec<Occurrence>], last_item_end: usize) -> usize {
    if last_item_end == 0 || last_item_end >= tokens.len() {
        return 0;
    }
    let sentence = tokens[last_item_end - 1].sentence;
    let Some(tail) = tokens[last_item_end..].iter().position(|t| t.sentence != sentence).map(|k| k + last_item_end)
    else {
        return 0;
    };
    let new_in_tail =
        occurrences.iter().any(|found| found.iter().any(|o| o.first >= tail) && !found.iter().any(|o| o.last < tail));
    if new_in_tail {
        0
    } else {
        tokens.len() - tail
    }
}

/// Per answer token, whether a concept's match covers it ([`IN_TERM`]) and whether that
/// match is a short phrase ([`IN_PHRASE`]): read by [`add_runs`] for every token, so
/// worked out once per answer.
const IN_TERM: u8 = 1;
const IN_PHRASE: u8 = 2;

fn term_marks(n: usize, occurrences: &[Vec<Occurrence>]) -> Vec<u8> {
    let mut marks = vec![0u8; n];
    for o in occurrences.iter().flatten() {
        let mark = if o.last - o.first < scoring::LIST_ITEM_MAX { IN_TERM | IN_PHRASE } else { IN_TERM };
        for m in marks.iter_mut().take(o.last + 1).skip(o.first) {
            *m |= mark;
        }
    }
    marks
}

/// Adds to `(items, in_items)` the runs of terms in `stretch` (which starts at token
/// `offset` of the answer): at least [`scoring::TERM_RUN_MIN`] words with no function
/// word outside a concept's match ("TCP UDP connection-oriented connectionless
/// three-way handshake SYN ACK ..."), nothing but spaces between them, and no glue
/// word counted ("so PID 1 like SIGTERM you know SIGKILL"): terms with the commas left
/// out, one item per two of them. `marks` are the answer's [`term_marks`].
fn add_runs(
    answer: &str,
    stretch: &[Token],
    offset: usize,
    marks: &[u8],
    (items, in_items): (usize, usize),
) -> (usize, usize) {
    if stretch.len() < scoring::TERM_RUN_MIN {
        return (items, in_items);
    }
    // Only spaces between two words: "→", "/" or "=" between them state a relation.
    // The parts of a hyphenated word ("read-only") and a command-line flag after a
    // space ("logs --previous") are words of a run too: a keyword dump typed in a chat
    // box ("image container layers read-only writable layer dockerfile registry") was
    // cut into runs too short to read as a list.
    let gap = |j: usize| answer.get(stretch[j - 1].end..stretch[j].start).unwrap_or("=");
    let spaced = |j: usize| {
        let g = gap(j);
        g == "-" || g.trim_end_matches('-').chars().all(char::is_whitespace)
    };
    let glue = |t: &Token| t.glue;
    // Two readings; the one that finds more wins. Without glue, a run stays inside a
    // clause of at least TERM_RUN_MIN tokens, and a function word inside a concept's
    // match ("cannot be caught") is part of a term, as it always was.
    let in_term = |k: usize| marks.get(k).is_some_and(|m| m & IN_TERM != 0);
    let plain = |k: usize| !stretch[k].stop || in_term(offset + k);
    let mut best = (0, 0);
    let mut from = 0;
    while from < stretch.len() {
        let clause = stretch[from].clause;
        let to = (from..stretch.len()).find(|&j| stretch[j].clause != clause).unwrap_or(stretch.len());
        if to - from >= scoring::TERM_RUN_MIN {
            best = add_up(best, runs(from, to, &plain, &|j| !spaced(j), &|_| true));
        }
        from = to;
    }
    // Through glue, only words that are no function words count, plus those of a
    // concept matched as a short phrase ("in order"), never those of one matched
    // across a sentence ("fewer running pods than the desired replica count"), which
    // would make the whole sentence a run; the parts of a hyphenated word ("db-0")
    // stay together. Looked at only when the stretch has glue and enough other words.
    let words = stretch.iter().filter(|t| !t.stop && !glue(t)).count();
    if words >= scoring::TERM_RUN_MIN && stretch.iter().any(glue) {
        let in_phrase = |k: usize| marks.get(offset + k).is_some_and(|m| m & IN_PHRASE != 0);
        let glued = |k: usize| !stretch[k].stop || glue(&stretch[k]) || in_phrase(k);
        let found = runs(0, stretch.len(), &glued, &|j| !spaced(j), &|k| !glue(&stretch[k]));
        if found.1 > best.1 {
            best = found;
        }
    }
    add_up((items, in_items), best)
}

/// Runs of tokens in `from..to` that `fits`, not split where `apart`: items (one per
/// two counted words) and tokens of those with at least [`scoring::TERM_RUN_MIN`] words
/// that `counts`.
fn runs(
    from: usize,
    to: usize,
    fits: &dyn Fn(usize) -> bool,
    apart: &dyn Fn(usize) -> bool,
    counts: &dyn Fn(usize) -> bool,
) -> (usize, usize) {
    let (mut found, mut within) = (0, 0);
    let mut i = from;
    while i < to {
        let j = (i..to).find(|&j| !fits(j) || (j > i && apart(j))).unwrap_or(to);
        let words = (i..j).filter(|&k| counts(k)).count();
        if words >= scoring::TERM_RUN_MIN {
            found += words / 2;
            within += j - i;
        }
        // A word that starts a new run after a break is looked at once more; one that
        // does not fit is skipped.
        i = if j < to && j > i && fits(j) { j } else { j + 1 };
    }
    (found, within)
}

fn add_up(a: (usize, usize), b: (usize, usize)) -> (usize, usize) {
    (a.0 + b.0, a.1 + b.1)
}

/// True when `gap` holds an arrow (`→`, `->`, `=>`) or an equals sign. One pass over
/// the bytes: the gaps are a few bytes long, and a substring search costs more to set
/// up than that (`=>` needs no test of its own, its `=` is one).
fn relates(gap: &str) -> bool {
    let b = gap.as_bytes();
    b.iter().enumerate().any(|(i, &c)| {
        c == b'='
            || (c == b'-' && b.get(i + 1) == Some(&b'>'))
            || (c == 0xE2 && b.get(i + 1..i + 3) == Some(&[0x86, 0x92]))
    })
}

/// At least two letters and nothing but letters (and inner hyphens or apostrophes).
fn is_word(surface: &str) -> bool {
    if surface.is_ascii() {
        // The same test on bytes: an ASCII char is alphabetic exactly when its byte is.
        let b = surface.as_bytes();
        return b.iter().filter(|c| c.is_ascii_alphabetic()).count() >= 2
            && b.iter().all(|&c| c.is_ascii_alphabetic() || c == b'-' || c == b'\'');
    }
    surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && surface.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'')
}

/// Statements of a program: several of `;` `{` `}` `=` `->` between the words.
fn looks_like_code(answer: &str) -> bool {
    // All ASCII, so a byte scan counts the same chars; "->" cannot overlap itself, and
    // its `>` is no other mark. Two branch-free counts over the whole text (which the
    // compiler vectorises) cost far less than a loop that stops at the third mark.
    // Counted in blocks of 255 bytes into a byte-wide counter, which the compiler
    // vectorises 16 bytes at a time.
    const BLOCK: usize = 255;
    let bytes = answer.as_bytes();
    let marks: usize = bytes
        .chunks(BLOCK)
        .map(|block| {
            let n = block.iter().fold(0u8, |n, &b| n + u8::from(b == b';' || b == b'{' || b == b'}' || b == b'='));
            usize::from(n)
        })
        .sum();
    let next = bytes.get(1..).unwrap_or_default();
    let arrows: usize = bytes
        .chunks(BLOCK)
        .zip(next.chunks(BLOCK))
        .map(|(a, b)| usize::from(a.iter().zip(b).fold(0u8, |n, (&a, &b)| n + u8::from(a == b'-' && b == b'>'))))
        .sum();
    marks + arrows >= 3
}

/// Drops the occurrences of an author's negated alternative ("not hard security",
/// "not namespaced") said without its negation that do not contradict the answer: one
/// in a sentence that reports a belief ("a common myth is that they're a hard security
/// boundary; they aren't"), as anticipated misconceptions are read, and one whose words
/// another concept of the question names ("a PersistentVolumeClaim is namespaced" when
/// "namespaced" is a concept of its own): the author counts those words as something
/// right to say.
fn unsay_inverted(occurrences: &mut [Vec<Occurrence>], tokens: &[Token]) {
    for i in 0..occurrences.len() {
        // An inverted occurrence said without the negation its alternative has is
        // marked negated (see `CompiledAlt::occurrence`): those are the contradictions.
        if !occurrences[i].iter().any(|o| o.inverted && o.negated) {
            continue;
        }
        let (before, rest) = occurrences.split_at_mut(i);
        let Some((own, after)) = rest.split_first_mut() else { continue };
        own.retain(|o| {
            if !(o.inverted && o.negated) {
                return true;
            }
            let named_right = before
                .iter()
                .chain(after.iter())
                .flatten()
                .any(|p| !p.inverted && !p.negated && p.first <= o.last && o.last <= p.last);
            !named_right && !misconceptions::distanced(tokens, o.first)
        });
    }
}

/// True when a negation cue stands earlier in token `k`'s sentence with no comma,
/// semicolon or colon between: "you must not do it on a branch that is already pushed
/// and shared" denies, though its cue is too far from "shared" to negate it. An
/// author's negated alternative ("not shared") said without its own negation is not
/// read as the opposite then (found on esl19, where it told a correct merge/rebase
/// answer it got shared branches wrong). Past a comma the cue is another statement's:
/// "pods can't reach each other by default, which makes them a hard security boundary".
fn negation_before(tokens: &[Token], text: &str, k: usize) -> bool {
    let sentence = tokens[k].sentence;
    for j in (0..k).rev().take_while(|&j| tokens[j].sentence == sentence) {
        if text.get(tokens[j].end..tokens[j + 1].start).is_some_and(|gap| gap.contains([',', ';', ':'])) {
            return false;
        }
        if tokens[j].neg {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The byte scan finds what the substring searches it replaced found.
    #[test]
    fn relates_finds_arrows_and_equals_signs_as_the_substring_searches_did() {
        let gaps = [
            "", " ", ", ", " -> ", "->", "-", ">", "- >", " → ", "→", "→x", "=", "=>", " => ", "a=b", "—", "–", "\n- ",
            "é", "↑", "←", "x-", ">-", "-→", "\u{2192}",
        ];
        for g in gaps {
            let old = g.contains('→') || g.contains("->") || g.contains("=>") || g.contains('=');
            assert_eq!(relates(g), old, "{g:?}");
        }
    }

    #[test]
    fn code_needs_three_marks_and_an_arrow_counts_once() {
        assert!(!looks_like_code("a = b; c"));
        assert!(looks_like_code("a = b; c -> d"));
        assert!(!looks_like_code("a -> b, then c - > d"));
        assert!(!looks_like_code("fn f() { x }"));
        assert!(looks_like_code("fn f() { x; }"));
        assert!(!looks_like_code("->"));
    }
}
