-- The language the console speaks to an administrator; NULL follows the browser's.
ALTER TABLE admins ADD COLUMN locale TEXT;
