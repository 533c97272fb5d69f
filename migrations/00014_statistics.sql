-- Statistics for the dashboards (issue 14): what each statistic reads is in
-- a covering index, so that a year of a million records is counted by an
-- index-only scan instead of a read of the whole table, and the query-use
-- log is counted through a per-day tally that its inserts keep.

-- +goose Up

-- The 领域 (domain) a licence or penalty belongs to is its deciding
-- department's. Departments are keyed by their code; the mapping has no
-- foreign key, because the city's departments arrive after the migrations
-- (reference data), and a department that is not mapped counts as OTHER.
CREATE TABLE record_domains (
  code text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
  name text NOT NULL CHECK (name <> '')
);

CREATE TABLE department_domains (
  department_code text PRIMARY KEY CHECK (char_length(department_code) BETWEEN 1 AND 18),
  domain          text NOT NULL REFERENCES record_domains (code)
);

INSERT INTO record_domains (code, name) VALUES
  ('CREDIT',          '信用建设'),
  ('TAX',             '税务'),
  ('MARKET',          '市场监管'),
  ('JUDICIAL',        '司法'),
  ('PUBLIC_SECURITY', '公安'),
  ('ECOLOGY',         '生态环境与自然资源'),
  ('CONSTRUCTION',    '工程建设与交通'),
  ('LABOUR',          '劳动保障'),
  ('SAFETY',          '安全生产'),
  ('FINANCE',         '财政金融'),
  ('CUSTOMS',         '海关'),
  ('SOCIAL',          '文化卫生'),
  ('OTHER',           '其他');

-- Dandong's departments (their codes are the authorities' USCCs).
INSERT INTO department_domains (department_code, domain) VALUES
  ('11210600001196279L', 'CREDIT'),          -- 丹东市发展和改革委员会（市信用办）
  ('11210600001205841G', 'TAX'),             -- 国家税务总局丹东市税务局
  ('11210600001213497T', 'MARKET'),          -- 丹东市市场监督管理局
  ('11210600001250722E', 'MARKET'),          -- 丹东市行政审批局
  ('112106000011885271', 'JUDICIAL'),        -- 辽宁省丹东市中级人民法院
  ('11210600001174539K', 'PUBLIC_SECURITY'), -- 丹东市公安局
  ('11210600001227151P', 'ECOLOGY'),         -- 丹东市生态环境局
  ('112106000012234848', 'ECOLOGY'),         -- 丹东市自然资源局
  ('11210600001194302Y', 'CONSTRUCTION'),    -- 丹东市住房和城乡建设局
  ('11210600001218933Q', 'CONSTRUCTION'),    -- 丹东市交通运输局
  ('11210600001245616G', 'CONSTRUCTION'),    -- 丹东市公共资源交易中心
  ('11210600001201672E', 'LABOUR'),          -- 丹东市人力资源和社会保障局
  ('112106000012390808', 'SAFETY'),          -- 丹东市应急管理局
  ('112106000011837933', 'FINANCE'),         -- 丹东市财政局
  ('11210600001167857E', 'FINANCE'),         -- 中国人民银行丹东市分行
  ('11210600001179268N', 'CUSTOMS'),         -- 中华人民共和国丹东海关
  ('11210600001233762Q', 'SOCIAL'),          -- 丹东市文化旅游和广播电视局
  ('112106000012412952', 'SOCIAL');          -- 丹东市卫生健康委员会

-- Whether a record lacks a field the 双公示 standard requires (the rule
-- disclosureTimeliness documents), stored with the record so that the
-- statistics read it from an index. The party's fields: the name; for
-- organisations and individual businesses the USCC or a legacy identifier;
-- for organisations the legal representative; for natural persons the
-- identity document's type and number. A field of only spaces is empty.
--
-- Whether a record reached the platform by its publication deadline: the
-- day it was received, in the city's zone, is not after the deadline (the
-- whole deadline day counts); NULL when the deadline is unknown (the
-- calendar had no official data). The same rule as Licence.PublishedOnTime
-- and disclosureTimeliness, worked out once per write instead of once per
-- row counted (a zone conversion per row made a year's count 250 ms).
--
-- Each table gets all its columns in one ALTER: one rewrite, not two.
ALTER TABLE licences ADD COLUMN missing_fields boolean GENERATED ALWAYS AS (
  btrim(xdr_name) = ''
  OR (xdr_category <> 'NATURAL_PERSON' AND btrim(xdr_uscc || xdr_business_reg_no || xdr_organization_code
      || xdr_tax_reg_no || xdr_public_institution_no || xdr_social_org_no) = '')
  OR (xdr_category = 'ORGANIZATION' AND btrim(legal_rep_name) = '')
  OR (xdr_category = 'NATURAL_PERSON' AND (btrim(xdr_id_type) = '' OR btrim(xdr_id_no) = ''))
  -- XK_XKWS, XK_WSH, XK_XKLB, XK_NR, XK_XKJG, XK_XKJGDM, XK_LYDW, XK_LYDWDM
  OR btrim(document_name) = '' OR btrim(decision_no) = '' OR btrim(licence_category) = ''
  OR btrim(content) = '' OR btrim(authority_name) = '' OR btrim(authority_code) = ''
  OR btrim(source_name) = '' OR btrim(source_code) = '') STORED,
  ADD COLUMN published_on_time boolean GENERATED ALWAYS AS (
    CAST(received_at AT TIME ZONE 'Asia/Shanghai' AS date) <= publication_deadline) STORED;

-- For penalties also whether the import found CF_NR_FK or CF_NR_WFFF empty
-- and took it as 0 (the importer's warning): the amount statistics flag
-- those, since an empty cell may be a lost value.
ALTER TABLE penalties
  ADD COLUMN missing_fields boolean GENERATED ALWAYS AS (
    btrim(xdr_name) = ''
    OR (xdr_category <> 'NATURAL_PERSON' AND btrim(xdr_uscc || xdr_business_reg_no || xdr_organization_code
        || xdr_tax_reg_no || xdr_public_institution_no || xdr_social_org_no) = '')
    OR (xdr_category = 'ORGANIZATION' AND btrim(legal_rep_name) = '')
    OR (xdr_category = 'NATURAL_PERSON' AND (btrim(xdr_id_type) = '' OR btrim(xdr_id_no) = ''))
    -- CF_WSH, CF_WFXW, CF_SY, CF_YJ, CF_CFLB, CF_NR, CF_CFJG, CF_CFJGDM, CF_SJLY, CF_SJLYDM
    OR btrim(decision_no) = '' OR btrim(violation_type) = '' OR btrim(facts) = ''
    OR btrim(legal_basis) = '' OR btrim(penalty_category) = '' OR btrim(content) = ''
    OR btrim(authority_name) = '' OR btrim(authority_code) = ''
    OR btrim(source_name) = '' OR btrim(source_code) = '') STORED,
  ADD COLUMN fine_empty boolean GENERATED ALWAYS AS ('CF_NR_FK: empty, taken as 0' = ANY (warnings)) STORED,
  ADD COLUMN confiscated_empty boolean GENERATED ALWAYS AS ('CF_NR_WFFF: empty, taken as 0' = ANY (warnings)) STORED,
  ADD COLUMN published_on_time boolean GENERATED ALWAYS AS (
    CAST(received_at AT TIME ZONE 'Asia/Shanghai' AS date) <= publication_deadline) STORED;

-- Everything the record statistics read, by decision date and department:
-- the scan comes sorted as the first stage groups, which spares a hash.
CREATE INDEX licences_stats_idx ON licences (decided_on, authority_code)
  INCLUDE (use_scope, published_on_time, missing_fields);
CREATE INDEX penalties_stats_idx ON penalties (decided_on, authority_code)
  INCLUDE (use_scope, status, public_until, severity, published_on_time, missing_fields, fine_fen,
           confiscated_fen, fine_empty, confiscated_empty);
-- Penalties published now are those whose window has not ended: a range
-- of public_until from today on, among the ones in force and public.
CREATE INDEX penalties_published_idx ON penalties (public_until)
  INCLUDE (decided_on, authority_code, severity, fine_fen, confiscated_fen)
  WHERE status = 'IN_FORCE' AND use_scope = 'PUBLIC';

-- The query-use log counted per day (in Asia/Shanghai), role and
-- institution, kept by a statement-level trigger: one upsert per batch the
-- log writer copies in, so that counting a year of millions of uses reads a
-- few thousand rows. The log itself gets no index for it (a btree on it
-- cost about 5 µs a row on the hot path, see 00010).
CREATE TABLE query_use_days (
  day          date NOT NULL,
  role         text NOT NULL,
  institution  text NOT NULL,
  uses         bigint NOT NULL CHECK (uses >= 0),
  subjects     bigint NOT NULL CHECK (subjects >= 0),
  PRIMARY KEY (day, role, institution)
);

-- +goose StatementBegin
CREATE FUNCTION query_use_days_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO query_use_days AS d (day, role, institution, uses, subjects)
  SELECT CAST(n.at AT TIME ZONE 'Asia/Shanghai' AS date), n.role, n.institution, count(*),
         sum(cardinality(n.subject_codes))
  FROM new_rows n
  GROUP BY 1, 2, 3
  -- A fixed order, so that two batches touching the same days take their
  -- row locks in the same order and never deadlock.
  ORDER BY 1, 2, 3
  ON CONFLICT (day, role, institution) DO UPDATE
    SET uses = d.uses + EXCLUDED.uses, subjects = d.subjects + EXCLUDED.subjects;
  RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE TRIGGER query_use_days_count AFTER INSERT ON query_log
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION query_use_days_count();

-- What the log holds already.
INSERT INTO query_use_days (day, role, institution, uses, subjects)
SELECT CAST(at AT TIME ZONE 'Asia/Shanghai' AS date), role, institution, count(*), sum(cardinality(subject_codes))
FROM query_log GROUP BY 1, 2, 3;

-- The serving role appends to the log through the trigger; it may read
-- the tally and the domains, and only the trigger's upsert writes.
GRANT SELECT, INSERT, UPDATE ON query_use_days TO credithub_app;
REVOKE DELETE, TRUNCATE ON query_use_days FROM credithub_app;

-- +goose Down
DROP TRIGGER query_use_days_count ON query_log;
DROP FUNCTION query_use_days_count();
DROP TABLE query_use_days;
DROP INDEX penalties_published_idx, penalties_stats_idx,
  licences_stats_idx;
ALTER TABLE penalties DROP COLUMN missing_fields, DROP COLUMN fine_empty, DROP COLUMN confiscated_empty,
  DROP COLUMN published_on_time;
ALTER TABLE licences DROP COLUMN missing_fields, DROP COLUMN published_on_time;
DROP TABLE department_domains, record_domains;
