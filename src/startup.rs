//! Builds the application: database, question bank, HTTP server on its own listener.
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{time::Duration as CookieDuration, Key, SameSite};
use actix_web::dev::Server;
use actix_web::{web, App, HttpServer};
use anyhow::Context;
use rand::RngCore;
use std::net::TcpListener;
use tracing_actix_web::TracingLogger;

use crate::auth::Accounts;
use crate::configuration::Settings;
use crate::practice::{Practice, QuestionBank};
use crate::store::{Store, SyncReport};

/// What every request handler is given: the services, never the store itself.
pub struct AppState {
    pub practice: Practice,
    pub accounts: Accounts,
}

impl AppState {
    pub fn new(store: Store, bank: QuestionBank) -> AppState {
        AppState { accounts: Accounts::new(store.clone()), practice: Practice::new(store, bank) }
    }
}

/// A running-to-be server bound to a port.
pub struct Application {
    port: u16,
    server: Server,
}

/// Loads `questions/*.toml`, stores them (retiring removed ones) and returns what changed.
/// A bad file aborts before anything is written.
pub async fn import_bank(store: &Store, settings: &Settings) -> anyhow::Result<SyncReport> {
    let topics = crate::bank::load_dir(&settings.questions_dir)?;
    Ok(store.sync_bank(&topics).await?)
}

/// Reads the bank back from the database with grader inputs prepared.
pub async fn load_bank(store: &Store) -> anyhow::Result<QuestionBank> {
    QuestionBank::from_rows(store.all_questions().await?)
}

impl Application {
    pub async fn build(settings: Settings) -> anyhow::Result<Application> {
        let store = Store::connect(&settings.database_url).await?;
        let report = import_bank(&store, &settings).await?;
        tracing::info!(
            topics = report.topics,
            questions = report.questions,
            retired = report.retired,
            "question bank loaded"
        );
        let bank = load_bank(&store).await?;
        let key = session_key(&store).await?;
        let state = AppState::new(store, bank);
        let filled = crate::practice::backfill_follow_ups(&state.practice).await?;
        if filled > 0 {
            tracing::info!(answers = filled, "recorded the follow-ups of answers stored before they were kept");
        }
        let listener =
            TcpListener::bind(&settings.bind).with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr()?.port();
        let state = web::Data::new(state);
        let secure = settings.secure_cookies;
        let server = HttpServer::new(move || {
            let sessions = SessionMiddleware::builder(CookieSessionStore::default(), key.clone())
                .cookie_name("rehearse_session".into())
                .cookie_http_only(true)
                .cookie_same_site(SameSite::Lax)
                .cookie_secure(secure)
                .cookie_content_security(CookieContentSecurity::Private)
                .session_lifecycle(PersistentSession::default().session_ttl(CookieDuration::days(30)))
                .build();
            App::new()
                .wrap(actix_web::middleware::from_fn(crate::routes::json_only::require_json))
                .wrap(actix_web::middleware::from_fn(crate::routes::origin::check_origin))
                .wrap(sessions)
                .wrap(TracingLogger::default())
                .app_data(state.clone())
                .configure(crate::routes::configure)
        })
        .listen(listener)?
        .run();
        Ok(Application { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serves until the process is told to stop (actix handles SIGINT/SIGTERM gracefully).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

/// The cookie key is generated once and kept in the database, so logins survive restarts.
async fn session_key(store: &Store) -> anyhow::Result<Key> {
    let stored = store
        .secret_or_init("session_key", || {
            let mut bytes = [0u8; 64];
            rand::rngs::OsRng.fill_bytes(&mut bytes);
            hex::encode(bytes)
        })
        .await?;
    let bytes = hex::decode(stored.trim()).context("stored session key is not hex")?;
    Key::try_from(bytes.as_slice()).context("stored session key is too short")
}
