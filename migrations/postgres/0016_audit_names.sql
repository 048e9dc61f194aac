-- Whom an entry is about, by name: the e-mail address of the account, administrator,
-- invitation or journey an entry's actor and subject name by id, as it was when the entry was
-- written (store/postgres/sql/audit.rs `INSERT`), so an entry still says who after the account
-- is gone. Entries written before this have none; the console shows their ids as before.
ALTER TABLE audit_log ADD COLUMN actor_name TEXT;
ALTER TABLE audit_log ADD COLUMN subject_name TEXT;
