//! Writing the bank back out as question files (`rehearse export DIR`), in the form
//! [`super::parse_topic`] reads, so export → import → export gives the same bytes.
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{KeywordDef, QuestionDef, TopicFile};
use crate::grading::Misconception;

#[derive(Serialize)]
struct OutFile<'a> {
    topic: &'a str,
    description: &'a str,
    question: Vec<OutQuestion<'a>>,
}

#[derive(Serialize)]
struct OutQuestion<'a> {
    id: &'a str,
    prompt: &'a str,
    answer: &'a str,
    difficulty: i64,
    #[serde(skip_serializing_if = "is_false")]
    ordered: bool,
    #[serde(skip_serializing_if = "is_empty")]
    relations: &'a [String],
    #[serde(skip_serializing_if = "is_empty")]
    follow_ups: &'a [String],
    // Last: arrays of tables must follow the plain values in TOML.
    keywords: &'a [KeywordDef],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    misconceptions: &'a [Misconception],
}

fn is_empty(list: &&[String]) -> bool {
    list.is_empty()
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// One topic as the text of its question file (`<slug>.toml`).
pub fn to_toml(topic: &TopicFile) -> Result<String, toml::ser::Error> {
    let file = OutFile {
        topic: &topic.name,
        description: &topic.description,
        question: topic
            .questions
            .iter()
            .map(|q| OutQuestion {
                id: &q.id,
                prompt: &q.prompt,
                answer: &q.answer,
                difficulty: q.difficulty,
                ordered: q.ordered,
                relations: &q.relations,
                follow_ups: &q.follow_ups,
                keywords: &q.keywords,
                misconceptions: &q.misconceptions,
            })
            .collect(),
    };
    toml::to_string_pretty(&file)
}

/// A fingerprint of a question as a file defines it (topic included), to tell at the
/// next import whether the file changed since.
pub fn digest(topic: &str, q: &QuestionDef) -> String {
    let mut canonical = serde_json::json!([
        topic,
        q.id,
        q.prompt,
        q.answer,
        q.keywords,
        q.relations,
        q.follow_ups,
        q.difficulty,
        q.ordered
    ]);
    // Only when there are any, so that a question written before misconceptions existed
    // keeps its digest (a changed digest would let the file overwrite a web edit).
    if !q.misconceptions.is_empty() {
        if let Some(list) = canonical.as_array_mut() {
            list.push(serde_json::json!(q.misconceptions));
        }
    }
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// SHA-256 (hex) of a topic file's header, its name and description: start-up compares
/// it with the digest stored at the last import to tell whether the file changed a topic
/// since an admin edited it on the web.
pub fn topic_digest(name: &str, description: &str) -> String {
    let canonical = serde_json::json!([name, description]);
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_exported_topic_reads_back_as_the_same_questions() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/questions"));
        for topic in super::super::load_dir(dir).expect("bank") {
            let text = to_toml(&topic).expect("serialises");
            let back = super::super::parse_topic(&topic.slug, "exported", &text).expect("reads back");
            assert_eq!(back.name, topic.name, "{}", topic.slug);
            assert_eq!(back.description, topic.description, "{}", topic.slug);
            assert_eq!(back.questions, topic.questions, "{}", topic.slug);
            assert_eq!(to_toml(&back).expect("serialises"), text, "{}: a second export is identical", topic.slug);
        }
    }
}
