-- +goose Up
-- Every rule the hub applies is a dated row with its legal basis, in one
-- table, and the reference data a city manages itself (departments, list
-- domains, the measure catalogue) ships with its national baseline here, so
-- that a deployment that runs `credithub migrate up` and no seed works.
--
-- Rows are valid from a date until the next row of the same rule and scope.
-- A row in force (effective_from on or before today) is never changed or
-- removed: answers for past days must not change. `credithub reference
-- import` and the GraphQL mutations enforce that; a correction is a new row
-- from a later day.

CREATE TABLE rules (
  -- What kind of rule: DISCLOSURE_DEADLINE, PUBLICATION_WINDOW, LIST_TERM,
  -- CHECK_LOOKBACK, GREEN_CHANNEL, CREDIT_VERDICT, WORKFLOW_DEADLINE,
  -- OBJECTION_DEADLINE, REPAIR_DEADLINE, TAX_GRADE_BANDS, PENALTY_SEVERITY
  -- (internal/credit/rules.go defines each and its parameters).
  rule           text NOT NULL CHECK (rule ~ '^[A-Z][A-Z0-9_]*$'),
  -- What the rule is for within its kind: a severity, a list domain,
  -- RESPONSE or FEEDBACK, …; '' when the kind has one rule.
  scope          text NOT NULL DEFAULT '' CHECK (scope = '' OR scope ~ '^[A-Z][A-Z0-9_]*$'),
  effective_from date NOT NULL,
  -- The parameters, a JSON object whose fields the rule's kind defines.
  params         jsonb NOT NULL CHECK (jsonb_typeof(params) = 'object'),
  -- Document number and article; no rule without one.
  legal_basis    text NOT NULL CHECK (legal_basis <> ''),
  -- What a reviewer should know: where the number comes from, what is the
  -- city's own setting rather than the document's.
  note           text NOT NULL DEFAULT '',
  PRIMARY KEY (rule, scope, effective_from)
);

-- A counter every change of reference data (rules, departments, domains,
-- measures) moves in its transaction, so that servers notice a change made
-- by another server or by `credithub reference import` and reload.
CREATE TABLE reference_revision (
  singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  revision   bigint NOT NULL,
  changed_at timestamptz NOT NULL
);
INSERT INTO reference_revision (revision, changed_at) VALUES (1, now());

-- 双公示 timeliness.
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('DISCLOSURE_DEADLINE', '', '2016-05-30', '{"workingDays": 7}',
   '国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）（十三）',
   '行政许可、行政处罚信息自作出决定之日起7个工作日内上网公开；工作日按国务院办公厅节假日安排通知（日历文件）计算，从决定次日起算。');

-- Publication windows of penalties, by severity. Months are periods of the
-- Civil Code counted from the decision date (credit.PeriodEnd).
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('PUBLICATION_WINDOW', 'GENERAL', '2019-07-01', '{"minMonths": 3, "maxMonths": 12, "publishedByDefault": true}',
   '国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知（发改办财金〔2019〕527号）',
   '涉及一般失信行为的行政处罚信息：最短公示期3个月，最长1年；自2019年7月1日起执行。'),
  ('PUBLICATION_WINDOW', 'SERIOUS', '2019-07-01', '{"minMonths": 6, "maxMonths": 36, "publishedByDefault": true}',
   '国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知（发改办财金〔2019〕527号）',
   '涉及严重失信行为的行政处罚信息：最短公示期6个月，最长3年。'),
  ('PUBLICATION_WINDOW', 'MINOR', '2019-07-01', '{"minMonths": 0, "maxMonths": 3, "publishedByDefault": false}',
   '国家发展改革委办公厅关于进一步完善“信用中国”网站及地方信用门户网站行政处罚信息信用修复机制的通知（发改办财金〔2019〕527号）',
   '527号只分一般和严重两类；轻微处罚原则上不公示、公示时至多3个月，是本市沿用的处理，请复核。'),
  ('PUBLICATION_WINDOW', 'GENERAL', '2023-05-01', '{"minMonths": 3, "maxMonths": 12, "publishedByDefault": true}',
   '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）', '自2023年5月1日起施行。'),
  ('PUBLICATION_WINDOW', 'SERIOUS', '2023-05-01', '{"minMonths": 12, "maxMonths": 36, "publishedByDefault": true}',
   '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）', '自2023年5月1日起施行。'),
  ('PUBLICATION_WINDOW', 'MINOR', '2023-05-01', '{"minMonths": 0, "maxMonths": 3, "publishedByDefault": false}',
   '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）',
   '轻微处罚原则上不公示、公示时至多3个月，是本市沿用的处理，请复核。'),
  ('PUBLICATION_WINDOW', 'GENERAL', '2026-04-01', '{"minMonths": 3, "maxMonths": 12, "publishedByDefault": true}',
   '令第36号；国办发〔2025〕22号', '自2026年4月1日起施行。'),
  ('PUBLICATION_WINDOW', 'SERIOUS', '2026-04-01', '{"minMonths": 12, "maxMonths": 36, "publishedByDefault": true}',
   '令第36号；国办发〔2025〕22号', '自2026年4月1日起施行。'),
  ('PUBLICATION_WINDOW', 'MINOR', '2026-04-01', '{"minMonths": 0, "maxMonths": 3, "publishedByDefault": false}',
   '令第36号；国办发〔2025〕22号', '轻微处罚原则上不公示，公示时至多3个月；自2026年4月1日起施行。');

-- List terms by domain, from list_domain_periods. months null: until an
-- exit decision.
INSERT INTO rules (rule, scope, effective_from, params, legal_basis)
SELECT 'LIST_TERM', domain, effective_from,
       jsonb_strip_nulls(jsonb_build_object('months', period_months, 'minExtensionMonths', min_extension_months,
         'maxExtensionMonths', max_extension_months, 'repairAfterMonths', repair_after_months)),
       legal_basis
FROM list_domain_periods;
DROP TABLE list_domain_periods;
DROP TABLE publication_rules;

-- The hot checks, formerly credit.checkRulesTable (version 2017-01-01.1).
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('CHECK_LOOKBACK', '', '2017-01-01', '{"months": 36}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）',
   '绿色通道和银行查询的“近3年”：从决定次日起算的36个月期间。'),
  ('GREEN_CHANNEL', '', '2017-01-01',
   '{"badSeverities": ["GENERAL", "SERIOUS"], "repairedCounts": false, "honouredDomains": ["HONOURED_INTEGRITY", "A_GRADE_TAXPAYER"]}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）；关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）',
   '不良记录：一般、严重处罚和黑名单；信用修复后不再计入。诚信典型和A级纳税人在册即可走绿色通道。'),
  ('CREDIT_VERDICT', '', '2017-01-01',
   '{"cautionSeriousPenalties": 1, "cautionGeneralPenalties": 3, "restrictedTaxGrades": ["D"], "cautionTaxGrades": ["C"], "keyPersonRoles": ["LEGAL_REPRESENTATIVE", "PRINCIPAL"]}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）；关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）',
   '档次（限制/关注）和条数是本市对银行的提示口径，不是法定标准。');

-- Deadlines in working days on the official calendar. These are the city
-- credit office's settings, not legal deadlines; the notes say so.
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('WORKFLOW_DEADLINE', 'RESPONSE', '2017-01-01', '{"workingDays": 5}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（联合奖惩的发起、响应和反馈）',
   '实施部门自推送之日起5个工作日内响应：天数为市信用办设定，不是法定期限。'),
  ('WORKFLOW_DEADLINE', 'FEEDBACK', '2017-01-01', '{"workingDays": 10}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（联合奖惩的发起、响应和反馈）',
   '每季度结束后10个工作日内反馈：天数为市信用办设定，不是法定期限。'),
  ('OBJECTION_DEADLINE', 'ACCEPT', '2017-01-01', '{"workingDays": 2}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（异议处理）',
   '收到异议申请后2个工作日内决定是否受理：天数为市信用办设定。'),
  ('OBJECTION_DEADLINE', 'VERIFY', '2017-01-01', '{"workingDays": 10}',
   '丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）（异议处理）',
   '受理后10个工作日内核实并答复：天数为市信用办设定。'),
  ('REPAIR_DEADLINE', 'ACCEPT', '2023-05-01', '{"workingDays": 2}',
   '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）',
   '修复程序依令第58号；受理时限为市信用办设定，尚未与该令条文逐条核对。'),
  ('REPAIR_DEADLINE', 'DECIDE', '2023-05-01', '{"workingDays": 5}',
   '失信行为纠正后的信用信息修复管理办法（试行）（国家发展改革委令第58号）',
   '修复程序依令第58号；决定时限为市信用办设定，尚未与该令条文逐条核对。');

-- Tax credit grades: A at least 90 points, B 70 to under 90, C 40 to under
-- 70, D under 40 (or directly D); M for new taxpayers.
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('TAX_GRADE_BANDS', '', '2014-10-01', '{"aMinScore": 90, "bMinScore": 70, "cMinScore": 40}',
   '纳税信用管理办法（试行）（国家税务总局公告2014年第40号）', 'M级（新设立企业）不按分数评定。'),
  ('TAX_GRADE_BANDS', '', '2025-07-01', '{"aMinScore": 90, "bMinScore": 70, "cMinScore": 40}',
   '纳税缴费信用管理办法（国家税务总局，2025年7月1日起施行）',
   '纳税信用改为纳税缴费信用；分级界限不变。评价年度按其最后一日适用的规则。');

-- Penalty severity where a department's file does not state it.
INSERT INTO rules (rule, scope, effective_from, params, legal_basis, note) VALUES
  ('PENALTY_SEVERITY', '', '2017-01-01',
   '{"seriousKinds": ["吊销", "责令关闭", "限制从业", "禁止从业"], "minorKinds": ["警告", "通报批评"], "hugeFineYuan": {"ORGANIZATION": 200000, "INDIVIDUAL_BUSINESS": 50000, "NATURAL_PERSON": 50000}}',
   '中华人民共和国行政处罚法第九条（处罚的种类）；“巨额罚款”的数额由市信用办设定',
   '部门标明的严重程度优先。未标明时：吊销、责令关闭、限制或禁止从业，或罚款达到“巨额”数额的为严重；仅警告、通报批评且无罚没金额的为轻微；其余为一般。');

-- Departments belong to the city; a department may belong to another
-- (市税务局 → 区税务分局).
ALTER TABLE departments
  ADD COLUMN parent text REFERENCES departments (code),
  ADD CONSTRAINT departments_parent_check CHECK (parent IS DISTINCT FROM code);

-- The measure catalogue: national measures name the kind of authority that
-- implements them (implementing_authority); a city adopts a measure by
-- adding a version that names its own implementing department. A measure
-- of the national basic list (全国失信惩戒措施基础清单) belongs to no list
-- domain (domain NULL): it is what punitive measures may be, and no entry
-- triggers it.
ALTER TABLE measures
  ALTER COLUMN implementing_department DROP NOT NULL,
  ALTER COLUMN domain DROP NOT NULL,
  ADD COLUMN implementing_authority text NOT NULL DEFAULT '',
  ADD CONSTRAINT measures_implementer_check CHECK (implementing_department IS NOT NULL OR implementing_authority <> ''),
  ADD CONSTRAINT measures_period_check CHECK (effective_until IS NULL OR effective_until >= effective_from);

-- Three more places a measure bites. An enum value added with ALTER TYPE
-- cannot be used in the transaction that adds it, so the type is replaced.
CREATE TYPE measure_context_v2 AS ENUM (
  'APPROVAL_WINDOW', 'BANK_CREDIT', 'PUBLIC_PROCUREMENT', 'FISCAL_FUNDS',
  'TRAVEL_CONSUMPTION', 'HONOURS', 'MARKET_ACCESS',
  'APPOINTMENTS',  -- 任职、招录（聘）
  'SUPERVISION',   -- 监管、检查
  'PUBLICITY');    -- 向社会公示、公布
ALTER TABLE measures ALTER COLUMN contexts TYPE measure_context_v2[]
  USING CAST(CAST(contexts AS text[]) AS measure_context_v2[]);
DROP TYPE measure_context;
ALTER TYPE measure_context_v2 RENAME TO measure_context;

-- A joint case may apply a subset of its domain's measures, each with its
-- implementing department; what it applied is in list_entry_measures and
-- assignments.

-- The national baseline of the catalogue, version 1 of each measure.
INSERT INTO measures (code, version, kind, name, detail, legal_basis, implementing_authority, applies_to, contexts,
                      list_kind, domain, effective_from) VALUES
-- 重大税收违法案件当事人 (发改财金〔2014〕3062号): its measures, in its order.
  ('TAX_STRICT_TAX_ADMINISTRATION', 1, 'PUNISHMENT', '强化税务管理，通报有关部门',
   '纳税信用级别直接判为D级，适用D级纳税人的管理措施，并将案件信息通报有关部门',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '税务机关',
   '{ORGANIZATION}', '{SUPERVISION}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_EXIT_BAN', 1, 'PUNISHMENT', '阻止出境',
   '欠缴查补税款的当事人在出境前未结清应纳税款、滞纳金或者提供纳税担保的，税务机关通知出入境管理机关阻止其出境',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '公安机关出入境管理部门',
   '{KEY_PERSONS}', '{TRAVEL_CONSUMPTION}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_POSITION_BAN', 1, 'PUNISHMENT', '限制担任相关职务',
   '因税收违法行为被判处刑罚、执行期满未逾五年的当事人，限制其担任企业的法定代表人、董事、监事及经理',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '人民法院、市场监督管理部门',
   '{KEY_PERSONS}', '{APPOINTMENTS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_CREDIT_REFERENCE', 1, 'PUNISHMENT', '金融机构融资授信参考',
   '税务机关将案件信息通报金融监管部门和征信机构，供金融机构融资授信时参考并进行必要限制',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '人民银行、金融监管部门',
   '{ORGANIZATION,KEY_PERSONS}', '{BANK_CREDIT}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_HIGH_CONSUMPTION_BAN', 1, 'PUNISHMENT', '禁止部分高消费行为',
   '税务机关申请人民法院强制执行的当事人，由执行法院依法纳入失信被执行人名单，禁止乘坐飞机、列车软卧和动车等高消费行为',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '人民法院',
   '{ORGANIZATION,KEY_PERSONS}', '{TRAVEL_CONSUMPTION}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_ENTERPRISE_PUBLICITY', 1, 'PUNISHMENT', '通过企业信用信息公示系统向社会公示',
   '案件信息通过企业信用信息公示系统向社会公示',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '市场监督管理部门',
   '{ORGANIZATION}', '{PUBLICITY}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_LAND_SUPPLY_LIMIT', 1, 'PUNISHMENT', '限制取得政府供应土地',
   '国土资源管理部门在确定土地出让、划拨对象时予以参考，进行必要限制',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '自然资源（原国土资源）部门',
   '{ORGANIZATION}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_INSPECTION_QUARANTINE', 1, 'PUNISHMENT', '强化检验检疫监督管理',
   '案件信息录入进出口企业信用管理系统，实行限制性管理措施',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '海关（原出入境检验检疫部门）',
   '{ORGANIZATION}', '{SUPERVISION}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_PROCUREMENT_BAN', 1, 'PUNISHMENT', '禁止参加政府采购活动',
   '在一定期限内禁止参加政府采购活动',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '财政部门',
   '{ORGANIZATION}', '{PUBLIC_PROCUREMENT}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_NO_CUSTOMS_CERTIFICATION', 1, 'PUNISHMENT', '禁止适用海关认证企业管理',
   '不予适用海关认证企业管理',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '海关',
   '{ORGANIZATION}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_SECURITIES_LIMIT', 1, 'PUNISHMENT', '限制证券期货市场部分经营行为',
   '证券监督管理部门在办理证券、基金、期货公司设立和股权变更、首次公开发行和上市公司再融资时将案件信息作为重要参考',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '证券监督管理部门',
   '{ORGANIZATION,KEY_PERSONS}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_INSURANCE_LIMIT', 1, 'PUNISHMENT', '限制保险市场部分经营行为',
   '保险公司股东资质审核和董事、监事、高级管理人员任职资格审批时将当事人的失信状况作为重要参考',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '保险监督管理部门',
   '{ORGANIZATION,KEY_PERSONS}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_TOLL_ROAD_BAN', 1, 'PUNISHMENT', '禁止受让收费公路权益',
   '不得受让收费公路权益',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '交通运输部门',
   '{ORGANIZATION}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_GOVERNMENT_FUNDS_LIMIT', 1, 'PUNISHMENT', '限制政府性资金支持',
   '依法依规限制政府性资金支持',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '财政、发展改革部门',
   '{ORGANIZATION}', '{FISCAL_FUNDS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_BOND_ISSUE_LIMIT', 1, 'PUNISHMENT', '限制企业债券发行',
   '从严审核企业债券发行，依法限制公司债券发行',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '发展改革部门、证券监督管理部门',
   '{ORGANIZATION}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_IMPORT_QUOTA_LIMIT', 1, 'PUNISHMENT', '限制进口关税配额分配',
   '依法限制进口关税配额分配',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '发展改革、商务部门',
   '{ORGANIZATION}', '{MARKET_ACCESS}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),
  ('TAX_NEWS_PUBLICITY', 1, 'PUNISHMENT', '通过主要新闻网站向社会公布',
   '案件信息通过主要新闻网站向社会公布',
   '关于对重大税收违法案件当事人实施联合惩戒措施的合作备忘录（发改财金〔2014〕3062号）', '网信部门',
   '{ORGANIZATION,KEY_PERSONS}', '{PUBLICITY}', 'BLACK', 'MAJOR_TAX_VIOLATION', '2017-01-01'),

-- 失信被执行人 (发改财金〔2016〕141号): its eleven groups of measures.
  ('COURT_FINANCIAL_INSTITUTION_LIMIT', 1, 'PUNISHMENT', '设立金融类机构限制',
   '将失信信息作为设立银行、证券、保险等金融机构及参股、收购审批和登记的审慎性参考',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '金融监督管理部门',
   '{ORGANIZATION,KEY_PERSONS}', '{MARKET_ACCESS}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_BUSINESS_AND_PROJECT_LIMIT', 1, 'PUNISHMENT', '从事特定行业或项目限制',
   '限制发行债券、参与政府投资项目或主要使用财政性资金的项目、作为供应商参加政府采购、发起设立社会组织等',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '发展改革、财政、民政等部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW,PUBLIC_PROCUREMENT,FISCAL_FUNDS}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_PUBLIC_SERVICE_RECRUITMENT_LIMIT', 1, 'PUNISHMENT', '招录（聘）为公务人员限制',
   '限制招录（聘）为公务员或事业单位工作人员',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '组织、人力资源社会保障、公务员主管部门',
   '{KEY_PERSONS}', '{APPOINTMENTS}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_APPOINTMENT_LIMIT', 1, 'PUNISHMENT', '任职资格限制',
   '限制担任国有企业、事业单位、金融机构、社会组织的法定代表人或董事、监事、高级管理人员',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '国有资产监督管理、机构编制、金融监督管理、民政等部门',
   '{KEY_PERSONS}', '{APPOINTMENTS}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_ACCESS_QUALIFICATION_LIMIT', 1, 'PUNISHMENT', '准入资格限制',
   '在行政许可、资质认定和特定行业准入中从严审核、依法限制',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '各行政审批和行业主管部门',
   '{ORGANIZATION,KEY_PERSONS}', '{APPROVAL_WINDOW,MARKET_ACCESS}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_HONOUR_AND_CREDIT_LIMIT', 1, 'PUNISHMENT', '荣誉和授信限制',
   '不授予文明单位、道德模范等荣誉，已获得的撤销；金融机构将失信信息作为融资授信的审慎性参考',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '精神文明建设部门、人民银行、金融机构',
   '{ORGANIZATION,KEY_PERSONS}', '{HONOURS,BANK_CREDIT}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_SPECIAL_MARKET_TRADING_LIMIT', 1, 'PUNISHMENT', '特殊市场交易限制',
   '限制从事国有资产交易、使用国有林地、使用草原、其他国有自然资源开发利用等',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '国有资产监督管理、自然资源等部门',
   '{ORGANIZATION,KEY_PERSONS}', '{MARKET_ACCESS}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_HIGH_CONSUMPTION_LIMIT', 1, 'PUNISHMENT', '限制高消费及有关消费',
   '限制乘坐飞机、列车软卧、G字头动车组列车全部座位和其他动车组列车一等以上座位，住宿星级以上宾馆，子女就读高收费私立学校等非生活和工作必需的消费',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）；最高人民法院关于限制被执行人高消费及有关消费的若干规定（法释〔2015〕17号）',
   '人民法院、民航、铁路等部门', '{ORGANIZATION,KEY_PERSONS}', '{TRAVEL_CONSUMPTION}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_INQUIRY_CONTROL_EXIT_LIMIT', 1, 'PUNISHMENT', '协助查询、控制及出境限制',
   '协助人民法院查询失信被执行人的身份、出入境证件、车辆和财产信息，限制出境',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '公安、不动产登记等部门',
   '{KEY_PERSONS}', '{TRAVEL_CONSUMPTION}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_DAILY_SUPERVISION', 1, 'PUNISHMENT', '加强日常监管检查',
   '列为重点监管对象，提高检查频次',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '各行业主管部门',
   '{ORGANIZATION}', '{SUPERVISION}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),
  ('COURT_CRIMINAL_ENFORCEMENT', 1, 'PUNISHMENT', '加大刑事惩戒力度',
   '对拒不执行判决、裁定的，依法追究刑事责任',
   '关于对失信被执行人实施联合惩戒的合作备忘录（发改财金〔2016〕141号）', '公安机关、人民检察院',
   '{ORGANIZATION,KEY_PERSONS}', '{SUPERVISION}', 'BLACK', 'COURT_ENFORCEMENT_DISHONESTY', '2016-01-20'),

-- 全国失信惩戒措施基础清单: the three kinds of measure it allows. They
-- belong to no domain and no entry triggers them.
  ('BASIC_LIST_RIGHTS_AND_DUTIES', 1, 'PUNISHMENT', '减损信用主体权益或增加其义务的措施',
   '由公共管理机构依照法律、法规或者党中央、国务院政策文件实施，如限制市场准入、行政许可或融资，限制享受优惠政策或参加评优评先',
   '全国失信惩戒措施基础清单（2021年版）（发改财金规〔2021〕1827号）', '公共管理机构',
   '{ORGANIZATION,KEY_PERSONS}', '{APPROVAL_WINDOW,MARKET_ACCESS,FISCAL_FUNDS,HONOURS}', 'BLACK', NULL, '2021-12-01'),
  ('BASIC_LIST_MANAGEMENT', 1, 'PUNISHMENT', '根据履职需要实施的管理措施',
   '不减损信用主体权益、不增加其义务，如列为重点监管对象、提高检查频次、在审批中作为审慎参考',
   '全国失信惩戒措施基础清单（2021年版）（发改财金规〔2021〕1827号）', '公共管理机构',
   '{ORGANIZATION}', '{SUPERVISION}', 'BLACK', NULL, '2021-12-01'),
  ('BASIC_LIST_MARKET_AND_SOCIETY', 1, 'PUNISHMENT', '公共管理机构以外的组织自主实施的措施',
   '如金融机构按风险定价原则提高贷款利率和保险费率或限制贷款，行业协会商会按章程实施行业惩戒',
   '全国失信惩戒措施基础清单（2021年版）（发改财金规〔2021〕1827号）', '金融机构、行业协会商会',
   '{ORGANIZATION,KEY_PERSONS}', '{BANK_CREDIT}', 'BLACK', NULL, '2021-12-01'),

-- The other memoranda and the city plan, as the hub's catalogue had them.
  ('AGRADE_GREEN_CHANNEL', 1, 'REWARD', '行政审批绿色通道', '办理行政许可时开通绿色通道，优先办理',
   '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）', '行政审批部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'RED', 'A_GRADE_TAXPAYER', '2016-07-01'),
  ('AGRADE_MISSING_DOCS_ACCEPTANCE', 1, 'REWARD', '容缺受理', '申请材料主件齐全、次要材料暂缺的，先予受理',
   '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）', '行政审批部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'RED', 'A_GRADE_TAXPAYER', '2016-07-01'),
  ('AGRADE_CREDIT_LOAN', 1, 'REWARD', '信易贷信用贷款', '金融机构提供纳税信用贷款等信易贷产品，在授信额度和利率上给予优惠',
   '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）', '人民银行、金融机构',
   '{ORGANIZATION}', '{BANK_CREDIT}', 'RED', 'A_GRADE_TAXPAYER', '2016-07-01'),
  ('AGRADE_PUBLIC_RESOURCE_PRIORITY', 1, 'REWARD', '公共资源交易优先', '在公共资源交易中给予信用加分或同等条件下优先',
   '关于对纳税信用A级纳税人实施联合激励措施的合作备忘录（发改财金〔2016〕1467号）', '公共资源交易管理部门',
   '{ORGANIZATION}', '{PUBLIC_PROCUREMENT}', 'RED', 'A_GRADE_TAXPAYER', '2016-07-01'),
  ('HONOUR_GREEN_CHANNEL', 1, 'REWARD', '行政审批绿色通道', '办理行政许可时开通绿色通道，适用容缺受理',
   '国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）；丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）',
   '行政审批部门', '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'RED', 'HONOURED_INTEGRITY', '2017-01-01'),
  ('HONOUR_PROMOTION', 1, 'REWARD', '宣传推介和评优评先', '在信用网站和新闻媒体宣传推介，评优评先时优先推荐',
   '国务院关于建立完善守信联合激励和失信联合惩戒制度加快推进社会诚信建设的指导意见（国发〔2016〕33号）；丹东市建立完善守信联合激励和失信联合惩戒制度实施方案（2017）',
   '社会信用体系建设牵头部门', '{ORGANIZATION}', '{HONOURS}', 'RED', 'HONOURED_INTEGRITY', '2017-01-01'),
  ('MARKET_STRICT_LICENCE_REVIEW', 1, 'PUNISHMENT', '从严审查行政许可', '从严审查行政许可申请，不适用告知承诺制',
   '市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）', '市场监督管理部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'BLACK', 'MARKET_SERIOUS_VIOLATION', '2021-09-01'),
  ('MARKET_HONOURS_BAN', 1, 'PUNISHMENT', '不得评优评先', '不予授予市场监督管理部门荣誉称号等表彰奖励',
   '市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）', '市场监督管理部门',
   '{ORGANIZATION,KEY_PERSONS}', '{HONOURS}', 'BLACK', 'MARKET_SERIOUS_VIOLATION', '2021-09-01'),
  ('MARKET_NO_PUBLIC_PROCUREMENT', 1, 'PUNISHMENT', '限制参加政府采购', '依法限制参加政府采购和工程招标投标',
   '市场监督管理严重违法失信名单管理办法（国家市场监督管理总局令第44号）', '财政部门',
   '{ORGANIZATION}', '{PUBLIC_PROCUREMENT}', 'BLACK', 'MARKET_SERIOUS_VIOLATION', '2021-09-01'),
  ('WAGE_NO_PUBLIC_PROCUREMENT', 1, 'PUNISHMENT', '限制参加政府采购', '依法限制参加政府采购和工程招标投标',
   '关于对严重拖欠农民工工资用人单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2017〕2058号）', '财政部门',
   '{ORGANIZATION}', '{PUBLIC_PROCUREMENT}', 'BLACK', 'WAGE_ARREARS', '2018-01-01'),
  ('WAGE_NO_FISCAL_FUNDS', 1, 'PUNISHMENT', '限制财政资金支持', '限制申请财政补贴、专项资金等政策支持',
   '关于对严重拖欠农民工工资用人单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2017〕2058号）', '财政部门',
   '{ORGANIZATION}', '{FISCAL_FUNDS}', 'BLACK', 'WAGE_ARREARS', '2018-01-01'),
  ('WAGE_HIGH_CONSUMPTION_BAN', 1, 'PUNISHMENT', '限制高消费', '用人单位的法定代表人、主要负责人和直接责任人员限制乘坐飞机、高铁和高消费',
   '关于对严重拖欠农民工工资用人单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2017〕2058号）', '人力资源社会保障部门',
   '{KEY_PERSONS}', '{TRAVEL_CONSUMPTION}', 'BLACK', 'WAGE_ARREARS', '2018-01-01'),
  ('SAFETY_STRICT_APPROVAL_REVIEW', 1, 'PUNISHMENT', '行政审批从严审核', '从严审核安全生产许可及相关行政许可，列为重点监管对象',
   '关于对安全生产领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1001号）', '应急管理部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'BLACK', 'SAFETY_PRODUCTION', '2016-06-01'),
  ('SAFETY_BANK_CREDIT', 1, 'PUNISHMENT', '融资授信从严', '金融机构将其失信情况作为融资授信的重要参考',
   '关于对安全生产领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1001号）', '人民银行、金融机构',
   '{ORGANIZATION}', '{BANK_CREDIT}', 'BLACK', 'SAFETY_PRODUCTION', '2016-06-01'),
  ('ENV_STRICT_APPROVAL_REVIEW', 1, 'PUNISHMENT', '环评和排污许可从严审批', '从严审批建设项目环境影响评价文件和排污许可',
   '关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1580号）', '生态环境部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'BLACK', 'ENVIRONMENT', '2016-08-01'),
  ('ENV_NO_FISCAL_FUNDS', 1, 'PUNISHMENT', '限制财政补助', '限制取得环保专项资金等财政补助',
   '关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1580号）', '财政部门',
   '{ORGANIZATION}', '{FISCAL_FUNDS}', 'BLACK', 'ENVIRONMENT', '2016-08-01'),
  ('ENV_BANK_CREDIT', 1, 'PUNISHMENT', '融资授信从严', '金融机构从严审核授信，限制新增贷款',
   '关于对环境保护领域失信生产经营单位及其有关人员开展联合惩戒的合作备忘录（发改财金〔2016〕1580号）', '人民银行、金融机构',
   '{ORGANIZATION}', '{BANK_CREDIT}', 'BLACK', 'ENVIRONMENT', '2016-08-01'),
  ('FOOD_MARKET_ACCESS_BAN', 1, 'PUNISHMENT', '食品药品行业禁入', '相关责任人员在规定期限内不得从事食品药品生产经营管理工作',
   '关于对食品药品生产经营严重失信者开展联合惩戒的合作备忘录（发改财金〔2016〕1962号）', '市场监督管理部门',
   '{KEY_PERSONS}', '{MARKET_ACCESS}', 'BLACK', 'FOOD_AND_DRUG', '2016-10-01'),
  ('FOOD_STRICT_APPROVAL_REVIEW', 1, 'PUNISHMENT', '行政审批从严审核', '从严审核食品药品生产经营许可',
   '关于对食品药品生产经营严重失信者开展联合惩戒的合作备忘录（发改财金〔2016〕1962号）', '行政审批部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'BLACK', 'FOOD_AND_DRUG', '2016-10-01'),
  ('GOVPROC_PROCUREMENT_BAN', 1, 'PUNISHMENT', '禁止参加政府采购', '一至三年内禁止参加政府采购活动',
   '中华人民共和国政府采购法第七十七条；关于对政府采购领域严重违法失信主体开展联合惩戒的合作备忘录（发改财金〔2018〕1614号）', '财政部门',
   '{ORGANIZATION}', '{PUBLIC_PROCUREMENT}', 'BLACK', 'GOVERNMENT_PROCUREMENT', '2017-01-01'),
  ('GOVPROC_NO_FISCAL_FUNDS', 1, 'PUNISHMENT', '限制财政资金支持', '限制申请财政性资金项目',
   '中华人民共和国政府采购法第七十七条；关于对政府采购领域严重违法失信主体开展联合惩戒的合作备忘录（发改财金〔2018〕1614号）', '财政部门',
   '{ORGANIZATION}', '{FISCAL_FUNDS}', 'BLACK', 'GOVERNMENT_PROCUREMENT', '2017-01-01'),
  ('CUSTOMS_STRICT_APPROVAL_REVIEW', 1, 'PUNISHMENT', '行政审批从严审核', '办理行政许可时从严审核，提高查验比例',
   '关于对海关失信企业实施联合惩戒的合作备忘录（发改财金〔2017〕427号）', '海关',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'BLACK', 'CUSTOMS', '2017-03-01'),
  ('CUSTOMS_BANK_CREDIT', 1, 'PUNISHMENT', '融资授信从严', '金融机构将其失信情况作为融资授信的审慎性参考',
   '关于对海关失信企业实施联合惩戒的合作备忘录（发改财金〔2017〕427号）', '人民银行、金融机构',
   '{ORGANIZATION}', '{BANK_CREDIT}', 'BLACK', 'CUSTOMS', '2017-03-01'),
  ('PRT_TRADING_BAN', 1, 'PUNISHMENT', '限制参与公共资源交易', '依法限制参与工程建设、土地出让、政府采购等公共资源交易活动',
   '关于对公共资源交易领域严重失信主体开展联合惩戒的备忘录（发改法规〔2018〕457号）', '公共资源交易管理部门',
   '{ORGANIZATION}', '{PUBLIC_PROCUREMENT}', 'BLACK', 'PUBLIC_RESOURCE_TRADING', '2018-03-01'),
  ('PRT_CONCESSION_BAN', 1, 'PUNISHMENT', '限制参与特许经营', '依法限制参与基础设施和公用事业特许经营',
   '关于对公共资源交易领域严重失信主体开展联合惩戒的备忘录（发改法规〔2018〕457号）', '发展改革部门',
   '{ORGANIZATION}', '{MARKET_ACCESS}', 'BLACK', 'PUBLIC_RESOURCE_TRADING', '2018-03-01'),
  ('AEO_GREEN_CHANNEL', 1, 'REWARD', '通关和审批便利', '办理行政许可和通关手续时给予便利，优先办理',
   '关于对海关高级认证企业实施联合激励的合作备忘录（发改财金〔2016〕2190号）', '海关、行政审批部门',
   '{ORGANIZATION}', '{APPROVAL_WINDOW}', 'RED', 'CUSTOMS_ADVANCED_CERTIFIED', '2016-12-01'),
  ('AEO_CREDIT_LOAN', 1, 'REWARD', '信易贷授信优惠', '金融机构在授信额度和利率上给予优惠',
   '关于对海关高级认证企业实施联合激励的合作备忘录（发改财金〔2016〕2190号）', '人民银行、金融机构',
   '{ORGANIZATION}', '{BANK_CREDIT}', 'RED', 'CUSTOMS_ADVANCED_CERTIFIED', '2016-12-01')
-- A database seeded before this migration has version 1 of the codes the
-- seed then inserted: those rows stay as they were.
ON CONFLICT (code, version) DO NOTHING;

-- +goose Down
