-- An application may require a signed proof from its client. Its key is derived from the
-- server's key and this nonce, so no key is stored; a new key is a new nonce, and the one
-- before keeps working for a day after `proof_changed_at` so clients can change over.
-- NULL: no proof required.
ALTER TABLE applications ADD COLUMN proof_nonce TEXT;
ALTER TABLE applications ADD COLUMN previous_proof_nonce TEXT;
ALTER TABLE applications ADD COLUMN proof_changed_at TEXT;
