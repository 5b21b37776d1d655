-- Password guessing is throttled by the email as typed and by the client's address, with progressive delays, instead
-- of locking accounts: a row exists for an email whether or not an account has it, so nothing about the answers tells
-- the two apart, and nobody can lock a real person out (the emailed sign-in link is never throttled).
CREATE TABLE sign_in_throttle (
    kind                 TEXT NOT NULL CHECK (kind IN ('email', 'address')),
    subject              TEXT NOT NULL,
    failures             INTEGER NOT NULL,
    last_failure_utc_ms  INTEGER NOT NULL,
    wait_until_utc_ms    INTEGER NULL,
    PRIMARY KEY (kind, subject)
);
CREATE INDEX ix_sign_in_throttle_last_failure ON sign_in_throttle (last_failure_utc_ms);

-- The per-account lockout this replaces answered differently for existing and unknown emails, and let anyone lock any
-- account (an admin's included) for 15 minutes.
ALTER TABLE users DROP COLUMN failed_sign_ins;
ALTER TABLE users DROP COLUMN locked_until_utc_ms;
