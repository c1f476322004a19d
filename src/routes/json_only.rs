//! The JSON API accepts writes only as `application/json`: a write whose body is of
//! another type (or of none named) gets 415 before any handler runs. Besides saying
//! clearly what went wrong, this shuts the API to plain HTML forms on other sites,
//! which can only send `text/plain`, `multipart/form-data` or url-encoded bodies
//! without the browser asking the server first. A write with no body (`POST /logout`)
//! needs no type.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method};
use actix_web::middleware::Next;
use actix_web::{Error, ResponseError};

use super::ApiError;

/// Whether a `Content-Type` value names JSON (parameters such as `charset` allowed).
fn is_json(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|essence| essence.trim().eq_ignore_ascii_case("application/json"))
}

/// The middleware (use with `actix_web::middleware::from_fn`).
pub async fn require_json(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if writes && req.path().starts_with("/api/") {
        let headers = req.headers();
        let content_type = headers.get(header::CONTENT_TYPE).map(|v| v.to_str().unwrap_or(""));
        let announced = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let has_body = headers.contains_key(header::TRANSFER_ENCODING) || announced.unwrap_or(0) > 0;
        let refused = match content_type {
            Some(t) => !is_json(t),
            None => has_body,
        };
        if refused {
            let error = ApiError::UnsupportedMediaType(format!(
                "Send the body as JSON with Content-Type: application/json (this request said {}).",
                content_type.map_or("no type".to_string(), |t| format!("{t:?}"))
            ));
            return Ok(req.into_response(error.error_response()));
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_json_is_json() {
        assert!(is_json("application/json"));
        assert!(is_json("Application/JSON; charset=utf-8"));
        assert!(!is_json("text/plain"));
        assert!(!is_json("application/x-www-form-urlencoded"));
        assert!(!is_json("application/jsonp"));
    }
}
