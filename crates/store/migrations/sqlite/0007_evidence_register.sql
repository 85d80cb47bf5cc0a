-- The evidence register: metadata about evidence an organization holds (never its content),
-- and links from items to entries (profile + subcategory). A link does not need the entry to
-- exist, so it has no foreign key to assessment_entries; removing a link never touches an
-- entry. Dates are YYYY-MM-DD text, like the entries' dates.
CREATE TABLE evidence_items (
    id            TEXT PRIMARY KEY,
    org_id        TEXT NOT NULL REFERENCES organizations (id),
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
    created_at_us INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    updated_at_us INTEGER NOT NULL,
    updated_by    TEXT NOT NULL,
    CHECK (location IS NOT NULL OR sha256 IS NOT NULL)
);
CREATE INDEX evidence_items_by_org ON evidence_items (org_id, id);

CREATE TABLE evidence_links (
    evidence_id    TEXT NOT NULL REFERENCES evidence_items (id),
    profile_id     TEXT NOT NULL REFERENCES profiles (id),
    subcategory_id TEXT NOT NULL,
    linked_at_us   INTEGER NOT NULL,
    linked_by      TEXT NOT NULL,
    PRIMARY KEY (evidence_id, profile_id, subcategory_id)
);
CREATE INDEX evidence_links_by_entry ON evidence_links (profile_id, subcategory_id);
