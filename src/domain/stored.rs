//! The grade stored with an attempt, in a format of its own (versioned, written from
//! the grader's `Grade` by [`StoredGrade::from_grade`]), so renaming something inside
//! the grader never changes what history reads back. Rows written before the format
//! existed hold the grader's own JSON (version 0); they carry the same fields and read
//! the same way.
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::domain::{ConceptStatus, StatusText};
use crate::grading::Grade;

/// The version [`StoredGrade::from_grade`] writes.
pub const FORMAT_VERSION: u32 = 1;

/// What is kept of a grade (score, band and feedback have columns of their own).
#[derive(Debug, Default, Clone, PartialEq, Deserialize, Serialize)]
pub struct StoredGrade {
    /// 0 for rows written before the format existed.
    #[serde(default)]
    pub version: u32,
    #[serde(default)]
    pub concepts: Vec<StoredConcept>,
    /// What the score was made of (absent in very old rows).
    #[serde(default)]
    pub components: Option<StoredComponents>,
    /// Phrases of the answer a check quotes that no concept marks (anticipated
    /// misconceptions), to highlight with their check; absent in older rows.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<StoredCheck>,
}

/// A phrase of the answer and the check about it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct StoredCheck {
    pub span: StoredSpan,
    pub check: String,
}

/// The parts of the grader's score components that self-assessment needs.
#[derive(Debug, Default, Deserialize, Serialize, Clone, Copy, PartialEq)]
pub struct StoredComponents {
    pub raw: f64,
    pub relation_factor: f64,
}

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct StoredConcept {
    pub label: String,
    #[serde(deserialize_with = "status", serialize_with = "status_text")]
    pub status: ConceptStatus,
    #[serde(default)]
    pub spans: Vec<StoredSpan>,
    #[serde(default)]
    pub hint: String,
    /// The concept's weight in the coverage score; absent in grades stored without it.
    #[serde(default)]
    pub weight: Option<f64>,
}

/// Byte range in the answer.
#[derive(Debug, Deserialize, Serialize, Clone, Copy, PartialEq)]
pub struct StoredSpan {
    pub start: usize,
    pub end: usize,
    /// A looser match of the concept (see the grader's `Span::loose`): highlighted, never
    /// quoted as what the learner said. Absent (false) in older rows.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub loose: bool,
}

impl StoredGrade {
    /// What to store of `grade`.
    pub fn from_grade(grade: &Grade) -> StoredGrade {
        StoredGrade {
            version: FORMAT_VERSION,
            concepts: grade
                .concepts
                .iter()
                .map(|c| StoredConcept {
                    label: c.label.clone(),
                    status: c.status,
                    spans: c.spans.iter().map(|s| StoredSpan { start: s.start, end: s.end, loose: s.loose }).collect(),
                    hint: c.hint.clone(),
                    weight: Some(c.weight),
                })
                .collect(),
            components: Some(StoredComponents {
                raw: grade.components.raw,
                relation_factor: grade.components.relation_factor,
            }),
            checks: grade
                .components
                .checked_phrases
                .iter()
                .map(|(s, check)| StoredCheck {
                    span: StoredSpan { start: s.start, end: s.end, loose: false },
                    check: check.clone(),
                })
                .collect(),
        }
    }

    /// The JSON to store.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string(self)
    }

    /// Parses a stored grade; an unreadable one shows as having no concepts, and is
    /// logged so it does not go unnoticed (as is one written by a newer server).
    pub fn parse(json: &str) -> StoredGrade {
        let grade: StoredGrade = serde_json::from_str(json).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "stored grade unreadable; shown without concepts");
            StoredGrade::default()
        });
        if grade.version > FORMAT_VERSION {
            tracing::warn!(version = grade.version, "stored grade written by a newer server; read as far as known");
        }
        grade
    }

    /// Concepts with the given status.
    pub fn with_status(&self, status: ConceptStatus) -> impl Iterator<Item = &StoredConcept> + '_ {
        self.concepts.iter().filter(move |c| c.status == status)
    }

    /// Labels of the concepts with the given status.
    pub fn labels(&self, status: ConceptStatus) -> Vec<String> {
        self.with_status(status).map(|c| c.label.clone()).collect()
    }
}

fn status_text<S: Serializer>(status: &ConceptStatus, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(status.as_str())
}

fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ConceptStatus, D::Error> {
    let raw = String::deserialize(deserializer)?;
    <ConceptStatus as StatusText>::parse(&raw)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown concept status {raw:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grading::{Concept, Corpus, PreparedQuestion};

    #[test]
    fn a_grade_round_trips_through_the_stored_format_and_old_rows_still_read() {
        let concepts = [Concept::parse("restart | restarts").expect("concept"), Concept::parse("traffic").expect("c")];
        let p = PreparedQuestion::new("Liveness?", "It restarts the container.", &concepts, &[], &Corpus::default());
        let grade = p.grade("The kubelet restarts it.");
        let json = StoredGrade::from_grade(&grade).to_json().expect("json");
        let back = StoredGrade::parse(&json);
        assert_eq!(back.version, FORMAT_VERSION);
        assert_eq!(back.labels(ConceptStatus::Covered), grade.covered());
        assert_eq!(back.labels(ConceptStatus::Missed), grade.missed());
        assert_eq!(back.concepts[0].spans.len(), grade.concepts[0].spans.len());
        assert!(back.components.is_some_and(|c| c.raw == grade.components.raw));
        // A row written before the format: the grader's own JSON, version 0.
        let legacy = StoredGrade::parse(&serde_json::to_string(&grade).expect("json"));
        assert_eq!(legacy.version, 0);
        assert_eq!(legacy.labels(ConceptStatus::Covered), grade.covered());
        // Unreadable: no concepts, no panic.
        assert!(StoredGrade::parse("{not json").concepts.is_empty());
    }
}
