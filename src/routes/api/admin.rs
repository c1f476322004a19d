//! User administration over JSON (admins only; members get 403), and the user's own
//! settings.
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::{ErrorBody, RoleSchema};
use crate::domain::{Account, Role};
use crate::practice;
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

/// A user as an admin sees them.
#[derive(Serialize, ToSchema)]
#[schema(as = Account)]
pub struct AccountJson {
    pub id: String,
    pub username: String,
    #[schema(value_type = RoleSchema)]
    pub role: Role,
    /// A disabled user cannot log in.
    pub disabled: bool,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
}

impl From<&Account> for AccountJson {
    fn from(a: &Account) -> Self {
        AccountJson {
            id: a.id.clone(),
            username: a.username.clone(),
            role: a.role,
            disabled: a.disabled,
            created_at: a.created_at,
        }
    }
}

/// Every user.
#[derive(Serialize, ToSchema)]
#[schema(as = AccountList)]
pub struct AccountListJson {
    pub users: Vec<AccountJson>,
}

/// A group in the admins' list.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupOverview)]
pub struct GroupOverviewJson {
    pub id: String,
    pub name: String,
    pub owner: String,
    pub members: i64,
    /// Unix milliseconds (UTC).
    pub created_at: i64,
}

/// Every group.
#[derive(Serialize, ToSchema)]
#[schema(as = GroupOverviewList)]
pub struct GroupOverviewListJson {
    pub groups: Vec<GroupOverviewJson>,
}

/// What to change; omitted fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountChange {
    #[serde(default)]
    #[schema(value_type = Option<RoleSchema>)]
    pub role: Option<String>,
    /// `true` disables the account (its sessions end), `false` enables it.
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// A temporary password, shown this once: pass it on to the user, who should change it.
#[derive(Serialize, ToSchema)]
pub struct PasswordReset {
    pub username: String,
    pub temporary_password: String,
}

/// The user's own settings.
#[derive(Serialize, ToSchema)]
pub struct Settings {
    /// Show your topic mastery to the members of your groups (off until you turn it on).
    pub share_progress: bool,
    /// The chance of recalling a question you want on its due date, 0.70..0.97 (0.9
    /// until you change it): higher means more frequent reviews.
    pub desired_retention: f64,
    /// Whether your review schedule runs on parameters fitted to your own answers (once
    /// you have enough reviews) rather than FSRS's defaults. Read only.
    pub personal_parameters: bool,
}

/// A change of settings: the fields sent change, the others stay.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsChange {
    /// Show your topic mastery to the members of your groups.
    pub share_progress: Option<bool>,
    /// 0.70..0.97; anything else is refused with 422.
    pub desired_retention: Option<f64>,
}

async fn my_settings(state: &AppState, user: &CurrentUser) -> Result<Settings, ApiError> {
    let share_progress = state.accounts.shares_progress(user).await?;
    let schedule = state.practice.schedule_settings(user).await?;
    Ok(Settings {
        share_progress,
        desired_retention: schedule.desired_retention,
        personal_parameters: schedule.personal_parameters,
    })
}

async fn account(state: &AppState, user: &CurrentUser, id: &str) -> Result<AccountJson, ApiError> {
    let accounts = state.accounts.accounts(user).await?;
    accounts
        .iter()
        .find(|a| a.id == id)
        .map(AccountJson::from)
        .ok_or_else(|| ApiError::NotFound("There is no such user.".into()))
}

/// Every user (admins only).
#[utoipa::path(
    get,
    path = "/api/v1/admin/users",
    operation_id = "admin_users",
    tag = "admin",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every user, admins first", body = AccountListJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn users(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let accounts = state.accounts.accounts(&user).await?;
    Ok(HttpResponse::Ok().json(AccountListJson { users: accounts.iter().map(AccountJson::from).collect() }))
}

/// Every group, by name (admins only), to open and manage any of them.
#[utoipa::path(
    get,
    path = "/api/v1/admin/groups",
    operation_id = "admin_groups",
    tag = "admin",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every group", body = GroupOverviewListJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn groups(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    let groups = practice::all_groups(&state.practice, &user)
        .await?
        .into_iter()
        .map(|g| GroupOverviewJson {
            id: g.group.id,
            name: g.group.name,
            owner: g.owner,
            members: g.members,
            created_at: g.group.created_at,
        })
        .collect();
    Ok(HttpResponse::Ok().json(GroupOverviewListJson { groups }))
}

/// Changes a user's role or disables / enables them (admins only). Refused with 409 when
/// it would leave no active admin.
#[utoipa::path(
    put,
    path = "/api/v1/admin/users/{id}",
    operation_id = "admin_change_user",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "User id")),
    request_body = AccountChange,
    responses(
        (status = 200, description = "The user as changed", body = AccountJson),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 409, description = "It would leave the server without an active admin", body = ErrorBody),
        (status = 422, description = "Unknown role", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn change(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
    body: web::Json<AccountChange>,
) -> Result<HttpResponse, ApiError> {
    let role = body.role.as_deref().map(Role::parse).transpose().map_err(|e| ApiError::Invalid(e.0))?;
    state.accounts.change_access(&user, &path, role, body.disabled).await?;
    Ok(HttpResponse::Ok().json(account(&state, &user, &path).await?))
}

/// Gives a user a temporary password (admins only) and ends their sessions.
#[utoipa::path(
    post,
    path = "/api/v1/admin/users/{id}/password-reset",
    operation_id = "admin_reset_password",
    tag = "admin",
    security(("session" = [])),
    params(("id" = String, Path, description = "User id")),
    responses(
        (status = 200, description = "The temporary password, shown once", body = PasswordReset),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn reset_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let (username, temporary_password) = state.accounts.reset_password(&user, &path).await?;
    Ok(HttpResponse::Ok().json(PasswordReset { username, temporary_password }))
}

/// Your settings.
#[utoipa::path(
    get,
    path = "/api/v1/me/settings",
    operation_id = "my_settings",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "Your settings", body = Settings),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn settings(state: web::Data<AppState>, user: CurrentUser) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(my_settings(&state, &user).await?))
}

/// Changes your settings: `share_progress` shows (or stops showing) your mastery to
/// your groups, from the next page load on; `desired_retention` sets the recall your
/// reviews are scheduled for, from each question's next review on.
#[utoipa::path(
    put,
    path = "/api/v1/me/settings",
    operation_id = "change_my_settings",
    tag = "account",
    security(("session" = [])),
    request_body = SettingsChange,
    responses(
        (status = 200, description = "Your settings as changed", body = Settings),
        (status = 400, description = "Malformed JSON or an unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "A desired retention outside 0.70..0.97", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn change_settings(
    state: web::Data<AppState>,
    user: CurrentUser,
    body: web::Json<SettingsChange>,
) -> Result<HttpResponse, ApiError> {
    // Checked first, so a refused retention changes nothing.
    if let Some(retention) = body.desired_retention {
        state.practice.set_desired_retention(&user, retention).await?;
    }
    if let Some(share) = body.share_progress {
        state.accounts.set_share_progress(&user, share).await?;
    }
    Ok(HttpResponse::Ok().json(my_settings(&state, &user).await?))
}
