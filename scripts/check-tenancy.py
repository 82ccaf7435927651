#!/usr/bin/env python3
"""Lists the tables that would stop the schema from being distributed by tenant (Citus, by org_id).

The rule: a table that holds an organization's or a company's data carries org_id or company_id,
and each of its unique keys (primary key included) contains that column. Tables of the whole
installation (logins span organizations) are named in GLOBAL with the reason; tables that break
the rule today are named in KNOWN with what would fix them. A table that is in neither and breaks
the rule fails the check, so a new module cannot add one unnoticed.

Usage: check-tenancy.py PORTICO_BINARY   (applies the migrations to a scratch SQLite database)
"""
import os
import sqlite3
import subprocess
import sys
import tempfile

GLOBAL = {
    "organizations": "the tenants themselves",
    "users": "a login is one person across every organization and company",
    "sessions": "belong to a login",
    "recovery_codes": "belong to a login",
    "sms_challenges": "belong to a login",
    "password_resets": "belong to a login",
    "notification_preferences": "belong to a login",
    "throttle_hits": "keyed by address and account, before any organization is known",
    "access_version": "one counter of the installation",
    "schema_migrations": "the installation's schema",
    "jobs": "the delivery queue of the installation",
}

# Tables that break the rule, each with what would fix it. Empty since migration 0016; a table
# added here must say why it cannot keep the rule yet.
KNOWN: dict[str, str] = {}


def problems(db):
    out = {}
    tables = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        " ORDER BY name")]
    # SQLite's full-text indexes (FTS5 virtual tables and their shadow tables) exist only on
    # SQLite; on PostgreSQL the same index is an ordinary table, which keeps the rule.
    virtual = [r[0] for r in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'")]
    shadows = {f"{v}_{s}" for v in virtual for s in ("data", "idx", "content", "docsize", "config")}
    for table in tables:
        if table in virtual or table in shadows:
            continue
        columns = [r[1] for r in db.execute(f"PRAGMA table_info({table})")]
        tenant = [c for c in ("org_id", "company_id") if c in columns]
        found = []
        if not tenant:
            found.append("no org_id or company_id column")
        else:
            for index in db.execute(f"PRAGMA index_list({table})"):
                if not index[2]:  # not unique
                    continue
                keys = [r[2] for r in db.execute(f"PRAGMA index_info({index[1]})")]
                if not any(t in keys for t in tenant):
                    found.append(f"unique key {index[1]} ({', '.join(keys)}) lacks {tenant[0]}")
            primary = [r[1] for r in db.execute(f"PRAGMA table_info({table})") if r[5]]
            if primary != ["id"] and primary != ["seq"] and not any(t in primary for t in tenant):
                found.append(f"primary key ({', '.join(primary)}) lacks {tenant[0]}")
        if found:
            out[table] = found
    return out


def main():
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as scratch:
        path = os.path.join(scratch, "tenancy.db")
        subprocess.run([sys.argv[1], "migrate", "--db", path], check=True, stdout=subprocess.DEVNULL)
        db = sqlite3.connect(path)
        found = problems(db)
    failed = False
    for table, what in sorted(found.items()):
        if table in GLOBAL:
            continue
        if table in KNOWN:
            print(f"known: {table}: {'; '.join(what)} -> {KNOWN[table]}")
        else:
            print(f"FAIL {table}: {'; '.join(what)}")
            failed = True
    for table in sorted(set(KNOWN) - set(found)):
        print(f"FAIL {table} keeps the rule now: take it out of KNOWN")
        failed = True
    print(f"{len(GLOBAL)} tables of the installation, {len(KNOWN)} known to break the rule")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
