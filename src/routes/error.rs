//! Errors of the JSON API: each service error becomes a status and an error code here
//! (HTML pages turn them into pages in `routes::pages::error`).
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde_json::json;

use crate::{auth, practice};

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
    /// Too many attempts; the client may try again after this many seconds.
    #[error("{message}")]
    TooManyRequests { message: String, retry_after: u64 },
    #[error("something went wrong on our side; nothing you sent was lost, please try again")]
    Unexpected(#[from] anyhow::Error),
}

impl ApiError {
    /// Seconds for a `Retry-After` header, where the error has one.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            ApiError::TooManyRequests { retry_after, .. } => Some(*retry_after),
            _ => None,
        }
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthorized => "unauthorized",
            ApiError::BadCredentials => "bad_credentials",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::Invalid(_) => "invalid",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::TooManyRequests { .. } => "too_many_requests",
            ApiError::Unexpected(_) => "internal",
        }
    }
}

impl From<practice::Error> for ApiError {
    fn from(e: practice::Error) -> Self {
        match e {
            practice::Error::NotFound(m) => ApiError::NotFound(m),
            practice::Error::Invalid(m) => ApiError::Invalid(m),
            practice::Error::Conflict(m) => ApiError::Conflict(m),
            practice::Error::Unavailable(m) => ApiError::Unavailable(m),
            practice::Error::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl From<auth::Error> for ApiError {
    fn from(e: auth::Error) -> Self {
        match e {
            auth::Error::Invalid(m) => ApiError::Invalid(m),
            e @ auth::Error::UsernameTaken => ApiError::Conflict(e.to_string()),
            auth::Error::BadCredentials => ApiError::BadCredentials,
            e @ auth::Error::TooManyAttempts(seconds) => {
                ApiError::TooManyRequests { message: e.to_string(), retry_after: seconds }
            }
            auth::Error::Unexpected(e) => ApiError::Unexpected(e),
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
            ApiError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
    fn error_response(&self) -> HttpResponse {
        if let ApiError::Unexpected(e) = self {
            tracing::error!(error = ?e, "request failed");
        }
        let mut response = HttpResponse::build(self.status_code());
        if let Some(seconds) = self.retry_after() {
            response.insert_header((actix_web::http::header::RETRY_AFTER, seconds.to_string()));
        }
        response.json(json!({"error": {"code": self.code(), "message": self.to_string()}}))
    }
}
