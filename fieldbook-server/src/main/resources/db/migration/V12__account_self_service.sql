-- Account self-service (issue 12): a password an administrator chose must be changed by its person before
-- anything else (an account made by an administrator, or a password an administrator set); and the user agent
-- a session or token was opened from, so that a person can tell their sessions apart and end the others.
-- Both portable (H2 and PostgreSQL); existing accounts are not asked to change their password.
ALTER TABLE users ADD COLUMN password_change_required BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE credentials ADD COLUMN user_agent VARCHAR(200);
