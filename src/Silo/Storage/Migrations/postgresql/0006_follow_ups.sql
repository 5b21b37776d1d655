-- Follow-up occurrences as rows: each mentorship's monthly follow-ups, planned one month ahead, so a mentor can move
-- (new date, reason) or skip (reason) one, logging marks one done, and ending the mentorship closes the open ones.
-- next_alert / next_alert_utc_ms say which email is owed next (due, overdue, escalation) and when; the scheduler
-- claims rows by that instant, so a due day is one indexed range scan.
ALTER TABLE mentorships ADD COLUMN end_reason TEXT NULL;

CREATE TABLE follow_ups (
    mentorship_id      TEXT NOT NULL REFERENCES mentorships(id),
    number             INTEGER NOT NULL CHECK (number >= 1),
    scheduled_on       TEXT NOT NULL,
    scheduled_utc_ms   BIGINT NOT NULL,
    due_on             TEXT NOT NULL,
    due_utc_ms         BIGINT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'done', 'skipped', 'missed', 'cancelled')),
    reason             TEXT NULL,
    log_id             TEXT NULL REFERENCES follow_up_logs(id),
    next_alert         TEXT NULL CHECK (next_alert IN ('due', 'overdue', 'escalation')),
    next_alert_utc_ms  BIGINT NULL,
    successor_planned  INTEGER NOT NULL DEFAULT 0,
    updated_utc_ms     BIGINT NOT NULL,
    PRIMARY KEY (mentorship_id, number)
);
-- The scheduler's two scans: emails owed, and months whose successor is still to be planned.
CREATE INDEX ix_follow_ups_alert ON follow_ups (next_alert_utc_ms) WHERE state = 'pending' AND next_alert IS NOT NULL;
CREATE INDEX ix_follow_ups_plan ON follow_ups (scheduled_utc_ms) WHERE successor_planned = 0;
-- The coordinator's overview: follow-ups by due month.
CREATE INDEX ix_follow_ups_due_on ON follow_ups (due_on, state);
