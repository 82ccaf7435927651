-- The organization's directory: the departments of department administrators, contacts (of a
-- company or of a site, information only or linked to a login), agents and their allocations,
-- personnel records, notification preferences, and which invitations staff made.

CREATE TABLE staff_departments (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  department_id INTEGER NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  PRIMARY KEY (user_id, department_id)
);

-- site_id NULL: a company contact (a login linked to it sees every site); else a site contact
-- (a login linked only to site contacts sees only those sites).
CREATE TABLE contacts (
  id INTEGER PRIMARY KEY,
  company_id INTEGER NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
  site_id INTEGER REFERENCES sites (id) ON DELETE CASCADE,
  first_name TEXT NOT NULL,
  last_name TEXT NOT NULL,
  job_title TEXT NOT NULL DEFAULT '',
  email TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX contacts_company ON contacts (company_id, last_name, first_name);
CREATE INDEX contacts_user ON contacts (user_id);

-- An agent: an external company that sees, read-only, the customers allocated to it. Its own
-- people sign in as portal users (agent_users). A customer has at most one agent
-- (companies.agent_id), optionally until a date the customer consented to.
CREATE TABLE agents (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX agents_name ON agents (org_id, name);

CREATE TABLE agent_users (
  agent_id INTEGER NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  PRIMARY KEY (agent_id, user_id)
);
CREATE INDEX agent_users_user ON agent_users (user_id);

ALTER TABLE companies ADD COLUMN agent_id INTEGER REFERENCES agents (id) ON DELETE SET NULL;
ALTER TABLE companies ADD COLUMN agent_until INTEGER;  -- NULL: until the allocation is removed
CREATE INDEX companies_agent ON companies (agent_id);
CREATE INDEX companies_department ON companies (department_id);

-- Field technicians and other personnel; a record may be linked to a staff login.
CREATE TABLE personnel (
  id INTEGER PRIMARY KEY,
  org_id INTEGER NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  title TEXT NOT NULL DEFAULT '',
  phone TEXT NOT NULL DEFAULT '',
  user_id INTEGER REFERENCES users (id) ON DELETE SET NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX personnel_org ON personnel (org_id, name);
CREATE UNIQUE INDEX personnel_user ON personnel (org_id, user_id);

-- Only the kinds a user turned off are stored: every kind is on by default.
CREATE TABLE notification_preferences (
  user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  enabled INTEGER NOT NULL,
  PRIMARY KEY (user_id, kind)
);

ALTER TABLE invitations ADD COLUMN by_staff INTEGER NOT NULL DEFAULT 0;

-- Everything the policy reads moves the access version (see 0004).
-- dialect: sqlite
CREATE TRIGGER contacts_insert AFTER INSERT ON contacts WHEN new.user_id IS NOT NULL
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER contacts_update AFTER UPDATE ON contacts
  WHEN old.user_id IS NOT new.user_id OR old.site_id IS NOT new.site_id
    OR old.company_id IS NOT new.company_id
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER contacts_delete AFTER DELETE ON contacts WHEN old.user_id IS NOT NULL
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER agent_users_insert AFTER INSERT ON agent_users
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER agent_users_delete AFTER DELETE ON agent_users
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER agents_delete AFTER DELETE ON agents
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER staff_departments_insert AFTER INSERT ON staff_departments
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER staff_departments_delete AFTER DELETE ON staff_departments
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER staff_members_insert AFTER INSERT ON staff_members
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER staff_members_update AFTER UPDATE ON staff_members
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER staff_members_delete AFTER DELETE ON staff_members
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
CREATE TRIGGER sites_delete AFTER DELETE ON sites
  BEGIN UPDATE access_version SET value = value + 1 WHERE id = 1; END;
-- dialect: postgres
CREATE TRIGGER contacts_insert AFTER INSERT ON contacts FOR EACH ROW
  WHEN (NEW.user_id IS NOT NULL)
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER contacts_update AFTER UPDATE ON contacts FOR EACH ROW
  WHEN (OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.site_id IS DISTINCT FROM NEW.site_id OR OLD.company_id IS DISTINCT FROM NEW.company_id)
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER contacts_delete AFTER DELETE ON contacts FOR EACH ROW
  WHEN (OLD.user_id IS NOT NULL)
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER agent_users_insert AFTER INSERT ON agent_users FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER agent_users_delete AFTER DELETE ON agent_users FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER agents_delete AFTER DELETE ON agents FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER staff_departments_insert AFTER INSERT ON staff_departments FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER staff_departments_delete AFTER DELETE ON staff_departments FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER staff_members_insert AFTER INSERT ON staff_members FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER staff_members_update AFTER UPDATE ON staff_members FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER staff_members_delete AFTER DELETE ON staff_members FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
CREATE TRIGGER sites_delete AFTER DELETE ON sites FOR EACH ROW
  EXECUTE FUNCTION bump_access_version();
-- dialect: all
