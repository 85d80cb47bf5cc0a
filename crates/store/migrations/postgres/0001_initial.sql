-- Initial schema (PostgreSQL). Same columns and meanings as the SQLite schema. Text columns
-- that are ordered or compared as keys use COLLATE "C" so ordering (and paging cursors) is
-- byte order, exactly as in SQLite, whatever the database's default collation.
CREATE TABLE organizations (
    id                   TEXT COLLATE "C" PRIMARY KEY,
    name                 TEXT NOT NULL,
    sector               TEXT,
    size                 TEXT,
    governance_tier      SMALLINT CHECK (governance_tier BETWEEN 1 AND 4),
    risk_management_tier SMALLINT CHECK (risk_management_tier BETWEEN 1 AND 4),
    tier_note            TEXT,
    created_at_us        BIGINT NOT NULL,
    updated_at_us        BIGINT NOT NULL
);

CREATE TABLE profiles (
    id            TEXT COLLATE "C" PRIMARY KEY,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('current', 'target', 'community')),
    name          TEXT NOT NULL,
    scope         TEXT,
    archived      SMALLINT NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    cloned_from   TEXT COLLATE "C",
    created_at_us BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL
);
CREATE INDEX profiles_by_org ON profiles (org_id, id);

CREATE TABLE assessment_entries (
    profile_id     TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    subcategory_id TEXT COLLATE "C" NOT NULL,
    status         TEXT NOT NULL,
    maturity       SMALLINT CHECK (maturity BETWEEN 0 AND 5),
    priority       TEXT,
    owner          TEXT,
    target_date    TEXT,
    evidence       TEXT NOT NULL,
    notes          TEXT,
    assessed_by    TEXT,
    confidence     TEXT,
    version        BIGINT NOT NULL CHECK (version >= 1),
    updated_at_us  BIGINT NOT NULL,
    updated_by     TEXT NOT NULL,
    PRIMARY KEY (profile_id, subcategory_id)
);

CREATE TABLE entry_history (
    seq            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    profile_id     TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    subcategory_id TEXT COLLATE "C" NOT NULL,
    changed_at_us  BIGINT NOT NULL,
    changed_by     TEXT NOT NULL,
    change         TEXT NOT NULL CHECK (change IN ('created', 'updated', 'cloned')),
    changed_fields TEXT NOT NULL,
    old_entry      TEXT,
    new_entry      TEXT NOT NULL
);
CREATE INDEX entry_history_by_entry ON entry_history (profile_id, subcategory_id, seq);

CREATE TABLE quick_answers (
    profile_id     TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    function_id    TEXT COLLATE "C" NOT NULL,
    status         TEXT NOT NULL,
    maturity       SMALLINT CHECK (maturity BETWEEN 0 AND 5),
    notes          TEXT,
    answered_at_us BIGINT NOT NULL,
    answered_by    TEXT NOT NULL,
    PRIMARY KEY (profile_id, function_id)
);

CREATE TABLE audit_log (
    seq          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at_us        BIGINT NOT NULL,
    tool         TEXT NOT NULL,
    principal    TEXT NOT NULL,
    org_id       TEXT COLLATE "C",
    args_summary TEXT NOT NULL,
    result       TEXT NOT NULL CHECK (result IN ('ok', 'error')),
    detail       TEXT
);
CREATE INDEX audit_log_by_org ON audit_log (org_id, seq);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
