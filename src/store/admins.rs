use super::audit::{AuditEntry, audited, audited_unless_refused};
use super::{Done, Store, StoreError, from_text, on_db};
use time::OffsetDateTime;

#[derive(Clone)]
pub struct AdminRow {
    pub id: String,
    pub email: String,
    pub password_hash: String,
    /// Bumped by a password change, which ends the administrator's other sessions.
    pub auth_version: i64,
    /// `owner` (everything) or `operator` (invitations and users).
    pub role: String,
    pub created_at: OffsetDateTime,
    /// The language the console speaks to this administrator (a tag); `None` follows the
    /// browser's.
    pub locale: Option<String>,
}

impl AdminRow {
    /// Whether the account is an owner's (else an operator's).
    pub fn is_owner(&self) -> bool {
        self.role == "owner"
    }
}

impl std::fmt::Debug for AdminRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminRow")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

type RawAdmin = (String, String, String, i64, String, String, Option<String>);

fn admin_row(
    (id, email, password_hash, auth_version, role, created_at, locale): RawAdmin,
) -> Result<AdminRow, StoreError> {
    Ok(AdminRow {
        id,
        email,
        password_hash,
        auth_version,
        role,
        created_at: from_text(&created_at)?,
        locale,
    })
}

impl Store {
    pub async fn admin_by_email(&self, email_key: &str) -> Result<Option<AdminRow>, StoreError> {
        let raw: Option<RawAdmin> = on_db!(self, p => sqlx::query_as(sql::admins::BY_EMAIL).bind(email_key).fetch_optional(p).await)?;
        raw.map(admin_row).transpose()
    }

    pub async fn admin_by_id(&self, id: &str) -> Result<Option<AdminRow>, StoreError> {
        let raw: Option<RawAdmin> =
            on_db!(self, p => sqlx::query_as(sql::admins::BY_ID).bind(id).fetch_optional(p).await)?;
        raw.map(admin_row).transpose()
    }

    pub async fn admins(&self) -> Result<Vec<AdminRow>, StoreError> {
        let raw: Vec<RawAdmin> =
            on_db!(self, p => sqlx::query_as(sql::admins::ALL).fetch_all(p).await)?;
        raw.into_iter().map(admin_row).collect()
    }

    /// Replaces `old` by `new`, a hash of the same password with the parameters in force;
    /// false when the password changed meanwhile.
    pub async fn upgrade_admin_password_hash(
        &self,
        id: &str,
        old: &str,
        new: &str,
    ) -> Result<bool, StoreError> {
        let done = on_db!(self, write p => sqlx::query(sql::admins::UPGRADE_PASSWORD_HASH).bind(id).bind(old).bind(new).execute(p).await.map(Done::from))?;
        Ok(done.rows_affected() == 1)
    }

    pub async fn set_admin_password(
        &self,
        id: &str,
        password_hash: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            sqlx::query(sql::admins::SET_PASSWORD).bind(id).bind(password_hash).execute(&mut *tx).await?;
        }))
    }

    /// The console's language for one administrator (`None`: the browser's), audited.
    pub async fn set_admin_locale(
        &self,
        id: &str,
        locale: Option<&str>,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_db!(self, write p => audited!(p, audit, now, |tx| {
            sqlx::query(sql::admins::SET_LOCALE).bind(id).bind(locale).execute(&mut *tx).await?;
        }))
    }

    pub async fn set_admin_role(&self, id: &str, role: &str) -> Result<(), StoreError> {
        on_db!(self, write p => sqlx::query(sql::admins::SET_ROLE).bind(id).bind(role).execute(p).await.map(Done::from))?;
        Ok(())
    }

    /// Removes an administrator, unless it is the last owner; `Ok(false)` then. The count and
    /// the delete are one statement, so two removals at once cannot leave no owner.
    pub async fn remove_admin(
        &self,
        id: &str,
        audit: &AuditEntry,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let removed: Result<(), ()> = on_db!(self, write p => audited_unless_refused!(p, audit, now, |tx| {
            let done = sqlx::query(sql::admins::REMOVE).bind(id).execute(&mut *tx).await?;
            if done.rows_affected() == 1 { Ok(()) } else { Err(()) }
        }))?;
        Ok(removed.is_ok())
    }
}
