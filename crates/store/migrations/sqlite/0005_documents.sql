-- Generated documents (reports, exports) kept so a client can read them later as resources.
-- No foreign keys: a document is deleted with its profile by the store, in the same
-- transaction, and the organization may go first when it is deleted.
CREATE TABLE documents (
    seq           INTEGER PRIMARY KEY AUTOINCREMENT,
    id            TEXT NOT NULL UNIQUE,
    org_id        TEXT,
    profile_id    TEXT,
    kind          TEXT NOT NULL,
    media_type    TEXT NOT NULL,
    title         TEXT NOT NULL,
    created_at_us INTEGER NOT NULL,
    created_by    TEXT NOT NULL,
    content       TEXT NOT NULL
);
CREATE INDEX documents_by_profile ON documents (profile_id);
