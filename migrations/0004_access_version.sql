-- A counter that moves whenever anything the authorization policy reads changes. The session
-- lookup reads it in the same statement, so a cache of a user's companies is checked on every
-- request at no extra query, and a removed membership still fails on the very next request.
CREATE TABLE access_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  value INTEGER NOT NULL
);
INSERT INTO access_version (id, value) VALUES (1, 0);

-- dialect: sqlite
CREATE TRIGGER memberships_insert AFTER INSERT ON memberships
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_update AFTER UPDATE ON memberships
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER memberships_delete AFTER DELETE ON memberships
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER membership_sites_insert AFTER INSERT ON membership_sites
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER membership_sites_delete AFTER DELETE ON membership_sites
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER companies_update AFTER UPDATE ON companies
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER companies_delete AFTER DELETE ON companies
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
-- dialect: postgres
CREATE FUNCTION bump_access_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE access_version SET value = value + 1 WHERE id = 1;
  RETURN NULL;
END $$;
CREATE TRIGGER memberships_insert AFTER INSERT ON memberships FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER memberships_update AFTER UPDATE ON memberships FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER memberships_delete AFTER DELETE ON memberships FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER membership_sites_insert AFTER INSERT ON membership_sites FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER membership_sites_delete AFTER DELETE ON membership_sites FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER companies_update AFTER UPDATE ON companies FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER companies_delete AFTER DELETE ON companies FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
-- dialect: all
