//! What every response carries, and HEAD answered wherever GET is.
//!
//! The Content-Security-Policy allows only this server's own scripts, styles and images
//! (plus the `data:` favicon in `base.html`). The one inline script, which marks the
//! page as having JavaScript before it is drawn, is allowed by its hash; pages use no
//! inline styles or event handlers (the progress bars and chart swatches are SVG
//! attributes, not `style=`), so nothing else inline runs if markup is ever injected.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::Error;

/// SHA-256 of the inline script in `templates/base.html`; a test recomputes it, so
/// editing the script without updating this fails `cargo test`.
pub const INLINE_SCRIPT_HASH: &str = "sha256-WZRJfWvsnNCPcxzZwvyhovnZGqhZaC+8gPGPRbx6wTk=";

/// The policy sent with every response.
pub const CONTENT_SECURITY_POLICY: &str = concat!(
    "default-src 'self'; ",
    "script-src 'self' 'sha256-WZRJfWvsnNCPcxzZwvyhovnZGqhZaC+8gPGPRbx6wTk='; ",
    "style-src 'self'; ",
    "img-src 'self' data:; ",
    "object-src 'none'; ",
    "base-uri 'none'; ",
    "form-action 'self'; ",
    "frame-ancestors 'none'"
);

/// HSTS, sent only when the server is configured as served over HTTPS
/// (`--secure-cookies`): a year, this host only (the app may share a domain with others).
const HSTS: &str = "max-age=31536000";

/// Which optional headers to send; set once at start-up.
#[derive(Debug, Clone, Copy)]
pub struct HeaderPolicy {
    pub https: bool,
}

fn fixed() -> [(HeaderName, &'static str); 5] {
    use actix_web::http::header;
    [
        (header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::REFERRER_POLICY, "same-origin"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (HeaderName::from_static("cross-origin-opener-policy"), "same-origin"),
    ]
}

/// Adds the security headers to every response. Handlers' errors and the refusals of
/// the guards (origin, session) are responses by the time they get here; only an `Err`
/// from a middleware itself would pass without them, and the request cannot be kept
/// aside to turn it into a response here (actix needs the only reference to route it).
pub async fn security_headers(
    policy: HeaderPolicy,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let mut response = next.call(req).await?.map_into_boxed_body();
    let headers = response.headers_mut();
    for (name, value) in fixed() {
        headers.insert(name, HeaderValue::from_static(value));
    }
    if policy.https {
        headers.insert(actix_web::http::header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    // Pages and API answers carry someone's practice history: no copy is kept by the
    // browser or anything in between, so Back after logging out (or the next person at
    // a shared computer) asks the server again and gets the login page. Responses that
    // set their own policy (the static files) keep it.
    let cache_control = actix_web::http::header::CACHE_CONTROL;
    if !headers.contains_key(&cache_control) {
        headers.insert(cache_control, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

/// Routes a HEAD request as a GET. The handler runs as for GET, so the status and
/// headers (Content-Length included) are GET's; actix's HTTP layer never sends the body
/// of a response to HEAD. Registered innermost, so logs still say HEAD.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    if req.method() == Method::HEAD {
        req.head_mut().method = Method::GET;
    }
    next.call(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_policy_allows_the_inline_script_by_the_hash_the_tests_check() {
        assert!(CONTENT_SECURITY_POLICY.contains(&format!("'{INLINE_SCRIPT_HASH}'")));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-inline"));
        assert!(!CONTENT_SECURITY_POLICY.contains("unsafe-eval"));
    }
}
