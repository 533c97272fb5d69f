-- Adds to a seeded benchmark database what `credithub seed` does not make
-- and the statistics count: a joint case for every approved list entry
-- with its assignments, responses, executions and feedback, and a year of
-- query-use log rows (1,000,000 by default: psql -v uses=N). Deterministic
-- (hashes of ids, no random()), and refused on a database that has joint
-- cases or query-use rows already. Used by scripts/bench/stats.sh:
--   psql -X -v ON_ERROR_STOP=1 -v today=2026-11-27 -d credithub_dash_bench -f scripts/bench/stats-data.sql
\if :{?uses}
\else
\set uses 1000000
\endif
\if :{?today}
\else
\set today 2026-11-27
\endif

BEGIN;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM joint_cases) OR EXISTS (SELECT 1 FROM query_log) THEN
    RAISE EXCEPTION 'stats-data: this database has joint cases or query-use rows already';
  END IF;
END $$;

-- h(x) is a deterministic number in [0, 1) from a text.
CREATE TEMP TABLE bench_settings AS SELECT CAST(:'today' AS date) AS today;
CREATE FUNCTION pg_temp.h(x text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
  $$ SELECT (('x' || substr(md5(x), 1, 8))::bit(32)::bigint) / 4294967296.0 $$;

INSERT INTO joint_cases (entry_id, initiating_department, opened_at, opened_by, closed_at, close_reason)
SELECT e.id, e.department_code,
       CAST(e.starts_on AS timestamp) AT TIME ZONE 'Asia/Shanghai' + interval '10 hours',
       COALESCE(e.approved_by, 'staff:bench'),
       CASE WHEN e.ended_on IS NOT NULL THEN CAST(e.ended_on AS timestamp) AT TIME ZONE 'Asia/Shanghai' END,
       CASE WHEN e.ended_on IS NOT NULL THEN 'entry ' || e.status END
FROM list_entries e
WHERE e.status NOT IN ('PROPOSED', 'REJECTED') AND EXISTS (SELECT 1 FROM list_entry_measures m WHERE m.entry_id = e.id);

-- One assignment per measure the entry triggered, to its implementing
-- department (a national measure the city has not adopted names none and
-- is pushed to nobody): 70 % accepted, 10 % refused, the rest unanswered.
INSERT INTO assignments (case_id, measure_id, department_code, status, pushed_at, response, responded_at,
                         responded_by, reject_reason, closed_at)
SELECT c.id, m.id, m.implementing_department,
       CASE WHEN c.closed_at IS NOT NULL THEN 'CLOSED'
            WHEN r < 0.7 THEN 'ACCEPTED' WHEN r < 0.8 THEN 'REJECTED' ELSE 'PUSHED' END::assignment_status,
       c.opened_at,
       CASE WHEN r < 0.7 THEN 'ACCEPTED' WHEN r < 0.8 THEN 'REJECTED' END,
       CASE WHEN r < 0.8 THEN c.opened_at + interval '2 days' END,
       CASE WHEN r < 0.8 THEN 'staff:bench' END,
       CASE WHEN r >= 0.7 AND r < 0.8 THEN '不属于本部门职责' END,
       c.closed_at
FROM joint_cases c
JOIN list_entry_measures lm ON lm.entry_id = c.entry_id
JOIN measures m ON m.id = lm.measure_id AND m.implementing_department IS NOT NULL
CROSS JOIN LATERAL (SELECT pg_temp.h('a' || c.id || ':' || m.id) AS r) x;

-- Six in ten accepted assignments executed once.
INSERT INTO executions (assignment_id, document_no, executed_on, note, recorded_at, recorded_by)
SELECT a.id, '执行〔' || a.id || '〕号', CAST((a.pushed_at AT TIME ZONE 'Asia/Shanghai') + interval '5 days' AS date), '',
       a.pushed_at + interval '5 days', 'staff:bench'
FROM assignments a
WHERE a.response = 'ACCEPTED' AND pg_temp.h('x' || a.id) < 0.6;
UPDATE assignments a SET status = 'EXECUTED'
WHERE a.status = 'ACCEPTED' AND EXISTS (SELECT 1 FROM executions x WHERE x.assignment_id = a.id);

-- Feedback for the quarter of the push from half of the departments that accepted.
INSERT INTO feedback (case_id, department_code, period, text, submitted_at, submitted_by)
SELECT DISTINCT ON (a.case_id, a.department_code) a.case_id, a.department_code,
       to_char(a.pushed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY"Q"Q'), '已按备忘录落实', a.pushed_at + interval '20 days',
       'staff:bench'
FROM assignments a
WHERE a.response = 'ACCEPTED' AND pg_temp.h('f' || a.case_id || a.department_code) < 0.5
ORDER BY a.case_id, a.department_code, a.id;

-- A year of uses: banks half, windows four in ten, departments the rest,
-- from 30 institutions, each naming one or two subjects.
INSERT INTO query_log (at, caller_id, institution, role, purpose, subject_codes, operation)
SELECT (SELECT CAST(today AS timestamp) FROM bench_settings) AT TIME ZONE 'Asia/Shanghai'
         - (pg_temp.h('t' || i) * interval '365 days'),
       'key:bench-' || (i % 97),
       CASE WHEN r < 0.5 THEN (ARRAY['丹东银行','中国工商银行丹东分行','中国建设银行丹东分行','中国农业银行丹东分行',
                                     '中国银行丹东分行','交通银行丹东分行','丹东农商银行','兴业银行丹东分行',
                                     '招商银行丹东分行','邮储银行丹东分行'])[1 + i % 10]
            WHEN r < 0.9 THEN (ARRAY['振兴区政务服务中心','元宝区政务服务中心','振安区政务服务中心','东港市政务服务中心',
                                     '凤城市政务服务中心','宽甸县政务服务中心','市行政审批局窗口','市公积金窗口',
                                     '市不动产登记窗口','市公共资源交易窗口'])[1 + i % 10]
            ELSE (ARRAY['丹东市市场监督管理局','国家税务总局丹东市税务局','丹东市生态环境局','丹东市住房和城乡建设局',
                        '丹东市人力资源和社会保障局','丹东市应急管理局','丹东市财政局','丹东市交通运输局',
                        '丹东市自然资源局','丹东市公安局'])[1 + i % 10] END,
       CASE WHEN r < 0.5 THEN 'BANK' WHEN r < 0.9 THEN 'WINDOW' ELSE 'DEPARTMENT' END,
       CASE WHEN r < 0.5 THEN '贷前审查' WHEN r < 0.9 THEN '行政审批' ELSE '监管' END,
       CASE WHEN i % 3 = 0 THEN ARRAY[s.code, p.code] ELSE ARRAY[s.code] END,
       CASE WHEN r < 0.5 THEN 'creditCheck' WHEN r < 0.9 THEN 'applicantCheck' ELSE 'subject' END
FROM generate_series(CAST(1 AS bigint), :uses) AS i
CROSS JOIN LATERAL (SELECT pg_temp.h('r' || i) AS r) x
JOIN subjects s ON s.id = 1 + (i * 7919) % 150000
JOIN subjects p ON p.id = 150001 + (i * 104729) % 50000;
COMMIT;

ANALYZE joint_cases, assignments, executions, feedback, query_log, query_use_days;
