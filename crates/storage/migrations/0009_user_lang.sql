-- The language each user last used Gachi in (issue 14): what is sent to them when they are not
-- looking at a page — a poll's "it's decided" memo — speaks it. Set at login from the browser's
-- language and whenever they switch language. NULL (users from before, or never seen) means
-- Korean, the default.
ALTER TABLE users ADD COLUMN lang TEXT;
