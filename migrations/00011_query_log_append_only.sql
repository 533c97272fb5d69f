-- The query-use log is the subjects' record of who read their credit
-- records: the application appends to it and reads it, and never changes
-- or removes a row (like audit_log). Retention and maintenance are the
-- owner's, not the serving role's.

-- +goose Up
REVOKE UPDATE, DELETE, TRUNCATE ON query_log FROM credithub_app;

-- +goose Down
GRANT UPDATE, DELETE ON query_log TO credithub_app;
