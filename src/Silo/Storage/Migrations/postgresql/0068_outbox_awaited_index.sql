-- While a burst of registrations is on, delivery gives way to it (DeliveryPacing), except for the mail a person is
-- waiting on at the screen (MailPurposes.Awaited: sign-in, sign-up and reset links, invitations, manage links, lists of
-- registrations), which a pass claims by itself every quarter second. This index holds only those queued rows, so such a
-- pass reads nothing when there are none, however many confirmations are queued behind the burst. The purposes are
-- written out exactly as the claim writes them (OutboxDispatcher), which is what lets the planner use the index.
CREATE INDEX ix_outbox_awaited ON outbox_messages (next_attempt_utc_ms, id)
    WHERE status = 'queued' AND purpose IN ('sign-in-link', 'sign-up-link', 'password-reset', 'invitation', 'manage-link-resent', 'registration-list');
