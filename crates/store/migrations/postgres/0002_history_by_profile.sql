-- Latest history row of a profile (commit-time floor of a write) and as-of scans.
CREATE INDEX entry_history_by_profile ON entry_history (profile_id, seq);
