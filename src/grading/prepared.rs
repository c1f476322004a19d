//! [`PreparedQuestion`]: everything derived from the reference side once per question,
//! and the per-answer pipeline that uses it.

use super::fxhash::FastSet;

use super::actions::Actions;
use super::concepts::{span_of, CompiledConcept, Occurrence, StemIndex};
use super::opposites::Opposites;
use super::order::Order;
use super::relations::{RelationCheck, RelationModel};
use super::scoring::{combine, coverage, Signals};
use super::similarity::{RefVector, Weighter};
use super::text::{analyze, Token};
use super::vocab::Vocabulary;
use super::{auto, feedback, lexicon};
use super::{Band, Concept, ConceptResult, ConceptStatus, Corpus, Grade, Relation};

/// Answers longer than this are graded on their first part only, which bounds the
/// time one grading can take; spans stay valid because it is a prefix.
pub const MAX_ANSWER_BYTES: usize = 20_000;

/// How near (in tokens) the reference's content must be for a concept that only
/// echoes the question to count.
const ECHO_REACH: usize = 8;

/// Everything derived from the reference side, computed once per question and reused
/// for every answer. Cheap to clone, `Send + Sync`.
#[derive(Debug, Clone)]
pub struct PreparedQuestion {
    concepts: Vec<Concept>,
    compiled: Vec<CompiledConcept>,
    weights: Vec<f64>,
    /// Whether the reference itself states the concept negated ("is not restarted").
    ref_negated: Vec<bool>,
    /// Stems of the reference's content words that the question does not use: what
    /// an answer says beyond echoing the question.
    ref_content: FastSet<String>,
    auto: bool,
    weighter: Weighter,
    reference: RefVector,
    /// Words of question, reference and concepts: the topic's vocabulary.
    vocab: Vocabulary,
    relations: RelationModel,
    opposites: Opposites,
    actions: Actions,
    order: Order,
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
        let weighter = Weighter::new(corpus);
        let q_tokens = analyze(question);
        let r_tokens = analyze(reference);
        let auto = concepts.is_empty();
        let (concepts, weights): (Vec<Concept>, Vec<f64>) = if auto {
            auto::derive(&q_tokens, &r_tokens, &weighter).into_iter().unzip()
        } else {
            (concepts.to_vec(), vec![1.0; concepts.len()])
        };
        let compiled: Vec<CompiledConcept> = concepts
            .iter()
            .map(|c| {
                let mut compiled = CompiledConcept::compile(&c.alternatives);
                compiled.relax_for_topic(&[&q_tokens, &r_tokens]);
                compiled.mark_echoes(&q_tokens);
                compiled
            })
            .collect();
        let ref_negated = compiled.iter().map(|c| c.find(&r_tokens).iter().any(|o| o.negated && !o.inverted)).collect();

        let ref_content: FastSet<String> = r_tokens
            .iter()
            .filter(|t| !t.stop && !t.common && !q_tokens.iter().any(|q| q.stem == t.stem))
            .map(|t| t.stem.to_string())
            .collect();

        let concept_tokens: Vec<Token> =
            concepts.iter().flat_map(|c| c.alternatives.iter().flat_map(|a| analyze(a))).collect();
        let vocab = Vocabulary::new(q_tokens.iter().chain(&r_tokens).chain(&concept_tokens));

        let relations = if relations.is_empty() {
            RelationModel::derive(&q_tokens, &r_tokens)
        } else {
            let side = |label: &str| -> Vec<String> {
                let compiled = concepts
                    .iter()
                    .position(|c| c.label.eq_ignore_ascii_case(label.trim()))
                    .map(|i| compiled[i].clone())
                    .or_else(|| Concept::parse(label).map(|c| CompiledConcept::compile(&c.alternatives)));
                let mut stems: Vec<String> =
                    compiled.iter().flat_map(|c| c.content_stems().map(str::to_string)).collect();
                stems.sort();
                stems.dedup();
                stems
            };
            let pairs: Vec<(String, Vec<String>, Vec<String>)> = relations
                .iter()
                .map(|r| {
                    // Named in feedback by its label, never by its alternatives list.
                    let name = Concept::parse(&r.left).map_or_else(String::new, |c| c.label);
                    (name, side(&r.left), side(&r.right))
                })
                .collect();
            let mut model = RelationModel::authored(&pairs);
            model.allow_reference(&r_tokens);
            model
        };

        PreparedQuestion {
            reference: RefVector::build(&r_tokens, &weighter),
            concepts,
            compiled,
            weights,
            ref_negated,
            ref_content,
            auto,
            weighter,
            vocab,
            relations,
            opposites: Opposites::new(&q_tokens, &r_tokens),
            actions: Actions::new(&r_tokens),
            order: Order::new(&r_tokens),
        }
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
        tokens
    }

    fn result(&self, i: usize, tokens: &[Token], occ: &[Occurrence], crossed: &FastSet<usize>) -> ConceptResult {
        let concept = &self.concepts[i];
        // Echoing the question ("requests is how many requests the app handles") is not
        // stating the concept: an echo counts only with some of the reference's own
        // content close by in the same sentence.
        let occ: Vec<Occurrence> =
            occ.iter().filter(|o| !o.echo || self.stated_with_content(tokens, o)).copied().collect();
        let occ = occ.as_slice();
        let positive: Vec<&Occurrence> = occ.iter().filter(|o| !o.negated).collect();
        let (mut status, spans) = if !positive.is_empty() {
            (ConceptStatus::Covered, positive.iter().map(|o| span_of(tokens, o)).collect())
        } else if !occ.is_empty() && (!self.ref_negated[i] || occ.iter().all(|o| o.inverted)) {
            (ConceptStatus::Contradicted, occ.iter().map(|o| span_of(tokens, o)).collect())
        } else if !occ.is_empty() {
            (ConceptStatus::Covered, occ.iter().map(|o| span_of(tokens, o)).collect())
        } else {
            (ConceptStatus::Missed, Vec::new())
        };
        // Said about the wrong entity: the words are there, the statement is not. The
        // conflict costs points, so the concept shows it even if stated right elsewhere.
        if status == ConceptStatus::Covered && positive.iter().any(|o| (o.first..=o.last).any(|j| crossed.contains(&j)))
        {
            status = ConceptStatus::Contradicted;
        }
        ConceptResult {
            label: concept.label.clone(),
            status,
            spans,
            hint: feedback::hint(concept, status),
            weight: self.weights[i],
        }
    }

    /// True when a content word of the reference that the question does not use
    /// stands within [`ECHO_REACH`] tokens of the occurrence, in its sentence.
    fn stated_with_content(&self, tokens: &[Token], o: &Occurrence) -> bool {
        let sentence = tokens[o.first].sentence;
        let from = o.first.saturating_sub(ECHO_REACH);
        let to = (o.last + ECHO_REACH).min(tokens.len() - 1);
        (from..=to).any(|j| {
            (j < o.first || j > o.last)
                && tokens[j].sentence == sentence
                && !tokens[j].stop
                && self.ref_content.contains(&*tokens[j].stem)
        })
    }

    /// Grades an answer.
    pub fn grade(&self, answer: &str) -> Grade {
        let tokens = self.tokens(answer);
        let check: RelationCheck = self.relations.check(&tokens);
        let opposites = self.opposites.conflicts(&tokens);
        let (acted, swapped_actions) = self.actions.check(&tokens);
        let reversed_steps = self.order.reversed(&tokens);
        let crossed: FastSet<usize> = check
            .crossed
            .iter()
            .map(|c| c.0)
            .chain(opposites.iter().map(|(i, _)| *i))
            .chain(swapped_actions.iter().map(|(i, _, _)| *i))
            .collect();
        let index = StemIndex::new(&tokens);
        let found: Vec<Vec<Occurrence>> = self.compiled.iter().map(|c| c.find_indexed(&tokens, &index)).collect();
        let crossed = attribute(&tokens, &found, crossed, opposites.iter().map(|(i, _)| *i));
        let concepts: Vec<ConceptResult> =
            (0..self.compiled.len()).map(|i| self.result(i, &tokens, &found[i], &crossed)).collect();
        let coverage = coverage(&concepts);
        let sim = self.reference.compare(&tokens, &self.weighter, self.vocab.stems());
        let signals = Signals {
            coverage,
            recall: sim.recall,
            cosine: sim.cosine,
            on_topic: sim.precision,
            content_words: sim.content_words,
            tokens: tokens.len(),
            function_words: tokens.iter().filter(|t| t.stop).count(),
            supported: check.supported + acted,
            crosswise: check.crosswise + swapped_actions.len(),
            opposites: opposites.len() + reversed_steps,
            reversed_steps,
            says_dont_know: says_dont_know(&tokens),
            derived_concepts: self.auto,
        };
        let (score, mut components) = combine(&signals);
        let band = Band::from_score(score);
        let said_opposite: Vec<(String, String)> = opposites
            .iter()
            .map(|(i, y)| {
                // A denied premise is quoted from its negation cue on.
                let from =
                    if y.is_empty() { (i.saturating_sub(3)..*i).find(|&j| tokens[j].neg).unwrap_or(*i) } else { *i };
                (answer[tokens[from].start..tokens[*i].end].to_string(), y.to_string())
            })
            .collect();
        let name = |e: usize| self.relations.entity_name(e);
        let mut crossed_terms: Vec<(bool, String, String, String)> = check
            .crossed
            .iter()
            .map(|(i, e, should)| (*i, name(*e), name(*should)))
            .chain(swapped_actions.iter().map(|(i, a, owner)| (*i, a.clone(), owner.clone())))
            .map(|(i, e, should)| {
                // Quote the whole concept match the term is part of ("read-only"),
                // else the word itself.
                let (start, end) = (tokens[i].start, tokens[i].end);
                let span = concepts
                    .iter()
                    .flat_map(|c| &c.spans)
                    .find(|sp| sp.start <= start && end <= sp.end && sp.end - sp.start <= 40);
                let quoted = span.map_or(&answer[start..end], |sp| &answer[sp.start..sp.end]);
                (span.is_none(), quoted.to_string(), e, should)
            })
            .collect();
        // Terms that are part of a key concept make the clearest example.
        crossed_terms.sort_by_key(|c| c.0);
        let crossed_terms: Vec<(String, String, String)> =
            crossed_terms.into_iter().map(|(_, t, e, r)| (t, e, r)).collect();
        components.conflicts = said_opposite
            .iter()
            .map(|(t, y)| format!("{t} (the model answer says {y})"))
            .chain(crossed_terms.iter().map(|(t, e, r)| format!("{t} -> {e} (model: {r})")))
            .collect();
        let feedback = feedback::summary(band, &concepts, &components, &crossed_terms, &said_opposite);
        Grade { score, band, concepts, feedback, components }
    }

    /// Grades an answer against one concept only (follow-up questions that probe a
    /// missed concept). `None` when the index is out of range.
    pub fn grade_concept(&self, concept_index: usize, answer: &str) -> Option<ConceptResult> {
        let compiled = self.compiled.get(concept_index)?;
        let tokens = self.tokens(answer);
        let occ = compiled.find(&tokens);
        Some(self.result(concept_index, &tokens, &occ, &FastSet::default()))
    }
}

/// A stated opposite outside every concept match ("depends_on waits until ...") still
/// says something wrong about the concept stated nearest to it in its clause: that
/// match is marked as conflicting too, so the concept shows as Contradicted. (Crosswise
/// bindings are less certain and only mark the concept match they are part of.)
fn attribute(
    tokens: &[Token],
    found: &[Vec<Occurrence>],
    mut crossed: FastSet<usize>,
    opposites: impl Iterator<Item = usize>,
) -> FastSet<usize> {
    let inside = |i: usize| found.iter().flatten().any(|o| !o.negated && o.first <= i && i <= o.last);
    let mut extra: Vec<usize> = Vec::new();
    for i in opposites {
        if inside(i) {
            continue;
        }
        let nearest = found
            .iter()
            .flatten()
            .filter(|o| !o.negated && tokens[o.first].clause == tokens[i].clause)
            .min_by_key(|o| (o.first.abs_diff(i).min(o.last.abs_diff(i)), o.first));
        if let Some(o) = nearest {
            extra.push(o.first);
        }
    }
    crossed.extend(extra);
    crossed
}

/// True when the answer contains one of the "I don't know" phrases, word for word.
fn says_dont_know(tokens: &[Token]) -> bool {
    lexicon::DONT_KNOW.iter().any(|phrase| {
        let words: Vec<&str> = phrase.split(' ').collect();
        tokens.windows(words.len()).any(|w| w.iter().zip(&words).all(|(t, p)| t.surface == *p))
    })
}
