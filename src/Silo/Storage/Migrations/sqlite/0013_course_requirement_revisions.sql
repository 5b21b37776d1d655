-- A course's required sessions can be edited. A certificate already issued stays valid when a requirement is added
-- later (it was true under the rule it was issued by, like a series switching the evaluation on), yet must still be
-- revoked when attendance at a session it was issued for is taken back. So the course counts its requirement
-- revisions, each required session remembers the revision that added it, and each course certificate the revision it
-- was issued under: a live certificate is judged only against the sessions required when it was issued. Existing rows
-- are all revision 0.
ALTER TABLE courses ADD COLUMN requirements_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE course_sessions ADD COLUMN since_revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE certificates ADD COLUMN course_revision INTEGER NULL;
