//! HTTP routes: `/api/v1/*` (JSON), the HTML pages, static assets and health checks.
pub mod api;
mod assets;
pub mod client;
pub mod csrf;
mod error;
pub mod headers;
mod health;
pub mod json_only;
pub mod metrics;
pub mod nul;
pub mod origin;
pub mod pages;
pub mod session;
pub mod tarpit;

pub use error::{ApiError, ErrorBody, ErrorCode, ErrorDetail};
pub use pages::PageError;

use actix_web::{
    error::{JsonPayloadError, QueryPayloadError, UrlencodedError},
    web, HttpRequest,
};

/// Largest JSON body accepted (an answer is at most 10,000 characters).
const JSON_LIMIT: usize = 64 * 1024;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.app_data(web::JsonConfig::default().limit(JSON_LIMIT).error_handler(json_error))
        .app_data(web::FormConfig::default().limit(JSON_LIMIT).error_handler(form_error))
        .app_data(web::QueryConfig::default().error_handler(query_error))
        .route("/health", web::get().to(health::health))
        .route("/ready", web::get().to(health::ready))
        .service(web::scope("/api/v1").configure(api::configure))
        .configure(assets::configure)
        .configure(pages::configure);
}

/// Malformed JSON gets a 400 that says what is wrong, in the API's error shape; an
/// oversized body a 413, as an oversized form does (a hostile probe found 400 here and
/// 413 there, 2026-12-06).
fn json_error(err: JsonPayloadError, _req: &HttpRequest) -> actix_web::Error {
    let message = match &err {
        JsonPayloadError::ContentType => {
            return ApiError::UnsupportedMediaType(
                "Send the body as JSON with Content-Type: application/json.".to_string(),
            )
            .into()
        }
        JsonPayloadError::Overflow { limit } | JsonPayloadError::OverflowKnownLength { limit, .. } => {
            return ApiError::PayloadTooLarge(format!(
                "The request body is larger than {limit} bytes; an answer is at most 10,000 characters."
            ))
            .into()
        }
        JsonPayloadError::Deserialize(e) => format!("The JSON body could not be read: {e}."),
        other => format!("The request body could not be read: {other}."),
    };
    ApiError::BadRequest(message).into()
}

/// A query string that cannot be read (a parameter given twice, a number that is not
/// one) gets a 400 saying why: in the API's error shape under `/api/`, else as a page.
/// It was actix's bare text until a hostile probe (2026-12-06).
fn query_error(err: QueryPayloadError, req: &HttpRequest) -> actix_web::Error {
    let detail = match &err {
        QueryPayloadError::Deserialize(e) => e.to_string(),
        other => other.to_string(),
    };
    let message = format!("The query string could not be read ({detail}); give each parameter once, as documented.");
    if req.path().starts_with("/api/") {
        ApiError::BadRequest(message).into()
    } else {
        PageError::Api(ApiError::BadRequest(message)).into()
    }
}

/// A form that cannot be read gets an HTML error page saying why (413 when it is too
/// large, 400 otherwise).
fn form_error(err: UrlencodedError, _req: &HttpRequest) -> actix_web::Error {
    let message = match &err {
        UrlencodedError::Overflow { .. } => {
            let message = "The form is too large; shorten your answer and send it again.".to_string();
            return PageError::Api(ApiError::PayloadTooLarge(message)).into();
        }
        UrlencodedError::ContentType => "The form was not sent as a web form.".to_string(),
        other => format!("The form could not be read ({other}); go back and send it again."),
    };
    PageError::Api(ApiError::BadRequest(message)).into()
}
