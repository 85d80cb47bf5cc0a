-- Implementation plans: a caller-chosen id, the Current and Target profiles they connect,
-- a revision for compare-and-set updates and the plan document as JSON text. `seq` gives
-- creation order (ids are chosen by callers, so they do not sort by time).
CREATE TABLE plans (
    seq                INTEGER PRIMARY KEY AUTOINCREMENT,
    id                 TEXT NOT NULL UNIQUE,
    org_id             TEXT NOT NULL REFERENCES organizations (id),
    current_profile_id TEXT NOT NULL REFERENCES profiles (id),
    target_profile_id  TEXT NOT NULL REFERENCES profiles (id),
    name               TEXT NOT NULL,
    revision           INTEGER NOT NULL CHECK (revision >= 1),
    created_at_us      INTEGER NOT NULL,
    updated_at_us      INTEGER NOT NULL,
    created_by         TEXT NOT NULL,
    updated_by         TEXT NOT NULL,
    body               TEXT NOT NULL     -- JSON object
);
CREATE INDEX plans_by_org ON plans (org_id, seq);
CREATE INDEX plans_by_current_profile ON plans (current_profile_id);
CREATE INDEX plans_by_target_profile ON plans (target_profile_id);
