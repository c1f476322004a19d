use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, see_other_with, PageError};
use crate::auth;
use crate::configuration::Registration;
use crate::routes::client::ClientAddr;
use crate::routes::csrf::form_token;
use crate::routes::pages::NavUser;
use crate::routes::session::{log_in, log_out, CurrentUser};
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "auth.html")]
struct AuthPage {
    user: Option<NavUser>,
    heading: &'static str,
    action: &'static str,
    signup: bool,
    username: String,
    next: String,
    error: Option<String>,
    notice: Option<String>,
    csrf: String,
    /// The sign-up form's invite code, as typed or from the link's `?code=`.
    invite_code: String,
    /// Sign-up needs an invite code.
    invite_only: bool,
    /// Sign-up is closed: the page says so instead of showing the form.
    closed: bool,
    /// The study group the invite code joins, named on the sign-up page.
    joining: Option<String>,
    /// The error is about the invite code: its box takes the keyboard.
    invite_problem: bool,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// `everywhere` after "log out everywhere".
    ended: Option<String>,
    /// An invite code carried by a sign-up link.
    code: Option<String>,
}

#[derive(Deserialize)]
pub struct AuthForm {
    username: String,
    password: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    invite_code: String,
}

/// Only local paths are followed after login, never another site. Browsers drop tabs
/// and newlines from a URL ("/\t/evil.example" becomes "//evil.example", another host),
/// and control characters cannot go in a `Location` header, so a path with any
/// whitespace or control character is refused too. Of local paths, only pages are
/// followed (see [`landing`]).
fn safe_next(next: Option<&str>) -> String {
    local_page(next).unwrap_or_else(|| "/practice".to_string())
}

/// The local page a `next` leads to, if it is one (see [`safe_next`]).
fn local_page(next: Option<&str>) -> Option<String> {
    local(next).and_then(landing)
}

/// `next` if it is a local path (see [`safe_next`]), as it came: the login form carries
/// it on unchanged, so that a failed login still knows which form's target it was (and
/// says again that its answer was not sent); only the redirect after the login maps it
/// to a page.
fn local(next: Option<&str>) -> Option<&str> {
    next.filter(|n| {
        n.starts_with('/')
            && !n.starts_with("//")
            && !n.contains('\\')
            && !n.chars().any(|c| c.is_control() || c.is_whitespace())
    })
}

/// The `next` a login form carries: a local path that leads to a page, as it came, or
/// the default page.
fn form_next(next: Option<&str>) -> String {
    match local(next) {
        Some(n) if landing(n).is_some() => n.to_string(),
        _ => safe_next(None),
    }
}

/// The path segments of a local `next` ("/interviews/7/answer?x" gives "interviews",
/// "7", "answer"); `None` unless it starts with a slash.
fn segments(next: &str) -> Option<Vec<&str>> {
    let path = next.split(['?', '#']).next().unwrap_or_default();
    Some(path.strip_prefix('/')?.split('/').collect())
}

/// The page to land on after logging in, for a local `next`. A page shown by GET is
/// followed as it is. A form's target is not a page (an answer sent after the session
/// ended asked for a login with `next` = `/interviews/{id}/answer`, and landing there
/// was a 404): its interview is shown instead, and the targets with no page of their
/// own (`POST /interviews`, claims, logout) land on the default.
fn landing(next: &str) -> Option<String> {
    match segments(next)?.as_slice() {
        [""] | ["practice" | "history" | "progress" | "groups" | "account"] => Some(next.to_string()),
        ["groups", id] if !id.is_empty() => Some(next.to_string()),
        ["interviews" | "questions", id] if !id.is_empty() => Some(next.to_string()),
        ["interviews", id, "answer" | "follow-up" | "finish"] if !id.is_empty() => Some(format!("/interviews/{id}")),
        _ => None,
    }
}

/// What the login page says when the session ended as a form of the interview was
/// sent: that form's target is `next`, and what it carried was not taken (a learner who
/// only read "Log in to see that page" took their answer for sent). The answer box
/// gets the text back from the browser's draft once they are logged in again.
fn unsent(next: &str) -> Option<&'static str> {
    match segments(next)?.as_slice() {
        ["interviews", id, "answer"] if !id.is_empty() => Some(
            "Your session ended, so your last answer was not sent. Log in and send it again: \
             you are taken back to the question.",
        ),
        ["interviews", id, "follow-up"] if !id.is_empty() => Some(
            "Your session ended, so your reply to the follow-up was not sent. Log in and send it again: \
             you are taken back to the interview.",
        ),
        ["interviews", id, "finish"] if !id.is_empty() => {
            Some("Your session ended, so the interview was not ended. Log in and you are taken back to it.")
        }
        _ => None,
    }
}

fn page(req: &HttpRequest, signup: bool, username: String, next: String, error: Option<String>) -> AuthPage {
    let registration =
        req.app_data::<web::Data<AppState>>().map(|state| state.accounts.registration()).unwrap_or_default();
    AuthPage {
        invite_code: String::new(),
        joining: None,
        invite_problem: false,
        invite_only: registration == Registration::Invite,
        closed: registration == Registration::Closed,
        csrf: form_token(req),
        notice: None,
        user: None,
        heading: if signup { "Sign up" } else { "Log in" },
        action: if signup { "/signup" } else { "/login" },
        signup,
        username,
        next,
        error,
    }
}

pub async fn login_form(req: HttpRequest, query: web::Query<NextQuery>) -> Result<HttpResponse, PageError> {
    let next = safe_next(query.next.as_deref());
    if CurrentUser::optional(&req).is_some() {
        return Ok(see_other(&next));
    }
    // Sent here from a page that needs a login: say so, rather than showing a bare form.
    let sent_from_a_page = local_page(query.next.as_deref()).is_some();
    let mut login = page(&req, false, String::new(), form_next(query.next.as_deref()), None);
    if query.ended.as_deref() == Some("everywhere") {
        login.notice = Some("You were logged out on every device and browser.".into());
    } else if let Some(lost) = query.next.as_deref().and_then(unsent) {
        login.notice = Some(lost.into());
    } else if sent_from_a_page {
        login.notice = Some("Log in to see that page; you will be taken straight back to it.".into());
    }
    html(StatusCode::OK, &login)
}

pub async fn signup_form(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddr,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, PageError> {
    if CurrentUser::optional(&req).is_some() {
        // Someone already logged in who follows an invite link joins with it from the
        // groups page, its code filled in (sending them to practice dropped the code).
        let code = query.code.as_deref().map(str::trim).filter(|c| !c.is_empty());
        return Ok(see_other(&match code {
            Some(code) => {
                let code: String = form_urlencoded::byte_serialize(code.as_bytes()).collect();
                format!("/groups?code={code}#join-heading")
            }
            None => "/practice".to_string(),
        }));
    }
    let mut signup = page(&req, true, String::new(), "/practice".into(), None);
    signup.invite_code = query.code.clone().unwrap_or_default();
    // An invite link's code is checked at once: the page names the group it joins, or
    // says the code is not valid (it was taken as it came, and refused only once the
    // form was filled in and sent).
    check_invite(&state, from, &mut signup).await?;
    html(StatusCode::OK, &signup)
}

/// Where a code is optional, a refused one is no dead end: the message says so.
fn on_without_the_code(page: &mut AuthPage) {
    if let (Some(message), false) = (page.error.as_mut(), page.invite_only) {
        message.push_str(" Or empty the Invite code box to sign up without joining a group.");
    }
}

/// What the sign-up page says about its invite code: the group it joins, or that it is
/// not valid. An empty code, a closed server, or too many look-ups from one address
/// say nothing (the code is still checked when the form is sent).
async fn check_invite(state: &AppState, from: ClientAddr, page: &mut AuthPage) -> Result<(), PageError> {
    if page.closed || page.invite_code.trim().is_empty() {
        return Ok(());
    }
    match state.accounts.invite_group_name(from.0, &page.invite_code).await {
        Ok(Some(name)) => page.joining = Some(name),
        // A message already shown (a name taken) comes first, as the form checks it first.
        Ok(None) if page.error.is_some() => {}
        Ok(None) => {
            page.error = Some(auth::Error::unknown_invite_code().to_string());
            page.invite_problem = true;
            on_without_the_code(page);
        }
        Err(auth::Error::TooManyFromAddress { .. }) => {}
        Err(e) => return Err(ApiError::from(e).into()),
    }
    Ok(())
}

pub async fn login(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddr,
    form: web::Form<AuthForm>,
) -> Result<HttpResponse, PageError> {
    let next = safe_next(Some(&form.next));
    match state.accounts.check_credentials(from.0, &form.username, &form.password).await {
        Ok(user) => {
            let cookie = log_in(&state, &req, &user).await?;
            let temporary = state.accounts.has_temporary_password(&user).await.map_err(ApiError::from)?;
            Ok(see_other_with(if temporary { "/account?temporary=1#password-heading" } else { &next }, cookie))
        }
        Err(e @ (auth::Error::BadCredentials | auth::Error::Disabled)) => {
            let status =
                if matches!(e, auth::Error::Disabled) { StatusCode::FORBIDDEN } else { StatusCode::UNAUTHORIZED };
            let mut again = page(&req, false, form.username.clone(), form_next(Some(&form.next)), Some(e.to_string()));
            // A failed login is no reason to forget that the answer was not sent.
            again.notice = unsent(&form.next).map(str::to_string);
            html(status, &again)
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

pub async fn signup(
    state: web::Data<AppState>,
    req: HttpRequest,
    from: ClientAddr,
    form: web::Form<AuthForm>,
) -> Result<HttpResponse, PageError> {
    let code = Some(form.invite_code.as_str());
    match state.accounts.register(from.0, &form.username, &form.password, code).await {
        Ok(user) => {
            let cookie = log_in(&state, &req, &user).await?;
            // An invite code made them a member of its group: its page welcomes them.
            let joined = if form.invite_code.trim().is_empty() {
                None
            } else {
                crate::practice::my_groups(&state.practice, &user).await?.into_iter().next()
            };
            let next = match joined {
                Some(g) => format!("/groups/{}?done=welcome", g.group.id),
                None => safe_next(Some(&form.next)),
            };
            Ok(see_other_with(&next, cookie))
        }
        Err(
            e @ (auth::Error::Invalid(_)
            | auth::Error::UsernameTaken
            | auth::Error::InviteCode(_)
            | auth::Error::RegistrationClosed),
        ) => {
            let message = e.to_string();
            let invite_problem = matches!(e, auth::Error::InviteCode(_));
            let status = actix_web::ResponseError::status_code(&ApiError::from(e));
            let mut signup = page(&req, true, form.username.clone(), safe_next(Some(&form.next)), Some(message));
            signup.invite_code = form.invite_code.clone();
            signup.invite_problem = invite_problem;
            if invite_problem {
                on_without_the_code(&mut signup);
            } else {
                check_invite(&state, from, &mut signup).await?;
            }
            html(status, &signup)
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

/// Ends the session on the server too, so a copy of the cookie stops working.
pub async fn logout(state: web::Data<AppState>, req: HttpRequest) -> Result<HttpResponse, PageError> {
    let cookie = log_out(&state, &req).await?;
    Ok(see_other_with("/", cookie))
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn login_lands_on_a_page_never_on_a_form_target() {
        for (next, lands) in [
            ("/progress", "/progress"),
            ("/progress?x=1", "/progress?x=1"),
            ("/", "/"),
            ("/history", "/history"),
            ("/groups", "/groups"),
            ("/groups/abc", "/groups/abc"),
            ("/groups/abc/leave", "/practice"),
            ("/questions/k8s-pod-vs-deployment", "/questions/k8s-pod-vs-deployment"),
            ("/interviews/abc", "/interviews/abc"),
            ("/interviews/abc/answer", "/interviews/abc"),
            ("/interviews/abc/follow-up?x=1", "/interviews/abc"),
            ("/interviews", "/practice"),
            ("/attempts/abc/claims", "/practice"),
            ("/logout", "/practice"),
            ("/login", "/practice"),
            ("/nope", "/practice"),
            ("/interviews/", "/practice"),
            ("//evil.example/", "/practice"),
            ("https://evil.example/", "/practice"),
        ] {
            assert_eq!(safe_next(Some(next)), lands, "{next:?}");
        }
        assert_eq!(safe_next(None), "/practice");
    }
}
