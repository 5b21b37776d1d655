-- Learning Exchange preparation (issue 14): the question or case from their practice a registrant brings to an
-- exchange, written only by the exchange's preparation grain (ExchangePreparationGrain). Plain text, at most 2,000
-- characters, never rendered as HTML. One per registration; submitting again replaces it, empty text removes it.
CREATE TABLE exchange_preparations (
    registration_id   TEXT PRIMARY KEY REFERENCES registrations(id) ON DELETE CASCADE,
    session_id        TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    text              TEXT NOT NULL,
    submitted_utc_ms  BIGINT NOT NULL,
    updated_utc_ms    BIGINT NOT NULL
);
CREATE INDEX ix_exchange_preparations_session ON exchange_preparations (session_id, submitted_utc_ms);
