-- Usernames are matched on a folded key (trimmed, invisible characters dropped, NFKC, lower
-- case), as addresses are, so that look-alikes (`Ada`, `ADA`, `Ａda`) cannot hold two
-- accounts. An ASCII name's key is its lower case, set here; any other name's key is set by
-- the server when it starts (`Store::key_usernames`), since SQL has no NFKC. Where existing
-- accounts already share a key, the oldest keeps it and the others are found by their exact
-- name only.
ALTER TABLE users ADD COLUMN username_key TEXT;
UPDATE users u SET username_key = lower(btrim(u.username))
 WHERE u.username IS NOT NULL AND u.username !~ '[^ -~]'
   AND NOT EXISTS (SELECT 1 FROM users o WHERE o.username IS NOT NULL
                   AND (o.created_at, o.id) < (u.created_at, u.id)
                   AND lower(btrim(o.username)) = lower(btrim(u.username)));
CREATE UNIQUE INDEX users_by_folded_username ON users (username_key);
