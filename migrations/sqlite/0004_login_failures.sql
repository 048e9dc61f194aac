-- Failed sign-ins per address, so guessing one account's password is slowed however many
-- client addresses the guesses come from. Keyed by the SHA-256 of the address's key, so the
-- table does not list who was tried; unknown addresses are counted the same way as known
-- ones, so the answers tell nothing about which exist.
CREATE TABLE login_failures (
    subject_hash   TEXT PRIMARY KEY,
    failures       INTEGER NOT NULL,
    window_start   TEXT NOT NULL,
    blocked_until  TEXT
);
