-- Message text an administrator wrote in the console, per language. It is laid over the
-- compiled-in Fluent catalogues at run time; a key may exist only here (a key the
-- administrator invented for their own flow). `value` is a Fluent pattern.
CREATE TABLE message_overrides (
    locale      TEXT NOT NULL,
    key         TEXT NOT NULL,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    PRIMARY KEY (locale, key)
);
