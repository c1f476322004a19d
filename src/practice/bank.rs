//! The in-memory question bank: every question with its grader input prepared once.
use std::collections::HashMap;
use std::sync::Arc;

use crate::bank::KeywordDef;
use crate::grading::delivery::KeyTerms;
use crate::grading::{Concept, Corpus, Misconception, PreparedQuestion, Relation};
use crate::store::QuestionRow;

/// A question ready to be asked and graded.
#[derive(Clone)]
pub struct BankQuestion {
    pub id: String,
    pub topic_id: String,
    pub topic_name: String,
    pub prompt: String,
    pub answer: String,
    pub keywords: Vec<KeywordDef>,
    pub follow_ups: Vec<String>,
    pub difficulty: i64,
    pub retired: bool,
    /// The version of its content an answer is graded against now.
    pub version: i64,
    pub prepared: PreparedQuestion,
    /// The model answer's content words, for the delivery figures of every answer.
    pub key_terms: KeyTerms,
    /// The question's own words: those of its prompt, its concept labels and its model
    /// answer. An answer has to use them, so they are never "words you leant on" (see
    /// [`super::delivery::answer_delivery`]).
    pub own_terms: KeyTerms,
}

/// All questions (retired ones too, so old interviews stay gradeable and readable).
#[derive(Default)]
pub struct QuestionBank {
    by_id: HashMap<String, Arc<BankQuestion>>,
    /// Active question ids, sorted, so selection is reproducible for a given seed.
    active: Vec<String>,
    /// IDF statistics over the active references, also used for one-off grading.
    corpus: Corpus,
}

impl QuestionBank {
    /// Builds the bank from stored rows. IDF statistics come from all active references.
    pub fn from_rows(rows: Vec<QuestionRow>) -> anyhow::Result<QuestionBank> {
        let corpus = Corpus::from_documents(rows.iter().filter(|r| r.retired_at.is_none()).map(|r| r.answer.as_str()));
        let mut bank = QuestionBank { corpus: corpus.clone(), ..QuestionBank::default() };
        for row in rows {
            let keywords: Vec<KeywordDef> = serde_json::from_str(&row.keywords)?;
            let relations: Vec<String> = serde_json::from_str(&row.relations)?;
            let follow_ups: Vec<String> = serde_json::from_str(&row.follow_ups)?;
            let concepts: Vec<Concept> = keywords
                .iter()
                .filter_map(|k| Concept::parse(&k.concept).map(|c| c.with_hint(k.hint.clone())))
                .collect();
            let relations: Vec<Relation> = relations.iter().filter_map(|r| Relation::parse(r)).collect();
            let misconceptions: Vec<Misconception> = serde_json::from_str(&row.misconceptions)?;
            let prepared = PreparedQuestion::new(&row.prompt, &row.answer, &concepts, &relations, &corpus)
                .with_ordered_steps(row.ordered)
                .with_misconceptions(&misconceptions);
            let key_terms = KeyTerms::of(&row.answer);
            let labels: Vec<&str> = prepared.concepts().iter().map(|c| c.label.as_str()).collect();
            let own_terms = KeyTerms::of(&[row.prompt.as_str(), &labels.join("\n"), &row.answer].join("\n"));
            let retired = row.retired_at.is_some();
            if !retired {
                bank.active.push(row.id.clone());
            }
            let question = BankQuestion {
                id: row.id.clone(),
                topic_id: row.topic_id,
                topic_name: row.topic_name,
                prompt: row.prompt,
                answer: row.answer,
                keywords,
                follow_ups,
                difficulty: row.difficulty,
                retired,
                version: row.version,
                prepared,
                key_terms,
                own_terms,
            };
            bank.by_id.insert(row.id, Arc::new(question));
        }
        bank.active.sort();
        Ok(bank)
    }

    /// Builds the bank from question files, as [`QuestionBank::from_rows`] does from
    /// the rows a sync would store (every question active, at version 1). For tools
    /// that grade against the bundled bank without a database.
    pub fn from_files(topics: &[crate::bank::TopicFile]) -> anyhow::Result<QuestionBank> {
        let mut rows = Vec::new();
        for topic in topics {
            for q in &topic.questions {
                rows.push(QuestionRow {
                    id: q.id.clone(),
                    topic_id: topic.slug.clone(),
                    topic_name: topic.name.clone(),
                    prompt: q.prompt.clone(),
                    answer: q.answer.clone(),
                    keywords: serde_json::to_string(&q.keywords)?,
                    relations: serde_json::to_string(&q.relations)?,
                    follow_ups: serde_json::to_string(&q.follow_ups)?,
                    difficulty: q.difficulty,
                    ordered: q.ordered,
                    misconceptions: serde_json::to_string(&q.misconceptions)?,
                    retired_at: None,
                    version: 1,
                });
            }
        }
        QuestionBank::from_rows(rows)
    }

    pub fn get(&self, id: &str) -> Option<Arc<BankQuestion>> {
        self.by_id.get(id).cloned()
    }

    /// Borrowing look-up, for computations that keep references into the bank.
    pub fn question(&self, id: &str) -> Option<&BankQuestion> {
        self.by_id.get(id).map(|q| q.as_ref())
    }

    /// Active questions, in id order.
    pub fn active(&self) -> impl Iterator<Item = &Arc<BankQuestion>> {
        self.active.iter().filter_map(|id| self.by_id.get(id))
    }

    pub fn corpus(&self) -> &Corpus {
        &self.corpus
    }

    pub fn active_count(&self) -> usize {
        self.active.len()
    }
}
