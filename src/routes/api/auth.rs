use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::schema::ErrorBody;
use crate::domain::User;
use crate::routes::session::{forget_user, remember_user, CurrentUser};
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Credentials {
    /// 3-32 characters: letters, digits, `-`, `_`, `.`.
    pub username: String,
    /// 8-128 characters.
    pub password: String,
}

/// A user account.
#[derive(Serialize, ToSchema)]
#[schema(as = User)]
pub struct UserJson {
    pub id: String,
    pub username: String,
}

impl From<&User> for UserJson {
    fn from(u: &User) -> Self {
        UserJson { id: u.id.clone(), username: u.username.clone() }
    }
}

/// Creates an account and logs it in (sets the session cookie).
#[utoipa::path(
    post,
    path = "/api/v1/register",
    operation_id = "register",
    tag = "account",
    request_body = Credentials,
    responses(
        (status = 201, description = "Account created and logged in", body = UserJson),
        (status = 400, description = "Malformed JSON or a missing or unknown field", body = ErrorBody),
        (status = 409, description = "The username is taken", body = ErrorBody),
        (status = 422, description = "Username or password not acceptable", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn register(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.register(&body.username, &body.password).await?;
    remember_user(&session, &user)?;
    Ok(HttpResponse::Created().json(UserJson::from(&user)))
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
        (status = 429, description = "Too many login attempts for this username (code `too_many_requests`); \
            the `Retry-After` header says how many seconds to wait", body = ErrorBody),
        (status = 500, description = "Unexpected failure", body = ErrorBody),
    )
)]
pub async fn login(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.check_credentials(&body.username, &body.password).await?;
    remember_user(&session, &user)?;
    Ok(HttpResponse::Ok().json(UserJson::from(&user)))
}

/// Logs out (clears the session).
#[utoipa::path(
    post,
    path = "/api/v1/logout",
    operation_id = "logout",
    tag = "account",
    responses((status = 204, description = "Logged out (also when nobody was logged in)"))
)]
pub async fn logout(session: Session) -> HttpResponse {
    forget_user(&session);
    HttpResponse::NoContent().finish()
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
