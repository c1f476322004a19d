//! Roles, study groups and their invite codes: checked input and the records read back.
use rand::Rng;
use serde::Serialize;

use super::Invalid;

/// What a user may do beyond practising.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Manages users and any group.
    Admin,
    #[default]
    Member,
}

impl Role {
    pub fn parse(raw: &str) -> Result<Role, Invalid> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "admin" => Ok(Role::Admin),
            "member" => Ok(Role::Member),
            other => Err(Invalid(format!("Unknown role {other:?}; use \"admin\" or \"member\"."))),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Member => "member",
        }
    }
}

/// Read back from the database, where it is stored as [`Role::as_str`].
impl TryFrom<String> for Role {
    type Error = Invalid;
    fn try_from(raw: String) -> Result<Role, Invalid> {
        Role::parse(&raw)
    }
}

/// A group's name: 1-60 characters once trimmed, no control characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupName(String);

impl GroupName {
    pub const MAX_CHARS: usize = 60;
    pub fn parse(raw: &str) -> Result<GroupName, Invalid> {
        let name = raw.trim_matches(|c: char| c.is_whitespace() || super::invisible(c));
        if !name.chars().any(|c| !c.is_whitespace() && !super::invisible(c)) {
            return Err(Invalid("Give the group a name.".into()));
        }
        if name.chars().any(super::turns_direction) {
            return Err(Invalid(
                "A group name cannot contain text-direction overrides (invisible characters that reorder the text around them)."
                    .into(),
            ));
        }
        if name.chars().count() > Self::MAX_CHARS {
            return Err(Invalid(format!("A group name is at most {} characters long.", Self::MAX_CHARS)));
        }
        if name.chars().any(char::is_control) {
            return Err(Invalid("A group name cannot contain control characters.".into()));
        }
        Ok(GroupName(name.to_string()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// An invite code: [`InviteCode::LEN`] characters of an alphabet without look-alikes
/// (no 0/O, 1/I/L), typed in any case, with or without spaces and dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InviteCode(String);

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";

impl InviteCode {
    /// 10 characters of 31: about 49 bits, far beyond guessing at the join limit.
    pub const LEN: usize = 10;

    pub fn generate() -> InviteCode {
        let mut rng = rand::rngs::OsRng;
        let code = (0..Self::LEN).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect();
        InviteCode(code)
    }

    /// `None` when `raw` cannot be a code at all (then no lookup is needed).
    pub fn parse(raw: &str) -> Option<InviteCode> {
        let code: String =
            raw.chars().filter(|c| !c.is_whitespace() && *c != '-').map(|c| c.to_ascii_uppercase()).collect();
        (code.len() == Self::LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b))).then_some(InviteCode(code))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The topic, size and due date of a group's assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    pub topic_id: String,
    /// Answers in the topic that complete it.
    pub count: i64,
    /// `YYYY-MM-DD`, if it has a due date.
    pub due_on: Option<String>,
    /// When it was set (Unix milliseconds): answers from then on count.
    pub set_at: i64,
}

impl Assignment {
    pub const MAX_COUNT: i64 = 100;
    /// How far ahead a due date may be: five years.
    pub const MAX_DAYS_AHEAD: u64 = 5 * 365;

    /// Checks the count against the topic's `available` questions and the due date
    /// (`YYYY-MM-DD`, empty for none), which may not be before `today`.
    pub fn check(
        count: i64,
        available: usize,
        due_on: Option<&str>,
        today: chrono::NaiveDate,
    ) -> Result<Option<String>, Invalid> {
        if !(1..=Self::MAX_COUNT).contains(&count) {
            return Err(Invalid(format!("The number of questions must be between 1 and {}.", Self::MAX_COUNT)));
        }
        if count as usize > available {
            let s = if available == 1 { "" } else { "s" };
            return Err(Invalid(format!("That topic has {available} question{s}: ask for at most {available}.")));
        }
        match due_on.map(str::trim).filter(|d| !d.is_empty()) {
            None => Ok(None),
            Some(d) => {
                let date = chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d")
                    .map_err(|_| Invalid(format!("The due date {d:?} is not a date like 2026-12-24.")))?;
                if date < today {
                    return Err(Invalid(format!("The due date {date} has already passed: pick today or a later day.")));
                }
                // A year like 99999 is a date chrono reads but no date field can show.
                if date > today + chrono::Days::new(Self::MAX_DAYS_AHEAD) {
                    return Err(Invalid(format!(
                        "The due date {date} is more than {} years away: pick a nearer day.",
                        Self::MAX_DAYS_AHEAD / 365
                    )));
                }
                Ok(Some(date.format("%Y-%m-%d").to_string()))
            }
        }
    }
}

/// A group as stored.
#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub owner_id: String,
    pub invite_code: String,
    pub created_at: i64,
    pub assignment: Option<Assignment>,
}

/// A member of a group.
#[derive(Debug, Clone)]
pub struct Member {
    pub user_id: String,
    pub username: String,
    pub joined_at: i64,
    /// Whether they opted in to showing their progress to their groups.
    pub shares_progress: bool,
}

/// A user as an admin sees them.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub username: String,
    pub role: Role,
    pub created_at: i64,
    pub disabled: bool,
}

/// What leaving did to the group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Left {
    /// The user was not a member.
    NotMember,
    Left,
    /// The owner left; the member who joined first after them owns it now.
    OwnerPassed(String),
    /// The last member left, so the group is gone.
    Deleted,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invite_codes_read_in_any_case_and_with_separators() {
        let code = InviteCode::generate();
        assert_eq!(code.as_str().len(), InviteCode::LEN);
        let typed = format!("{}-{} ", &code.as_str()[..5].to_lowercase(), &code.as_str()[5..]);
        assert_eq!(InviteCode::parse(&typed), Some(code));
        for bad in ["", "ABCDEFGHJ", "ABCDEFGHJKM", "ABCDEFGHJ0", "<script>AB"] {
            assert_eq!(InviteCode::parse(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn group_names_and_assignments_are_checked() {
        assert_eq!(GroupName::parse("  Kube club ").expect("valid").as_str(), "Kube club");
        for bad in ["", "   ", &"x".repeat(61), "a\u{7}b", "\u{200b}\u{200b}\u{200b}", " \u{feff} ", "Kube\u{202e}bulc"]
        {
            assert!(GroupName::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(GroupName::parse("\u{200b}Kube club\u{200b}").expect("valid").as_str(), "Kube club");
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        assert_eq!(Assignment::check(5, 20, Some("2026-12-24"), today), Ok(Some("2026-12-24".into())));
        assert_eq!(Assignment::check(5, 20, Some("2026-11-30"), today), Ok(Some("2026-11-30".into())), "today");
        assert_eq!(Assignment::check(5, 20, Some(" "), today), Ok(None));
        assert!(Assignment::check(0, 20, None, today).is_err());
        assert!(Assignment::check(101, 200, None, today).is_err());
        assert!(Assignment::check(3, 20, Some("24/12/2026"), today).is_err());
        let far = Assignment::check(3, 20, Some("+99999-12-31"), today).expect_err("year 99999");
        assert!(far.0.contains("years away") || far.0.contains("not a date"), "{}", far.0);
        assert!(Assignment::check(3, 20, Some("2036-01-01"), today).expect_err("ten years").0.contains("years away"));
        assert!(Assignment::check(3, 20, Some("2031-11-01"), today).is_ok(), "within five years");
        let passed = Assignment::check(3, 20, Some("2026-11-29"), today).expect_err("yesterday");
        assert!(passed.0.contains("already passed"), "{}", passed.0);
        let more = Assignment::check(5, 1, None, today).expect_err("more than the topic has");
        assert_eq!(more.0, "That topic has 1 question: ask for at most 1.");
        assert_eq!(Role::parse("Admin"), Ok(Role::Admin));
        assert!(Role::parse("root").is_err());
    }
}
