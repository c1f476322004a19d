//! Cross-site request forgery guard: a request that changes something (POST, PUT,
//! PATCH, DELETE) and carries an `Origin` header must come from this server's own
//! origin (host and port), else it is refused with 403 before any handler runs. The
//! server's own host is the request's `Host` (the URI's authority over HTTP/2); the
//! `X-Forwarded-Host` and `Forwarded` headers a client can set are believed only with
//! `--trust-forwarded-for`, which says a proxy in front sets them. Every `Origin` header
//! of a request must match. The scheme is not compared: one port serves one scheme, so
//! an origin naming this host and port is this server (behind a TLS proxy the browser's
//! `https` origin meets a plain-HTTP server).
//!
//! Browsers send `Origin` on every cross-site form post and `fetch`, so a page on another
//! site, or on another port of the same host, can no longer log a visitor in as someone
//! else or act with their cookie (SameSite=Lax alone let both through). Clients that are
//! not browsers (curl, scripts, the tests) send no `Origin` and are not affected.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::Error;

use super::error::ErrorCode;

/// The message shown when a request from another origin is refused.
const REFUSED: &str = "This request came from another site, so it was refused. Open rehearse itself and try again.";

/// The host and port the request was sent to, as the origin must name them.
fn own_host(req: &ServiceRequest) -> String {
    let trust =
        req.app_data::<actix_web::web::Data<super::client::ProxyPolicy>>().is_some_and(|p| p.trust_forwarded_for);
    if trust {
        return req.connection_info().host().to_string();
    }
    req.headers()
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_string)
        .or_else(|| req.uri().authority().map(|a| a.to_string()))
        .unwrap_or_default()
}

/// True when `origin` (an `Origin` header value) names the host the request was sent to.
fn same_origin(origin: &str, host: &str) -> bool {
    let Some((_, rest)) = origin.split_once("://") else {
        return false;
    };
    rest.trim_end_matches('/').eq_ignore_ascii_case(host)
}

/// The middleware (use with `actix_web::middleware::from_fn`).
pub async fn check_origin(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    // Reads are never refused, so their host is not worked out at all.
    if !writes || !req.headers().contains_key(header::ORIGIN) {
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let host = own_host(&req);
    // An `Origin` that is not text is as foreign as one naming another site.
    let foreign = req
        .headers()
        .get_all(header::ORIGIN)
        .map(|v| v.to_str().unwrap_or("\u{fffd}").to_string())
        .find(|origin| !same_origin(origin, &host));
    if let Some(origin) = foreign {
        tracing::warn!(%origin, %host, path = req.path(), "refused a cross-origin write");
        let api = req.path().starts_with("/api/");
        let response = super::error::refusal(StatusCode::FORBIDDEN, ErrorCode::Forbidden, api, REFUSED);
        return Ok(req.into_response(response));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_origin_matches() {
        assert!(same_origin("http://127.0.0.1:8080", "127.0.0.1:8080"));
        assert!(same_origin("https://Rehearse.Example", "rehearse.example"));
        assert!(!same_origin("http://127.0.0.1:9090", "127.0.0.1:8080"), "another port is another origin");
        assert!(!same_origin("https://evil.example", "rehearse.example"));
        assert!(!same_origin("null", "rehearse.example"), "sandboxed and file pages send null");
    }
}
