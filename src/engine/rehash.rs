//! A password proven at sign-in whose stored hash was made with older Argon2id parameters is
//! hashed again with the ones in force, in the background: raising the cost in the
//! configuration strengthens every account as its owner signs in, without a reset.

use super::Engine;
use crate::domain::UserId;
use crate::password_hash::Priority;
use secrecy::{ExposeSecret, SecretString};

/// Whose stored hash it is.
pub enum HashOwner {
    User(UserId),
    Admin(String),
}

impl Engine {
    /// Called once `password` has matched `stored`. Nothing when `stored` is current; else
    /// the new hash replaces it unless the password changed meanwhile. New work for the pool,
    /// so it is the first shed under load, and the next sign-in tries again.
    pub fn rehash_if_outdated(&self, owner: HashOwner, password: &SecretString, stored: &str) {
        if self.hasher().is_current(stored) {
            return;
        }
        let hasher = self.hasher().at(Priority::Start);
        let store = self.store().clone();
        let password = SecretString::from(password.expose_secret().to_owned());
        let stored = stored.to_owned();
        tokio::spawn(async move {
            let new = match hasher.hash(&password).await {
                Ok(h) => h,
                Err(e) => return tracing::debug!(error = %e, "password hash not upgraded now"),
            };
            let upgraded = match &owner {
                HashOwner::User(id) => store.upgrade_password_hash(*id, &stored, &new).await,
                HashOwner::Admin(id) => store.upgrade_admin_password_hash(id, &stored, &new).await,
            };
            match upgraded {
                Ok(true) => {
                    metrics::counter!("flows_password_hashes_upgraded_total").increment(1);
                    tracing::info!("password hash upgraded to the parameters in force");
                }
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "password hash not upgraded"),
            }
        });
    }
}
