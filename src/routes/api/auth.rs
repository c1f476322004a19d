use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::{ErrorBody, RoleSchema};
use crate::domain::{Role, User};
use crate::routes::client::ClientAddr;
use crate::routes::session::{log_in, log_out, logout_cookie, token, CurrentUser};
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// 3-32 characters: letters, digits, `-`, `_`, `.`, all of one script; stored in
    /// NFKC form ("ａlice" is "alice").
    pub username: String,
    /// 10-128 characters, not blank or one repeated character, not a common password
    /// (sign-up; login takes whatever the account has).
    pub password: String,
}

/// A new account.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewAccount {
    /// As for login.
    pub username: String,
    /// As for login.
    pub password: String,
    /// A study group's invite code: joins that group. Required when the server's
    /// registration is `invite`.
    #[serde(default)]
    pub invite_code: Option<String>,
}

/// A user account.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserJson {
    pub id: String,
    pub username: String,
    #[schema(value_type = RoleSchema)]
    pub role: Role,
}

impl From<&User> for UserJson {
    fn from(u: &User) -> Self {
        UserJson { id: u.id.clone(), username: u.username.clone(), role: u.role }
    }
}

/// Creates an account and logs it in (sets the session cookie).
#[utoipa::path(
    post,
    path = "/api/v1/register",
    operation_id = "register",
    tag = "account",
    request_body = NewAccount,
    responses(
        (status = 201, description = "Account created and logged in", body = UserJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 403, description = "Sign-up is closed on this server (code `forbidden`)", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, description = "Username or password not acceptable, or the invite code missing (in \
            invite mode) or not valid", body = ErrorBody),
        (status = 429, description = "Too many sign-ups from this network address (code `too_many_requests`); \
            the `Retry-After` header says how many seconds to wait", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn register(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddr,
    body: web::Json<NewAccount>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.register(from.0, &body.username, &body.password, body.invite_code.as_deref()).await?;
    let cookie = log_in(&state, &req, &user).await?;
    Ok(HttpResponse::Created().cookie(cookie).json(UserJson::from(&user)))
}

/// Logs in (sets the session cookie).
#[utoipa::path(
    post,
    path = "/api/v1/login",
    operation_id = "login",
    tag = "account",
    request_body = Credentials,
    responses(
        (status = 200, description = "Logged in", body = UserJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 401, description = "Wrong username or password (code `bad_credentials`)", body = ErrorBody),
        (status = 403, description = "The account is disabled (code `forbidden`)", body = ErrorBody),
        (status = 429, description = "Too many login attempts for this username or from this network address \
            (code `too_many_requests`); \
            the `Retry-After` header says how many seconds to wait", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddr,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.check_credentials(from.0, &body.username, &body.password).await?;
    let cookie = log_in(&state, &req, &user).await?;
    Ok(HttpResponse::Ok().cookie(cookie).json(UserJson::from(&user)))
}

/// Logs out: ends the session on the server (a copy of the cookie stops working too)
/// and clears the cookie.
#[utoipa::path(
    post,
    path = "/api/v1/logout",
    operation_id = "logout",
    tag = "account",
    responses(
        (status = 204, description = "Logged out (also when nobody was logged in)"),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let cookie = log_out(&state, &req).await?;
    Ok(HttpResponse::NoContent().cookie(cookie).finish())
}

/// How many sessions "log out everywhere" ended.
#[derive(Serialize, ToSchema)]
pub struct LoggedOutEverywhere {
    /// Live sessions ended, this one included.
    pub ended_sessions: u64,
}

/// Logs out everywhere: ends every session of the user, on every device, this one
/// included, and clears this cookie.
#[utoipa::path(
    post,
    path = "/api/v1/me/logout-everywhere",
    operation_id = "logout_everywhere",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "Every session ended", body = LoggedOutEverywhere),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn logout_everywhere(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let ended = state.accounts.end_all_sessions(&user).await?;
    Ok(HttpResponse::Ok().cookie(logout_cookie(&req)).json(LoggedOutEverywhere { ended_sessions: ended }))
}

/// A password change.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    /// The password in use now.
    pub current_password: String,
    /// At least 10 characters, not blank or one repeated character, not a common password.
    pub new_password: String,
}

/// What a password change did.
#[derive(Serialize, ToSchema)]
pub struct PasswordChanged {
    /// Other sessions of the user that were ended; this one stays logged in.
    pub ended_sessions: u64,
}

/// Changes the password. Every other session of the user ends; this one stays.
#[utoipa::path(
    post,
    path = "/api/v1/me/password",
    operation_id = "change_password",
    tag = "account",
    security(("session" = [])),
    request_body = PasswordChange,
    responses(
        (status = 200, description = "Password changed; other sessions ended", body = PasswordChanged),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 401, description = "Not logged in", body = ErrorBody),
        (status = 422, description = "The current password is wrong, or the new one is not acceptable", body = ErrorBody),
        (status = 429, description = "Too many password attempts for this user; see `Retry-After`", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn change_password(
    state: web::Data<AppState>,
    user: CurrentUser,
    req: HttpRequest,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let current = token(&req).unwrap_or_default();
    let ended =
        state.accounts.change_password(&user, &current, &body.current_password, &body.new_password, None).await?;
    Ok(HttpResponse::Ok().json(PasswordChanged { ended_sessions: ended }))
}

/// The logged-in user.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    operation_id = "me",
    tag = "account",
    security(("session" = [])),
    responses(
        (status = 200, description = "The logged-in user", body = UserJson),
        (status = 401, description = "Not logged in", body = ErrorBody),
    )
)]
pub async fn me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(UserJson::from(&user.0))
}
