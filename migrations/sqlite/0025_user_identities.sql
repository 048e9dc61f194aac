-- The provider sign-ins an account holds: a provider's subject belongs to one account, linked
-- when the account is made through the provider or, for an existing account, once its owner
-- proved it with their password.
CREATE TABLE user_identities (
    connection   TEXT NOT NULL,
    subject      TEXT NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TEXT NOT NULL,
    PRIMARY KEY (connection, subject)
);
CREATE INDEX user_identities_user ON user_identities (user_id);
