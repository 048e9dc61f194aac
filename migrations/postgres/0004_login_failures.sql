-- Failed sign-ins per address (keyed by the SHA-256 of the address's key), shared by every
-- instance so a guesser cannot spread guesses over them.
CREATE TABLE login_failures (
    subject_hash   TEXT PRIMARY KEY,
    failures       BIGINT NOT NULL,
    window_start   TIMESTAMPTZ NOT NULL,
    blocked_until  TIMESTAMPTZ
);
