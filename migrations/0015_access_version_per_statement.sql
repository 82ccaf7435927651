-- On PostgreSQL, the access counter moves once per statement instead of once per row. Every
-- row-level bump updates the one row of access_version, and each update of a row already updated
-- in the same transaction walks the chain of its earlier versions: a bulk import of 10,000
-- companies, or 300,000 memberships in one statement, took minutes. Once a statement is enough:
-- the session lookup only asks whether the counter moved. (SQLite updates the row in place and
-- keeps its row triggers.) The contacts triggers stay per row: they bump only when a contact's
-- login or place changes.
-- dialect: postgres
DROP TRIGGER memberships_insert ON memberships;
CREATE TRIGGER memberships_insert AFTER INSERT ON memberships FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER memberships_update ON memberships;
CREATE TRIGGER memberships_update AFTER UPDATE ON memberships FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER memberships_delete ON memberships;
CREATE TRIGGER memberships_delete AFTER DELETE ON memberships FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER membership_sites_insert ON membership_sites;
CREATE TRIGGER membership_sites_insert AFTER INSERT ON membership_sites FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER membership_sites_delete ON membership_sites;
CREATE TRIGGER membership_sites_delete AFTER DELETE ON membership_sites FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER companies_update ON companies;
CREATE TRIGGER companies_update AFTER UPDATE ON companies FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER companies_delete ON companies;
CREATE TRIGGER companies_delete AFTER DELETE ON companies FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER agent_users_insert ON agent_users;
CREATE TRIGGER agent_users_insert AFTER INSERT ON agent_users FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER agent_users_delete ON agent_users;
CREATE TRIGGER agent_users_delete AFTER DELETE ON agent_users FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER agents_delete ON agents;
CREATE TRIGGER agents_delete AFTER DELETE ON agents FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER staff_departments_insert ON staff_departments;
CREATE TRIGGER staff_departments_insert AFTER INSERT ON staff_departments FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER staff_departments_delete ON staff_departments;
CREATE TRIGGER staff_departments_delete AFTER DELETE ON staff_departments FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER staff_members_insert ON staff_members;
CREATE TRIGGER staff_members_insert AFTER INSERT ON staff_members FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER staff_members_update ON staff_members;
CREATE TRIGGER staff_members_update AFTER UPDATE ON staff_members FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER staff_members_delete ON staff_members;
CREATE TRIGGER staff_members_delete AFTER DELETE ON staff_members FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
DROP TRIGGER sites_delete ON sites;
CREATE TRIGGER sites_delete AFTER DELETE ON sites FOR EACH STATEMENT
  EXECUTE FUNCTION bump_access_version();
-- dialect: all
