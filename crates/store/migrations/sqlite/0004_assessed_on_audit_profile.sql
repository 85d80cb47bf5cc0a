-- The date an assessment describes (when the state was observed, as opposed to when it was
-- recorded), and the profile an audit row concerns.
ALTER TABLE assessment_entries ADD COLUMN assessed_on TEXT;   -- YYYY-MM-DD
ALTER TABLE audit_log ADD COLUMN profile_id TEXT;             -- no foreign key: rows outlive profiles
CREATE INDEX audit_log_by_profile ON audit_log (profile_id, seq);

-- Rows written before this version named their organization only when the call had an
-- `org_id` argument. Their profile (and through it the organization) is recovered from the
-- argument summary: `profile_id`, else `current_profile_id`, else the Current profile of the
-- plan named by `plan_id`. The summary is JSON text that may be cut short, so the ids are
-- matched as text (as the PostgreSQL migration does with regular expressions). The
-- append-only trigger is lifted for these two statements only, inside this migration's
-- transaction.
DROP TRIGGER audit_log_no_update;

UPDATE audit_log SET profile_id = COALESCE(
    CASE WHEN instr(args_summary, '"profile_id":"') > 0
              AND substr(args_summary, instr(args_summary, '"profile_id":"') + 14, 31) GLOB 'prof_[0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z]'
              AND substr(args_summary, instr(args_summary, '"profile_id":"') + 45, 1) = '"'
         THEN substr(args_summary, instr(args_summary, '"profile_id":"') + 14, 31) END,
    CASE WHEN instr(args_summary, '"current_profile_id":"') > 0
              AND substr(args_summary, instr(args_summary, '"current_profile_id":"') + 22, 31) GLOB 'prof_[0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z][0-9A-Za-z]'
              AND substr(args_summary, instr(args_summary, '"current_profile_id":"') + 53, 1) = '"'
         THEN substr(args_summary, instr(args_summary, '"current_profile_id":"') + 22, 31) END,
    (SELECT plans.current_profile_id FROM plans
        WHERE instr(audit_log.args_summary, '"plan_id":"') > 0
          AND plans.id = substr(substr(audit_log.args_summary, instr(audit_log.args_summary, '"plan_id":"') + 11), 1,
                                instr(substr(audit_log.args_summary, instr(audit_log.args_summary, '"plan_id":"') + 11), '"') - 1))
)
WHERE profile_id IS NULL;

UPDATE audit_log SET org_id = (
    SELECT profiles.org_id FROM profiles WHERE profiles.id = audit_log.profile_id
)
WHERE org_id IS NULL AND profile_id IS NOT NULL;

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
