-- The language a staff member last chose (the language switch, or the language of the login page they
-- signed in on), so that mail sent to them outside a request (the risk notice) is in their language.
-- Null until they have signed in: mail to them is then in both languages.
ALTER TABLE users ADD COLUMN lang text CHECK (lang IN ('nl','en'));
