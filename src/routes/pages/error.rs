//! Failures of HTML pages, rendered as pages (or a redirect to the login form).
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use super::{encode_query, escape};
use crate::practice;
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
    pub(super) user: Option<String>,
    pub(super) title: String,
    pub(super) message: String,
}

/// The HTML body for an error status (used by [`PageError`]).
pub fn error_page(status: StatusCode, message: &str) -> String {
    let title = match status {
        StatusCode::NOT_FOUND => "Not found",
        StatusCode::CONFLICT => "Already done",
        s if s.is_client_error() => "That did not work",
        _ => "Something went wrong",
    };
    let page = ErrorPage { user: None, title: title.into(), message: message.into() };
    page.render().unwrap_or_else(|_| format!("<h1>{title}</h1><p>{}</p>", escape(message)))
}
