//! The no-JavaScript path for claims: a small form per concept that posts here and is
//! sent back to the page it came from. (With JavaScript the same forms are sent in the
//! background and the page updates in place; see `static/app.js`.)
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use super::{encode_query, see_other, PageError};
use crate::domain::Attempt;
use crate::practice;
use crate::routes::session::PageUser;
use crate::startup::AppState;

#[derive(Deserialize)]
pub struct ClaimForm {
    concept: String,
    /// `covered`, `wrong`, or `withdraw` for "undo".
    claim: String,
    /// `question` when sent from the attempts page; otherwise back to the interview.
    #[serde(default)]
    from: String,
}

pub async fn claim(
    user: PageUser,
    state: web::Data<AppState>,
    path: web::Path<String>,
    form: web::Form<ClaimForm>,
) -> Result<HttpResponse, PageError> {
    let result = if form.claim.trim() == "withdraw" {
        practice::withdraw_claim(&state.practice, &user.0, &path, &form.concept).await
    } else {
        practice::set_claim(&state.practice, &user.0, &path, &form.concept, &form.claim).await
    };
    let (attempt, _) = result?;
    Ok(see_other(&back_to(&attempt, &form.from)))
}

/// Where the form came from; built from the attempt, never from the request, so it
/// cannot send anyone elsewhere.
fn back_to(attempt: &Attempt, from: &str) -> String {
    match (&attempt.interview_id, from) {
        (Some(interview), f) if f != "question" => format!("/interviews/{}#a-{}", encode_query(interview), attempt.id),
        _ => format!("/questions/{}#claims-{}", encode_query(&attempt.question_id), attempt.id),
    }
}
