//! Reading back the grade stored with an attempt (the grader's JSON).
use serde::{Deserialize, Deserializer};

use crate::domain::{ConceptStatus, StatusText};

/// The parts of a stored grade that pages and the API show again.
#[derive(Debug, Default, Deserialize)]
pub struct StoredGrade {
    #[serde(default)]
    pub concepts: Vec<StoredConcept>,
    /// What the score was made of (absent in very old rows).
    #[serde(default)]
    pub components: Option<StoredComponents>,
}

/// The parts of the grader's score components that self-assessment needs.
#[derive(Debug, Default, Deserialize, Clone, Copy)]
pub struct StoredComponents {
    pub raw: f64,
    pub relation_factor: f64,
}

#[derive(Debug, Deserialize)]
pub struct StoredConcept {
    pub label: String,
    #[serde(deserialize_with = "status")]
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
#[derive(Debug, Deserialize, Clone, Copy)]
pub struct StoredSpan {
    pub start: usize,
    pub end: usize,
}

impl StoredGrade {
    /// Parses a stored grade; an unreadable one shows as having no concepts, and is
    /// logged so it does not go unnoticed.
    pub fn parse(json: &str) -> StoredGrade {
        serde_json::from_str(json).unwrap_or_else(|e| {
            tracing::warn!(error = %e, "stored grade unreadable; shown without concepts");
            StoredGrade::default()
        })
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

fn status<'de, D: Deserializer<'de>>(deserializer: D) -> Result<ConceptStatus, D::Error> {
    let raw = String::deserialize(deserializer)?;
    <ConceptStatus as StatusText>::parse(&raw)
        .ok_or_else(|| serde::de::Error::custom(format!("unknown concept status {raw:?}")))
}
