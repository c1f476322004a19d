//! Per-user limits on the requests that cost the server work: answers (graded and
//! stored), new interviews, and stateless gradings. A person practising never comes near
//! them; a script looping on one account is slowed to them and told how long to wait.
use std::num::NonZeroU32;
use std::sync::Arc;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::Error;
use crate::configuration::Limits;
use crate::domain::User;

/// Users tracked per limiter before the ones no longer limited are forgotten.
const TRACKED_USERS: usize = 10_000;

/// What a limited request does, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Answer,
    Interview,
    Grading,
}

impl Limited {
    fn what(self) -> &'static str {
        match self {
            Limited::Answer => "answers",
            Limited::Interview => "new interviews",
            Limited::Grading => "gradings",
        }
    }
}

/// One keyed limiter per kind of request.
#[derive(Clone)]
pub struct UserLimits {
    answers: Arc<DefaultKeyedRateLimiter<String>>,
    interviews: Arc<DefaultKeyedRateLimiter<String>>,
    gradings: Arc<DefaultKeyedRateLimiter<String>>,
}

/// `per_minute` on average, with a burst of a quarter of it (at least 1).
fn quota(per_minute: u32) -> Quota {
    let rate = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
    let burst = NonZeroU32::new((per_minute / 4).max(1)).unwrap_or(NonZeroU32::MIN);
    Quota::per_minute(rate).allow_burst(burst)
}

impl UserLimits {
    pub fn new(limits: &Limits) -> UserLimits {
        UserLimits {
            answers: Arc::new(RateLimiter::keyed(quota(limits.answers_per_minute))),
            interviews: Arc::new(RateLimiter::keyed(quota(limits.interviews_per_minute))),
            gradings: Arc::new(RateLimiter::keyed(quota(limits.gradings_per_minute))),
        }
    }

    /// Counts one request of `kind` for `user`, or refuses it with the seconds to wait.
    pub fn check(&self, user: &User, kind: Limited) -> Result<(), Error> {
        let limiter = match kind {
            Limited::Answer => &self.answers,
            Limited::Interview => &self.interviews,
            Limited::Grading => &self.gradings,
        };
        if limiter.len() > TRACKED_USERS {
            limiter.retain_recent();
        }
        limiter.check_key(&user.id).map_err(|not_until| {
            let wait = not_until.wait_time_from(limiter.clock().now()).as_secs().max(1);
            Error::TooMany {
                message: format!("Too many {} in a short time; wait {wait} seconds.", kind.what()),
                retry_after: wait,
            }
        })
    }
}

impl std::fmt::Debug for UserLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserLimits").finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str) -> User {
        User { id: id.into(), username: id.into() }
    }

    #[test]
    fn a_burst_passes_then_the_user_waits_and_others_are_not_affected() {
        let limits = UserLimits::new(&Limits {
            answers_per_minute: 8,
            interviews_per_minute: 4,
            gradings_per_minute: 4,
            ..Limits::default()
        });
        let (a, b) = (user("a"), user("b"));
        for _ in 0..2 {
            assert!(limits.check(&a, Limited::Answer).is_ok(), "a burst of a quarter of the rate passes");
        }
        match limits.check(&a, Limited::Answer) {
            Err(Error::TooMany { retry_after, message }) => {
                assert!((1..=8).contains(&retry_after), "{retry_after}");
                assert!(message.contains("answers"), "{message}");
            }
            other => panic!("expected TooMany, got {other:?}"),
        }
        assert!(limits.check(&b, Limited::Answer).is_ok(), "another user has their own budget");
        assert!(limits.check(&a, Limited::Interview).is_ok(), "each kind has its own budget");
    }
}
