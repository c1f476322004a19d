//! The admin users page: every account, role, disable / enable, temporary passwords,
//! and every group (to open and manage).
//! Members get a 403 page.
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, when, PageError};
use crate::auth;
use crate::domain::Role;
use crate::practice;
use crate::routes::pages::NavUser;
use crate::routes::session::PageUser;
use crate::routes::ApiError;
use crate::startup::AppState;

struct AccountItem {
    id: String,
    username: String,
    admin: bool,
    disabled: bool,
    created: String,
    is_me: bool,
}

struct GroupItem {
    id: String,
    name: String,
    owner: String,
    members: i64,
}

#[derive(Template)]
#[template(path = "admin_users.html")]
struct UsersPage {
    user: Option<NavUser>,
    csrf: String,
    users: Vec<AccountItem>,
    notice: Option<String>,
    error: Option<String>,
    /// (username, temporary password) just set, shown this once.
    temporary: Option<(String, String)>,
    groups: Vec<GroupItem>,
}

#[derive(Deserialize)]
pub struct Notice {
    done: Option<String>,
}

fn notice_of(done: Option<&str>) -> Option<String> {
    let text = match done? {
        "role" => "The role was changed.",
        "disabled" => "The account was disabled and its sessions ended.",
        "enabled" => "The account was enabled.",
        _ => return None,
    };
    Some(text.to_string())
}

async fn page(
    state: &AppState,
    user: &PageUser,
    status: StatusCode,
    notice: Option<String>,
    error: Option<String>,
    temporary: Option<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let users = state
        .accounts
        .accounts(&user.0)
        .await
        .map_err(ApiError::from)?
        .into_iter()
        .map(|a| AccountItem {
            is_me: a.id == user.0.id,
            id: a.id,
            username: a.username,
            admin: a.role == Role::Admin,
            disabled: a.disabled,
            created: when(a.created_at),
        })
        .collect();
    let groups = practice::all_groups(&state.practice, &user.0)
        .await?
        .into_iter()
        .map(|g| GroupItem { id: g.group.id, name: g.group.name, owner: g.owner, members: g.members })
        .collect();
    let page =
        UsersPage { user: Some(NavUser::of(&user.0)), csrf: user.csrf(), users, notice, error, temporary, groups };
    let mut response = html(status, &page)?;
    if page.temporary.is_some() {
        response.headers_mut().insert(
            actix_web::http::header::CACHE_CONTROL,
            actix_web::http::header::HeaderValue::from_static("no-store"),
        );
    }
    Ok(response)
}

pub async fn users(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<Notice>,
) -> Result<HttpResponse, PageError> {
    page(&state, &user, StatusCode::OK, notice_of(query.done.as_deref()), None, None).await
}

/// A refusal the admin can act on (the last admin) is shown on the page; anything else
/// is an error page.
async fn after(
    state: &AppState,
    user: &PageUser,
    result: Result<(), auth::Error>,
    done: &str,
) -> Result<HttpResponse, PageError> {
    match result {
        Ok(()) => Ok(see_other(&format!("/admin/users?done={done}"))),
        Err(e @ (auth::Error::LastAdmin(_) | auth::Error::Invalid(_))) => {
            page(state, user, StatusCode::CONFLICT, None, Some(e.to_string()), None).await
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn set_role(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, PageError> {
    let result = match Role::parse(&form.role) {
        Ok(role) => state.accounts.set_role(&user.0, &path, role).await,
        Err(e) => Err(e.into()),
    };
    after(&state, &user, result, "role").await
}

#[derive(Deserialize)]
pub struct AccessForm {
    /// `true` disables, anything else enables.
    disabled: String,
}

pub async fn set_access(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<AccessForm>,
) -> Result<HttpResponse, PageError> {
    let disabled = form.disabled == "true";
    let result = state.accounts.set_disabled(&user.0, &path, disabled).await;
    after(&state, &user, result, if disabled { "disabled" } else { "enabled" }).await
}

pub async fn reset_password(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let temporary = state.accounts.reset_password(&user.0, &path).await.map_err(ApiError::from)?;
    page(&state, &user, StatusCode::OK, None, None, Some(temporary)).await
}
