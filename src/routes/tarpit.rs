//! A refused-for-rate request (429) is answered after a short pause. A person who is
//! told to wait loses nothing; a script that retries in a loop on its connections now
//! waits too, instead of making the server answer thousands of refusals a second while
//! learners' answers queue behind them (measured with `cargo bench --bench load`).
use std::time::Duration;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::Error;

/// How long a 429 is held back.
pub const REFUSAL_PAUSE: Duration = Duration::from_secs(1);

/// The middleware (use with `actix_web::middleware::from_fn`).
pub async fn pause_refusals(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let response = next.call(req).await?;
    if response.status() == StatusCode::TOO_MANY_REQUESTS {
        tokio::time::sleep(REFUSAL_PAUSE).await;
    }
    Ok(response)
}
