-- Initial schema (SQLite). Timestamps are integer microseconds since the Unix epoch (UTC);
-- JSON columns hold serde_json text; enums hold their snake_case names.
CREATE TABLE organizations (
    id                   TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    sector               TEXT,
    size                 TEXT,
    governance_tier      INTEGER CHECK (governance_tier BETWEEN 1 AND 4),
    risk_management_tier INTEGER CHECK (risk_management_tier BETWEEN 1 AND 4),
    tier_note            TEXT,
    created_at_us        INTEGER NOT NULL,
    updated_at_us        INTEGER NOT NULL
);

CREATE TABLE profiles (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('current', 'target', 'community')),
    name          TEXT NOT NULL,
    scope         TEXT,              -- JSON array of function ids; NULL = all functions
    archived      INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    cloned_from   TEXT,              -- no foreign key: the source may be deleted later
    created_at_us INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at_us INTEGER NOT NULL
);
CREATE INDEX profiles_by_org ON profiles (org_id, id);

CREATE TABLE assessment_entries (
    profile_id     TEXT NOT NULL REFERENCES profiles (id),
    subcategory_id TEXT NOT NULL,
    status         TEXT NOT NULL,
    maturity       INTEGER CHECK (maturity BETWEEN 0 AND 5),
    priority       TEXT,
    owner          TEXT,
    target_date    TEXT,             -- YYYY-MM-DD
    evidence       TEXT NOT NULL,    -- JSON array of {title, location}
    notes          TEXT,
    assessed_by    TEXT,
    confidence     TEXT,
    version        INTEGER NOT NULL CHECK (version >= 1),
    updated_at_us  INTEGER NOT NULL,
    updated_by     TEXT NOT NULL,
    PRIMARY KEY (profile_id, subcategory_id)
) WITHOUT ROWID;

CREATE TABLE entry_history (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    profile_id     TEXT NOT NULL REFERENCES profiles (id),
    subcategory_id TEXT NOT NULL,
    changed_at_us  INTEGER NOT NULL,
    changed_by     TEXT NOT NULL,
    change         TEXT NOT NULL CHECK (change IN ('created', 'updated', 'cloned')),
    changed_fields TEXT NOT NULL,    -- JSON array of field names
    old_entry      TEXT,             -- JSON entry before; NULL when created or cloned
    new_entry      TEXT NOT NULL     -- JSON entry after
);
CREATE INDEX entry_history_by_entry ON entry_history (profile_id, subcategory_id, seq);

CREATE TABLE quick_answers (
    profile_id     TEXT NOT NULL REFERENCES profiles (id),
    function_id    TEXT NOT NULL,
    status         TEXT NOT NULL,
    maturity       INTEGER CHECK (maturity BETWEEN 0 AND 5),
    notes          TEXT,
    answered_at_us INTEGER NOT NULL,
    answered_by    TEXT NOT NULL,
    PRIMARY KEY (profile_id, function_id)
) WITHOUT ROWID;

CREATE TABLE audit_log (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    at_us        INTEGER NOT NULL,
    tool         TEXT NOT NULL,
    principal    TEXT NOT NULL,
    org_id       TEXT,               -- no foreign key: audit rows outlive organizations
    args_summary TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('ok', 'error')),
    detail       TEXT
);
CREATE INDEX audit_log_by_org ON audit_log (org_id, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
