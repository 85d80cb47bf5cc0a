-- The date an assessment describes (when the state was observed, as opposed to when it was
-- recorded), and the profile an audit row concerns (same meanings as the SQLite schema).
ALTER TABLE assessment_entries ADD COLUMN assessed_on TEXT;   -- YYYY-MM-DD
ALTER TABLE audit_log ADD COLUMN profile_id TEXT COLLATE "C"; -- no foreign key: rows outlive profiles
CREATE INDEX audit_log_by_profile ON audit_log (profile_id, seq);

-- Rows written before this version named their organization only when the call had an
-- `org_id` argument. Their profile (and through it the organization) is recovered from the
-- argument summary: `profile_id`, else `current_profile_id`, else the Current profile of the
-- plan named by `plan_id` (the summary is JSON text, possibly cut short, so the ids are matched
-- as text). The append-only trigger is lifted for these two statements only, inside this
-- migration's transaction.
ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update;

UPDATE audit_log SET profile_id = COALESCE(
    substring(args_summary FROM '"profile_id":"(prof_[0-9A-Za-z]{26})"'),
    substring(args_summary FROM '"current_profile_id":"(prof_[0-9A-Za-z]{26})"'),
    (SELECT plans.current_profile_id FROM plans
        WHERE plans.id = substring(audit_log.args_summary FROM '"plan_id":"([A-Za-z0-9_-]{1,100})"'))
)
WHERE profile_id IS NULL;

UPDATE audit_log SET org_id = (
    SELECT profiles.org_id FROM profiles WHERE profiles.id = audit_log.profile_id
)
WHERE org_id IS NULL AND profile_id IS NOT NULL;

ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update;
