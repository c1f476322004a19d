//! Study groups, their members, invite codes and assignment.
use super::{is_unique_violation, now_millis, Store, StoreError};
use crate::domain::{Assignment, Group, Left, Member};

#[derive(sqlx::FromRow)]
struct GroupRow {
    id: String,
    name: String,
    owner_id: String,
    invite_code: String,
    created_at: i64,
    assignment_topic_id: Option<String>,
    assignment_count: Option<i64>,
    assignment_due_on: Option<String>,
    assignment_set_at: Option<i64>,
}

impl From<GroupRow> for Group {
    fn from(r: GroupRow) -> Group {
        let assignment = match (r.assignment_topic_id, r.assignment_count, r.assignment_set_at) {
            (Some(topic_id), Some(count), Some(set_at)) => {
                Some(Assignment { topic_id, count, due_on: r.assignment_due_on, set_at })
            }
            _ => None,
        };
        Group {
            id: r.id,
            name: r.name,
            owner_id: r.owner_id,
            invite_code: r.invite_code,
            created_at: r.created_at,
            assignment,
        }
    }
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: String,
    username: String,
    joined_at: i64,
    share_progress: bool,
}

const GROUP_COLUMNS: &str = "g.id, g.name, g.owner_id, g.invite_code, g.created_at, g.assignment_topic_id, \
     g.assignment_count, g.assignment_due_on, g.assignment_set_at";

impl Store {
    /// Creates a group with its owner as the first member. A taken invite code is
    /// `Conflict("invite code")` (the caller draws another).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn create_group(&self, id: &str, name: &str, owner_id: &str, code: &str) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let now = now_millis();
            let mut tx = db.write().begin().await?;
            let inserted = sqlx::query(
                "INSERT INTO groups (id, name, owner_id, invite_code, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(name)
            .bind(owner_id)
            .bind(code)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match inserted {
                Ok(_) => {}
                Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict("invite code")),
                Err(e) => return Err(e.into()),
            }
            sqlx::query("INSERT INTO group_members (group_id, user_id, joined_at) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(owner_id)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn group(&self, id: &str) -> Result<Option<Group>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, GroupRow>(&format!("SELECT {GROUP_COLUMNS} FROM groups g WHERE g.id = $1"))
                .bind(id)
                .fetch_optional(db.read())
                .await?
                .map(Group::from))
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn group_by_code(&self, code: &str) -> Result<Option<Group>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, GroupRow>(&format!("SELECT {GROUP_COLUMNS} FROM groups g WHERE g.invite_code = $1"))
                .bind(code)
                .fetch_optional(db.read())
                .await?
                .map(Group::from))
        })
    }

    /// The groups the user is a member of, by name.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn user_groups(&self, user_id: &str) -> Result<Vec<Group>, StoreError> {
        on_db!(self, |db| {
            let sql = format!(
                "SELECT {GROUP_COLUMNS} FROM groups g JOIN group_members m ON m.group_id = g.id
             WHERE m.user_id = $1 ORDER BY g.name, g.id"
            );
            let rows = sqlx::query_as::<_, GroupRow>(&sql).bind(user_id).fetch_all(db.read()).await?;
            Ok(rows.into_iter().map(Group::from).collect())
        })
    }

    /// Every group with its owner's name and how many members it has, by name (for admins).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn all_groups(&self) -> Result<Vec<(Group, String, i64)>, StoreError> {
        on_db!(self, |db| {
            #[derive(sqlx::FromRow)]
            struct Row {
                #[sqlx(flatten)]
                group: GroupRow,
                owner_name: String,
                members: i64,
            }
            let sql = format!(
                "SELECT {GROUP_COLUMNS}, u.username AS owner_name,
                 (SELECT COUNT(*) FROM group_members m WHERE m.group_id = g.id) AS members
             FROM groups g JOIN users u ON u.id = g.owner_id ORDER BY g.name, g.id"
            );
            let rows = sqlx::query_as::<_, Row>(&sql).fetch_all(db.read()).await?;
            Ok(rows.into_iter().map(|r| (Group::from(r.group), r.owner_name, r.members)).collect())
        })
    }

    /// The group's members, in the order they joined.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn group_members(&self, group_id: &str) -> Result<Vec<Member>, StoreError> {
        on_db!(self, |db| {
            let rows = sqlx::query_as::<_, MemberRow>(
                "SELECT m.user_id, u.username, m.joined_at, u.share_progress FROM group_members m
             JOIN users u ON u.id = m.user_id WHERE m.group_id = $1 ORDER BY m.joined_at, u.username_key",
            )
            .bind(group_id)
            .fetch_all(db.read())
            .await?;
            Ok(rows
                .into_iter()
                .map(|r| Member {
                    user_id: r.user_id,
                    username: r.username,
                    joined_at: r.joined_at,
                    shares_progress: r.share_progress,
                })
                .collect())
        })
    }

    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn is_member(&self, group_id: &str, user_id: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar::<_, bool>("SELECT TRUE FROM group_members WHERE group_id = $1 AND user_id = $2")
                .bind(group_id)
                .bind(user_id)
                .fetch_optional(db.read())
                .await?
                .is_some())
        })
    }

    /// Groups the user belongs to, owned or joined.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn membership_count(&self, user_id: &str) -> Result<i64, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_scalar::<_, i64>("SELECT COUNT(*) FROM group_members WHERE user_id = $1")
                .bind(user_id)
                .fetch_one(db.read())
                .await?)
        })
    }

    /// Adds a member; `false` if they already were one (or the group is gone).
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn add_member(&self, group_id: &str, user_id: &str) -> Result<bool, StoreError> {
        on_db!(self, |db| {
            let result = sqlx::query(
                "INSERT INTO group_members (group_id, user_id, joined_at) SELECT id, $1, $2 FROM groups WHERE id = $3
             ON CONFLICT (group_id, user_id) DO NOTHING",
            )
            .bind(user_id)
            .bind(now_millis())
            .bind(group_id)
            .execute(db.write())
            .await?;
            Ok(result.rows_affected() == 1)
        })
    }

    /// Takes the user out of the group. An owner who leaves hands the group to the
    /// member who joined first after them; the last member's leaving deletes it.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn leave_group(&self, group_id: &str, user_id: &str) -> Result<Left, StoreError> {
        on_db!(self, |db| {
            let mut tx = db.write().begin().await?;
            let removed = sqlx::query("DELETE FROM group_members WHERE group_id = $1 AND user_id = $2")
                .bind(group_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if removed == 0 {
                return Ok(Left::NotMember);
            }
            let owner: Option<String> = sqlx::query_scalar("SELECT owner_id FROM groups WHERE id = $1")
                .bind(group_id)
                .fetch_optional(&mut *tx)
                .await?;
            let next: Option<String> = sqlx::query_scalar(
                "SELECT m.user_id FROM group_members m JOIN users u ON u.id = m.user_id
             WHERE m.group_id = $1 ORDER BY m.joined_at, u.username_key LIMIT 1",
            )
            .bind(group_id)
            .fetch_optional(&mut *tx)
            .await?;
            let outcome = match (owner.as_deref() == Some(user_id), next) {
                (_, None) => {
                    sqlx::query("DELETE FROM groups WHERE id = $1").bind(group_id).execute(&mut *tx).await?;
                    Left::Deleted
                }
                (true, Some(next)) => {
                    sqlx::query("UPDATE groups SET owner_id = $1 WHERE id = $2")
                        .bind(&next)
                        .bind(group_id)
                        .execute(&mut *tx)
                        .await?;
                    Left::OwnerPassed(next)
                }
                (false, Some(_)) => Left::Left,
            };
            tx.commit().await?;
            Ok(outcome)
        })
    }

    /// Replaces the invite code (the old one stops working); `Conflict("invite code")`
    /// if the new one is taken.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_invite_code(&self, group_id: &str, code: &str) -> Result<(), StoreError> {
        on_db!(self, |db| {
            let result = sqlx::query("UPDATE groups SET invite_code = $1 WHERE id = $2")
                .bind(code)
                .bind(group_id)
                .execute(db.write())
                .await;
            match result {
                Ok(_) => Ok(()),
                Err(e) if is_unique_violation(&e) => Err(StoreError::Conflict("invite code")),
                Err(e) => Err(e.into()),
            }
        })
    }

    /// Sets or clears the assignment.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn set_assignment(&self, group_id: &str, assignment: Option<&Assignment>) -> Result<(), StoreError> {
        on_db!(self, |db| {
            sqlx::query(
                "UPDATE groups SET assignment_topic_id = $1, assignment_count = $2, assignment_due_on = $3,
                 assignment_set_at = $4 WHERE id = $5",
            )
            .bind(assignment.map(|a| a.topic_id.as_str()))
            .bind(assignment.map(|a| a.count))
            .bind(assignment.and_then(|a| a.due_on.as_deref()))
            .bind(assignment.map(|a| a.set_at))
            .bind(group_id)
            .execute(db.write())
            .await?;
            Ok(())
        })
    }

    /// Per member of the group: their answers (not retries, not skipped questions) to questions of `topic_id`
    /// since `since` (Unix milliseconds). Members with none are left out.
    #[tracing::instrument(level = "debug", skip_all)]
    pub async fn group_answers_since(
        &self,
        group_id: &str,
        topic_id: &str,
        since: i64,
    ) -> Result<Vec<(String, i64)>, StoreError> {
        on_db!(self, |db| {
            Ok(sqlx::query_as::<_, (String, i64)>(
                "SELECT a.user_id, COUNT(*) FROM group_members m
             JOIN attempts a ON a.user_id = m.user_id AND a.created_at >= $1 AND a.kind NOT IN ('retry', 'skipped')
             JOIN questions q ON q.id = a.question_id AND q.topic_id = $2
             WHERE m.group_id = $3 GROUP BY a.user_id",
            )
            .bind(since)
            .bind(topic_id)
            .bind(group_id)
            .fetch_all(db.read())
            .await?)
        })
    }
}
