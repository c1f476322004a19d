//! Errors of the JSON API: each service error becomes a status and an error code here
//! (HTML pages turn them into pages in `routes::pages::error`).
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

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
    /// Logged in, but this needs a role (or ownership) the user does not have.
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Invalid(String),
    #[error("{0}")]
    Unavailable(String),
    /// A write whose body is not `application/json`.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A body over the size limit (JSON or a form).
    #[error("{0}")]
    PayloadTooLarge(String),
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

    fn code(&self) -> ErrorCode {
        match self {
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Unauthorized => ErrorCode::Unauthorized,
            ApiError::BadCredentials => ErrorCode::BadCredentials,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::Conflict(_) => ErrorCode::Conflict,
            ApiError::Invalid(_) => ErrorCode::Invalid,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::UnsupportedMediaType(_) => ErrorCode::UnsupportedMediaType,
            ApiError::PayloadTooLarge(_) => ErrorCode::PayloadTooLarge,
            ApiError::TooManyRequests { .. } => ErrorCode::TooManyRequests,
            ApiError::Unexpected(_) => ErrorCode::Internal,
        }
    }
}

impl From<practice::Error> for ApiError {
    fn from(e: practice::Error) -> Self {
        match e {
            practice::Error::NotFound(m) => ApiError::NotFound(m),
            practice::Error::Invalid(m) => ApiError::Invalid(m),
            practice::Error::Conflict(m) => ApiError::Conflict(m),
            practice::Error::Forbidden(m) => ApiError::Forbidden(m),
            practice::Error::Unavailable(m) => ApiError::Unavailable(m),
            practice::Error::TooMany { message, retry_after } => ApiError::TooManyRequests { message, retry_after },
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
            e @ (auth::Error::WrongCurrentPassword | auth::Error::NewPasswordsDiffer) => {
                ApiError::Invalid(e.to_string())
            }
            e @ auth::Error::TooManyFromAddress { seconds, .. } => {
                ApiError::TooManyRequests { message: e.to_string(), retry_after: seconds }
            }
            e @ auth::Error::TooManyAttempts(seconds) => {
                ApiError::TooManyRequests { message: e.to_string(), retry_after: seconds }
            }
            e @ (auth::Error::RegistrationClosed | auth::Error::Disabled | auth::Error::Forbidden) => {
                ApiError::Forbidden(e.to_string())
            }
            auth::Error::InviteCode(m) => ApiError::Invalid(m),
            auth::Error::NotFound(m) => ApiError::NotFound(m),
            auth::Error::LastAdmin(m) => ApiError::Conflict(m),
            auth::Error::Unexpected(e) => ApiError::Unexpected(e),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized | ApiError::BadCredentials => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
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
        response.json(ErrorBody { error: ErrorDetail { code: self.code(), message: self.to_string() } })
    }
}

/// Every error: `{"error": {"code", "message"}}`.
#[derive(Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`).
#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    /// `bad_request` (400: malformed JSON or a body of the wrong shape), `unauthorized`
    /// (401: not logged in), `bad_credentials` (401: wrong username or password),
    /// `not_found` (404), `conflict` (409), `invalid` (422: well-formed but invalid
    /// input), `too_many_requests` (429: too many login attempts; see `Retry-After`),
    /// `forbidden` (403: a write sent from another site or port, see the README; a
    /// route for admins or a group's owner; sign-up closed; a disabled account),
    /// `unsupported_media_type` (415: a write whose body is not `application/json`),
    /// `payload_too_large` (413: a body over 64 KiB; an answer is at most 10,000
    /// characters),
    /// `unavailable` (503: no questions loaded), `internal` (500: logged; nothing sent
    /// was lost).
    pub code: ErrorCode,
    /// A sentence saying what is wrong and, where it helps, what is allowed.
    pub message: String,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    BadCredentials,
    NotFound,
    Conflict,
    Invalid,
    Unavailable,
    TooManyRequests,
    Forbidden,
    UnsupportedMediaType,
    PayloadTooLarge,
    Internal,
}

/// A refusal from a middleware, before any handler: the API's error shape under
/// `/api/`, else the error page (what the handlers' own errors look like).
pub fn refusal(status: StatusCode, code: ErrorCode, api: bool, message: &str) -> HttpResponse {
    if api {
        HttpResponse::build(status).json(ErrorBody { error: ErrorDetail { code, message: message.into() } })
    } else {
        HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(super::pages::error::error_page(status, message))
    }
}
