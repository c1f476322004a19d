//! Self-assessment claims, stored beside the grade, and the re-derivation of the learning
//! state (schedule, concept tallies) they feed.
use anyhow::anyhow;
use sqlx::Transaction;

use super::{now_millis, Store, StoreError};
use crate::domain::{ClaimCount, ClaimRecord, ConceptStatus, StatusText, StoredGrade};
use crate::learning::claims::Claim;
use crate::learning::schedule::Schedule;
use crate::learning::weak::RebuiltTally;

#[derive(sqlx::FromRow)]
struct RawClaim {
    attempt_id: String,
    question_id: String,
    prompt: String,
    concept: String,
    grader_status: String,
    claim: String,
    claimed_at: i64,
}

const CLAIM_COLUMNS: &str = "c.attempt_id, c.question_id, q.prompt, c.concept, c.grader_status, c.claim, c.claimed_at";

fn claim_of(raw: &str) -> Result<Claim, StoreError> {
    Claim::parse(raw).ok_or_else(|| StoreError::Unexpected(anyhow!("unknown claim {raw:?} in attempt_claims")))
}

fn into_records(raw: Vec<RawClaim>) -> Result<Vec<ClaimRecord>, StoreError> {
    raw.into_iter()
        .map(|r| {
            Ok(ClaimRecord {
                claim: claim_of(&r.claim)?,
                attempt_id: r.attempt_id,
                question_id: r.question_id,
                prompt: r.prompt,
                concept: r.concept,
                grader_status: ConceptStatus::try_from(r.grader_status).map_err(anyhow::Error::from)?,
                claimed_at: r.claimed_at,
            })
        })
        .collect()
}

#[derive(sqlx::FromRow)]
struct ClaimCountRow {
    concept: String,
    covered_claims: i64,
    wrong_claims: i64,
}

/// One claim on an answer that counts for mastery, with that answer's stored grade.
#[derive(Debug, Clone)]
pub struct ClaimedGrade {
    pub attempt_id: String,
    pub concept: String,
    pub claim: Claim,
    pub grade: StoredGrade,
}

/// A claim about to be stored (set, or changed if the concept already has one).
#[derive(Debug, Clone)]
pub struct NewClaim<'a> {
    pub user_id: &'a str,
    pub attempt_id: &'a str,
    pub question_id: &'a str,
    pub concept: &'a str,
    pub grader_status: ConceptStatus,
    pub claim: Claim,
}

/// One answer to a question that counts for learning (not a retry), as stored.
#[derive(Debug, Clone)]
pub struct CountedAnswer {
    pub id: String,
    pub score: f64,
    pub grade: StoredGrade,
    pub created_at: i64,
    /// (concept, grader's status).
    pub concepts: Vec<(String, ConceptStatus)>,
    /// (concept, claim).
    pub claims: Vec<(String, Claim)>,
}

/// A user's whole history at one question: what the learning state is derived from.
#[derive(Debug, Clone, Default)]
pub struct QuestionRecord {
    /// Oldest first.
    pub answers: Vec<CountedAnswer>,
    /// (concept, time) of follow-up replies that covered the concept.
    pub covered_follow_ups: Vec<(String, i64)>,
}

/// The learning state of one user and question, worked out again from its record.
#[derive(Debug, Clone, Default)]
pub struct Rederived {
    /// The schedule and the score it was last reviewed with; `None` leaves it as it is.
    pub schedule: Option<(Schedule, f64)>,
    /// Replaces the question's concept tallies.
    pub tallies: Vec<RebuiltTally>,
}

/// Works out a question's learning state from its record (pure; supplied by the caller
/// so this layer stays SQL only).
pub type Rederive<'a> = &'a (dyn Fn(&QuestionRecord) -> Rederived + Send + Sync);

#[derive(sqlx::FromRow)]
struct AnswerRow {
    id: String,
    score: f64,
    grade: String,
    created_at: i64,
}

per_backend! {
    uses [learning as learning_db]
/// Reads the record of (user, question) inside `tx`, re-derives, and writes the result,
/// so a claim and the state it changes commit together.
pub(crate) async fn rederive_question(
    tx: &mut Transaction<'_, Db>,
    user_id: &str,
    question_id: &str,
    rederive: Rederive<'_>,
) -> Result<(), StoreError> {
    let answers: Vec<AnswerRow> = sqlx::query_as(
        "SELECT id, score, grade, created_at FROM attempts WHERE user_id = $1 AND question_id = $2 AND kind <> 'retry'
         AND NOT unsure ORDER BY created_at, id",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_all(&mut **tx)
    .await?;
    let concepts: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT attempt_id, concept, status FROM attempt_concepts
         WHERE attempt_id IN (SELECT id FROM attempts WHERE user_id = $1 AND question_id = $2)
         ORDER BY attempt_id, concept",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_all(&mut **tx)
    .await?;
    let claims: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT attempt_id, concept, claim FROM attempt_claims WHERE user_id = $1 AND question_id = $2
         ORDER BY attempt_id, concept",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_all(&mut **tx)
    .await?;
    let covered_follow_ups: Vec<(String, i64)> = sqlx::query_as(
        "SELECT f.concept, f.created_at FROM follow_up_answers f JOIN attempts a ON a.id = f.attempt_id
         WHERE f.user_id = $1 AND a.question_id = $2 AND f.status = 'covered' ORDER BY f.created_at",
    )
    .bind(user_id)
    .bind(question_id)
    .fetch_all(&mut **tx)
    .await?;
    let mut record = QuestionRecord { answers: Vec::with_capacity(answers.len()), covered_follow_ups };
    for a in answers {
        let claims = claims
            .iter()
            .filter(|c| c.0 == a.id)
            .map(|c| Ok((c.1.clone(), claim_of(&c.2)?)))
            .collect::<Result<Vec<_>, StoreError>>()?;
        record.answers.push(CountedAnswer {
            concepts: concepts
                .iter()
                .filter(|c| c.0 == a.id)
                .map(|c| Ok((c.1.clone(), ConceptStatus::try_from(c.2.clone()).map_err(anyhow::Error::from)?)))
                .collect::<Result<Vec<_>, StoreError>>()?,
            claims,
            id: a.id,
            score: a.score,
            grade: StoredGrade::parse(&a.grade),
            created_at: a.created_at,
        });
    }
    let derived = rederive(&record);
    let now = now_millis();
    if let Some((schedule, last_score)) = &derived.schedule {
        learning_db::upsert_schedule(tx, user_id, question_id, schedule, *last_score, now).await?;
    }
    sqlx::query("DELETE FROM concept_stats WHERE user_id = $1 AND question_id = $2")
        .bind(user_id)
        .bind(question_id)
        .execute(&mut **tx)
        .await?;
    for t in &derived.tallies {
        sqlx::query(
            "INSERT INTO concept_stats (user_id, question_id, concept, seen, misses, contradicted, last_status, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(user_id)
        .bind(question_id)
        .bind(&t.concept)
        .bind(t.seen)
        .bind(t.misses)
        .bind(t.contradicted)
        .bind(t.last_status.as_str())
        .bind(t.updated_at)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
}

impl Store {
    /// Sets (or changes) the claim on one concept of an attempt. With `rederive` (an
    /// attempt that counts for learning) the question's schedule and concept tallies are
    /// worked out again in the same transaction.
    #[tracing::instrument(skip(self, claim, rederive), fields(attempt = claim.attempt_id))]
    pub async fn set_claim(&self, claim: &NewClaim<'_>, rederive: Option<Rederive<'_>>) -> Result<(), StoreError> {
        on_db!(self, |db, m| {
            let mut tx = db.write().begin().await?;
            sqlx::query(
            "INSERT INTO attempt_claims (attempt_id, concept, user_id, question_id, grader_status, claim, claimed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (attempt_id, concept) DO UPDATE SET claim = excluded.claim,
               grader_status = excluded.grader_status, claimed_at = excluded.claimed_at",
        )
        .bind(claim.attempt_id)
        .bind(claim.concept)
        .bind(claim.user_id)
        .bind(claim.question_id)
        .bind(claim.grader_status.as_str())
        .bind(claim.claim.as_str())
        .bind(now_millis())
        .execute(&mut *tx)
        .await?;
            if let Some(rederive) = rederive {
                m::rederive_question(&mut tx, claim.user_id, claim.question_id, rederive).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// Withdraws the claim on one concept of the user's attempt; `false` if there was none.
    #[tracing::instrument(skip(self, rederive))]
    pub async fn withdraw_claim(
        &self,
        user_id: &str,
        attempt_id: &str,
        question_id: &str,
        concept: &str,
        rederive: Option<Rederive<'_>>,
    ) -> Result<bool, StoreError> {
        on_db!(self, |db, m| {
            let mut tx = db.write().begin().await?;
            let deleted =
                sqlx::query("DELETE FROM attempt_claims WHERE attempt_id = $1 AND concept = $2 AND user_id = $3")
                    .bind(attempt_id)
                    .bind(concept)
                    .bind(user_id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
            if deleted == 0 {
                return Ok(false);
            }
            if let Some(rederive) = rederive {
                m::rederive_question(&mut tx, user_id, question_id, rederive).await?;
            }
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Claims on one attempt.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn attempt_claims(&self, attempt_id: &str) -> Result<Vec<ClaimRecord>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {CLAIM_COLUMNS} FROM attempt_claims c JOIN questions q ON q.id = c.question_id
             WHERE c.attempt_id = $1 ORDER BY c.concept"
            );
            into_records(sqlx::query_as::<_, RawClaim>(&sql).bind(attempt_id).fetch_all(db.read()).await?)
        })
    }

    /// Claims on the attempts of one interview.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn interview_claims(&self, interview_id: &str) -> Result<Vec<ClaimRecord>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {CLAIM_COLUMNS} FROM attempt_claims c JOIN attempts a ON a.id = c.attempt_id
             JOIN questions q ON q.id = c.question_id WHERE a.interview_id = $1 ORDER BY c.attempt_id, c.concept"
            );
            into_records(sqlx::query_as::<_, RawClaim>(&sql).bind(interview_id).fetch_all(db.read()).await?)
        })
    }

    /// A user's claims, newest first; with `question_id`, only those about that question.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_claims(&self, user_id: &str, question_id: Option<&str>) -> Result<Vec<ClaimRecord>, StoreError> {
        on_db!(self, |db| {
            let only_question = if question_id.is_some() { "AND c.question_id = $2" } else { "" };
            let sql = format!(
                "SELECT {CLAIM_COLUMNS} FROM attempt_claims c JOIN questions q ON q.id = c.question_id
             WHERE c.user_id = $1 {only_question} ORDER BY c.claimed_at DESC, c.attempt_id, c.concept"
            );
            let mut query = sqlx::query_as::<_, RawClaim>(&sql).bind(user_id);
            if let Some(question_id) = question_id {
                query = query.bind(question_id);
            }
            into_records(query.fetch_all(db.read()).await?)
        })
    }

    /// Per concept of a question, how many claims dispute the grader: one user's (for
    /// their own page) or, with `user_id` `None`, everyone's, which is what a question's
    /// author needs to see which concepts the grader misses. Most disputed first.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn question_claim_counts(
        &self,
        question_id: &str,
        user_id: Option<&str>,
    ) -> Result<Vec<ClaimCount>, StoreError> {
        on_db!(self, |db| {
            let only_user = if user_id.is_some() { "AND user_id = $2" } else { "" };
            let sql = format!(
                "SELECT concept,
                    SUM(CASE WHEN claim = 'covered' THEN 1 ELSE 0 END) AS covered_claims,
                    SUM(CASE WHEN claim = 'wrong' THEN 1 ELSE 0 END) AS wrong_claims
             FROM attempt_claims WHERE question_id = $1 {only_user}
             GROUP BY concept ORDER BY COUNT(*) DESC, concept"
            );
            let mut query = sqlx::query_as::<_, ClaimCountRow>(&sql).bind(question_id);
            if let Some(user_id) = user_id {
                query = query.bind(user_id);
            }
            let rows = query.fetch_all(db.read()).await?;
            Ok(rows
                .into_iter()
                .map(|r| ClaimCount {
                    concept: r.concept,
                    covered_claims: r.covered_claims,
                    wrong_claims: r.wrong_claims,
                })
                .collect())
        })
    }

    /// The user's claims on answers that count for mastery (not retries, not unsure
    /// grades), each with its attempt's stored grade, so the self-assessed scores can be
    /// worked out.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn claimed_grades(&self, user_id: &str) -> Result<Vec<ClaimedGrade>, StoreError> {
        on_db!(self, |db| {
            let rows: Vec<(String, String, String, String)> = sqlx::query_as(
            "SELECT c.attempt_id, c.concept, c.claim, a.grade FROM attempt_claims c JOIN attempts a ON a.id = c.attempt_id
             WHERE c.user_id = $1 AND a.kind <> 'retry' AND NOT a.unsure ORDER BY c.attempt_id, c.concept",
        )
        .bind(user_id)
        .fetch_all(db.read())
        .await?;
            rows.into_iter()
                .map(|(attempt_id, concept, claim, grade)| {
                    Ok(ClaimedGrade {
                        claim: claim_of(&claim)?,
                        attempt_id,
                        concept,
                        grade: StoredGrade::parse(&grade),
                    })
                })
                .collect()
        })
    }
}
