-- Implementation plans (same columns and meanings as the SQLite schema). The body is TEXT,
-- not JSONB: the store keeps the document exactly as serialised and never queries inside it,
-- and JSONB would refuse a \u0000 that JSON text may carry.
CREATE TABLE plans (
    seq                BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id                 TEXT COLLATE "C" NOT NULL UNIQUE,
    org_id             TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    current_profile_id TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    target_profile_id  TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    name               TEXT NOT NULL,
    revision           BIGINT NOT NULL CHECK (revision >= 1),
    created_at_us      BIGINT NOT NULL,
    updated_at_us      BIGINT NOT NULL,
    created_by         TEXT NOT NULL,
    updated_by         TEXT NOT NULL,
    body               TEXT NOT NULL
);
CREATE INDEX plans_by_org ON plans (org_id, seq);
CREATE INDEX plans_by_current_profile ON plans (current_profile_id);
CREATE INDEX plans_by_target_profile ON plans (target_profile_id);
