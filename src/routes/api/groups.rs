//! Study groups over JSON: create, join, leave, the group's members and progress, and
//! what its owner (or an admin) manages. A group that is not yours is a 404.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::progress::{ConceptJson, TopicJson};
use super::schema::ErrorBody;
use crate::domain::{Assignment, Group};
use crate::practice::{self, AssignmentRequest, GroupSummary, GroupView};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// A group in the list of yours.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupSummary)]
pub struct GroupSummaryJson {
    pub id: String,
    pub name: String,
    /// Whoever has it can join (`POST /groups/join`); the owner can replace it.
    pub invite_code: String,
    pub is_owner: bool,
    pub members: usize,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
}

impl GroupSummaryJson {
    fn new(group: &Group, members: usize, user: &CurrentUser) -> Self {
        GroupSummaryJson {
            id: group.id.clone(),
            name: group.name.clone(),
            invite_code: group.invite_code.clone(),
            is_owner: group.owner_id == user.id,
            members,
            created_at: group.created_at,
        }
    }
}

/// Your groups.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupList)]
pub struct GroupListJson {
    pub groups: Vec<GroupSummaryJson>,
}

/// A member of a group.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupMember)]
pub struct MemberJson {
    pub user_id: String,
    pub username: String,
    pub is_owner: bool,
    /// When they joined: Unix milliseconds (UTC).
    pub joined_at: i64,
    /// Whether they chose to show their progress to their groups.
    pub shares_progress: bool,
    /// Their mastery per topic, weakest first. Absent unless they share their progress.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mastery: Option<Vec<TopicJson>>,
    /// Answers in the assignment's topic since it was set. Absent without an assignment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignment_answers: Option<i64>,
    /// Whether those answers reach the assignment's number. Absent without an assignment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assignment_done: Option<bool>,
}

/// A topic the members who share their progress are weak in.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupTopic)]
pub struct GroupTopicJson {
    pub topic_id: String,
    /// The topic's display name.
    pub topic: String,
    /// Mean mastery (0..1) of the sharing members who tried it.
    pub mastery: f64,
    /// Sharing members who tried it.
    pub members: usize,
}

/// The group's assignment.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupAssignment)]
pub struct AssignmentJson {
    pub topic_id: String,
    /// The topic's display name.
    pub topic: String,
    /// Answers in the topic that complete it.
    pub count: i64,
    /// `YYYY-MM-DD`, or null for no due date.
    pub due_on: Option<String>,
    /// When it was set (answers from then on count): Unix milliseconds (UTC).
    pub set_at: i64,
}

impl AssignmentJson {
    fn new(assignment: &Assignment, topic: String) -> Self {
        AssignmentJson {
            topic_id: assignment.topic_id.clone(),
            topic,
            count: assignment.count,
            due_on: assignment.due_on.clone(),
            set_at: assignment.set_at,
        }
    }
}

/// A group with its members and progress.
#[derive(Serialize, ToSchema)]
#[schema(as = Group)]
pub struct GroupJson {
    pub id: String,
    pub name: String,
    pub invite_code: String,
    pub owner_id: String,
    /// You are its owner or an admin: you may replace the code, remove members and set
    /// the assignment.
    pub can_manage: bool,
    /// In the order they joined.
    pub members: Vec<MemberJson>,
    /// Members who share their progress; the weak topics and concepts are theirs only.
    pub sharing_members: usize,
    /// Weakest first.
    pub weak_topics: Vec<GroupTopicJson>,
    /// Most missed first.
    pub weak_concepts: Vec<ConceptJson>,
    pub assignment: Option<AssignmentJson>,
}

impl GroupJson {
    fn new(state: &AppState, view: &GroupView) -> Self {
        let count = view.assignment.as_ref().map(|a| a.assignment.count);
        GroupJson {
            id: view.group.id.clone(),
            name: view.group.name.clone(),
            invite_code: view.group.invite_code.clone(),
            owner_id: view.group.owner_id.clone(),
            can_manage: view.can_manage,
            members: view
                .members
                .iter()
                .map(|m| MemberJson {
                    user_id: m.member.user_id.clone(),
                    username: m.member.username.clone(),
                    is_owner: m.is_owner,
                    joined_at: m.member.joined_at,
                    shares_progress: m.member.shares_progress,
                    mastery: m.mastery.as_ref().map(|topics| topics.iter().map(TopicJson::from).collect()),
                    assignment_answers: m.assignment_answers,
                    assignment_done: m.assignment_answers.zip(count).map(|(n, needed)| n >= needed),
                })
                .collect(),
            sharing_members: view.sharing,
            weak_topics: view
                .weak_topics
                .iter()
                .map(|t| GroupTopicJson {
                    topic_id: t.topic_id.clone(),
                    topic: t.name.clone(),
                    mastery: t.mastery,
                    members: t.members,
                })
                .collect(),
            weak_concepts: view.weak_concepts.iter().map(|w| ConceptJson::new(state, w)).collect(),
            assignment: view.assignment.as_ref().map(|a| AssignmentJson::new(&a.assignment, a.topic_name.clone())),
        }
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGroup {
    /// 1-60 characters.
    pub name: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct JoinGroup {
    /// The group's invite code, in any case, spaces and dashes ignored.
    pub code: String,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAssignment {
    /// A topic id or name.
    pub topic: String,
    /// Answers in the topic that complete it, 1-100.
    pub count: i64,
    /// `YYYY-MM-DD`; omit for no due date.
    #[serde(default)]
    pub due_on: Option<String>,
}

/// The new invite code.
#[derive(Serialize, ToSchema)]
pub struct InviteCodeJson {
    pub invite_code: String,
}

/// Creates a group with you as its owner and first member.
#[utoipa::path(
    post,
    path = "/api/v1/groups",
    operation_id = "create_group",
    tag = "groups",
    security(("session" = [])),
    request_body = NewGroup,
    responses(
        (status = 201, description = "Created", body = GroupSummaryJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 409, description = "You are in the most groups one account can be in (50)", body = ErrorBody),
        (status = 422, description = "The name is empty or too long", body = ErrorBody),
        (status = 429, description = "Too many groups created in a short time; see `Retry-After`", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn create(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<NewGroup>,
) -> Result<HttpResponse, ApiError> {
    let group = practice::create_group(&state.practice, &user, &body.name).await?;
    Ok(HttpResponse::Created().json(GroupSummaryJson::new(&group, 1, &user)))
}

/// Joins the group whose invite code this is (nothing changes if you are a member).
#[utoipa::path(
    post,
    path = "/api/v1/groups/join",
    operation_id = "join_group",
    tag = "groups",
    security(("session" = [])),
    request_body = JoinGroup,
    responses(
        (status = 200, description = "You are a member", body = GroupSummaryJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "No group has that code (it may have been replaced)", body = ErrorBody),
        (status = 409, description = "You are in the most groups one account can be in (50)", body = ErrorBody),
        (status = 429, description = "Too many attempts to join; see `Retry-After`", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn join(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<JoinGroup>,
) -> Result<HttpResponse, ApiError> {
    let (group, _) = practice::join_group(&state.practice, &user, &body.code).await?;
    let mine = practice::my_groups(&state.practice, &user).await?;
    let members = mine.iter().find(|g| g.group.id == group.id).map_or(1, |g| g.members);
    Ok(HttpResponse::Ok().json(GroupSummaryJson::new(&group, members, &user)))
}

/// Your groups, by name.
#[utoipa::path(
    get,
    path = "/api/v1/groups",
    operation_id = "my_groups",
    tag = "groups",
    security(("session" = [])),
    responses(
        (status = 200, description = "Your groups (empty if none)", body = GroupListJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn mine(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let groups: Vec<GroupSummary> = practice::my_groups(&state.practice, &user).await?;
    let groups = groups.iter().map(|g| GroupSummaryJson::new(&g.group, g.members, &user)).collect();
    Ok(HttpResponse::Ok().json(GroupListJson { groups }))
}

/// A group of yours: members, the mastery of those who share it, the weakest topics and
/// concepts of those, and the assignment.
#[utoipa::path(
    get,
    path = "/api/v1/groups/{id}",
    operation_id = "group",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "The group", body = GroupJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such group of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn show(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let view = practice::group_view(&state.practice, &user, &path).await?;
    Ok(HttpResponse::Ok().json(GroupJson::new(&state, &view)))
}

/// Leaves the group. An owner who leaves hands it to the member who joined next; the
/// last member's leaving deletes it.
#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/leave",
    operation_id = "leave_group",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 204, description = "You left"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 404, description = "No such group of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn leave(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    practice::leave_group(&state.practice, &user, &path).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replaces the invite code (owner or admin); the old code stops working at once.
#[utoipa::path(
    post,
    path = "/api/v1/groups/{id}/invite-code",
    operation_id = "rotate_invite_code",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 200, description = "The new code", body = InviteCodeJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "You are a member but not its owner or an admin", body = ErrorBody),
        (status = 404, description = "No such group of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn rotate_code(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let code = practice::rotate_code(&state.practice, &user, &path).await?;
    Ok(HttpResponse::Ok().json(InviteCodeJson { invite_code: code.as_str().to_string() }))
}

/// Removes a member (owner or admin; the owner cannot be removed). The invite code is
/// replaced at the same time, so the removed member cannot rejoin with it.
#[utoipa::path(
    delete,
    path = "/api/v1/groups/{id}/members/{user_id}",
    operation_id = "remove_group_member",
    tag = "groups",
    security(("session" = [])),
    params(
        ("id" = String, Path, description = "Group id"),
        ("user_id" = String, Path, description = "The member's user id"),
    ),
    responses(
        (status = 204, description = "Removed"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "You are a member but not its owner or an admin", body = ErrorBody),
        (status = 404, description = "No such group of yours, or no such member", body = ErrorBody),
        (status = 422, description = "The owner cannot be removed", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn remove_member(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (id, member) = path.into_inner();
    practice::remove_member(&state.practice, &user, &id, &member).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Sets the assignment (owner or admin): a topic, a number of answers, a due date.
/// Answers in the topic from now on count.
#[utoipa::path(
    put,
    path = "/api/v1/groups/{id}/assignment",
    operation_id = "set_group_assignment",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    request_body = NewAssignment,
    responses(
        (status = 200, description = "The assignment", body = AssignmentJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "You are a member but not its owner or an admin", body = ErrorBody),
        (status = 404, description = "No such group of yours", body = ErrorBody),
        (status = 422, description = "Unknown topic, a count out of 1-100, or a date not like 2026-12-24", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn set_assignment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<NewAssignment>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let request = AssignmentRequest { topic: body.topic, count: body.count, due_on: body.due_on };
    let set = practice::set_assignment(&state.practice, &user, &path, Some(request)).await?;
    let assignment = set.ok_or_else(|| ApiError::Unexpected(anyhow::anyhow!("assignment not set")))?;
    let topic = state
        .practice
        .bank()
        .active()
        .find(|q| q.topic_id == assignment.topic_id)
        .map(|q| q.topic_name.clone())
        .unwrap_or_else(|| assignment.topic_id.clone());
    Ok(HttpResponse::Ok().json(AssignmentJson::new(&assignment, topic)))
}

/// Clears the assignment (owner or admin).
#[utoipa::path(
    delete,
    path = "/api/v1/groups/{id}/assignment",
    operation_id = "clear_group_assignment",
    tag = "groups",
    security(("session" = [])),
    params(("id" = String, Path, description = "Group id")),
    responses(
        (status = 204, description = "Cleared"),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "You are a member but not its owner or an admin", body = ErrorBody),
        (status = 404, description = "No such group of yours", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn clear_assignment(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    practice::set_assignment(&state.practice, &user, &path, None).await?;
    Ok(HttpResponse::NoContent().finish())
}
