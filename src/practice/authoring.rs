//! Question authoring for admins: topics, questions made or edited on the web (each
//! change a new version, live in the bank at once), retiring and restoring, a preview
//! that grades a sample answer against unsaved keywords, and stored sample answers with
//! the band their author expects beside the grader's verdict. Members get `Forbidden`.
use super::{Error, Practice, QuestionBank};
use crate::bank::{check_question, BankError, KeywordDef, QuestionDef};
use crate::domain::{AnswerText, Band, ClaimCount, ConceptStatus, User};
use crate::grading::{keyword_warnings, Concept, Grade, KeywordWarning, Misconception, PreparedQuestion, Relation};
use crate::metrics::GradingKind;

pub use crate::domain::AuthoredQuestion;
use crate::domain::Topic;

// The longest model answer and the most keywords a question may have are those of
// stateless grading: what one grading may cost.
use super::grade::{MAX_KEYWORDS, MAX_KEYWORD_CHARS, MAX_QUESTION_CHARS, MAX_REFERENCE_CHARS};

/// Most anticipated misconceptions one question may carry ...
const MAX_MISCONCEPTIONS: usize = 20;
/// ... the longest subject or claim of one (a `|` list of the ways learners word it:
/// the bundled questions' longest, `serverless-idempotency`'s in-memory deduplication,
/// is about 27,500 characters; a whole question still fits the 64 KiB form limit) ...
const MAX_MISCONCEPTION_CHARS: usize = 30_000;
/// ... and the longest correction shown for one.
const MAX_CORRECTION_CHARS: usize = 500;

/// A question as an author submits it.
#[derive(Debug, Clone, Default)]
pub struct QuestionInput {
    pub id: String,
    pub topic_id: String,
    pub prompt: String,
    pub answer: String,
    pub keywords: Vec<KeywordDef>,
    pub relations: Vec<String>,
    pub follow_ups: Vec<String>,
    pub difficulty: i64,
    pub ordered: bool,
    pub misconceptions: Vec<Misconception>,
}

/// Every topic and question, for the authoring list.
pub struct AuthoringOverview {
    pub topics: Vec<Topic>,
    pub questions: Vec<AuthoredQuestion>,
}

/// A stored sample answer and what the grader makes of it now.
pub struct SampleVerdict {
    pub id: String,
    pub answer: String,
    pub expected: Band,
    pub grade: Grade,
}

impl SampleVerdict {
    /// The grader gives the band the author expects.
    pub fn agrees(&self) -> bool {
        self.grade.band == self.expected
    }
}

/// One question with everything its author needs to judge the keywords.
pub struct AuthoredDetail {
    pub question: AuthoredQuestion,
    pub topic_name: String,
    pub samples: Vec<SampleVerdict>,
    /// Learners' "I covered this" / "I got this wrong" claims per concept, everyone's.
    pub claim_counts: Vec<ClaimCount>,
    /// Keyword alternatives that give credit too easily (see [`crate::grading::keyword_warnings`]).
    pub keyword_warnings: Vec<KeywordWarning>,
    /// For a question without keywords (a notes import), the concepts the grader derives
    /// from its model answer, one keyword line each (`label | alternative`), so an author
    /// can start from them; empty when the question has keywords.
    pub derived_keywords: Vec<String>,
}

/// The author's keywords that give credit too easily: an alternative that only repeats
/// the question's words, or is one everyday word.
pub fn keyword_checks(def: &QuestionDef) -> Vec<KeywordWarning> {
    let concepts: Vec<Concept> = def.keywords.iter().filter_map(|k| Concept::parse(&k.concept)).collect();
    keyword_warnings(&def.prompt, &concepts)
}

/// The concepts the question's own model answer does not cover as the grader reads it
/// (`prepared` is the question): a learner who answers in the model answer's words is
/// told they missed them, so the author hears it first. A walk-through's admin saw
/// their model answer preview at 92/100 and saved it without a word.
fn model_answer_checks(def: &QuestionDef, prepared: &PreparedQuestion) -> Vec<KeywordWarning> {
    let grade = prepared.grade(&def.answer);
    grade
        .concepts
        .iter()
        .filter(|c| c.status != ConceptStatus::Covered)
        .map(|c| {
            let message = if c.status == ConceptStatus::Contradicted {
                format!(
                    "The grader reads the model answer itself as getting \"{}\" wrong: check the question's relations and misconceptions against it.",
                    c.label
                )
            } else {
                format!(
"The model answer itself does not mention \"{}\" as the grader reads it (it scores {}/100 against its own keywords): a learner who answers in its words is told they missed it. If the model answer says it in other words, add those as an alternative after |; if it does not explain it, add it to the model answer or drop the keyword.",
                    c.label,
                    (grade.score * 100.0).round()
                )
            };
            KeywordWarning { concept: c.label.clone(), alternative: c.label.clone(), message }
        })
        .collect()
}

/// [`keyword_checks`] and [`model_answer_checks`] together.
fn question_checks(def: &QuestionDef, prepared: &PreparedQuestion) -> Vec<KeywordWarning> {
    let mut warnings = keyword_checks(def);
    warnings.extend(model_answer_checks(def, prepared));
    warnings
}

fn require_admin(user: &User) -> Result<(), Error> {
    if user.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden(
            "Only admins may author questions. Ask an admin to make you one (on their Users page), or whoever runs the server."
                .into(),
        ))
    }
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("There is no question {id:?}."))
}

fn topic_not_found(id: &str) -> Error {
    Error::NotFound(format!("There is no topic {id:?}."))
}

/// Parses a band as authors write it (`strong`, `partial`, `weak`, `off-topic`).
pub fn parse_band(raw: &str) -> Result<Band, Error> {
    Band::try_from(raw.trim().to_lowercase())
        .map_err(|_| Error::Invalid(format!("expected_band must be strong, partial, weak or off-topic, not {raw:?}.")))
}

/// Checks an input by the question files' rules and the grading bounds.
/// [`validate`] for a question that may not have an id yet (the form's Test button).
fn validate_unsaved(input: &QuestionInput) -> Result<QuestionDef, Error> {
    if input.id.trim().is_empty() {
        return validate(&QuestionInput { id: "preview".into(), ..input.clone() });
    }
    validate(input)
}

fn validate(input: &QuestionInput) -> Result<QuestionDef, Error> {
    // An empty or half-filled form hears about every required field at once, not one
    // per try.
    let empty: Vec<&str> = [
        ("id", input.id.trim().is_empty()),
        ("prompt", input.prompt.trim().is_empty()),
        ("answer", input.answer.trim().is_empty()),
        ("keywords", input.keywords.iter().all(|k| k.concept.trim().is_empty())),
    ]
    .into_iter()
    .filter_map(|(field, empty)| empty.then_some(field))
    .collect();
    if let [rest @ .., last] = empty.as_slice() {
        if !rest.is_empty() {
            return Err(Error::Invalid(format!("{} and {last}: each is missing or empty.", rest.join(", "))));
        }
    }
    if input.keywords.iter().all(|k| k.concept.trim().is_empty()) {
        return Err(Error::Invalid(
            "keywords: give at least one keyword (alternatives separated by |), or the grader has nothing to look for."
                .into(),
        ));
    }
    if input.keywords.len() > MAX_KEYWORDS {
        return Err(Error::Invalid(format!("keywords: at most {MAX_KEYWORDS}, not {}.", input.keywords.len())));
    }
    if input.keywords.iter().any(|k| k.concept.chars().count() > MAX_KEYWORD_CHARS) {
        return Err(Error::Invalid(format!("keywords: each is at most {MAX_KEYWORD_CHARS} characters.")));
    }
    if input.answer.chars().count() > MAX_REFERENCE_CHARS {
        return Err(Error::Invalid(format!("answer: at most {MAX_REFERENCE_CHARS} characters.")));
    }
    if input.prompt.chars().count() > MAX_QUESTION_CHARS {
        return Err(Error::Invalid(format!("prompt: at most {MAX_QUESTION_CHARS} characters.")));
    }
    if input.misconceptions.len() > MAX_MISCONCEPTIONS {
        return Err(Error::Invalid(format!(
            "misconceptions: at most {MAX_MISCONCEPTIONS}, not {}.",
            input.misconceptions.len()
        )));
    }
    let too_long = |m: &Misconception| {
        [&m.subject, &m.claim].iter().any(|s| s.chars().count() > MAX_MISCONCEPTION_CHARS)
            || m.correction.chars().count() > MAX_CORRECTION_CHARS
    };
    if input.misconceptions.iter().any(too_long) {
        return Err(Error::Invalid(format!(
            "misconceptions: a subject or claim is at most {MAX_MISCONCEPTION_CHARS} characters, a correction at most {MAX_CORRECTION_CHARS}."
        )));
    }
    let def = QuestionDef {
        id: input.id.trim().to_string(),
        prompt: input.prompt.clone(),
        answer: input.answer.clone(),
        keywords: input.keywords.iter().filter(|k| !k.concept.trim().is_empty()).cloned().collect(),
        relations: input.relations.iter().map(|r| r.trim().to_string()).filter(|r| !r.is_empty()).collect(),
        follow_ups: input.follow_ups.iter().map(|f| f.trim().to_string()).filter(|f| !f.is_empty()).collect(),
        difficulty: input.difficulty,
        ordered: input.ordered,
        misconceptions: input.misconceptions.clone(),
    };
    check_question(def).map_err(|e| match e {
        BankError::Field { field, message, .. } => Error::Invalid(format!("{field}: {message}")),
        other => Error::Invalid(other.to_string()),
    })
}

/// A concept as a line of the keywords box: its label, then its other spellings.
fn keyword_line(c: &Concept) -> String {
    let mut parts: Vec<&str> = vec![c.label.as_str()];
    for a in &c.alternatives {
        if !parts.contains(&a.as_str()) {
            parts.push(a);
        }
    }
    parts.join(" | ")
}

fn prepared(def: &QuestionDef, bank: &QuestionBank) -> PreparedQuestion {
    let concepts: Vec<Concept> =
        def.keywords.iter().filter_map(|k| Concept::parse(&k.concept).map(|c| c.with_hint(k.hint.clone()))).collect();
    let relations: Vec<Relation> = def.relations.iter().filter_map(|r| Relation::parse(r)).collect();
    PreparedQuestion::new(&def.prompt, &def.answer, &concepts, &relations, bank.corpus())
        .with_ordered_steps(def.ordered)
        .with_misconceptions(&def.misconceptions)
}

impl Practice {
    /// Rebuilds the in-memory bank from the database, so new interviews use what was
    /// just saved. Reloads run one at a time: the last one reads the latest rows.
    pub(super) async fn reload_bank(&self) -> Result<(), Error> {
        let _one_at_a_time = self.reloads.lock().await;
        let rows = self.store.all_questions().await?;
        let bank = super::off_the_workers(move || QuestionBank::from_rows(rows)).await??;
        self.replace_bank(bank);
        Ok(())
    }

    #[tracing::instrument(skip_all, fields(user = %user.id))]
    pub async fn authoring_overview(&self, user: &User) -> Result<AuthoringOverview, Error> {
        require_admin(user)?;
        Ok(AuthoringOverview {
            topics: self.store.all_topics().await?,
            questions: self.store.authored_questions().await?,
        })
    }

    /// Every topic (for the question form's topic list).
    pub async fn authoring_topics(&self, user: &User) -> Result<Vec<Topic>, Error> {
        require_admin(user)?;
        Ok(self.store.all_topics().await?)
    }

    #[tracing::instrument(skip_all, fields(user = %user.id, question = id))]
    pub async fn authored_question(&self, user: &User, id: &str) -> Result<AuthoredDetail, Error> {
        require_admin(user)?;
        let question = self.store.authored_question(id).await?.ok_or_else(|| not_found(id))?;
        let topic_name = self
            .store
            .all_topics()
            .await?
            .into_iter()
            .find(|t| t.id == question.topic_id)
            .map(|t| t.name)
            .unwrap_or_else(|| question.topic_id.clone());
        let stored = self.store.samples(id).await?;
        let def = question.def.clone();
        let bank = self.bank();
        let (samples, derived_keywords, keyword_warnings) = self
            .grade_timed(GradingKind::Stateless, move || {
                let prepared = prepared(&def, &bank);
                let warnings = question_checks(&def, &prepared);
                let derived = match def.keywords.is_empty() {
                    true => prepared.concepts().iter().map(keyword_line).collect(),
                    false => Vec::new(),
                };
                let samples = stored
                    .into_iter()
                    .map(|s| SampleVerdict {
                        grade: prepared.grade(&s.answer),
                        expected: Band::try_from(s.expected_band).unwrap_or(Band::Strong),
                        id: s.id,
                        answer: s.answer,
                    })
                    .collect::<Vec<_>>();
                (samples, derived, warnings)
            })
            .await?;
        let claim_counts = self.store.question_claim_counts(id, None).await?;
        Ok(AuthoredDetail { question, topic_name, samples, claim_counts, keyword_warnings, derived_keywords })
    }

    /// Creates a topic. Its id is lowercase letters, digits, dashes and underscores (it becomes the
    /// file name on export).
    #[tracing::instrument(skip_all, fields(user = %user.id, topic = id))]
    pub async fn create_topic(&self, user: &User, id: &str, name: &str, description: &str) -> Result<(), Error> {
        require_admin(user)?;
        let id = id.trim();
        if !crate::bank::is_valid_id(id) {
            return Err(Error::Invalid(
                "id: use lowercase letters, digits, dashes and underscores only (at most 100).".into(),
            ));
        }
        if name.trim().is_empty() {
            return Err(Error::Invalid("name: is missing or empty.".into()));
        }
        self.store.create_topic(id, name.trim(), description.trim()).await.map_err(|e| match e {
            crate::store::StoreError::Conflict(_) => Error::Conflict(format!("There is already a topic {id:?}.")),
            e => e.into(),
        })
    }

    /// Renames a topic or changes its description; returns it as stored. The bank is
    /// rebuilt, so pages and new interviews show the new name at once.
    #[tracing::instrument(skip_all, fields(user = %user.id, topic = id))]
    pub async fn update_topic(&self, user: &User, id: &str, name: &str, description: &str) -> Result<Topic, Error> {
        require_admin(user)?;
        let name = name.trim();
        if name.is_empty() {
            return Err(Error::Invalid("name: is missing or empty.".into()));
        }
        if name.chars().count() > 100 || description.trim().chars().count() > 500 {
            return Err(Error::Invalid("name: at most 100 characters; description: at most 500.".into()));
        }
        if !self.store.update_topic(id, name, description.trim()).await? {
            return Err(topic_not_found(id));
        }
        self.reload_bank().await?;
        self.topic(id).await
    }

    /// Retires a topic with its active questions (no longer offered; old attempts stay
    /// readable), or restores it with the questions retired with it.
    #[tracing::instrument(skip_all, fields(user = %user.id, topic = id))]
    pub async fn set_topic_retired(&self, user: &User, id: &str, retired: bool) -> Result<Topic, Error> {
        require_admin(user)?;
        if !self.store.set_topic_retired(id, retired).await? {
            return Err(topic_not_found(id));
        }
        self.reload_bank().await?;
        self.topic(id).await
    }

    /// A topic (retired ones too); `NotFound` when there is no such topic.
    pub(super) async fn topic(&self, id: &str) -> Result<Topic, Error> {
        self.store.all_topics().await?.into_iter().find(|t| t.id == id).ok_or_else(|| topic_not_found(id))
    }

    /// Creates (`create`) or edits a question; returns it as stored. The bank is
    /// rebuilt before this returns, so the next interview asks the new version.
    #[tracing::instrument(skip_all, fields(user = %user.id, question = %input.id))]
    pub async fn save_question(
        &self,
        user: &User,
        input: &QuestionInput,
        create: bool,
    ) -> Result<AuthoredQuestion, Error> {
        require_admin(user)?;
        if !create && self.store.authored_question(input.id.trim()).await?.is_none() {
            return Err(not_found(input.id.trim()));
        }
        let def = validate(input)?;
        let topic = input.topic_id.trim();
        if !self.store.all_topics().await?.iter().any(|t| t.id == topic) {
            return Err(Error::Invalid(format!("topic_id: there is no topic {topic:?}; create it first.")));
        }
        match self.store.save_web_question(topic, &def, create).await {
            Ok(Some(_)) => {}
            Ok(None) => return Err(not_found(&def.id)),
            Err(crate::store::StoreError::Conflict(_)) => {
                return Err(Error::Conflict(format!("There is already a question {:?}.", def.id)))
            }
            Err(e) => return Err(e.into()),
        }
        self.reload_bank().await?;
        self.store.authored_question(&def.id).await?.ok_or_else(|| not_found(&def.id))
    }

    /// Retires (no longer asked; old attempts stay readable) or restores a question.
    #[tracing::instrument(skip_all, fields(user = %user.id, question = id))]
    pub async fn set_question_retired(&self, user: &User, id: &str, retired: bool) -> Result<AuthoredQuestion, Error> {
        require_admin(user)?;
        if !self.store.set_question_retired(id, retired).await? {
            return Err(not_found(id));
        }
        self.reload_bank().await?;
        self.store.authored_question(id).await?.ok_or_else(|| not_found(id))
    }

    /// Grades `sample` against the question as given, without saving anything.
    #[tracing::instrument(skip_all, fields(user = %user.id))]
    pub async fn preview_grade(&self, user: &User, input: &QuestionInput, sample: &str) -> Result<Grade, Error> {
        require_admin(user)?;
        let def = validate_unsaved(input)?;
        let sample = AnswerText::parse(sample)?;
        let bank = self.bank();
        let _one_at_a_time = self
            .gradings
            .acquire()
            .await
            .map_err(|e| Error::Unexpected(anyhow::anyhow!("grading queue closed: {e}")))?;
        self.grade_timed(GradingKind::Stateless, move || prepared(&def, &bank).grade(sample.as_str())).await
    }

    /// The keyword checks of a question as given (unsaved), after the same validation
    /// as saving it, and the concepts its model answer does not cover.
    pub async fn check_keywords(&self, user: &User, input: &QuestionInput) -> Result<Vec<KeywordWarning>, Error> {
        require_admin(user)?;
        let def = validate_unsaved(input)?;
        let bank = self.bank();
        self.grade_timed(GradingKind::Stateless, move || question_checks(&def, &prepared(&def, &bank))).await
    }

    /// Keeps a sample answer beside a question with the band its author expects.
    #[tracing::instrument(skip_all, fields(user = %user.id, question = question_id))]
    pub async fn add_sample(
        &self,
        user: &User,
        question_id: &str,
        answer: &str,
        expected: &str,
    ) -> Result<String, Error> {
        require_admin(user)?;
        let band = parse_band(expected)?;
        let answer = AnswerText::parse(answer)?;
        if self.store.authored_question(question_id).await?.is_none() {
            return Err(not_found(question_id));
        }
        Ok(self.store.add_sample(question_id, answer.as_str(), band.as_str()).await?)
    }

    #[tracing::instrument(skip_all, fields(user = %user.id, question = question_id))]
    pub async fn delete_sample(&self, user: &User, question_id: &str, sample_id: &str) -> Result<(), Error> {
        require_admin(user)?;
        if self.store.delete_sample(question_id, sample_id).await? {
            Ok(())
        } else {
            Err(Error::NotFound("There is no such sample answer.".into()))
        }
    }
}
