-- The questions a series asks everyone registering for its sessions, in order, as JSON written only by the series
-- grain: [{"id","kind","label","hint","required","options":[{"id","label"}]}]. One document, because the list is
-- always read and written whole and nothing queries a single question.
ALTER TABLE series ADD COLUMN registration_questions TEXT NOT NULL DEFAULT '[]';

-- A registrant's answers, written by the session grain with the registration, as JSON:
-- [{"questionId","values":[…],"label","text":[…]}]. Each answer keeps the question's label and the chosen options'
-- texts as they were when it was given, so editing or removing a question later never changes what was answered.
-- Null where the series asked nothing; erasure clears it with the rest of the person's details.
ALTER TABLE registrations ADD COLUMN answers TEXT NULL;
