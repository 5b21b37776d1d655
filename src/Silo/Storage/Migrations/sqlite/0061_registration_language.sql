-- The language a registrant registered in (a BCP 47 tag: 'en', 'es' or 'zh-Hans'), written only by the session grain
-- with the registration: the form's interface language, or "language" in the API body. Everything sent to them later
-- (confirmation, reminders, changes, recordings, evaluations, invites, certificates) is composed in it at delivery.
-- Null, as on every registration made before it, means English.
ALTER TABLE registrations ADD COLUMN language TEXT NULL;
