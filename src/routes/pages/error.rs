//! Failures of HTML pages, rendered as pages (or a redirect to the login form).
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::filters;
use super::{encode_query, escape};
use crate::practice;
use crate::routes::pages::NavUser;
use crate::routes::ApiError;

/// Failures of HTML pages.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("log in to see this page")]
    LoginRequired { next: String },
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Api(#[from] ApiError),
}

impl From<practice::Error> for PageError {
    fn from(e: practice::Error) -> Self {
        match e {
            practice::Error::NotFound(m) => PageError::NotFound(m),
            other => PageError::Api(other.into()),
        }
    }
}

impl From<anyhow::Error> for PageError {
    fn from(e: anyhow::Error) -> Self {
        PageError::Api(ApiError::Unexpected(e))
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::LoginRequired { .. } => StatusCode::SEE_OTHER,
            PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::Api(e) => e.status_code(),
        }
    }
    fn error_response(&self) -> HttpResponse {
        match self {
            PageError::LoginRequired { next } => {
                let location = format!("/login?next={}", encode_query(next));
                HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
            }
            other => {
                if let PageError::Api(ApiError::Unexpected(e)) = other {
                    tracing::error!(error = ?e, "page failed");
                }
                let html = error_page(other.status_code(), &other.to_string());
                let mut response = HttpResponse::build(other.status_code());
                // Rendered without the request: the session middleware draws it again
                // with the logged-in user's header (see `with_user`).
                response
                    .extensions_mut()
                    .insert(Unpersonalised { status: other.status_code(), message: other.to_string() });
                if let Some(seconds) = match other {
                    PageError::Api(e) => e.retry_after(),
                    _ => None,
                } {
                    response.insert_header((header::RETRY_AFTER, seconds.to_string()));
                }
                response.content_type("text/html; charset=utf-8").body(html)
            }
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub(super) struct ErrorPage {
    pub(super) user: Option<NavUser>,
    /// The logout form's CSRF token (empty when no one is shown as logged in).
    pub(super) csrf: String,
    pub(super) title: String,
    pub(super) message: String,
    /// Text the user typed into a form that was refused, given back to copy.
    pub(super) kept: Option<String>,
}

/// An error page drawn for no one in particular, and what to draw it again with.
pub struct Unpersonalised {
    status: StatusCode,
    message: String,
}

/// The HTML body for an error status (used by [`PageError`]).
pub fn error_page(status: StatusCode, message: &str) -> String {
    error_page_for(status, message, None, String::new())
}

fn error_page_for(status: StatusCode, message: &str, user: Option<NavUser>, csrf: String) -> String {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::CONFLICT => "Already done",
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::TOO_MANY_REQUESTS => "Too many requests",
        s if s.is_client_error() => "That did not work",
        _ => "Something went wrong",
    };
    let page = ErrorPage { user, csrf, title: title.into(), message: message.into(), kept: None };
    page.render().unwrap_or_else(|_| format!("<h1>{title}</h1><p>{}</p>", escape(message)))
}

/// An error page rendered before the user was known (a [`PageError`] has no request) is
/// drawn again for the logged-in user, so its header offers their pages and "Log out"
/// rather than "Log in" and "Sign up".
pub fn with_user(
    response: HttpResponse<actix_web::body::BoxBody>,
    user: Option<NavUser>,
    csrf: String,
) -> HttpResponse {
    let Some(user) = user else { return response };
    let Some(body) =
        response.extensions().get::<Unpersonalised>().map(|u| error_page_for(u.status, &u.message, Some(user), csrf))
    else {
        return response;
    };
    // The same status, headers and error (for the request log), with the new body.
    response.set_body(actix_web::body::BoxBody::new(body))
}

/// The page for a form refused before its handler ran: 403 for a missing or stale CSRF
/// token, 400 for bytes that are not UTF-8 text, 413 for a body too large to check.
/// `kept` is the answer the user had typed,
/// shown so that going back and sending again loses nothing; `user` and `csrf` fill the
/// header (who is logged in, and the logout form's token).
pub fn refused_form_page(
    status: StatusCode,
    kept: Option<String>,
    user: Option<NavUser>,
    csrf: String,
) -> HttpResponse {
    let (title, message) = match status {
        StatusCode::FORBIDDEN => (
            "Form expired: nothing was changed",
            "This form could not be accepted: its security token is missing or out of date (for example \
             because you logged in or out in another tab since the page was loaded). Nothing was changed. \
             Go back, reload the page and send the form again.",
        ),
        StatusCode::BAD_REQUEST => (
            "Form not readable: nothing was changed",
            "This form held bytes that are not text in UTF-8 (the encoding every page here uses), so it \
             was not accepted and nothing was changed. Go back and send it again from the page.",
        ),
        _ => ("Form too large", "The form is too large to be accepted; shorten your answer and send it again."),
    };
    let page = ErrorPage { user, csrf, title: title.into(), message: message.into(), kept };
    let body = page.render().unwrap_or_else(|_| format!("<h1>{title}</h1><p>{}</p>", escape(message)));
    HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body)
}
