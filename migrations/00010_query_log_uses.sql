-- One row per use instead of one per subject read. A bank's check of a
-- company reads the company and its legal representative (and principals):
-- that is one use, and it is now one row naming every subject it covered,
-- found by any of them through a GIN index. The btree on (subject_code, at)
-- cost about 5 µs per row to maintain and the rows were half the database's
-- work under a load of warm checks; GIN's pending list takes a row's codes
-- in one append and merges them in bulk.

-- +goose Up
ALTER TABLE query_log ADD COLUMN subject_codes text[];
UPDATE query_log SET subject_codes = ARRAY[subject_code];
ALTER TABLE query_log
  ALTER COLUMN subject_codes SET NOT NULL,
  ADD CONSTRAINT query_log_subject_codes_present CHECK (cardinality(subject_codes) > 0);
DROP INDEX query_log_subject_at_idx;
ALTER TABLE query_log DROP COLUMN subject_code;
CREATE INDEX query_log_subject_codes_idx ON query_log USING gin (subject_codes);

-- +goose Down
ALTER TABLE query_log ADD COLUMN subject_code text;
INSERT INTO query_log (at, caller_id, institution, role, purpose, subject_codes, subject_code, operation)
SELECT at, caller_id, institution, role, purpose, ARRAY[c], c, operation
FROM query_log, unnest(subject_codes[2:]) AS c;
UPDATE query_log SET subject_code = subject_codes[1] WHERE subject_code IS NULL;
ALTER TABLE query_log ALTER COLUMN subject_code SET NOT NULL;
DROP INDEX query_log_subject_codes_idx;
ALTER TABLE query_log DROP COLUMN subject_codes;
CREATE INDEX query_log_subject_at_idx ON query_log (subject_code, at DESC);
