-- +goose Up
-- Red and black lists, the joint measure catalogue and the measures each
-- list entry triggers.

CREATE TYPE list_kind AS ENUM ('RED', 'BLACK');

CREATE TYPE list_entry_status AS ENUM (
  'PROPOSED', 'ACTIVE', 'REJECTED', 'EXITED', 'EXPIRED', 'REPAIRED', 'REVOKED');

-- A list domain (失信被执行人, 重大税收违法失信主体, A级纳税人, …).
CREATE TABLE list_domains (
  code        text PRIMARY KEY CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
  kind        list_kind NOT NULL,
  name        text NOT NULL CHECK (name <> ''),
  description text NOT NULL DEFAULT ''
);

-- How long an entry of a domain lasts, as dated rule data: the row in force
-- on the decision date applies. period_months NULL: until an exit decision.
CREATE TABLE list_domain_periods (
  domain              text NOT NULL REFERENCES list_domains (code),
  effective_from      date NOT NULL,
  period_months       int CHECK (period_months IS NULL OR period_months > 0),
  -- Extension bounds where the rule allows extending (court enforcement: 1-3 years).
  min_extension_months int,
  max_extension_months int,
  -- Earliest exit by credit repair, counted from the start.
  repair_after_months int CHECK (repair_after_months IS NULL OR repair_after_months >= 0),
  legal_basis         text NOT NULL CHECK (legal_basis <> ''),
  PRIMARY KEY (domain, effective_from)
);

INSERT INTO list_domains (code, kind, name) VALUES
  ('COURT_ENFORCEMENT_DISHONESTY', 'BLACK', '失信被执行人'),
  ('MAJOR_TAX_VIOLATION',          'BLACK', '重大税收违法失信主体'),
  ('MARKET_SERIOUS_VIOLATION',     'BLACK', '市场监督管理严重违法失信名单'),
  ('WAGE_ARREARS',                 'BLACK', '拖欠农民工工资失信联合惩戒对象'),
  ('SAFETY_PRODUCTION',            'BLACK', '安全生产严重失信主体'),
  ('ENVIRONMENT',                  'BLACK', '环境保护领域严重失信主体'),
  ('FOOD_AND_DRUG',                'BLACK', '食品药品领域严重失信主体'),
  ('GOVERNMENT_PROCUREMENT',       'BLACK', '政府采购严重违法失信行为记录'),
  ('CUSTOMS',                      'BLACK', '海关失信企业'),
  ('PUBLIC_RESOURCE_TRADING',      'BLACK', '公共资源交易领域严重失信主体'),
  ('A_GRADE_TAXPAYER',             'RED',   '纳税信用A级纳税人'),
  ('HONOURED_INTEGRITY',           'RED',   '诚信典型'),
  ('CUSTOMS_ADVANCED_CERTIFIED',   'RED',   '海关高级认证企业');

INSERT INTO list_domain_periods (domain, effective_from, period_months, min_extension_months, max_extension_months, repair_after_months, legal_basis) VALUES
  ('COURT_ENFORCEMENT_DISHONESTY', '2017-05-01', 24, 12, 36, NULL, '最高人民法院关于公布失信被执行人名单信息的若干规定（法释〔2017〕7号）第二条'),
  ('MAJOR_TAX_VIOLATION',          '2022-02-01', 36, NULL, NULL, NULL, '重大税收违法失信主体信息公布管理办法（国家税务总局令第54号）'),
  ('MARKET_SERIOUS_VIOLATION',     '2021-09-01', 36, NULL, NULL, 12, '市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）'),
  ('WAGE_ARREARS',                 '2022-01-01', 36, NULL, NULL, 12, '拖欠农民工工资失信联合惩戒对象名单管理暂行办法（人力资源社会保障部令第45号）'),
  ('SAFETY_PRODUCTION',            '2023-10-01', 36, NULL, NULL, 12, '安全生产严重失信主体名单管理办法（应急管理部令第11号）'),
  ('ENVIRONMENT',                  '2017-01-01', 36, NULL, NULL, 12, '关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1580号）'),
  ('FOOD_AND_DRUG',                '2017-01-01', 36, NULL, NULL, 12, '关于对食品药品生产经营严重失信者开展联合惩戒的合作备忘录（发改财金〔2016〕1962号）'),
  ('GOVERNMENT_PROCUREMENT',       '2017-01-01', 36, NULL, NULL, NULL, '中华人民共和国政府采购法第七十七条'),
  ('CUSTOMS',                      '2021-11-01', NULL, NULL, NULL, 12, '中华人民共和国海关注册登记和备案企业信用管理办法（海关总署令第251号）'),
  ('PUBLIC_RESOURCE_TRADING',      '2017-01-01', 36, NULL, NULL, 12, '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）'),
  ('A_GRADE_TAXPAYER',             '2016-07-01', 12, NULL, NULL, NULL, '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）'),
  ('HONOURED_INTEGRITY',           '2017-01-01', 36, NULL, NULL, NULL, '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）'),
  ('CUSTOMS_ADVANCED_CERTIFIED',   '2021-11-01', NULL, NULL, NULL, NULL, '中华人民共和国海关注册登记和备案企业信用管理办法（海关总署令第251号）');

-- A list entry: a decision to put a subject on a red or black list. The
-- decision fields are never edited; leaving the list is its own decision,
-- recorded in the exit columns and in list_entry_events.
CREATE TABLE list_entries (
  id              bigserial PRIMARY KEY,
  subject_id      bigint NOT NULL REFERENCES subjects (id),
  kind            list_kind NOT NULL,
  domain          text NOT NULL REFERENCES list_domains (code),
  department_code text NOT NULL REFERENCES departments (code),
  decision_no     text NOT NULL CHECK (decision_no <> ''),
  decided_on      date NOT NULL,
  facts           text NOT NULL,
  decision_content text NOT NULL DEFAULT '',
  -- In force on every day in [starts_on, ends_on]; ends_on NULL: until exit.
  starts_on       date NOT NULL,
  ends_on         date,
  status          list_entry_status NOT NULL DEFAULT 'PROPOSED',
  use_scope       use_scope NOT NULL DEFAULT 'PUBLIC',
  proposed_by     text NOT NULL,
  approved_by     text,
  -- The day the entry stopped being in force by a decision (exit, repair,
  -- revocation): not in force on or after it.
  ended_on        date,
  exit_decision_no text,
  exit_reason     text,
  created_at      timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT list_entries_period_check CHECK (ends_on IS NULL OR ends_on >= starts_on),
  CONSTRAINT list_entries_decision_key UNIQUE (department_code, decision_no)
);
CREATE INDEX list_entries_subject_idx ON list_entries (subject_id, kind);
CREATE INDEX list_entries_active_idx ON list_entries (kind, domain) WHERE status = 'ACTIVE';

-- Every transition of a list entry, with its own decision: the history that
-- makes manipulation traceable.
CREATE TABLE list_entry_events (
  id           bigserial PRIMARY KEY,
  entry_id     bigint NOT NULL REFERENCES list_entries (id),
  from_status  list_entry_status,
  to_status    list_entry_status NOT NULL,
  actor        text NOT NULL,
  decision_no  text,
  decided_on   date,
  reason       text NOT NULL DEFAULT '',
  at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX list_entry_events_entry_idx ON list_entry_events (entry_id, id);

CREATE TYPE measure_kind AS ENUM ('REWARD', 'PUNISHMENT');
CREATE TYPE measure_target AS ENUM ('ORGANIZATION', 'KEY_PERSONS');
CREATE TYPE measure_context AS ENUM (
  'APPROVAL_WINDOW', 'BANK_CREDIT', 'PUBLIC_PROCUREMENT', 'FISCAL_FUNDS',
  'TRAVEL_CONSUMPTION', 'HONOURS', 'MARKET_ACCESS');

-- The joint measure catalogue. A measure is versioned: editing it adds a new
-- version, so what an entry triggered stays explainable.
CREATE TABLE measures (
  id             bigserial PRIMARY KEY,
  code           text NOT NULL CHECK (code ~ '^[A-Z][A-Z0-9_]*$'),
  version        int NOT NULL DEFAULT 1 CHECK (version >= 1),
  kind           measure_kind NOT NULL,
  name           text NOT NULL CHECK (name <> ''),
  detail         text NOT NULL DEFAULT '',
  -- No measure without a legal basis.
  legal_basis    text NOT NULL CHECK (legal_basis <> ''),
  implementing_department text NOT NULL REFERENCES departments (code),
  applies_to     measure_target[] NOT NULL CHECK (cardinality(applies_to) > 0),
  contexts       measure_context[] NOT NULL CHECK (cardinality(contexts) > 0),
  -- Which entries trigger it.
  list_kind      list_kind NOT NULL,
  domain         text NOT NULL REFERENCES list_domains (code),
  effective_from date NOT NULL,
  effective_until date,
  created_at     timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT measures_code_version_key UNIQUE (code, version)
);
CREATE INDEX measures_trigger_idx ON measures (list_kind, domain);

-- The measures a list entry triggered when it was approved.
CREATE TABLE list_entry_measures (
  entry_id   bigint NOT NULL REFERENCES list_entries (id),
  measure_id bigint NOT NULL REFERENCES measures (id),
  PRIMARY KEY (entry_id, measure_id)
);
CREATE INDEX list_entry_measures_measure_idx ON list_entry_measures (measure_id);

-- +goose Down
