//! Server-rendered HTML pages (askama templates in `templates/`).
mod account;
mod admin;
mod authoring;
mod claims;
pub(crate) mod error;
mod filters;
mod groups;
mod history;
mod interview;
mod notes;
mod progress;
mod question;
mod settings;

pub use error::PageError;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;

use crate::domain::{Topic, User};
use crate::routes::session::CurrentUser;
use crate::routes::ApiError;
use crate::startup::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    // First: the first route that matches wins, and `/groups/join` also matches
    // `/groups/{id}`.
    for (post_only, page) in FORM_PAGES {
        cfg.route(post_only, form_lives_on(page));
    }
    cfg.route("/", web::get().to(index))
        .route("/login", web::get().to(account::login_form))
        .route("/login", web::post().to(account::login))
        .route("/signup", web::get().to(account::signup_form))
        .route("/signup", web::post().to(account::signup))
        .route("/logout", web::post().to(account::logout))
        .route("/account", web::get().to(settings::show))
        .route("/account/password", web::post().to(settings::change_password))
        .route("/account/logout-everywhere", web::post().to(settings::logout_everywhere))
        .route("/account/sharing", web::post().to(settings::set_sharing))
        .route("/account/retention", web::post().to(settings::set_retention))
        .route("/groups", web::get().to(groups::list))
        .route("/groups", web::post().to(groups::create))
        .route("/groups/join", web::post().to(groups::join))
        .route("/groups/{id}", web::get().to(groups::show))
        .route("/groups/{id}/leave", web::post().to(groups::leave))
        .route("/groups/{id}/invite-code", web::post().to(groups::rotate_code))
        .route("/groups/{id}/members/{user_id}/remove", web::post().to(groups::remove_member))
        .route("/groups/{id}/assignment", web::post().to(groups::set_assignment))
        .route("/groups/{id}/shared/{attempt_id}/mark", web::post().to(groups::mark))
        .route("/attempts/{id}/share", web::post().to(groups::share))
        .route("/admin/users", web::get().to(admin::users))
        .route("/admin/users/{id}/role", web::post().to(admin::set_role))
        .route("/admin/users/{id}/access", web::post().to(admin::set_access))
        .route("/admin/users/{id}/password-reset", web::post().to(admin::reset_password))
        .route("/admin/questions", web::get().to(authoring::list))
        .route("/admin/questions", web::post().to(authoring::create))
        .route("/admin/questions/new", web::get().to(authoring::new_form))
        .route("/admin/questions/{id}", web::get().to(authoring::show))
        .route("/admin/questions/{id}", web::post().to(authoring::edit))
        .route("/admin/questions/{id}/retire", web::post().to(authoring::retire))
        .route("/admin/questions/{id}/restore", web::post().to(authoring::restore))
        .route("/admin/questions/{id}/samples", web::post().to(authoring::add_sample))
        .route("/admin/questions/{id}/samples/{sample_id}/delete", web::post().to(authoring::delete_sample))
        .route("/admin/notes", web::get().to(notes::form))
        .route("/admin/notes", web::post().to(notes::submit))
        .route("/topics/{id}/notes", web::get().to(notes::topic))
        .route("/admin/topics", web::post().to(authoring::create_topic))
        .route("/admin/topics/{id}", web::post().to(authoring::edit_topic))
        .route("/admin/topics/{id}/retire", web::post().to(authoring::retire_topic))
        .route("/admin/topics/{id}/restore", web::post().to(authoring::restore_topic))
        .route("/practice", web::get().to(interview::new_form))
        .route("/interviews", web::post().to(interview::create))
        .route("/interviews/{id}", web::get().to(interview::show))
        .route("/interviews/{id}/answer", web::post().to(interview::answer))
        .route("/interviews/{id}/follow-up", web::post().to(interview::follow_up))
        .route("/interviews/{id}/finish", web::post().to(interview::finish))
        .route("/history", web::get().to(history::show))
        .route("/progress", web::get().to(progress::show))
        .route("/questions", web::get().to(question::list))
        .route("/questions/{id}", web::get().to(question::show))
        .route("/attempts/{id}/claims", web::post().to(claims::claim))
        .default_service(web::to(not_found));
}

/// The page each POST-only address's form lives on. A refused form shows its page at the
/// POST's address, so the address bar, a reopened tab or a bookmark later asks for that
/// address by GET: it is sent to the form's page rather than told "Page not found".
/// `{name}` is filled from the address's own segment of that name. An attempt's forms
/// (share, claims) sit on pages found only through the attempt, so they go to the history
/// that links to them. A unit test checks that every POST-only address above is here.
const FORM_PAGES: &[(&str, &str)] = &[
    ("/logout", "/"),
    ("/account/password", "/account#password-heading"),
    ("/account/logout-everywhere", "/account"),
    ("/account/sharing", "/account#sharing"),
    ("/account/retention", "/account#retention"),
    ("/groups/join", "/groups"),
    ("/groups/{id}/leave", "/groups/{id}"),
    ("/groups/{id}/invite-code", "/groups/{id}"),
    ("/groups/{id}/members/{user_id}/remove", "/groups/{id}"),
    ("/groups/{id}/assignment", "/groups/{id}#assignment-heading"),
    ("/groups/{id}/shared/{attempt_id}/mark", "/groups/{id}#shared-{attempt_id}"),
    ("/attempts/{id}/share", "/history"),
    ("/attempts/{id}/claims", "/history"),
    ("/admin/users/{id}/role", "/admin/users"),
    ("/admin/users/{id}/access", "/admin/users"),
    ("/admin/users/{id}/password-reset", "/admin/users"),
    ("/admin/questions/{id}/retire", "/admin/questions/{id}"),
    ("/admin/questions/{id}/restore", "/admin/questions/{id}"),
    ("/admin/questions/{id}/samples", "/admin/questions/{id}#samples"),
    ("/admin/questions/{id}/samples/{sample_id}/delete", "/admin/questions/{id}#samples"),
    ("/admin/topics", "/admin/questions#topics-heading"),
    ("/admin/topics/{id}", "/admin/questions#topics-heading"),
    ("/admin/topics/{id}/retire", "/admin/questions#topics-heading"),
    ("/admin/topics/{id}/restore", "/admin/questions#topics-heading"),
    ("/interviews", "/practice"),
    ("/interviews/{id}/answer", "/interviews/{id}"),
    ("/interviews/{id}/follow-up", "/interviews/{id}"),
    ("/interviews/{id}/finish", "/interviews/{id}"),
];

/// A GET route that redirects to `page` (see [`FORM_PAGES`]). It reads nothing but the
/// address, so it needs no login: the page it sends to asks for one as it always does.
fn form_lives_on(page: &'static str) -> actix_web::Route {
    web::get().to(move |req: HttpRequest| async move {
        see_other(&fill_segments(page, |name| req.match_info().get(name).map(str::to_owned)))
    })
}

/// `page` with each `{name}` replaced by `segment(name)`, percent-encoded (an unknown
/// name leaves the segment empty). Every page starts with a fixed `/word`, so the result
/// stays on this site whatever the segments hold.
fn fill_segments(page: &str, segment: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some((before, after)) = rest.split_once('{') {
        let Some((name, tail)) = after.split_once('}') else { break };
        out.push_str(before);
        out.push_str(&encode_query(&segment(name).unwrap_or_default()));
        rest = tail;
    }
    out.push_str(rest);
    out
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    user: Option<NavUser>,
    csrf: String,
    topics: Vec<Topic>,
    /// Questions due for review now (a logged-in learner's; 0 otherwise).
    due: usize,
}

async fn index(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, PageError> {
    let current = CurrentUser::optional(&req);
    let due = match &current {
        Some(u) => crate::practice::due_now(&state.practice, u).await?,
        None => 0,
    };
    let user = current.map(|u| NavUser::of(&u));
    let topics = state.practice.topics().await?;
    html(StatusCode::OK, &IndexPage { user, csrf: crate::routes::csrf::form_token(&req), topics, due })
}

async fn not_found(req: HttpRequest) -> HttpResponse {
    if req.path().starts_with("/api/") {
        let error = ApiError::NotFound(format!("No API endpoint {} {}.", req.method(), req.path()));
        return actix_web::ResponseError::error_response(&error);
    }
    let page = error::ErrorPage {
        user: CurrentUser::optional(&req).map(|u| NavUser::of(&u)),
        csrf: crate::routes::csrf::form_token(&req),
        title: "Page not found".into(),
        message: format!("There is no page at {}.", req.path()),
        kept: None,
    };
    render_or_plain(StatusCode::NOT_FOUND, &page)
}

/// Who the page header shows as logged in; admins also get a link to the users page.
#[derive(Debug, Clone)]
pub struct NavUser {
    pub name: String,
    pub admin: bool,
}

impl NavUser {
    pub fn of(user: &User) -> NavUser {
        NavUser { name: user.username.clone(), admin: user.is_admin() }
    }
}

impl std::fmt::Display for NavUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.name)
    }
}

/// Renders a template into a response.
fn html(status: StatusCode, page: &impl Template) -> Result<HttpResponse, PageError> {
    let body = page.render().map_err(|e| anyhow::anyhow!("template failed: {e}"))?;
    Ok(HttpResponse::build(status).content_type("text/html; charset=utf-8").body(body))
}

fn render_or_plain(status: StatusCode, page: &impl Template) -> HttpResponse {
    html(status, page).unwrap_or_else(|e| actix_web::ResponseError::error_response(&e))
}

/// The CSS class of an attempt's band: "unsure" for a grade the grader was unsure of
/// (shown, not counted), else the band's own.
fn band_class(attempt: &crate::domain::Attempt) -> &'static str {
    if attempt.unsure {
        "unsure"
    } else {
        attempt.band.as_str()
    }
}

/// What an interview is called on the pages: a one-question mock interview (what
/// "Practise this question" starts, or a length of 1 on the practice form) is a
/// practice of that question, not a mock interview. Worked out from the stored mode and
/// length; nothing else is stored.
fn interview_kind(mode: crate::domain::Mode, questions: usize) -> &'static str {
    match mode {
        crate::domain::Mode::Drill => "Drill",
        crate::domain::Mode::Mock if questions == 1 => PRACTICE,
        crate::domain::Mode::Mock => MOCK_INTERVIEW,
    }
}

/// [`interview_kind`]s: the usual one, which lists leave unnamed, and a one-question
/// mock interview.
const MOCK_INTERVIEW: &str = "Mock interview";
const PRACTICE: &str = "Practice";

fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).finish()
}

/// A redirect that also sets (or deletes) a cookie: the login cookie after logging in
/// or out.
fn see_other_with(location: &str, cookie: actix_web::cookie::Cookie<'static>) -> HttpResponse {
    HttpResponse::SeeOther().insert_header((header::LOCATION, location)).cookie(cookie).finish()
}

/// Percent-encodes a value for a query string.
pub fn encode_query(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Minimal HTML escaping for text we assemble by hand (templates escape on their own).
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Formats a stored millisecond timestamp for people, in UTC: "Nov 28, 08:25" this
/// year, "Nov 28, 2025, 08:25" in another (see [`day`]).
fn when(millis: i64) -> String {
    when_in(millis, this_year())
}

fn when_in(millis: i64, this_year: i32) -> String {
    chrono::DateTime::from_timestamp_millis(millis)
        .map(|t| format!("{}, {}", day(t.date_naive(), this_year), t.format("%H:%M")))
        .unwrap_or_default()
}

/// A day as every page says it: "Nov 28", with the year when it is not `this_year`'s
/// ("Dec 30, 2025": without it, last December's answers read as this month's, and a
/// date next December as this one's).
fn day(date: chrono::NaiveDate, this_year: i32) -> String {
    use chrono::Datelike;
    if date.year() == this_year { date.format("%b %-d") } else { date.format("%b %-d, %Y") }.to_string()
}

/// The current year, in UTC as the pages' times are.
fn this_year() -> i32 {
    use chrono::Datelike;
    chrono::Utc::now().year()
}

#[cfg(test)]
mod tests {
    use super::{fill_segments, when_in, FORM_PAGES};

    #[test]
    fn a_time_shows_its_year_only_when_it_is_not_this_year() {
        let at = |y, m, d| {
            chrono::NaiveDate::from_ymd_opt(y, m, d)
                .and_then(|d| d.and_hms_opt(8, 25, 0))
                .expect("time")
                .and_utc()
                .timestamp_millis()
        };
        for (millis, this_year, shown, case) in [
            (at(2026, 11, 28), 2026, "Nov 28, 08:25", "this year"),
            (at(2025, 12, 30), 2026, "Dec 30, 2025, 08:25", "last December: must not read as this month"),
            (at(2025, 1, 5), 2026, "Jan 5, 2025, 08:25", "a year and more ago"),
            (at(2027, 1, 5), 2026, "Jan 5, 2027, 08:25", "ahead (a clock set wrong)"),
        ] {
            assert_eq!(when_in(millis, this_year), shown, "{case}");
        }
    }

    #[test]
    fn a_form_page_is_filled_from_the_posted_address() {
        let segment = |name: &str| match name {
            "id" => Some("g1".to_string()),
            "attempt_id" => Some("a/b c".to_string()),
            _ => None,
        };
        for (page, filled, case) in [
            ("/groups", "/groups", "no segment"),
            ("/groups/{id}", "/groups/g1", "one segment"),
            ("/groups/{id}#shared-{attempt_id}", "/groups/g1#shared-a/b%20c", "two, the second encoded"),
            ("/x/{missing}/y", "/x//y", "a name the address lacks is left empty"),
            ("/x/{unclosed", "/x/{unclosed", "an unclosed brace is kept as written"),
        ] {
            assert_eq!(fill_segments(page, segment), filled, "{case}");
        }
    }

    /// Every address `configure` routes only for POST, read from this file's own source,
    /// has the page its GET is sent to; and every entry is such an address.
    #[test]
    fn every_post_only_page_address_has_a_page_for_get() {
        let source = include_str!("mod.rs");
        let routes = &source[source.find("pub fn configure").expect("configure")..];
        let routes = &routes[..routes.find("default_service").expect("end of the routes")];
        let route_of = |line: &str, method: &str| {
            let line = line.trim().strip_prefix(".route(\"").or_else(|| line.trim().strip_prefix("cfg.route(\""))?;
            let (path, rest) = line.split_once('"')?;
            rest.contains(method).then(|| path.to_string())
        };
        let gets: Vec<String> = routes.lines().filter_map(|l| route_of(l, "web::get()")).collect();
        let post_only: Vec<String> =
            routes.lines().filter_map(|l| route_of(l, "web::post()")).filter(|p| !gets.contains(p)).collect();
        assert!(post_only.len() > 20, "the routes were read: {post_only:?}");
        for path in &post_only {
            assert!(FORM_PAGES.iter().any(|(p, _)| p == path), "{path} has no page for a GET in FORM_PAGES");
        }
        for (path, page) in FORM_PAGES {
            assert!(post_only.contains(&path.to_string()), "{path} is not a POST-only address");
            assert!(page.starts_with('/') && !page.starts_with("//"), "{page} stays on this site");
        }
    }
}
