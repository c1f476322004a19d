//! Request metrics and the request id: what every request leaves behind for the
//! operator, and `GET /metrics` to read the counts.
//!
//! `/metrics` needs no login, like `/health`: it holds counts and timings, no user data,
//! but nobody outside needs it either. By default it is served beside the app on its
//! port; `--metrics-bind` moves it to a listener of its own, which is what the compose
//! file and the Kubernetes manifests do, so the proxy or Ingress in front of the app
//! never exposes it.
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::http::Method;
use actix_web::middleware::Next;
use actix_web::{web, Error, HttpMessage, HttpResponse};
use std::time::Instant;
use tracing_actix_web::RequestId;

use crate::metrics::Metrics;

/// Counts the request by the route pattern it matched (`/interviews/{id}`, never the
/// path with its id), times it, and writes one log line for it inside the request's
/// span, which carries the request id.
pub async fn track(
    metrics: Metrics,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let started = Instant::now();
    let method = method_label(req.method());
    let result = next.call(req).await;
    let elapsed = started.elapsed();
    let (status, route) = match &result {
        Ok(res) => (res.status().as_u16(), res.request().match_pattern()),
        // An error a middleware returned becomes a response after this point; its status
        // is known now, its route is not.
        Err(e) => (e.as_response_error().status_code().as_u16(), None),
    };
    let route = route.unwrap_or_else(|| "unmatched".to_string());
    metrics.request(method, &route, status, elapsed);
    if status == 401 && method == "POST" && (route == "/api/v1/login" || route == "/login") {
        metrics.login_failed();
    }
    let elapsed_ms = (elapsed.as_secs_f64() * 1e6).round() / 1e3;
    tracing::info!(method, route, status, elapsed_ms, "request answered");
    result
}

/// Returns the request id `tracing-actix-web` gave the request (and put on its span, so
/// every log line of the request has it) in `X-Request-Id`, so a user's report can be
/// matched to the logs.
pub async fn request_id(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = req.extensions().get::<RequestId>().copied();
    let mut res = next.call(req).await?;
    if let Some(value) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
        res.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    Ok(res)
}

/// `GET /metrics`: Prometheus' text format.
pub async fn scrape(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(metrics.render())
}

/// Methods as a closed set: a client inventing methods must not invent series.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::HEAD => "HEAD",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        _ => "other",
    }
}
