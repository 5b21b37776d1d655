-- A sign-up link's token lives in its outbox row only until the row is settled, as sign-in and reset links' tokens do
-- (OutboxDispatcher's ClearLinks): sign-up links were left out of that list, so the rows settled before this migration
-- still hold theirs.
UPDATE outbox_messages SET data = '{}' WHERE purpose = 'sign-up-link' AND status <> 'queued';
