use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::routes::session::{forget_user, remember_user, CurrentUser};
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct Credentials {
    pub username: String,
    pub password: String,
}

/// Creates an account and logs it in.
pub async fn register(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.register(&body.username, &body.password).await?;
    remember_user(&session, &user)?;
    Ok(HttpResponse::Created().json(json!({"id": user.id, "username": user.username})))
}

pub async fn login(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let user = state.accounts.check_credentials(&body.username, &body.password).await?;
    remember_user(&session, &user)?;
    Ok(HttpResponse::Ok().json(json!({"id": user.id, "username": user.username})))
}

pub async fn logout(session: Session) -> HttpResponse {
    forget_user(&session);
    HttpResponse::NoContent().finish()
}

pub async fn me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(json!({"id": user.id, "username": user.username}))
}
