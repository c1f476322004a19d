//! The account page: share progress with groups, the review schedule's desired retention,
//! change the password, log out everywhere.
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{html, see_other, see_other_with, PageError};
use crate::auth;
use crate::routes::pages::NavUser;
use crate::routes::session::{logout_cookie, token, PageUser};
use crate::routes::ApiError;
use crate::startup::AppState;

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    user: Option<NavUser>,
    csrf: String,
    name: String,
    notice: Option<String>,
    error: Option<String>,
    /// Shows their mastery to their groups.
    shares: bool,
    admin: bool,
    /// Desired retention in percent, and the choices offered.
    retention: i64,
    retention_options: &'static [i64],
    /// Their schedule runs on parameters fitted to them.
    personal: bool,
    /// They logged in with a temporary password an admin set: the password form takes
    /// the keyboard.
    temporary: bool,
    /// The id of the password field a refused change names (empty: none): it takes the
    /// keyboard and is described by the error.
    wrong_field: &'static str,
}

/// Desired retentions offered on the page (percent); the API takes any in 70..97.
const RETENTION_OPTIONS: &[i64] = &[80, 85, 90, 95];

async fn page(
    state: &AppState,
    user: &PageUser,
    notice: Option<String>,
    error: Option<String>,
) -> Result<AccountPage, PageError> {
    let temporary = state.accounts.has_temporary_password(&user.0).await.map_err(ApiError::from)?;
    let shares = state.accounts.shares_progress(&user.0).await.map_err(ApiError::from)?;
    let schedule = state.practice.schedule_settings(&user.0).await.map_err(ApiError::from)?;
    Ok(AccountPage {
        retention: (schedule.desired_retention * 100.0).round() as i64,
        retention_options: RETENTION_OPTIONS,
        personal: schedule.personal_parameters,
        user: Some(NavUser::of(&user.0)),
        csrf: user.csrf(),
        name: user.0.username.clone(),
        notice,
        error,
        shares,
        admin: user.0.is_admin(),
        temporary,
        wrong_field: "",
    })
}

#[derive(Deserialize)]
pub struct Done {
    /// Other sessions a password change ended (set by the redirect after it).
    changed: Option<u64>,
    /// `on` or `off` after the sharing setting was saved.
    sharing: Option<String>,
    /// Set after the desired retention was saved.
    retention: Option<String>,
}

pub async fn show(
    user: PageUser,
    state: web::Data<AppState>,
    query: web::Query<Done>,
) -> Result<HttpResponse, PageError> {
    // The page knows whether the password is a temporary one; the notice says so.
    let mut page = page(&state, &user, None, None).await?;
    let mut notice = query.changed.map(|ended| match ended {
        0 => "Your password was changed. No other device was logged in.".to_string(),
        1 => "Your password was changed, and 1 other session was logged out.".to_string(),
        n => format!("Your password was changed, and {n} other sessions were logged out."),
    });
    if page.temporary {
        notice = Some(
            "You logged in with a temporary password an admin gave you: choose your own password below now.".into(),
        );
    }
    match query.sharing.as_deref() {
        Some("on") => notice = Some("Your groups now see your mastery per topic.".into()),
        Some("off") => notice = Some("Your progress is private again: your groups no longer see it.".into()),
        _ => {}
    }
    if query.retention.is_some() {
        notice = Some("Saved: each question's next review is scheduled for the chance you chose.".into());
    }
    page.notice = notice;
    html(StatusCode::OK, &page)
}

#[derive(Deserialize)]
pub struct SharingForm {
    /// Present (a checked box) to share.
    share_progress: Option<String>,
}

pub async fn set_sharing(
    user: PageUser,
    state: web::Data<AppState>,
    form: web::Form<SharingForm>,
) -> Result<HttpResponse, PageError> {
    let share = form.share_progress.is_some();
    state.accounts.set_share_progress(&user.0, share).await.map_err(ApiError::from)?;
    Ok(see_other(if share { "/account?sharing=on#sharing" } else { "/account?sharing=off#sharing" }))
}

#[derive(Deserialize)]
pub struct RetentionForm {
    /// Percent, one of the options offered.
    desired_retention: i64,
}

pub async fn set_retention(
    user: PageUser,
    state: web::Data<AppState>,
    form: web::Form<RetentionForm>,
) -> Result<HttpResponse, PageError> {
    state
        .practice
        .set_desired_retention(&user.0, form.desired_retention as f64 / 100.0)
        .await
        .map_err(ApiError::from)?;
    Ok(see_other("/account?retention=saved#retention"))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    current_password: String,
    new_password: String,
    new_password_again: String,
}

pub async fn change_password(
    user: PageUser,
    state: web::Data<AppState>,
    req: HttpRequest,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let current = token(&req).unwrap_or_default();
    let again = Some(form.new_password_again.as_str());
    match state.accounts.change_password(&user.0, &current, &form.current_password, &form.new_password, again).await {
        Ok(ended) => Ok(see_other(&format!("/account?changed={ended}"))),
        Err(auth::Error::WrongCurrentPassword) => {
            refused(
                &state,
                &user,
                "current_password",
                "Current password: that is not your current password, so nothing was changed. Type it again, \
                 then the new password twice."
                    .into(),
            )
            .await
        }
        Err(auth::Error::NewPasswordsDiffer) => {
            refused(
                &state,
                &user,
                "new_password_again",
                "New password again: it is not the same as the new password, so nothing was changed. Type your \
                 current password, then the same new password in both boxes."
                    .into(),
            )
            .await
        }
        // The only other refusals are of the new password (its rules, or the same as now).
        Err(auth::Error::Invalid(why)) => {
            refused(
                &state,
                &user,
                "new_password",
                format!(
                    "New password: {why} Nothing was changed; type your current password, then a new one in both \
                     boxes."
                ),
            )
            .await
        }
        Err(e) => Err(ApiError::from(e).into()),
    }
}

/// The account page after a refused password change. Passwords are never written back
/// into the page, so it comes back with all three boxes empty: the message names the box
/// that was wrong (`field`, its id), that box takes the keyboard, and the message says
/// what to type again.
async fn refused(
    state: &AppState,
    user: &PageUser,
    field: &'static str,
    message: String,
) -> Result<HttpResponse, PageError> {
    let mut page = page(state, user, None, Some(message)).await?;
    page.wrong_field = field;
    html(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

pub async fn logout_everywhere(
    user: PageUser,
    state: web::Data<AppState>,
    req: HttpRequest,
) -> Result<HttpResponse, PageError> {
    state.accounts.end_all_sessions(&user.0).await.map_err(ApiError::from)?;
    Ok(see_other_with("/login?ended=everywhere", logout_cookie(&req)))
}
