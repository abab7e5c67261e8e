-- The language a participant's invitation and reminder messages (e-mail and SMS) are written in, and
-- that their form opens in. Stored with the contact details the therapist entered; Dutch by default.
ALTER TABLE participant_contacts ADD COLUMN lang text NOT NULL DEFAULT 'nl' CHECK (lang IN ('nl','en'));
