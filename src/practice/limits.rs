//! Per-user limits on the requests that cost the server work: answers (graded and
//! stored), new interviews, and stateless gradings. A person practising never comes near
//! them; a script looping on one account is slowed to them and told how long to wait.
use std::sync::Arc;
use std::time::Duration;

use super::Error;
use crate::configuration::Limits;
use crate::domain::User;
use crate::ratelimit::KeyedLimit;

/// What a limited request does, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limited {
    Answer,
    Interview,
    Grading,
    /// Joining a group with a code (so codes cannot be guessed quickly).
    Join,
    /// Creating a group.
    NewGroup,
}

/// Group joins per user per minute: nobody joins twenty groups in a minute.
const JOINS_PER_MINUTE: u32 = 20;

/// Groups created per user per minute: a study group is made once, not in a loop (one
/// account made 14,751 in 15 s before this limit).
const NEW_GROUPS_PER_MINUTE: u32 = 8;

impl Limited {
    fn what(self) -> &'static str {
        match self {
            Limited::Answer => "answers",
            Limited::Interview => "new interviews",
            Limited::Grading => "gradings",
            Limited::Join => "attempts to join a group",
            Limited::NewGroup => "new groups",
        }
    }
}

/// One keyed limiter per kind of request.
#[derive(Clone)]
pub struct UserLimits {
    answers: Arc<KeyedLimit<String>>,
    interviews: Arc<KeyedLimit<String>>,
    gradings: Arc<KeyedLimit<String>>,
    joins: Arc<KeyedLimit<String>>,
    new_groups: Arc<KeyedLimit<String>>,
}

/// `per_minute` on average, with a burst of a quarter of it (at least 1).
fn per_minute(count: u32) -> Arc<KeyedLimit<String>> {
    Arc::new(KeyedLimit::new(count, Duration::from_secs(60), count / 4))
}

impl UserLimits {
    pub fn new(limits: &Limits) -> UserLimits {
        UserLimits {
            answers: per_minute(limits.answers_per_minute),
            interviews: per_minute(limits.interviews_per_minute),
            gradings: per_minute(limits.gradings_per_minute),
            joins: per_minute(JOINS_PER_MINUTE),
            new_groups: per_minute(NEW_GROUPS_PER_MINUTE),
        }
    }

    /// Counts one request of `kind` for `user`, or refuses it with the seconds to wait.
    pub fn check(&self, user: &User, kind: Limited) -> Result<(), Error> {
        let limiter = match kind {
            Limited::Answer => &self.answers,
            Limited::Interview => &self.interviews,
            Limited::Grading => &self.gradings,
            Limited::Join => &self.joins,
            Limited::NewGroup => &self.new_groups,
        };
        limiter.check(&user.id).map_err(|wait| Error::TooMany {
            message: format!("Too many {} in a short time; wait {}.", kind.what(), crate::ratelimit::seconds(wait)),
            retry_after: wait,
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
        User { id: id.into(), username: id.into(), role: Default::default() }
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
