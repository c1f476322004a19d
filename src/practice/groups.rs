//! Study groups: create, join with an invite code, leave; the owner or an admin
//! replaces the code, removes members and sets an assignment. A group is visible to its
//! members and to admins; to anyone else it does not exist (404, never 403).
//!
//! A member's mastery is shown only if they opted in (`share_progress`), and the
//! group's weakest topics and concepts are computed over those members only: an
//! aggregate over everyone would give away a member who did not opt in (in a group of
//! two, the aggregate minus the other's mastery is theirs).
use super::claims::self_assessed_scores_of;
use super::progress::{scored, tallies, topic_infos};
use super::{Error, Limited, Practice};
use crate::domain::Left;
use crate::domain::{Assignment, Group, GroupName, InviteCode, Member, User};
use crate::learning::mastery::{topic_mastery, TopicMastery};
use crate::learning::weak::{weak_concepts, ConceptTally, WeakConcept};
use crate::store::{ConceptStatRow, StoreError};

/// Weak concepts shown for a group.
const GROUP_WEAK_CONCEPTS: usize = 10;
/// Tries at drawing an invite code no group has (a clash is about one in 10^14).
const CODE_TRIES: usize = 5;

/// A group in the list of mine.
pub struct GroupSummary {
    pub group: Group,
    pub members: usize,
}

/// A member as the group sees them.
pub struct MemberView {
    pub member: Member,
    pub is_owner: bool,
    /// Their mastery per topic, weakest first; `None` unless they share their progress.
    pub mastery: Option<Vec<TopicMastery>>,
    /// Answers in the assignment's topic since it was set (`None` without an assignment).
    pub assignment_answers: Option<i64>,
}

/// A topic the sharing members are weak in.
pub struct GroupTopic {
    pub topic_id: String,
    pub name: String,
    /// Mean of the sharing members' mastery of it, over those who tried it.
    pub mastery: f64,
    /// Sharing members who tried it.
    pub members: usize,
}

pub struct AssignmentView {
    pub assignment: Assignment,
    pub topic_name: String,
}

/// Everything the group page shows.
pub struct GroupView {
    pub group: Group,
    pub members: Vec<MemberView>,
    /// Members who share their progress (the aggregates are theirs).
    pub sharing: usize,
    /// Weakest first.
    pub weak_topics: Vec<GroupTopic>,
    pub weak_concepts: Vec<WeakConcept>,
    pub assignment: Option<AssignmentView>,
    /// The viewer is the owner or an admin: may replace the code, remove members and
    /// set the assignment.
    pub can_manage: bool,
    pub is_member: bool,
}

/// What the owner or an admin sets as the assignment.
#[derive(Debug, Clone)]
pub struct AssignmentRequest {
    /// A topic id or name.
    pub topic: String,
    pub count: i64,
    /// `YYYY-MM-DD`, or none.
    pub due_on: Option<String>,
}

fn not_found(id: &str) -> Error {
    Error::NotFound(format!("No group {id:?} of yours was found."))
}

/// The group if `user` may see it (a member, or an admin), else 404.
pub(super) async fn visible(state: &Practice, user: &User, id: &str) -> Result<(Group, bool), Error> {
    if uuid::Uuid::parse_str(id).is_err() {
        return Err(not_found(id));
    }
    let group = state.store.group(id).await?.ok_or_else(|| not_found(id))?;
    let is_member = state.store.is_member(id, &user.id).await?;
    if is_member || user.is_admin() {
        Ok((group, is_member))
    } else {
        Err(not_found(id))
    }
}

/// The group if `user` may manage it (its owner or an admin); 404 if they cannot see
/// it, 403 if they can but may not manage it.
async fn managed(state: &Practice, user: &User, id: &str, what: &str) -> Result<Group, Error> {
    let (group, _) = visible(state, user, id).await?;
    if group.owner_id == user.id || user.is_admin() {
        Ok(group)
    } else {
        Err(Error::Forbidden(format!("Only the group's owner or an admin can {what}.")))
    }
}

/// Draws invite codes until `store` takes one.
async fn with_fresh_code<F, Fut>(mut store: F) -> Result<InviteCode, Error>
where
    F: FnMut(InviteCode) -> Fut,
    Fut: std::future::Future<Output = Result<(), StoreError>>,
{
    for _ in 0..CODE_TRIES {
        let code = InviteCode::generate();
        match store(code.clone()).await {
            Ok(()) => return Ok(code),
            Err(StoreError::Conflict("invite code")) => continue,
            Err(e) => return Err(e.into()),
        }
    }
    Err(Error::Unexpected(anyhow::anyhow!("no free invite code in {CODE_TRIES} tries")))
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn create_group(state: &Practice, user: &User, name: &str) -> Result<Group, Error> {
    let name = GroupName::parse(name)?;
    state.limits.check(user, Limited::NewGroup)?;
    room_for_another_group(state, user).await?;
    let id = uuid::Uuid::new_v4().to_string();
    with_fresh_code(|code| {
        let (id, name, owner) = (id.clone(), name.clone(), user.id.clone());
        async move { state.store.create_group(&id, name.as_str(), &owner, code.as_str()).await }
    })
    .await?;
    state.store.group(&id).await?.ok_or_else(|| Error::Unexpected(anyhow::anyhow!("created group {id} is gone")))
}

/// Joins the group whose code this is (nothing changes if the user is a member already:
/// then the flag is `false`).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn join_group(state: &Practice, user: &User, code: &str) -> Result<(Group, bool), Error> {
    state.limits.check(user, Limited::Join)?;
    let group = match InviteCode::parse(code) {
        Some(code) => state.store.group_by_code(code.as_str()).await?,
        None => None,
    };
    let group = group.ok_or_else(|| {
        Error::Invalid(
            "No group has that invite code. Check it with the group's owner: a code stops working when they \
             replace it."
                .into(),
        )
    })?;
    if state.store.is_member(&group.id, &user.id).await? {
        return Ok((group, false));
    }
    room_for_another_group(state, user).await?;
    let joined = state.store.add_member(&group.id, &user.id).await?;
    Ok((group, joined))
}

/// Groups one learner may belong to (owned or joined): far more than anyone studies
/// with, and a bound on how large their groups page and the groups' pages can grow.
pub const MAX_GROUPS_PER_USER: i64 = 50;

/// Refuses a new membership once the learner is in [`MAX_GROUPS_PER_USER`] groups.
async fn room_for_another_group(state: &Practice, user: &User) -> Result<(), Error> {
    if state.store.membership_count(&user.id).await? >= MAX_GROUPS_PER_USER {
        return Err(Error::Conflict(format!(
            "You are in {MAX_GROUPS_PER_USER} groups already, the most one account can be in; leave one first."
        )));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn my_groups(state: &Practice, user: &User) -> Result<Vec<GroupSummary>, Error> {
    let mut list = Vec::new();
    for group in state.store.user_groups(&user.id).await? {
        let members = state.store.group_members(&group.id).await?.len();
        list.push(GroupSummary { group, members });
    }
    Ok(list)
}

/// A group in the admins' list of every group.
pub struct GroupOverview {
    pub group: Group,
    pub owner: String,
    pub members: i64,
}

/// Every group, for an admin (others get 403).
#[tracing::instrument(skip_all, fields(user = %user.id))]
pub async fn all_groups(state: &Practice, user: &User) -> Result<Vec<GroupOverview>, Error> {
    if !user.is_admin() {
        return Err(Error::Forbidden("Only an admin can list every group.".into()));
    }
    let rows = state.store.all_groups().await?;
    Ok(rows.into_iter().map(|(group, owner, members)| GroupOverview { group, owner, members }).collect())
}

#[tracing::instrument(skip_all, fields(user = %user.id, group = id))]
pub async fn leave_group(state: &Practice, user: &User, id: &str) -> Result<Left, Error> {
    visible(state, user, id).await?;
    match state.store.leave_group(id, &user.id).await? {
        Left::NotMember => Err(Error::NotFound("You are not a member of this group.".into())),
        left => Ok(left),
    }
}

/// Replaces the invite code; the old one stops working at once.
#[tracing::instrument(skip_all, fields(user = %user.id, group = id))]
pub async fn rotate_code(state: &Practice, user: &User, id: &str) -> Result<InviteCode, Error> {
    managed(state, user, id, "replace its invite code").await?;
    replace_code(state, id).await
}

/// Gives the group a fresh invite code; the old one stops working at once.
async fn replace_code(state: &Practice, id: &str) -> Result<InviteCode, Error> {
    with_fresh_code(|code| async move { state.store.set_invite_code(id, code.as_str()).await }).await
}

/// Removes a member and replaces the invite code, so they cannot rejoin with the one
/// they have.
#[tracing::instrument(skip_all, fields(user = %user.id, group = id))]
pub async fn remove_member(state: &Practice, user: &User, id: &str, member_id: &str) -> Result<(), Error> {
    let group = managed(state, user, id, "remove members").await?;
    if group.owner_id == member_id {
        return Err(Error::Invalid(
            "The owner cannot be removed; they can leave the group, which hands it to the member who joined next."
                .into(),
        ));
    }
    match state.store.leave_group(id, member_id).await? {
        Left::NotMember => Err(Error::NotFound("That user is not a member of this group.".into())),
        _ => {
            // The removed member still knows the code: a new one keeps them out.
            replace_code(state, id).await.map(|_| ())
        }
    }
}

/// Sets the assignment, or clears it with `None`. Answers count from now on.
#[tracing::instrument(skip_all, fields(user = %user.id, group = id))]
pub async fn set_assignment(
    state: &Practice,
    user: &User,
    id: &str,
    request: Option<AssignmentRequest>,
) -> Result<Option<Assignment>, Error> {
    managed(state, user, id, "set its assignment").await?;
    let assignment = match request {
        None => None,
        Some(r) => {
            let bank = state.bank();
            let wanted = r.topic.trim();
            let topic = bank
                .active()
                .find(|q| q.topic_id == wanted || q.topic_name.eq_ignore_ascii_case(wanted))
                .map(|q| q.topic_id.clone())
                .ok_or_else(|| {
                    Error::Invalid(format!("There is no topic {wanted:?}; pick one of the bank's topics."))
                })?;
            let available = bank.active().filter(|q| q.topic_id == topic).count();
            let today = chrono::Utc::now().date_naive();
            let due_on = Assignment::check(r.count, available, r.due_on.as_deref(), today)?;
            Some(Assignment { topic_id: topic, count: r.count, due_on, set_at: crate::store::now_millis() })
        }
    };
    state.store.set_assignment(id, assignment.as_ref()).await?;
    Ok(assignment)
}

#[tracing::instrument(skip_all, fields(user = %user.id, group = id))]
pub async fn group_view(state: &Practice, user: &User, id: &str) -> Result<GroupView, Error> {
    let (group, is_member) = visible(state, user, id).await?;
    let bank = state.bank();
    let infos = topic_infos(bank.active());
    let answers = match &group.assignment {
        Some(a) => Some(state.store.group_answers_since(id, &a.topic_id, a.set_at).await?),
        None => None,
    };
    let mut members = Vec::new();
    let mut stats: Vec<ConceptStatRow> = Vec::new();
    for member in state.store.group_members(id).await? {
        let mastery = if member.shares_progress {
            let rows = self_assessed_scores_of(state, &member.user_id).await?;
            stats.extend(state.store.concept_stats(&member.user_id).await?);
            Some(topic_mastery(&infos, &scored(&bank, &rows)))
        } else {
            None
        };
        let assignment_answers = answers
            .as_ref()
            .map(|counts| counts.iter().find(|(uid, _)| *uid == member.user_id).map(|(_, n)| *n).unwrap_or(0));
        members.push(MemberView { is_owner: member.user_id == group.owner_id, member, mastery, assignment_answers });
    }
    let sharing = members.iter().filter(|m| m.mastery.is_some()).count();
    let weak_topics = weakest_topics(members.iter().filter_map(|m| m.mastery.as_deref()));
    let tallies: Vec<ConceptTally<'_>> = tallies(&stats);
    let mut weak = weak_concepts(&tallies, GROUP_WEAK_CONCEPTS);
    for w in &mut weak {
        w.questions.dedup();
    }
    let assignment = group.assignment.clone().map(|assignment| {
        let topic_name = infos
            .iter()
            .find(|t| t.id == assignment.topic_id)
            .map(|t| t.name.clone())
            .unwrap_or_else(|| assignment.topic_id.clone());
        AssignmentView { assignment, topic_name }
    });
    let can_manage = group.owner_id == user.id || user.is_admin();
    Ok(GroupView { group, members, sharing, weak_topics, weak_concepts: weak, assignment, can_manage, is_member })
}

/// Topics by the mean mastery of the members who tried them, weakest first.
fn weakest_topics<'a>(members: impl Iterator<Item = &'a [TopicMastery]>) -> Vec<GroupTopic> {
    let mut by_topic: std::collections::BTreeMap<&str, (String, Vec<f64>)> = Default::default();
    for topics in members {
        for t in topics {
            if let Some(m) = t.mastery {
                by_topic.entry(&t.topic_id).or_insert_with(|| (t.name.clone(), Vec::new())).1.push(m);
            }
        }
    }
    let mut list: Vec<GroupTopic> = by_topic
        .into_iter()
        .map(|(id, (name, scores))| GroupTopic {
            topic_id: id.to_string(),
            name,
            mastery: scores.iter().sum::<f64>() / scores.len() as f64,
            members: scores.len(),
        })
        .collect();
    list.sort_by(|a, b| a.mastery.total_cmp(&b.mastery).then_with(|| a.name.cmp(&b.name)));
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(id: &str, mastery: Option<f64>) -> TopicMastery {
        TopicMastery { topic_id: id.into(), name: id.into(), mastery, attempts: 1, tried: 1, unsure_only: 0, total: 3 }
    }

    #[test]
    fn the_weakest_topics_average_only_the_members_who_tried_them() {
        let alice = vec![topic("docker", Some(0.75)), topic("k8s", Some(0.25))];
        let bob = vec![topic("docker", Some(0.25)), topic("k8s", None)];
        let list = weakest_topics([alice.as_slice(), bob.as_slice()].into_iter());
        let got: Vec<(&str, f64, usize)> = list.iter().map(|t| (t.topic_id.as_str(), t.mastery, t.members)).collect();
        assert_eq!(got, [("k8s", 0.25, 1), ("docker", 0.5, 2)]);
    }
}
