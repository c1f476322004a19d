use actix_session::Session;
use actix_web::{web, HttpResponse};
use serde::Deserialize;
use serde_json::json;

use crate::auth::{check_credentials, forget_user, register_user, remember_user, CurrentUser};
use crate::error::ApiError;
use crate::practice::AppState;

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
    let user = register_user(&state.store, &body.username, &body.password).await?;
    remember_user(&session, &user.id, &user.username)?;
    Ok(HttpResponse::Created().json(json!({"id": user.id, "username": user.username})))
}

pub async fn login(
    state: web::Data<AppState>,
    session: Session,
    body: web::Json<Credentials>,
) -> Result<HttpResponse, ApiError> {
    let user = check_credentials(&state.store, &body.username, &body.password).await?;
    remember_user(&session, &user.id, &user.username)?;
    Ok(HttpResponse::Ok().json(json!({"id": user.id, "username": user.username})))
}

pub async fn logout(session: Session) -> HttpResponse {
    forget_user(&session);
    HttpResponse::NoContent().finish()
}

pub async fn me(user: CurrentUser) -> HttpResponse {
    HttpResponse::Ok().json(json!({"id": user.id, "username": user.username}))
}
