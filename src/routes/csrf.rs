//! CSRF tokens for the HTML forms: every POST to a page route must carry a
//! `csrf_token` field, an HMAC (keyed by a server secret) of the browser's session id, or
//! before login of a random pre-session cookie. Another site cannot read either cookie,
//! so it cannot make a token; the `Origin` check (`origin.rs`) stays as a second fence.
//!
//! The pre-session cookie covers the login and sign-up forms (login CSRF: being logged
//! in to someone else's account). The JSON API needs no token: its writes must be
//! `application/json` (`json_only.rs`), which a form on another site cannot send
//! without the browser asking first.
use actix_web::body::{BoxBody, MessageBody};
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpRequest};
use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::Sha256;
use std::sync::Arc;

use super::pages::error::refused_form_page;
use super::session;

/// The form field that carries the token.
pub const FIELD: &str = "csrf_token";
/// The pre-session cookie (set on page views while no one is logged in).
const PRE_COOKIE: &str = "rehearse_csrf";
/// Largest form body read for the check; a form over this is refused by the form
/// extractor anyway (64 KiB).
const BODY_LIMIT: usize = 256 * 1024;

/// The HMAC key of the tokens (app data).
#[derive(Clone)]
pub struct CsrfKey(Arc<[u8]>);

impl CsrfKey {
    pub fn new(bytes: &[u8]) -> CsrfKey {
        CsrfKey(Arc::from(bytes))
    }

    fn mac(&self, purpose: &str, secret: &str) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.0).ok()?;
        mac.update(purpose.as_bytes());
        mac.update(b"\0");
        mac.update(secret.as_bytes());
        Some(mac)
    }

    fn sign(&self, purpose: &str, secret: &str) -> String {
        self.mac(purpose, secret).map(|m| hex::encode(m.finalize().into_bytes())).unwrap_or_default()
    }

    /// Whether `token` is this key's token for `secret`; compared in constant time.
    fn verify(&self, purpose: &str, secret: &str, token: &str) -> bool {
        let (Some(mac), Ok(bytes)) = (self.mac(purpose, secret), hex::decode(token)) else {
            return false;
        };
        mac.verify_slice(&bytes).is_ok()
    }
}

impl std::fmt::Debug for CsrfKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsrfKey(***)")
    }
}

const SESSION: &str = "session";
const PRE_SESSION: &str = "pre-session";

/// A pre-session value made for this request (the cookie goes out with the response).
#[derive(Clone)]
struct NewPreSession(String);

fn pre_session(req: &HttpRequest) -> Option<String> {
    req.cookie(PRE_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty())
        .or_else(|| req.extensions().get::<NewPreSession>().map(|p| p.0.clone()))
}

/// The token this request's pages put in their forms: tied to the session cookie when
/// there is one, else to the pre-session cookie.
pub fn form_token(req: &HttpRequest) -> String {
    let Some(key) = req.app_data::<web::Data<CsrfKey>>() else {
        return String::new();
    };
    match (session::token(req), pre_session(req)) {
        (Some(token), _) => key.sign(SESSION, &token),
        (None, Some(pre)) => key.sign(PRE_SESSION, &pre),
        (None, None) => String::new(),
    }
}

/// Whether `token` belongs to this browser: its session's token when it has a session
/// cookie (the token its pages carry, see [`form_token`]), else its pre-session
/// cookie's. Not either: the pre-session cookie's value is whatever the browser sends,
/// so a cookie planted from a neighbouring origin (another port of the same host, a
/// sibling subdomain, plain HTTP) with a token read from the login page would pass
/// beside a real session (found by a hostile probe, 2026-12-06).
fn accepted(req: &HttpRequest, token: &str) -> bool {
    let Some(key) = req.app_data::<web::Data<CsrfKey>>() else {
        return false;
    };
    match session::token(req) {
        Some(t) => key.verify(SESSION, &t, token),
        None => pre_session(req).is_some_and(|p| key.verify(PRE_SESSION, &p, token)),
    }
}

/// Whether every name and value of the URL-encoded form `body` decodes to UTF-8 text.
/// A form's bytes that do not (a client sending another encoding, or a forged request)
/// are refused rather than stored with replacement marks (found by a hostile probe,
/// 2026-12-06).
fn decodes_as_text(body: &[u8]) -> bool {
    body.split(|&b| b == b'&').all(|part| {
        let spaced: Vec<u8> = part.iter().map(|&b| if b == b'+' { b' ' } else { b }).collect();
        percent_encoding::percent_decode(&spaced).decode_utf8().is_ok()
    })
}

fn pre_cookie(req: &HttpRequest, value: String) -> Cookie<'static> {
    let secure = req.app_data::<web::Data<session::CookiePolicy>>().is_some_and(|p| p.secure);
    Cookie::build(PRE_COOKIE, value).path("/").http_only(true).same_site(SameSite::Lax).secure(secure).finish()
}

/// The middleware (use with `actix_web::middleware::from_fn`): checks the token of
/// every write to a page route, and gives browsers without one a pre-session cookie.
pub async fn check_csrf(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let path = req.path();
    let api = path.starts_with("/api/");
    let writes = matches!(*req.method(), Method::POST | Method::PUT | Method::PATCH | Method::DELETE);
    if writes && !api {
        let body = match req.extract::<web::Bytes>().await {
            Ok(body) if body.len() <= BODY_LIMIT => body,
            _ => {
                let page = refused_form_page(StatusCode::PAYLOAD_TOO_LARGE, None, None, String::new());
                return Ok(req.into_response(page));
            }
        };
        if !decodes_as_text(&body) {
            // Read leniently, the bytes would be stored as U+FFFD replacement marks.
            let page = refused_form_page(StatusCode::BAD_REQUEST, None, None, String::new());
            return Ok(req.into_response(page));
        }
        let fields: Vec<(String, String)> = form_urlencoded::parse(&body).into_owned().collect();
        let token = fields.iter().find(|(k, _)| k == FIELD).map(|(_, v)| v.as_str());
        if !token.is_some_and(|t| accepted(req.request(), t)) {
            tracing::warn!(path = req.path(), has_token = token.is_some(), "refused a form without a valid CSRF token");
            // The one long thing people type is an answer; give it back so it is not lost.
            let typed = fields.into_iter().find(|(k, v)| k == "answer" && !v.trim().is_empty()).map(|(_, v)| v);
            let user = session::CurrentUser::optional(req.request()).map(|u| super::pages::NavUser::of(&u));
            let page = refused_form_page(StatusCode::FORBIDDEN, typed, user, form_token(req.request()));
            return Ok(req.into_response(page));
        }
        req.set_payload(Payload::from(body));
        return Ok(next.call(req).await?.map_into_boxed_body());
    }
    let page_view = *req.method() == Method::GET && !api && !path.starts_with("/static/");
    let fresh = if page_view && pre_session(req.request()).is_none() {
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let value = hex::encode(bytes);
        req.extensions_mut().insert(NewPreSession(value.clone()));
        Some(value)
    } else {
        None
    };
    let mut response = next.call(req).await?.map_into_boxed_body();
    if let Some(value) = fresh {
        let cookie = pre_cookie(response.request(), value);
        if let Err(e) = response.response_mut().add_cookie(&cookie) {
            tracing::error!(error = %e, "could not set the pre-session cookie");
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_verifies_only_for_its_own_secret_and_purpose() {
        let key = CsrfKey::new(&[7u8; 64]);
        let token = key.sign(SESSION, "abc");
        assert!(key.verify(SESSION, "abc", &token));
        assert!(!key.verify(SESSION, "abd", &token), "another session");
        assert!(!key.verify(PRE_SESSION, "abc", &token), "a session token is not a pre-session token");
        assert!(!CsrfKey::new(&[8u8; 64]).verify(SESSION, "abc", &token), "another server's key");
        assert!(!key.verify(SESSION, "abc", ""), "empty");
        assert!(!key.verify(SESSION, "abc", "not hex"), "garbage");
    }
}
