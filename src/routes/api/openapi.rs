//! `GET /api/v1/openapi.json`: the API's OpenAPI 3.1 document, generated from the code.
use std::sync::OnceLock;

use actix_web::HttpResponse;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use super::ApiDoc;

/// Title, description, the session cookie as a security scheme, and the optional body
/// of `POST /interviews`.
pub struct ApiInfo;

impl Modify for ApiInfo {
    fn modify(&self, doc: &mut utoipa::openapi::OpenApi) {
        doc.info.title = "rehearse API".to_string();
        doc.info.description = Some(
            "JSON API of rehearse, a chat-style interview practice server.\n\n\
             Errors are `{\"error\": {\"code\", \"message\"}}` (schema `Error`): 400 malformed JSON or a body \
             of the wrong shape, 401 not logged in or wrong password, 404 unknown id, 409 conflict, \
             403 a write from another site, 415 a write whose body is not `application/json`, \
             422 well-formed but invalid input, 429 too many login attempts, 503 no questions loaded, \
             500 anything unexpected.\n\n\
             Timestamps (`created_at`, `claimed_at`, `due_at`, `next_due_at`, a trend point's `start`) \
             are Unix milliseconds (UTC) as integers; durations say their unit in their name \
             (`time_taken_ms`, `timer_seconds`).\n\n\
             Login and sign-up set the HttpOnly session cookie `rehearse_session`, which the routes \
             marked with the `session` security scheme need."
                .to_string(),
        );
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new("rehearse_session"))),
        );
        // Every write may be refused before its handler: 415 for a body that is not
        // JSON (`routes::json_only`).
        let refused = ResponseBuilder::new()
            .description("A body that is not `application/json` (code `unsupported_media_type`)")
            .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("Error"))).build())
            .build();
        for item in doc.paths.paths.values_mut() {
            for operation in [&mut item.post, &mut item.put, &mut item.patch, &mut item.delete].into_iter().flatten() {
                operation.responses.responses.entry("415".into()).or_insert_with(|| refused.clone().into());
            }
        }
        // `POST /interviews` may be sent without a body (`required: false`), but a body
        // that is sent must be a `NewInterview`: `null` is refused like any other.
        let start = doc.paths.paths.get_mut("/api/v1/interviews").and_then(|p| p.post.as_mut());
        if let Some(RefOr::T(body)) = start.and_then(|o| o.request_body.as_mut()) {
            body.required = Some(Required::False);
            for content in body.content.values_mut() {
                if let RefOr::T(content) = content {
                    content.schema = Some(RefOr::Ref(Ref::from_schema_name("NewInterview")));
                }
            }
        }
    }
}

/// The document, built once.
pub fn json() -> &'static str {
    static DOC: OnceLock<String> = OnceLock::new();
    DOC.get_or_init(|| ApiDoc::openapi().to_json().expect("the OpenAPI document serialises"))
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/v1/openapi.json",
    operation_id = "openapi_document",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json"))
)]
pub async fn document() -> HttpResponse {
    HttpResponse::Ok().content_type("application/json").body(json())
}
