//! Peer marks: a member shares one of their answers with a group they belong to, and
//! the group's other members mark it 0-5 with an optional comment.
//!
//! A marker sees the answer, the question and the model answer, but the grader's score
//! only once they have marked it, so the grader does not anchor the human grade that is
//! later compared with it. The sharer sees every mark and comment on their answer; the
//! other members see only their own mark. One mark per marker per answer, whichever
//! group they saw it in: marking again replaces it.
use super::groups::visible;
use super::{Error, Practice};
use crate::domain::{MarkComment, PeerMark, PeerScore, SharedAttempt, User};

/// Shared answers shown per group (newest first).
const SHARED_SHOWN: i64 = 100;

/// A shared answer as one viewer sees it.
pub struct SharedView {
    pub shared: SharedAttempt,
    /// The viewer shared it (it is their answer).
    pub is_mine: bool,
    /// The viewer's own mark on it, if they marked it.
    pub my_mark: Option<PeerMark>,
    /// Every mark on it, for its sharer; empty for everyone else.
    pub marks: Vec<PeerMark>,
    /// How many peers marked it.
    pub mark_count: usize,
}

impl SharedView {
    /// The grader's score is shown to the sharer and to whoever has marked it.
    pub fn shows_grade(&self) -> bool {
        self.is_mine || self.my_mark.is_some()
    }
    /// The viewer may mark it: not their own.
    pub fn can_mark(&self) -> bool {
        !self.is_mine
    }
}

/// One of the viewer's answers to a question, with the groups it is shared with and the
/// marks it got.
pub struct AnswerShares {
    pub attempt_id: String,
    /// (group id, group name).
    pub groups: Vec<(String, String)>,
    pub marks: Vec<PeerMark>,
}

fn not_shared(attempt_id: &str) -> Error {
    Error::NotFound(format!("No answer {attempt_id:?} is shared with this group."))
}

fn view(user: &User, shared: SharedAttempt, marks: &[PeerMark]) -> SharedView {
    let on_it: Vec<&PeerMark> = marks.iter().filter(|m| m.attempt_id == shared.attempt.id).collect();
    let is_mine = shared.shared_by == user.id;
    SharedView {
        my_mark: on_it.iter().find(|m| m.marker_id == user.id).map(|m| (*m).clone()),
        marks: if is_mine { on_it.iter().map(|m| (*m).clone()).collect() } else { Vec::new() },
        mark_count: on_it.len(),
        is_mine,
        shared,
    }
}

/// Shares one of the user's answers with a group of theirs. `Ok(true)` when it is newly
/// shared, `Ok(false)` when it already was (nothing changes).
#[tracing::instrument(skip_all, fields(user = %user.id, group = group_id))]
pub async fn share_attempt(state: &Practice, user: &User, group_id: &str, attempt_id: &str) -> Result<bool, Error> {
    let (_, is_member) = visible(state, user, group_id).await?;
    if !is_member {
        return Err(Error::NotFound(format!("No group {group_id:?} of yours was found.")));
    }
    let not_yours = || Error::NotFound(format!("No answer {attempt_id:?} of yours was found."));
    if uuid::Uuid::parse_str(attempt_id).is_err() {
        return Err(not_yours());
    }
    state.store.attempt(&user.id, attempt_id).await?.ok_or_else(not_yours)?;
    Ok(state.store.share_attempt(group_id, attempt_id, &user.id).await?)
}

/// The answers shared with a group, newest first, as `user` sees them (members and
/// admins; 404 for anyone else).
#[tracing::instrument(skip_all, fields(user = %user.id, group = group_id))]
pub async fn shared_in_group(state: &Practice, user: &User, group_id: &str) -> Result<Vec<SharedView>, Error> {
    visible(state, user, group_id).await?;
    let shared = state.store.group_shared_attempts(group_id, SHARED_SHOWN).await?;
    let ids: Vec<String> = shared.iter().map(|s| s.attempt.id.clone()).collect();
    let marks = state.store.marks_on(&ids).await?;
    Ok(shared.into_iter().map(|s| view(user, s, &marks)).collect())
}

/// One answer shared with a group, as `user` sees it (404 if it is not shared there).
#[tracing::instrument(skip_all, fields(user = %user.id, group = group_id))]
pub async fn shared_attempt(
    state: &Practice,
    user: &User,
    group_id: &str,
    attempt_id: &str,
) -> Result<SharedView, Error> {
    visible(state, user, group_id).await?;
    let shared = state.store.shared_attempt(group_id, attempt_id).await?.ok_or_else(|| not_shared(attempt_id))?;
    let marks = state.store.marks_on(std::slice::from_ref(&shared.attempt.id)).await?;
    Ok(view(user, shared, &marks))
}

/// Marks an answer shared with a group of the marker's (0-5, an optional comment);
/// marking again replaces the mark. `Ok((view, true))` for a first mark.
#[tracing::instrument(skip_all, fields(user = %user.id, group = group_id))]
pub async fn mark_attempt(
    state: &Practice,
    user: &User,
    group_id: &str,
    attempt_id: &str,
    score: PeerScore,
    comment: &MarkComment,
) -> Result<(SharedView, bool), Error> {
    let (_, is_member) = visible(state, user, group_id).await?;
    let shared = state.store.shared_attempt(group_id, attempt_id).await?.ok_or_else(|| not_shared(attempt_id))?;
    if shared.shared_by == user.id {
        return Err(Error::Forbidden("You cannot mark your own answer; the other members of the group can.".into()));
    }
    if !is_member {
        return Err(Error::Forbidden("Only members of the group can mark the answers shared with it.".into()));
    }
    let first = state.store.set_mark(attempt_id, &user.id, group_id, score.value(), comment.as_str()).await?;
    let marks = state.store.marks_on(std::slice::from_ref(&shared.attempt.id)).await?;
    Ok((view(user, shared, &marks), first))
}

/// Every mark on one of the user's answers (404 if it is not theirs).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn marks_received(state: &Practice, user: &User, attempt_id: &str) -> Result<Vec<PeerMark>, Error> {
    let not_yours = || Error::NotFound(format!("No answer {attempt_id:?} of yours was found."));
    if uuid::Uuid::parse_str(attempt_id).is_err() {
        return Err(not_yours());
    }
    state.store.attempt(&user.id, attempt_id).await?.ok_or_else(not_yours)?;
    Ok(state.store.marks_on(&[attempt_id.to_string()]).await?)
}

/// For each of the user's answers to a question: the groups it is shared with and the
/// marks it got (answers with neither are left out).
#[tracing::instrument(skip_all, fields(user = %user.id, question = question_id))]
pub async fn question_shares(state: &Practice, user: &User, question_id: &str) -> Result<Vec<AnswerShares>, Error> {
    let shares = state.store.question_shares(&user.id, question_id).await?;
    let attempts = state.store.question_attempts(&user.id, question_id).await?;
    let ids: Vec<String> = attempts.iter().map(|a| a.id.clone()).collect();
    let marks = state.store.marks_on(&ids).await?;
    Ok(attempts
        .into_iter()
        .map(|a| AnswerShares {
            groups: shares.iter().filter(|s| s.0 == a.id).map(|s| (s.1.clone(), s.2.clone())).collect(),
            marks: marks.iter().filter(|m| m.attempt_id == a.id).cloned().collect(),
            attempt_id: a.id,
        })
        .filter(|s| !s.groups.is_empty() || !s.marks.is_empty())
        .collect())
}
