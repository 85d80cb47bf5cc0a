-- The evidence register (same tables, columns and meanings as the SQLite schema).
CREATE TABLE evidence_items (
    id            TEXT COLLATE "C" PRIMARY KEY,
    org_id        TEXT COLLATE "C" NOT NULL REFERENCES organizations (id),
    title         TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('policy', 'procedure', 'configuration', 'log',
                      'report', 'screenshot', 'attestation', 'ticket', 'other')),
    location      TEXT,
    sha256        TEXT CHECK (sha256 IS NULL OR length(sha256) = 64),
    owner         TEXT,
    collected_on  TEXT,
    review_by     TEXT,
    sensitivity   TEXT NOT NULL CHECK (sensitivity IN ('public', 'internal', 'confidential',
                      'restricted')),
    created_at_us BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at_us BIGINT NOT NULL,
    updated_by    TEXT NOT NULL,
    CHECK (location IS NOT NULL OR sha256 IS NOT NULL)
);
CREATE INDEX evidence_items_by_org ON evidence_items (org_id, id);

CREATE TABLE evidence_links (
    evidence_id    TEXT COLLATE "C" NOT NULL REFERENCES evidence_items (id),
    profile_id     TEXT COLLATE "C" NOT NULL REFERENCES profiles (id),
    subcategory_id TEXT COLLATE "C" NOT NULL,
    linked_at_us   BIGINT NOT NULL,
    linked_by      TEXT NOT NULL,
    PRIMARY KEY (evidence_id, profile_id, subcategory_id)
);
CREATE INDEX evidence_links_by_entry ON evidence_links (profile_id, subcategory_id);
