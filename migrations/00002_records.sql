-- +goose Up
-- Licences (行政许可) and penalties (行政处罚) in the national 双公示 standard.
-- Each column notes the standard's field name; imports and exports map them
-- one to one. The subject columns (xdr_*) are the record's own copy of what
-- the department pushed, kept as pushed; subject_id links the subject of record.

CREATE TYPE use_scope AS ENUM (
  'PUBLIC',      -- 公示
  'SHARED',      -- 内部共享
  'AUTHORIZED'); -- 授权查询

CREATE TYPE subject_category AS ENUM (
  'ORGANIZATION',        -- 法人及非法人组织
  'NATURAL_PERSON',      -- 自然人
  'INDIVIDUAL_BUSINESS'); -- 个体工商户

CREATE TYPE licence_status AS ENUM ('VALID', 'REVOKED'); -- XK_ZT 1 有效 / 2 无效
CREATE TYPE penalty_status AS ENUM ('IN_FORCE', 'REVOKED', 'REPAIRED');
CREATE TYPE severity AS ENUM ('MINOR', 'GENERAL', 'SERIOUS');

CREATE TABLE licences (
  id                 bigserial PRIMARY KEY,
  subject_id         bigint NOT NULL REFERENCES subjects (id),
  xdr_name           text NOT NULL,               -- XK_XDR_MC
  xdr_category       subject_category NOT NULL,   -- XK_XDR_LB
  xdr_uscc           text NOT NULL DEFAULT '',    -- XK_XDR_SHXYM
  xdr_business_reg_no text NOT NULL DEFAULT '',   -- XK_XDR_GSZC
  xdr_organization_code text NOT NULL DEFAULT '', -- XK_XDR_ZZJG
  xdr_tax_reg_no     text NOT NULL DEFAULT '',    -- XK_XDR_SWDJ
  xdr_public_institution_no text NOT NULL DEFAULT '', -- XK_XDR_SYDW
  xdr_social_org_no  text NOT NULL DEFAULT '',    -- XK_XDR_SHZZ
  legal_rep_name     text NOT NULL DEFAULT '',    -- XK_FRDB
  legal_rep_id_type  text NOT NULL DEFAULT '',    -- XK_FR_ZJLX
  legal_rep_id_no    text NOT NULL DEFAULT '',    -- XK_FR_ZJHM
  xdr_id_type        text NOT NULL DEFAULT '',    -- XK_XDR_ZJLX
  xdr_id_no          text NOT NULL DEFAULT '',    -- XK_XDR_ZJHM
  document_name      text NOT NULL,               -- XK_XKWS
  decision_no        text NOT NULL CHECK (decision_no <> ''), -- XK_WSH
  licence_category   text NOT NULL,               -- XK_XKLB
  certificate_name   text NOT NULL DEFAULT '',    -- XK_XKZS
  licence_no         text NOT NULL DEFAULT '',    -- XK_XKBH
  content            text NOT NULL,               -- XK_NR
  decided_on         date NOT NULL,               -- XK_JDRQ
  valid_from         date NOT NULL,               -- XK_YXQZ
  valid_until        date,                        -- XK_YXQZI (NULL: 长期)
  authority_name     text NOT NULL,               -- XK_XKJG
  authority_code     text NOT NULL REFERENCES departments (code), -- XK_XKJGDM
  status             licence_status NOT NULL DEFAULT 'VALID', -- XK_ZT
  source_name        text NOT NULL,               -- XK_LYDW
  source_code        text NOT NULL,               -- XK_LYDWDM
  remarks            text NOT NULL DEFAULT '',    -- BZ
  use_scope          use_scope NOT NULL DEFAULT 'PUBLIC',
  -- 双公示 timeliness: the record must reach the platform within 7 working
  -- days counted from the day after the decision, on the official calendar.
  -- NULL when the calendar has no official data for that year yet.
  publication_deadline date,
  received_at        timestamptz NOT NULL DEFAULT now(),
  revoked_reason     text NOT NULL DEFAULT '',
  warnings           text[] NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT licences_validity_check CHECK (valid_until IS NULL OR valid_until >= valid_from),
  -- One decision document number per deciding authority: a re-push updates.
  CONSTRAINT licences_decision_key UNIQUE (authority_code, decision_no)
);
CREATE INDEX licences_subject_idx ON licences (subject_id, decided_on DESC, id DESC);
CREATE INDEX licences_decided_on_idx ON licences (decided_on);

CREATE TABLE penalties (
  id                 bigserial PRIMARY KEY,
  subject_id         bigint NOT NULL REFERENCES subjects (id),
  xdr_name           text NOT NULL,               -- CF_XDR_MC
  xdr_category       subject_category NOT NULL,   -- CF_XDR_LB
  xdr_uscc           text NOT NULL DEFAULT '',    -- CF_XDR_SHXYM
  xdr_business_reg_no text NOT NULL DEFAULT '',   -- CF_XDR_GSZC
  xdr_organization_code text NOT NULL DEFAULT '', -- CF_XDR_ZZJG
  xdr_tax_reg_no     text NOT NULL DEFAULT '',    -- CF_XDR_SWDJ
  xdr_public_institution_no text NOT NULL DEFAULT '', -- CF_XDR_SYDW
  xdr_social_org_no  text NOT NULL DEFAULT '',    -- CF_XDR_SHZZ
  legal_rep_name     text NOT NULL DEFAULT '',    -- CF_FRDB
  legal_rep_id_type  text NOT NULL DEFAULT '',    -- CF_FR_ZJLX
  legal_rep_id_no    text NOT NULL DEFAULT '',    -- CF_FR_ZJHM
  xdr_id_type        text NOT NULL DEFAULT '',    -- CF_XDR_ZJLX
  xdr_id_no          text NOT NULL DEFAULT '',    -- CF_XDR_ZJHM
  decision_no        text NOT NULL CHECK (decision_no <> ''), -- CF_WSH
  violation_type     text NOT NULL,               -- CF_WFXW
  facts              text NOT NULL,               -- CF_SY
  legal_basis        text NOT NULL,               -- CF_YJ
  penalty_category   text NOT NULL,               -- CF_CFLB
  content            text NOT NULL,               -- CF_NR
  -- CF_NR_FK and CF_NR_WFFF arrive in 万元; stored exactly in fen (0.01 yuan).
  fine_fen           bigint NOT NULL DEFAULT 0 CHECK (fine_fen >= 0),        -- CF_NR_FK
  confiscated_fen    bigint NOT NULL DEFAULT 0 CHECK (confiscated_fen >= 0), -- CF_NR_WFFF
  suspended_licence  text NOT NULL DEFAULT '',    -- CF_NR_ZKDX
  decided_on         date NOT NULL,               -- CF_JDRQ
  valid_until        date,                        -- CF_YXQ
  public_until       date,                        -- CF_GSJZQ, from the dated publication rules
  authority_name     text NOT NULL,               -- CF_CFJG
  authority_code     text NOT NULL REFERENCES departments (code), -- CF_CFJGDM
  source_name        text NOT NULL,               -- CF_SJLY
  source_code        text NOT NULL,               -- CF_SJLYDM
  remarks            text NOT NULL DEFAULT '',    -- BZ
  severity           severity NOT NULL,
  -- Earliest date credit repair may be requested (the minimum publication period).
  repairable_from    date,
  status             penalty_status NOT NULL DEFAULT 'IN_FORCE',
  repaired_on        date,
  use_scope          use_scope NOT NULL DEFAULT 'PUBLIC',
  publication_deadline date,
  received_at        timestamptz NOT NULL DEFAULT now(),
  revoked_reason     text NOT NULL DEFAULT '',
  warnings           text[] NOT NULL DEFAULT '{}',
  created_at         timestamptz NOT NULL DEFAULT now(),
  updated_at         timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT penalties_public_until_check CHECK (public_until IS NULL OR public_until >= decided_on),
  CONSTRAINT penalties_decision_key UNIQUE (authority_code, decision_no)
);
CREATE INDEX penalties_subject_idx ON penalties (subject_id, decided_on DESC, id DESC);
CREATE INDEX penalties_decided_on_idx ON penalties (decided_on);

-- How long a penalty is published, by severity, as dated rule data: the row
-- in force on the decision date applies. Months are calendar months counted
-- from the decision date: repair may be requested after min_months, and
-- publication ends after max_months. published_by_default false means the
-- record is in principle not published (it is shared between departments
-- unless its department marks it public, and then for at most max_months).
CREATE TABLE publication_rules (
  severity       severity NOT NULL,
  effective_from date NOT NULL,
  min_months     int NOT NULL CHECK (min_months >= 0),
  max_months     int NOT NULL CHECK (max_months >= min_months),
  published_by_default boolean NOT NULL,
  legal_basis    text NOT NULL CHECK (legal_basis <> ''),
  PRIMARY KEY (severity, effective_from)
);

INSERT INTO publication_rules (severity, effective_from, min_months, max_months, published_by_default, legal_basis) VALUES
  ('MINOR',   '2000-01-01', 0, 3,  false, '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）'),
  ('GENERAL', '2000-01-01', 3, 12, true,  '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）'),
  ('SERIOUS', '2000-01-01', 12, 36, true, '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）'),
  ('MINOR',   '2026-04-01', 0, 3,  false, '行政处罚信息公示与信用修复规则（2026年4月1日起施行）'),
  ('GENERAL', '2026-04-01', 3, 12, true,  '行政处罚信息公示与信用修复规则（2026年4月1日起施行）'),
  ('SERIOUS', '2026-04-01', 12, 36, true, '行政处罚信息公示与信用修复规则（2026年4月1日起施行）');

CREATE TYPE tax_grade AS ENUM ('A', 'B', 'M', 'C', 'D');

-- Tax credit grades by assessment year (A ≥ 90 points, D < 40 or directly D).
CREATE TABLE tax_credit_grades (
  subject_id bigint NOT NULL REFERENCES subjects (id),
  year       int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  grade      tax_grade NOT NULL,
  score      numeric(5, 2) CHECK (score IS NULL OR score BETWEEN 0 AND 100),
  assessed_on date,
  PRIMARY KEY (subject_id, year)
);

-- +goose Down
