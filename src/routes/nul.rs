//! No text with the NUL character gets in. Nobody types it, PostgreSQL cannot store it
//! in a text column (the query fails), and SQLite stores it but C-based tools cut the
//! text there. So a request carrying one, in its URL (`%00`), in a form field (`%00`) or
//! in a JSON string (`\u0000`, or the raw byte), gets 400 with a message that says so,
//! before any handler runs, on both databases alike.
//!
//! The same middleware reads every write's body, so it also bounds how long that may
//! take: a client that sends its headers and then trickles the body (or stops) gets
//! 408 and a closed connection once the body deadline passes, instead of holding a
//! connection and a request open for as long as it likes (actix's own time-out covers
//! only the request head).
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpResponse};
use std::time::Duration;

use super::error::ErrorCode;

const REFUSED: &str = "Text may not contain the NUL character (%00 or \\u0000): remove it and send again.";

/// Bodies read to look for NUL at most (larger ones are refused downstream anyway).
const BODY_LIMIT: usize = 256 * 1024;

/// Whether percent-encoded text (a URL or a form body) holds `%00`.
fn percent_nul(text: &[u8]) -> bool {
    text.windows(3).any(|w| w == b"%00")
}

/// Whether a body holds a raw NUL byte, `%00`, or a JSON `\u0000` escape (one whose
/// backslash is not itself escaped).
fn body_has_nul(body: &[u8]) -> bool {
    if body.contains(&0) || percent_nul(body) {
        return true;
    }
    body.windows(6).enumerate().any(|(i, w)| {
        w.eq_ignore_ascii_case(b"\\u0000") && body[..i].iter().rev().take_while(|&&b| b == b'\\').count() % 2 == 0
    })
}

fn refusal(api: bool) -> HttpResponse {
    super::error::refusal(StatusCode::BAD_REQUEST, ErrorCode::BadRequest, api, REFUSED)
}

const SLOW_BODY: &str = "The request body did not arrive in time: check your connection and send it again.";

fn too_slow(api: bool) -> HttpResponse {
    let mut response = super::error::refusal(StatusCode::REQUEST_TIMEOUT, ErrorCode::BadRequest, api, SLOW_BODY);
    // The rest of the body may still be on its way: do not read it as the next request.
    response.head_mut().set_connection_type(actix_web::http::ConnectionType::Close);
    response
}

/// The middleware (use with `actix_web::middleware::from_fn`, through a closure giving
/// `body_timeout`, the longest a write's body may take to arrive after its headers).
pub async fn refuse_nul(
    body_timeout: Duration,
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let api = req.path().starts_with("/api/");
    let uri = req.uri().path_and_query().map_or("", |p| p.as_str());
    if percent_nul(uri.as_bytes()) {
        return Ok(req.into_response(refusal(api)));
    }
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if writes {
        let body = match tokio::time::timeout(body_timeout, req.extract::<web::Bytes>()).await {
            Err(_) => {
                tracing::info!(path = req.path(), "refused a request whose body did not arrive in time");
                return Ok(req.into_response(too_slow(api)));
            }
            Ok(Ok(body)) if body.len() <= BODY_LIMIT => body,
            // Too large or unreadable: what comes next refuses it with its own message.
            Ok(_) => web::Bytes::new(),
        };
        if body_has_nul(&body) {
            return Ok(req.into_response(refusal(api)));
        }
        req.set_payload(Payload::from(body));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nul_is_found_in_every_spelling_and_nowhere_else() {
        assert!(body_has_nul(b"{\"answer\": \"a\\u0000b\"}"));
        assert!(body_has_nul(b"{\"answer\": \"\\\\\\u0000\"}"), "an escaped backslash, then the escape");
        assert!(body_has_nul(b"answer=a%00b"));
        assert!(body_has_nul(b"a\0b"));
        assert!(!body_has_nul(b"{\"answer\": \"a \\\\u0000 in text\"}"), "a backslash typed before u0000");
        assert!(!body_has_nul(b"answer=100%25"));
        assert!(!body_has_nul(b"{\"answer\": \"100 % 00\"}"));
        assert!(percent_nul(b"/interviews/%00"));
        assert!(!percent_nul(b"/interviews/%200"));
    }
}
