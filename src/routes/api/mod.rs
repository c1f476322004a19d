//! JSON API, version 1. Every route is listed once, in [`api_routes!`] below: that list
//! registers the handlers, lists the routes ([`ROUTES`]) and names the operations of
//! the OpenAPI document ([`ApiDoc`], served at `GET /api/v1/openapi.json`).
mod admin;
mod auth;
mod authoring;
mod body;
mod claims;
mod grade;
mod groups;
mod interviews;
mod marks;
mod notes;
pub use notes::change_name as notes_change_name;
mod openapi;
mod progress;
mod schema;

use actix_web::web;
use serde::Serialize;
use utoipa::ToSchema;

use openapi::ApiInfo;

use crate::practice::BankQuestion;

/// The prefix every route below is served under.
pub const PREFIX: &str = "/api/v1";

/// Declares the routes once: `method "path" => module::handler;`. Every handler must
/// carry a `#[utoipa::path]` (the document does not compile otherwise) whose `path` is
/// [`PREFIX`] followed by the route's path; `tests/api/openapi.rs` checks that.
macro_rules! api_routes {
    ($($method:ident $path:literal => $module:ident :: $handler:ident;)*) => {
        /// Every route under [`PREFIX`] as `(method, path)`, in the order registered.
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        pub fn configure(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, web::$method().to($module::$handler));)*
        }

        /// The OpenAPI 3.1 document of the API.
        #[derive(utoipa::OpenApi)]
        #[openapi(
            paths($($module::$handler),*),
            modifiers(&ApiInfo),
            tags(
                (name = "account", description = "Sign-up, login and the session cookie"),
                (name = "interviews", description = "Mock interviews, drills, answers and follow-ups"),
                (name = "progress", description = "Mastery, weak concepts, due questions, attempt comparison"),
                (name = "claims", description = "Self-assessment: disputing the grader on one concept"),
                (name = "grading", description = "Stateless grading"),
                (name = "groups", description = "Study groups: members, shared progress, invite codes, assignments, peer marks"),
                (name = "admin", description = "User administration and question authoring (admins only)"),
                (name = "meta", description = "This document"),
            )
        )]
        pub struct ApiDoc;
    };
}

api_routes! {
    post "/register" => auth::register;
    post "/login" => auth::login;
    post "/logout" => auth::logout;
    get "/me" => auth::me;
    post "/me/logout-everywhere" => auth::logout_everywhere;
    post "/me/password" => auth::change_password;
    get "/me/settings" => admin::settings;
    put "/me/settings" => admin::change_settings;
    get "/topics" => interviews::topics;
    get "/topics/{id}/notes" => notes::topic_notes;
    post "/interviews" => interviews::create;
    get "/interviews/{id}" => interviews::show;
    post "/interviews/{id}/answers" => interviews::answer;
    post "/interviews/{id}/follow-ups" => interviews::follow_up;
    post "/interviews/{id}/finish" => interviews::finish;
    get "/me/history" => interviews::history;
    get "/me/progress" => progress::overview;
    get "/me/topics" => progress::topics;
    get "/me/concepts" => progress::concepts;
    get "/me/due" => progress::due;
    get "/me/questions/{id}/attempts" => progress::question_attempts;
    get "/me/claims" => claims::mine;
    put "/attempts/{attempt_id}/claims" => claims::put;
    delete "/attempts/{attempt_id}/claims/{concept}" => claims::delete;
    post "/grade" => grade::grade;
    post "/groups" => groups::create;
    get "/groups" => groups::mine;
    post "/groups/join" => groups::join;
    get "/groups/{id}" => groups::show;
    post "/groups/{id}/leave" => groups::leave;
    post "/groups/{id}/invite-code" => groups::rotate_code;
    delete "/groups/{id}/members/{user_id}" => groups::remove_member;
    put "/groups/{id}/assignment" => groups::set_assignment;
    delete "/groups/{id}/assignment" => groups::clear_assignment;
    post "/groups/{id}/shared" => marks::share;
    get "/groups/{id}/shared" => marks::list;
    put "/groups/{id}/shared/{attempt_id}/mark" => marks::mark;
    get "/attempts/{attempt_id}/marks" => marks::received;
    get "/admin/users" => admin::users;
    get "/admin/groups" => admin::groups;
    put "/admin/users/{id}" => admin::change;
    post "/admin/users/{id}/password-reset" => admin::reset_password;
    get "/admin/questions" => authoring::list;
    post "/admin/questions" => authoring::create;
    post "/admin/questions/preview" => authoring::preview;
    get "/admin/questions/{id}" => authoring::show;
    put "/admin/questions/{id}" => authoring::edit;
    post "/admin/questions/{id}/retire" => authoring::retire;
    post "/admin/questions/{id}/restore" => authoring::restore;
    post "/admin/questions/{id}/samples" => authoring::add_sample;
    delete "/admin/questions/{id}/samples/{sample_id}" => authoring::delete_sample;
    get "/admin/questions/{id}/agreement" => marks::agreement;
    post "/admin/topics" => authoring::create_topic;
    put "/admin/topics/{id}" => authoring::edit_topic;
    post "/admin/notes" => notes::import;
    post "/admin/topics/{id}/retire" => authoring::retire_topic;
    post "/admin/topics/{id}/restore" => authoring::restore_topic;
    get "/openapi.json" => openapi::document;
}

/// A question as the API shows it (never the reference answer before it is answered).
#[derive(Serialize, ToSchema)]
#[schema(as = Question)]
pub struct QuestionJson {
    pub id: String,
    pub prompt: String,
    /// The topic's display name.
    pub topic: String,
    pub topic_id: String,
    /// 1 (easy) to 3 (hard).
    pub difficulty: i64,
}

impl From<&BankQuestion> for QuestionJson {
    fn from(q: &BankQuestion) -> Self {
        QuestionJson {
            id: q.id.clone(),
            prompt: q.prompt.clone(),
            topic: q.topic_name.clone(),
            topic_id: q.topic_id.clone(),
            difficulty: q.difficulty,
        }
    }
}
