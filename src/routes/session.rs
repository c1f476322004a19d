//! The login cookie and the logged-in user, as request extractors.
//!
//! The cookie holds only a session's random id; [`load_session`] looks it up on every
//! request (through `auth::Accounts`), so logging out, "log out everywhere" and a
//! password change end a session for every copy of its cookie.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{time::Duration as CookieDuration, Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{web, Error, FromRequest, HttpMessage, HttpRequest, ResponseError};
use std::future::{ready, Ready};
use std::ops::Deref;

use super::pages::PageError;
use super::ApiError;
use crate::auth::SessionToken;
use crate::domain::User;
use crate::startup::AppState;

/// The login cookie's name.
pub const COOKIE: &str = "rehearse_session";

/// How login cookies are made (app data, from the settings).
#[derive(Debug, Clone)]
pub struct CookiePolicy {
    /// `Secure`: sent over HTTPS only.
    pub secure: bool,
    /// The cookie's lifetime: the session's absolute time-out (the server ends it anyway).
    pub max_age: std::time::Duration,
}

/// A live session found for this request.
#[derive(Debug, Clone)]
struct LoggedIn(User);

/// The logged-in user. As an extractor it answers 401 (JSON) when nobody is logged in.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl Deref for CurrentUser {
    type Target = User;
    fn deref(&self) -> &User {
        &self.0
    }
}

/// The logged-in user for HTML pages: anonymous visitors are sent to the login page.
/// `.1` is the CSRF token its pages put in their forms.
#[derive(Debug, Clone)]
pub struct PageUser(pub User, pub String);

impl PageUser {
    pub fn csrf(&self) -> String {
        self.1.clone()
    }
}

/// The session token this request's cookie carries, live or not.
pub fn token(req: &HttpRequest) -> Option<String> {
    req.cookie(COOKIE).map(|c| c.value().to_string()).filter(|v| !v.is_empty())
}

/// The cookie that carries a new session.
pub fn login_cookie(req: &HttpRequest, token: &SessionToken) -> Cookie<'static> {
    let policy = policy(req);
    let max_age = CookieDuration::try_from(policy.max_age).unwrap_or(CookieDuration::days(30));
    Cookie::build(COOKIE, token.expose().to_string())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(policy.secure)
        .max_age(max_age)
        .finish()
}

/// The cookie that deletes the login cookie.
pub fn logout_cookie(req: &HttpRequest) -> Cookie<'static> {
    let mut cookie = Cookie::build(COOKIE, "")
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(policy(req).secure)
        .finish();
    cookie.make_removal();
    cookie
}

fn policy(req: &HttpRequest) -> CookiePolicy {
    req.app_data::<web::Data<CookiePolicy>>()
        .map(|p| p.get_ref().clone())
        .unwrap_or(CookiePolicy { secure: false, max_age: crate::auth::SessionPolicy::DEFAULT_ABSOLUTE })
}

/// Starts a session for `user` (revoking the one this browser had) and returns its cookie.
pub async fn log_in(state: &AppState, req: &HttpRequest, user: &User) -> Result<Cookie<'static>, ApiError> {
    let token = state.accounts.start_session(user, token(req).as_deref()).await?;
    Ok(login_cookie(req, &token))
}

/// Revokes this browser's session (if any) and returns the cookie that deletes it.
pub async fn log_out(state: &AppState, req: &HttpRequest) -> Result<Cookie<'static>, ApiError> {
    if let Some(token) = token(req) {
        state.accounts.end_session(&token).await?;
    }
    Ok(logout_cookie(req))
}

/// Middleware: finds the live session of the request's cookie, if any, for the
/// extractors below. Static files and health checks skip the lookup. On the way out,
/// being the layer that knows who is logged in, it turns a page's "log in first" into a
/// plain redirect and draws error pages with the user's own header.
pub async fn load_session(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let path = req.path();
    let skip = path.starts_with("/static/") || path == "/health" || path == "/ready";
    if let (false, Some(token)) = (skip, token(req.request())) {
        if let Some(state) = req.app_data::<web::Data<AppState>>().cloned() {
            match state.accounts.resume_session(&token).await {
                Ok(Some(user)) => {
                    req.extensions_mut().insert(LoggedIn(user));
                }
                Ok(None) => {}
                Err(e) => {
                    let error = ApiError::from(e);
                    let response = if req.path().starts_with("/api/") {
                        error.error_response()
                    } else {
                        PageError::from(error).error_response()
                    };
                    return Ok(req.into_response(response));
                }
            }
        }
    }
    let response = next.call(req).await?.map_into_boxed_body();
    let (request, response) = response.into_parts();
    // An anonymous visit to a page that needs a login is an ordinary redirect: answered
    // without the handler's error attached, so the request log does not report it as a
    // failure.
    let login =
        matches!(response.error().and_then(|e| e.as_error::<PageError>()), Some(PageError::LoginRequired { .. }));
    let response = if login {
        tracing::debug!(path = request.path(), "login required: redirected");
        let mut plain = actix_web::HttpResponse::build(response.status());
        for (name, value) in response.headers() {
            plain.append_header((name.clone(), value.clone()));
        }
        plain.finish()
    } else {
        let user = user_from(&request).map(|u| crate::routes::pages::NavUser::of(&u));
        let csrf = if user.is_some() { super::csrf::form_token(&request) } else { String::new() };
        crate::routes::pages::error::with_user(response, user, csrf)
    };
    Ok(ServiceResponse::new(request, response))
}

fn user_from(req: &HttpRequest) -> Option<User> {
    req.extensions().get::<LoggedIn>().map(|l| l.0.clone())
}

impl CurrentUser {
    /// The logged-in user, if any (for pages that also serve visitors).
    pub fn optional(req: &HttpRequest) -> Option<User> {
        user_from(req)
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(user_from(req).map(CurrentUser).ok_or(ApiError::Unauthorized))
    }
}

impl FromRequest for PageUser {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let target = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        ready(
            user_from(req)
                .map(|user| PageUser(user, super::csrf::form_token(req)))
                .ok_or(PageError::LoginRequired { next: target }),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::middleware::from_fn;
    use actix_web::{test, App, HttpResponse};

    async fn needs_login(_user: PageUser) -> HttpResponse {
        HttpResponse::Ok().finish()
    }

    #[actix_web::test]
    async fn an_anonymous_visit_is_a_plain_redirect_with_no_error_for_the_request_log() {
        // The request log (tracing-actix-web) reports every response that carries a
        // handler's error, at ERROR for anything not 4xx: a 303 to the login form would be.
        let app =
            test::init_service(App::new().wrap(from_fn(load_session)).route("/progress", web::get().to(needs_login)))
                .await;

        let response = test::call_service(&app, test::TestRequest::get().uri("/progress?x=1").to_request()).await;

        assert_eq!(response.status(), actix_web::http::StatusCode::SEE_OTHER);
        assert_eq!(
            response.headers().get(actix_web::http::header::LOCATION).and_then(|v| v.to_str().ok()),
            Some("/login?next=/progress%3Fx%3D1")
        );
        assert!(response.response().error().is_none(), "no error attached for the log to report");
    }
}
