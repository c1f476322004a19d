use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, PageError};
use crate::auth;
use crate::routes::session::{forget_user, remember_user, CurrentUser};
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "auth.html")]
struct AuthPage {
    user: Option<String>,
    heading: &'static str,
    action: &'static str,
    signup: bool,
    username: String,
    next: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[derive(Deserialize)]
pub struct AuthForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
}

/// Only local paths are followed after login, never another site. Browsers drop tabs
/// and newlines from a URL ("/\t/evil.example" becomes "//evil.example", another host),
/// and control characters cannot go in a `Location` header, so a path with any
/// whitespace or control character is refused too.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(|c| c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/practice".to_string(),
    }
}

fn page(signup: bool, username: String, next: String, error: Option<String>) -> AuthPage {
    AuthPage {
        user: None,
        heading: if signup { "Sign up" } else { "Log in" },
        action: if signup { "/signup" } else { "/login" },
        signup,
        username,
        next,
        error,
    }
}

pub async fn login_form(req: HttpRequest, query: web::Query<NextQuery>) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref());
    if CurrentUser::optional(&req).is_some() {
        return Ok(see_other(&next));
    }
    html(StatusCode::OK, &page(false, String::new(), next, None))
}

pub async fn signup_form(req: HttpRequest) -> Result<HttpResponse, PageError> {
    if CurrentUser::optional(&req).is_some() {
        return Ok(see_other("/practice"));
    }
    html(StatusCode::OK, &page(true, String::new(), "/practice".into(), None))
}

pub async fn login(
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<AuthForm>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(Some(&form.next));
    match state.accounts.check_credentials(&form.username, &form.password).await {
        Ok(user) => {
            remember_user(&session, &user)?;
            Ok(see_other(&next))
        }
        Err(e @ auth::Error::BadCredentials) => {
            html(StatusCode::UNAUTHORIZED, &page(false, form.username.clone(), next, Some(e.to_string())))
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

pub async fn signup(
    state: web::Data<AppState>,
    session: Session,
    form: web::Form<AuthForm>,
) -> Result<HttpResponse, PageError> {
    match state.accounts.register(&form.username, &form.password).await {
        Ok(user) => {
            remember_user(&session, &user)?;
            Ok(see_other(&safe_next(Some(&form.next))))
        }
        Err(e @ (auth::Error::Invalid(_) | auth::Error::UsernameTaken)) => {
            let message = e.to_string();
            let status = actix_web::ResponseError::status_code(&ApiError::from(e));
            html(status, &page(true, form.username.clone(), safe_next(Some(&form.next)), Some(message)))
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

pub async fn logout(session: Session) -> HttpResponse {
    forget_user(&session);
    see_other("/")
}
