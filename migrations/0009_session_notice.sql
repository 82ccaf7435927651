-- What a page says once after a change ("Max Mustermann no longer has access to Acme AB"): a
-- message key with its arguments (JSON), kept with the session until the next page shows it, so
-- that it survives the redirect after a POST and no link can make a page say it.
ALTER TABLE sessions ADD COLUMN notice TEXT;
