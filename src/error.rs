//! Errors at the HTTP boundary: JSON for the API, an HTML page for the browser.
use actix_web::http::{header, StatusCode};
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::domain::Invalid;
use crate::store::StoreError;

/// Every way an API call can fail. The body is `{"error": {"code", "message"}}`.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    BadRequest(String),
    #[error("Log in first: this needs a session (POST /api/v1/login or /api/v1/register).")]
    Unauthorized,
    #[error("Wrong username or password.")]
    BadCredentials,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String),
    #[error("something went wrong on our side; nothing you sent was lost, please try again")]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Invalid(_) => "invalid",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Unexpected(_) => "internal",
        }
    }
}

impl From<Invalid> for ApiError {
    fn from(e: Invalid) -> Self {
        ApiError::Invalid(e.0)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Conflict("username") => ApiError::Conflict("That username is taken; pick another.".into()),
            StoreError::Conflict(what) => ApiError::Conflict(format!("That {what} was already recorded.")),
            StoreError::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    fn error_response(&self) -> HttpResponse {
        if let ApiError::Unexpected(e) = self {
            tracing::error!(error = ?e, "request failed");
        }
        HttpResponse::build(self.status_code())
            .json(json!({"error": {"code": self.code(), "message": self.to_string()}}))
    }
}

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

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> Self {
        PageError::Api(e.into())
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
                let location = format!("/login?next={}", crate::routes::pages::encode_query(next));
                HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
            }
            other => {
                if let PageError::Api(ApiError::Unexpected(e)) = other {
                    tracing::error!(error = ?e, "page failed");
                }
                let html = crate::routes::pages::error_page(other.status_code(), &other.to_string());
                HttpResponse::build(other.status_code()).content_type("text/html; charset=utf-8").body(html)
            }
        }
    }
}
