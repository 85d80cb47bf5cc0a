-- Generated documents (same columns and meanings as the SQLite schema).
CREATE TABLE documents (
    seq           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id            TEXT COLLATE "C" NOT NULL UNIQUE,
    org_id        TEXT COLLATE "C",
    profile_id    TEXT COLLATE "C",
    kind          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    title         TEXT NOT NULL,
    created_at_us BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    content       TEXT NOT NULL
);
CREATE INDEX documents_by_profile ON documents (profile_id);
