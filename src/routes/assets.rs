//! CSS and JS are compiled into the binary: one file to ship, no build step.
use actix_web::{http::header, web, HttpResponse};

const CSS: &str = include_str!("../../static/app.css");
const JS: &str = include_str!("../../static/app.js");

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.route("/static/app.css", web::get().to(|| async { asset("text/css; charset=utf-8", CSS) }))
        .route("/static/app.js", web::get().to(|| async { asset("text/javascript; charset=utf-8", JS) }));
}

fn asset(content_type: &'static str, body: &'static str) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, content_type))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(body)
}
