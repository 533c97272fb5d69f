-- +goose Up
-- ROUTER keys: a federation router reads the graph's SDL and forwards its
-- end users' requests (their own tokens travel in X-End-User-Authorization).
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN (
  'WINDOW', 'BANK', 'DASHBOARD', 'DEPARTMENT', 'CREDIT_OFFICE', 'AUDITOR', 'ADMIN', 'ROUTER'));

-- +goose Down
DELETE FROM api_keys WHERE role = 'ROUTER';
ALTER TABLE api_keys DROP CONSTRAINT api_keys_role_check;
ALTER TABLE api_keys ADD CONSTRAINT api_keys_role_check CHECK (role IN (
  'WINDOW', 'BANK', 'DASHBOARD', 'DEPARTMENT', 'CREDIT_OFFICE', 'AUDITOR', 'ADMIN'));
