//! Study group pages: the list of mine (create, join), one group (members, shared
//! progress, assignment) and the owner's forms.
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, when, PageError};
use crate::domain::{MarkComment, PeerScore, Topic};
use crate::practice::{self, AssignmentRequest, Left};
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::startup::AppState;

struct GroupItem {
    id: String,
    name: String,
    members: usize,
    is_owner: bool,
}

#[derive(Template)]
#[template(path = "groups.html")]
struct GroupsPage {
    user: Option<NavUser>,
    csrf: String,
    groups: Vec<GroupItem>,
    notice: Option<String>,
    error: Option<String>,
    /// What was typed into the create and join forms, given back after an error.
    name: String,
    code: String,
}

struct TopicRow {
    name: String,
    /// 0-100; `None`: not tried yet.
    mastery: Option<i64>,
    tried: usize,
    total: usize,
}

struct MemberItem {
    user_id: String,
    username: String,
    is_owner: bool,
    is_me: bool,
    joined: String,
    /// Only for members who share their progress.
    topics: Option<Vec<TopicRow>>,
    /// (answers since the assignment was set, answers it needs).
    assignment: Option<(i64, i64)>,
}

/// An answer shared with the group, as the viewer sees it.
struct SharedItem {
    attempt_id: String,
    prompt: String,
    topic: String,
    answer: String,
    reference: String,
    sharer: String,
    shared: String,
    is_mine: bool,
    /// The grader's (score 0-100, band): for the sharer, and for whoever has marked it.
    grader: Option<(i64, String)>,
    /// The viewer's mark, or what they just typed when it was refused.
    my_score: Option<String>,
    my_comment: String,
    /// The viewer has a mark stored on this answer (the button says "Change your mark"
    /// then, whatever a refused form gave back into the fields).
    has_mark: bool,
    /// Why the viewer's mark on this answer was just refused, shown in its form, and the
    /// field to fix (`score` or `comment`: focused, so the browser scrolls to the form).
    mark_error: Option<(String, &'static str)>,
    /// Every (marker, mark, comment, when), for the sharer only.
    marks: Vec<(String, i64, String, String)>,
    mark_count: usize,
    /// The viewer's mark on this answer was just saved: said here, where the page
    /// opens (the answer's anchor), not at the top out of view.
    just_marked: bool,
}

/// A mark that was refused, given back into its form with the reason.
pub struct TypedMark {
    attempt_id: String,
    score: String,
    comment: String,
    error: String,
}

impl TypedMark {
    /// The field the refusal is about: the comment, or else the mark.
    fn focus(&self) -> &'static str {
        if self.error.contains("comment") {
            "comment"
        } else {
            "score"
        }
    }
}

struct AssignmentItem {
    topic: String,
    topic_id: String,
    count: i64,
    /// `YYYY-MM-DD`, for the date box; `due` is how the page says it ("Dec 10", as the
    /// other dates of the site read, "Dec 31, 2027" when not this year).
    due_on: String,
    due: String,
    set: String,
}

/// A due date as the site's other dates read ("Dec 10"), with its year when that is not
/// `today`'s ("Dec 31, 2027": without it, a date next December reads as this month's), or
/// as stored if it is not a date.
fn due_label(due_on: &str, today: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    chrono::NaiveDate::parse_from_str(due_on, "%Y-%m-%d")
        .map_or_else(|_| due_on.to_string(), |d| super::day(d, today.year()))
}

#[derive(Template)]
#[template(path = "group.html")]
struct GroupPage {
    user: Option<NavUser>,
    csrf: String,
    id: String,
    name: String,
    invite_code: String,
    can_manage: bool,
    is_member: bool,
    members: Vec<MemberItem>,
    sharing: usize,
    /// (topic, mean mastery 0-100, members who tried it).
    weak_topics: Vec<(String, i64, usize)>,
    /// (concept, misses, times asked).
    weak_concepts: Vec<(String, i64, i64)>,
    assignment: Option<AssignmentItem>,
    shared: Vec<SharedItem>,
    topics: Vec<Topic>,
    notice: Option<String>,
    error: Option<String>,
    /// What the owner's assignment form shows: the assignment set, or what was typed
    /// into it when it was refused, with the reason beside it.
    assignment_form: AssignmentFormView,
}

/// The assignment form's values, and after a refusal its reason and the field to fix.
struct AssignmentFormView {
    topic_id: String,
    count: String,
    due_on: String,
    error: Option<String>,
    /// Id of the input the reason is about, focused (and so scrolled to) on the page.
    focus: &'static str,
}

impl AssignmentFormView {
    fn refused(form: &AssignmentForm, message: String) -> AssignmentFormView {
        let focus = if message.contains("due date") {
            "assignment-due"
        } else if message.contains("topic") {
            "assignment-topic"
        } else {
            "assignment-count"
        };
        AssignmentFormView {
            topic_id: form.topic.clone(),
            count: form.count.clone(),
            due_on: form.due_on.clone(),
            error: Some(message),
            focus,
        }
    }
}

fn percent(value: f64) -> i64 {
    (value * 100.0).round() as i64
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
    /// An invite code to fill in the join form with (from an invite link followed while
    /// logged in).
    code: Option<String>,
    /// The shared answer the notice is about (`done=marked`).
    at: Option<String>,
}

/// The join form's code box takes this many characters (its `maxlength`).
const MAX_TYPED_CODE: usize = 40;

/// Where a notice names the group (filled in by the group page; the groups list shows
/// no such notice).
const GROUP_NAME: &str = "{group}";

/// The notice after a redirect (`?done=...`); unknown values show nothing.
fn notice_of(done: Option<&str>) -> Option<String> {
    let text = match done? {
        "left" => "You left the group.",
        "deleted" => "You left the group; it had no other members, so it is gone.",
        "passed" => "You left the group; the member who joined after you owns it now.",
        "created" => "Your group is ready: share its invite code with the people you study with.",
        "joined" => "You joined {group}.",
        "member" => "You are in this group already.",
        "welcome" => {
            "Welcome: your account is ready and you are a member of {group}. Its assignment, if it has one, is below."
        }
        "code" => "The invite code was replaced: the old one no longer works.",
        "removed" => {
            "The member was removed, and the invite code replaced so they cannot rejoin with it: share the new link \
             with anyone still to join."
        }
        "assigned" => "The assignment was set; answers from now on count.",
        "cleared" => "The assignment was cleared.",
        "shared" => "Your answer is shared with the group: its other members can mark it.",
        "marked" => "Your mark was saved.",
        _ => return None,
    };
    Some(text.to_string())
}

async fn groups_page(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    typed: (String, String),
) -> Result<HttpResponse, PageError> {
    let groups = practice::my_groups(&state.practice, &user.0)
        .await?
        .into_iter()
        .map(|g| GroupItem {
            is_owner: g.group.owner_id == user.0.id,
            id: g.group.id,
            name: g.group.name,
            members: g.members,
        })
        .collect();
    let page = GroupsPage {
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        groups,
        notice,
        error,
        name: typed.0,
        code: typed.1,
    };
    html(status, &page)
}

pub async fn list(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, PageError> {
    let notice = notice_of(query.done.as_deref()).filter(|n| !n.contains(GROUP_NAME));
    let code = query.code.as_deref().unwrap_or_default().trim().chars().take(MAX_TYPED_CODE).collect();
    groups_page(&state, &user, StatusCode::OK, notice, None, (String::new(), code)).await
}

#[derive(Deserialize)]
pub struct NewGroupForm {
    name: String,
}

pub async fn create(
    user: PageUser,
    state: web::Data<AppState>,
    form: web::Form<NewGroupForm>,
) -> Result<HttpResponse, PageError> {
    match practice::create_group(&state.practice, &user.0, &form.name).await {
        Ok(group) => Ok(see_other(&format!("/groups/{}?done=created", group.id))),
        Err(e @ (practice::Error::Invalid(_) | practice::Error::Conflict(_))) => {
            let status = refused_status(&e);
            let typed = (form.name.clone(), String::new());
            groups_page(&state, &user, status, None, Some(e.to_string()), typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// 409 for a learner at the most groups one account can be in, 422 for bad input.
fn refused_status(e: &practice::Error) -> StatusCode {
    match e {
        practice::Error::Conflict(_) => StatusCode::CONFLICT,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

#[derive(Deserialize)]
pub struct JoinForm {
    code: String,
}

pub async fn join(
    user: PageUser,
    state: web::Data<AppState>,
    form: web::Form<JoinForm>,
) -> Result<HttpResponse, PageError> {
    match practice::join_group(&state.practice, &user.0, &form.code).await {
        Ok((group, true)) => Ok(see_other(&format!("/groups/{}?done=joined", group.id))),
        Ok((group, false)) => Ok(see_other(&format!("/groups/{}?done=member", group.id))),
        Err(e @ (practice::Error::Invalid(_) | practice::Error::Conflict(_))) => {
            let status = refused_status(&e);
            let typed = (String::new(), form.code.clone());
            groups_page(&state, &user, status, None, Some(e.to_string()), typed).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `marked`: the answer whose mark was just saved, if any.
fn shared_item(v: &practice::SharedView, typed: Option<&TypedMark>, marked: Option<&str>) -> SharedItem {
    let a = &v.shared.attempt;
    let typed = typed.filter(|t| t.attempt_id == a.id);
    SharedItem {
        attempt_id: a.id.clone(),
        prompt: a.prompt.clone(),
        topic: a.topic_name.clone(),
        answer: a.answer.clone(),
        reference: a.reference.clone(),
        sharer: v.shared.sharer_name.clone(),
        shared: when(v.shared.shared_at),
        is_mine: v.is_mine,
        grader: v.shows_grade().then(|| (percent(a.score), super::band_class(a).to_string())),
        my_score: match typed {
            // Nothing chosen: the form offers "Choose 0 to 5" again, not a 0 it picks.
            Some(t) => Some(t.score.clone()).filter(|s| !s.trim().is_empty()),
            None => v.my_mark.as_ref().map(|m| m.score.to_string()),
        },
        my_comment: match typed {
            Some(t) => t.comment.clone(),
            None => v.my_mark.as_ref().map(|m| m.comment.clone()).unwrap_or_default(),
        },
        has_mark: v.my_mark.is_some(),
        mark_error: typed.map(|t| (t.error.clone(), t.focus())),
        marks: v.marks.iter().map(|m| (m.marker_name.clone(), m.score, m.comment.clone(), when(m.marked_at))).collect(),
        mark_count: v.mark_count,
        just_marked: marked == Some(a.id.as_str()),
    }
}

async fn group_page(
    state: &AppState,
    user: &PageUser,
    id: &str,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
) -> Result<HttpResponse, PageError> {
    group_page_typed(state, user, id, status, (notice, error), Typed::default()).await
}

/// What a refused form gives back to the group page: a typed mark, the answer just
/// marked, or a typed assignment.
#[derive(Default)]
struct Typed<'a> {
    mark: Option<TypedMark>,
    marked: Option<&'a str>,
    assignment: Option<AssignmentFormView>,
}

async fn group_page_typed(
    state: &AppState,
    user: &PageUser,
    id: &str,
    status: StatusCode,
    (notice, error): (Option<String>, Option<String>),
    Typed { mark: typed, marked, assignment: assignment_typed }: Typed<'_>,
) -> Result<HttpResponse, PageError> {
    let view = practice::group_view(&state.practice, &user.0, id).await?;
    let shared = practice::shared_in_group(&state.practice, &user.0, id).await?;
    let shared: Vec<SharedItem> = shared.iter().map(|v| shared_item(v, typed.as_ref(), marked)).collect();
    // A refused mark's reason sits in its form; at the top only if that answer is gone.
    let error = error.or_else(|| {
        typed
            .filter(|t| !shared.iter().any(|s| s.attempt_id == t.attempt_id && s.mark_error.is_some()))
            .map(|t| t.error)
    });
    // A mark's notice sits by its answer when that answer is on the page.
    let notice = notice.filter(|_| !shared.iter().any(|s| s.just_marked));
    // A notice about joining names the group it is about.
    let notice = notice.map(|n| n.replace(GROUP_NAME, &format!("“{}”", view.group.name)));
    let count = view.assignment.as_ref().map(|a| a.assignment.count);
    let members = view
        .members
        .iter()
        .map(|m| MemberItem {
            user_id: m.member.user_id.clone(),
            username: m.member.username.clone(),
            is_owner: m.is_owner,
            is_me: m.member.user_id == user.0.id,
            joined: when(m.member.joined_at),
            topics: m.mastery.as_ref().map(|topics| {
                topics
                    .iter()
                    .map(|t| TopicRow {
                        name: t.name.clone(),
                        mastery: t.mastery.map(percent),
                        tried: t.tried,
                        total: t.total,
                    })
                    .collect()
            }),
            assignment: m.assignment_answers.zip(count),
        })
        .collect();
    let page = GroupPage {
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        id: view.group.id.clone(),
        name: view.group.name.clone(),
        invite_code: view.group.invite_code.clone(),
        can_manage: view.can_manage,
        is_member: view.is_member,
        members,
        sharing: view.sharing,
        weak_topics: view.weak_topics.iter().map(|t| (t.name.clone(), percent(t.mastery), t.members)).collect(),
        weak_concepts: view.weak_concepts.iter().map(|w| (w.concept.clone(), w.misses, w.seen)).collect(),
        assignment: view.assignment.as_ref().map(|a| AssignmentItem {
            topic: a.topic_name.clone(),
            topic_id: a.assignment.topic_id.clone(),
            count: a.assignment.count,
            due_on: a.assignment.due_on.clone().unwrap_or_default(),
            due: a
                .assignment
                .due_on
                .as_deref()
                .map(|d| due_label(d, chrono::Utc::now().date_naive()))
                .unwrap_or_default(),
            set: when(a.assignment.set_at),
        }),
        shared,
        topics: if view.can_manage { state.practice.topics().await? } else { Vec::new() },
        notice,
        error,
        assignment_form: assignment_typed.unwrap_or_else(|| match &view.assignment {
            Some(a) => AssignmentFormView {
                topic_id: a.assignment.topic_id.clone(),
                count: a.assignment.count.to_string(),
                due_on: a.assignment.due_on.clone().unwrap_or_default(),
                error: None,
                focus: "",
            },
            None => AssignmentFormView {
                topic_id: String::new(),
                count: "5".into(),
                due_on: String::new(),
                error: None,
                focus: "",
            },
        }),
    };
    html(status, &page)
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, PageError> {
    let marked = query.at.as_deref().filter(|_| query.done.as_deref() == Some("marked"));
    let notice = notice_of(query.done.as_deref());
    group_page_typed(&state, &user, &path, StatusCode::OK, (notice, None), Typed { marked, ..Typed::default() }).await
}

pub async fn leave(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let done = match practice::leave_group(&state.practice, &user.0, &path).await? {
        Left::Deleted => "deleted",
        Left::OwnerPassed(_) => "passed",
        _ => "left",
    };
    Ok(see_other(&format!("/groups?done={done}")))
}

pub async fn rotate_code(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    practice::rotate_code(&state.practice, &user.0, &path).await?;
    Ok(see_other(&format!("/groups/{}?done=code", path.as_str())))
}

pub async fn remove_member(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, member) = path.into_inner();
    match practice::remove_member(&state.practice, &user.0, &id, &member).await {
        Ok(()) => Ok(see_other(&format!("/groups/{id}?done=removed"))),
        Err(practice::Error::Invalid(message)) => {
            group_page(&state, &user, &id, StatusCode::UNPROCESSABLE_ENTITY, None, Some(message)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct AssignmentForm {
    #[serde(default)]
    topic: String,
    #[serde(default)]
    count: String,
    #[serde(default)]
    due_on: String,
    /// `clear` clears the assignment.
    #[serde(default)]
    action: String,
}

pub async fn set_assignment(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AssignmentForm>,
) -> Result<HttpResponse, PageError> {
    let id = path.into_inner();
    let request = if form.action == "clear" {
        None
    } else {
        match form.count.trim().parse::<i64>() {
            Ok(count) => Some(AssignmentRequest {
                topic: form.topic.clone(),
                count,
                due_on: Some(form.due_on.clone()).filter(|d| !d.trim().is_empty()),
            }),
            Err(_) => {
                let message = "Give the number of questions as a whole number, 1 to 100.".to_string();
                return refused_assignment(&state, &user, &id, &form, message).await;
            }
        }
    };
    let cleared = request.is_none();
    match practice::set_assignment(&state.practice, &user.0, &id, request).await {
        Ok(_) => Ok(see_other(&format!("/groups/{id}?done={}", if cleared { "cleared" } else { "assigned" }))),
        Err(practice::Error::Invalid(message)) => refused_assignment(&state, &user, &id, &form, message).await,
        Err(e) => Err(e.into()),
    }
}

/// The group page again after a refused assignment: the reason beside the form, what
/// was typed still in it, and the field to fix focused.
async fn refused_assignment(
    state: &AppState,
    user: &PageUser,
    id: &str,
    form: &AssignmentForm,
    message: String,
) -> Result<HttpResponse, PageError> {
    let typed = AssignmentFormView::refused(form, message);
    let typed = Typed { assignment: Some(typed), ..Typed::default() };
    group_page_typed(state, user, id, StatusCode::UNPROCESSABLE_ENTITY, (None, None), typed).await
}

#[derive(Deserialize)]
pub struct ShareForm {
    #[serde(default)]
    group_id: String,
}

/// Shares one of the user's answers with a group of theirs (from the question page).
pub async fn share(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ShareForm>,
) -> Result<HttpResponse, PageError> {
    let attempt = path.into_inner();
    practice::share_attempt(&state.practice, &user.0, &form.group_id, &attempt).await?;
    Ok(see_other(&format!("/groups/{}?done=shared#shared-{attempt}", form.group_id)))
}

#[derive(Deserialize)]
pub struct MarkForm {
    #[serde(default)]
    score: String,
    #[serde(default)]
    comment: String,
}

/// Marks an answer shared with the group; a refused mark shows the page again with
/// what was typed and why.
pub async fn mark(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
    form: web::Form<MarkForm>,
) -> Result<HttpResponse, PageError> {
    let (id, attempt) = path.into_inner();
    let parsed = PeerScore::parse_text(&form.score).and_then(|s| Ok((s, MarkComment::parse(&form.comment)?)));
    let outcome = match parsed {
        Ok((score, comment)) => {
            practice::mark_attempt(&state.practice, &user.0, &id, &attempt, score, &comment).await.map(|_| ())
        }
        Err(e) => Err(practice::Error::from(e)),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/groups/{id}?done=marked&at={attempt}#shared-{attempt}"))),
        Err(practice::Error::Invalid(message)) => {
            let typed = TypedMark {
                attempt_id: attempt,
                score: form.score.clone(),
                comment: form.comment.clone(),
                error: message,
            };
            let typed = Typed { mark: Some(typed), ..Typed::default() };
            group_page_typed(&state, &user, &id, StatusCode::UNPROCESSABLE_ENTITY, (None, None), typed).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::due_label;

    #[test]
    fn a_due_date_shows_its_year_only_when_it_is_not_this_year() {
        let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 7).expect("date");
        for (due_on, label, case) in [
            ("2026-12-31", "Dec 31", "later this year"),
            ("2027-12-31", "Dec 31, 2027", "next year, same month: must not read as this month"),
            ("2027-01-05", "Jan 5, 2027", "next month, next year"),
            ("2025-12-31", "Dec 31, 2025", "a past year"),
            ("31/12/2027", "31/12/2027", "not a date: shown as stored"),
        ] {
            assert_eq!(due_label(due_on, today), label, "{case}");
        }
    }
}
