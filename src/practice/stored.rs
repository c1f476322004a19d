//! Reading back the grade stored with an attempt (the grader's JSON).
use serde::Deserialize;

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
    /// `covered`, `missed` or `contradicted`.
    pub status: String,
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
    /// Parses a stored grade; an unreadable one shows as having no concepts.
    pub fn parse(json: &str) -> StoredGrade {
        serde_json::from_str(json).unwrap_or_default()
    }

    /// Concepts with the given status.
    pub fn with_status<'a>(&'a self, status: &'a str) -> impl Iterator<Item = &'a StoredConcept> + 'a {
        self.concepts.iter().filter(move |c| c.status == status)
    }

    /// Labels of the concepts with the given status.
    pub fn labels(&self, status: &str) -> Vec<String> {
        self.with_status(status).map(|c| c.label.clone()).collect()
    }
}
