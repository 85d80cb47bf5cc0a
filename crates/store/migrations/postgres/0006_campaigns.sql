-- Assessment campaigns (same tables and meanings as the SQLite schema). JSON is kept as TEXT,
-- as for plans: stored exactly as serialised and never queried inside.
CREATE TABLE campaigns (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT COLLATE "C" NOT NULL UNIQUE,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    profile_id    TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    name          TEXT NOT NULL,
    state         TEXT NOT NULL,
    version       BIGINT NOT NULL CHECK (version >= 1),
    created_at_us BIGINT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    body          TEXT NOT NULL
);
CREATE INDEX campaigns_by_profile ON campaigns (profile_id, seq);

CREATE TABLE campaign_answers (
    campaign_id    TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    question_id    TEXT COLLATE "C" NOT NULL,
    subcategory_id TEXT COLLATE "C" NOT NULL,
    state          TEXT NOT NULL,
    answer         TEXT,
    confidence     TEXT,
    notes          TEXT,
    reason         TEXT,
    answered_by    TEXT NOT NULL,
    answered_at_us BIGINT NOT NULL,
    revision       BIGINT NOT NULL CHECK (revision >= 1),
    PRIMARY KEY (campaign_id, question_id)
);

CREATE TABLE campaign_events (
    seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    campaign_id TEXT COLLATE "C" NOT NULL REFERENCES campaigns (id),
    at_us       BIGINT NOT NULL,
    by_whom     TEXT NOT NULL,
    kind        TEXT NOT NULL,
    question_id TEXT COLLATE "C",
    detail      TEXT NOT NULL
);
CREATE INDEX campaign_events_by_campaign ON campaign_events (campaign_id, seq);
