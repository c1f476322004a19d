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
/// whitespace or control character is refused too. Of local paths, only pages are
/// followed (see [`landing`]).
fn safe_next(next: Option<&str>) -> String {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(|c| c.is_control() || c.is_whitespace())
    })
    .and_then(landing)
    .unwrap_or_else(|| "/practice".to_string())
}

/// The page to land on after logging in, for a local `next`. A page shown by GET is
/// followed as it is. A form's target is not a page (an answer sent after the session
/// ended asked for a login with `next` = `/interviews/{id}/answer`, and landing there
/// was a 404): its interview is shown instead, and the targets with no page of their
/// own (`POST /interviews`, claims, logout) land on the default.
fn landing(next: &str) -> Option<String> {
    let path = next.split(['?', '#']).next().unwrap_or_default();
    let segments: Vec<&str> = path.strip_prefix('/')?.split('/').collect();
    match segments.as_slice() {
        [""] | ["practice" | "history" | "progress"] => Some(next.to_string()),
        ["interviews" | "questions", id] if !id.is_empty() => Some(next.to_string()),
        ["interviews", id, "answer" | "follow-up"] if !id.is_empty() => Some(format!("/interviews/{id}")),
        _ => None,
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

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn login_lands_on_a_page_never_on_a_form_target() {
        for (next, lands) in [
            ("/progress", "/progress"),
            ("/progress?x=1", "/progress?x=1"),
            ("/", "/"),
            ("/history", "/history"),
            ("/questions/k8s-pod-vs-deployment", "/questions/k8s-pod-vs-deployment"),
            ("/interviews/abc", "/interviews/abc"),
            ("/interviews/abc/answer", "/interviews/abc"),
            ("/interviews/abc/follow-up?x=1", "/interviews/abc"),
            ("/interviews", "/practice"),
            ("/attempts/abc/claims", "/practice"),
            ("/logout", "/practice"),
            ("/login", "/practice"),
            ("/nope", "/practice"),
            ("/interviews/", "/practice"),
            ("//evil.example/", "/practice"),
            ("https://evil.example/", "/practice"),
        ] {
            assert_eq!(safe_next(Some(next)), lands, "{next:?}");
        }
        assert_eq!(safe_next(None), "/practice");
    }
}
