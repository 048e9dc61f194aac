-- Message text an administrator wrote in the console, per language, laid over the
-- compiled-in Fluent catalogues at run time. `value` is a Fluent pattern.
CREATE TABLE message_overrides (
    locale      TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TIMESTAMPTZ NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (locale, key)
);
