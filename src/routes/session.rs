//! The logged-in user, kept in the session cookie, as request extractors.
use actix_session::{Session, SessionExt};
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{ready, Ready};
use std::ops::Deref;

use super::pages::PageError;
use super::ApiError;
use crate::domain::User;

const USER_ID: &str = "user_id";
const USERNAME: &str = "username";

/// The logged-in user. As an extractor it answers 401 (JSON) when nobody is logged in.
#[derive(Debug, Clone)]
pub struct CurrentUser(pub User);

impl Deref for CurrentUser {
    type Target = User;
    fn deref(&self) -> &User {
        &self.0
    }
}

/// The logged-in user for HTML pages: anonymous visitors are sent to the login page.
#[derive(Debug, Clone)]
pub struct PageUser(pub User);

/// Starts a fresh session for the user (a new session id defeats session fixation).
pub fn remember_user(session: &Session, user: &User) -> anyhow::Result<()> {
    session.renew();
    session.insert(USER_ID, &user.id)?;
    session.insert(USERNAME, &user.username)?;
    Ok(())
}

pub fn forget_user(session: &Session) {
    session.purge();
}

fn user_from(req: &HttpRequest) -> Option<User> {
    let session = req.get_session();
    let id = session.get::<String>(USER_ID).ok().flatten()?;
    let username = session.get::<String>(USERNAME).ok().flatten()?;
    Some(User { id, username })
}

impl CurrentUser {
    /// The logged-in user, if any (for pages that also serve visitors).
    pub fn optional(req: &HttpRequest) -> Option<User> {
        user_from(req)
    }
}

impl FromRequest for CurrentUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(user_from(req).map(CurrentUser).ok_or(ApiError::Unauthorized))
    }
}

impl FromRequest for PageUser {
    type Error = PageError;
    type Future = Ready<Result<Self, Self::Error>>;
    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let target = req.uri().path_and_query().map(|p| p.as_str().to_string()).unwrap_or_default();
        ready(user_from(req).map(PageUser).ok_or(PageError::LoginRequired { next: target }))
    }
}
