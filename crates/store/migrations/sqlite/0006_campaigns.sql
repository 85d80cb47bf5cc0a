-- Assessment campaigns: a guided assessment of one profile. The campaign row carries the
-- state machine (guarded by `version`, compare-and-set) and its settings as a JSON document;
-- each answer is its own row, so assessors answering at once never overwrite each other;
-- every answer, skip, send-back and state change is also appended to campaign_events.
CREATE TABLE campaigns (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
    profile_id    TEXT NOT NULL REFERENCES profiles (id),
    name          TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       INTEGER NOT NULL CHECK (version >= 1),
    created_at_us INTEGER NOT NULL,
    updated_at_us INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    body          TEXT NOT NULL     -- JSON object: scope, size, assessors, due date, cycles
);
CREATE INDEX campaigns_by_profile ON campaigns (profile_id, seq);

CREATE TABLE campaign_answers (
    campaign_id    TEXT NOT NULL REFERENCES campaigns (id),
    question_id    TEXT NOT NULL,
    subcategory_id TEXT NOT NULL,
    state          TEXT NOT NULL,   -- answered, skipped, sent_back
    answer         TEXT,            -- JSON value
    confidence     TEXT,
    notes          TEXT,
    reason         TEXT,
    answered_by    TEXT NOT NULL,
    answered_at_us INTEGER NOT NULL,
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    PRIMARY KEY (campaign_id, question_id)
);

CREATE TABLE campaign_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    campaign_id TEXT NOT NULL REFERENCES campaigns (id),
    at_us       INTEGER NOT NULL,
    by_whom     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    question_id TEXT,
    detail      TEXT NOT NULL     -- JSON object
);
CREATE INDEX campaign_events_by_campaign ON campaign_events (campaign_id, seq);
