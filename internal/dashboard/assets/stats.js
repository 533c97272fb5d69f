// The statistics the page shows, read in one request (one alias per
// statistic), and how each is drawn. Every figure on the page is a row or
// a total of these answers, nothing computed beyond sums of rows.

import { graphql, fieldError, describe, ApiError } from './api.js';
import { render, clear, cell, num, fmt, percent, yuan } from './panels.js';

// FIELDS are the statistics the page reads, each in a request of its own,
// so that a role allowed some of them gets those (a refused non-null field
// would null the whole answer of a shared request).
export const FIELDS = {
  records: `recordStats(from: $from, to: $to, groupBy: [MONTH]) {
    rows { group { month } licences penalties records } total { licences penalties records } }`,
  timeliness: `timelinessStats(from: $from, to: $to, groupBy: [DEPARTMENT]) {
    rows { group { departmentCode departmentName } records onTime late unknownDeadline missingFields onTimeRate }
    total { records onTime late unknownDeadline onTimeRate } }`,
  published: `publishedPenaltyStats(from: $from3, to: $to, groupBy: [SEVERITY]) {
    asOf rows { group { severity } penalties } total { penalties fines } }`,
  amounts: `amountStats(from: $from, to: $to, groupBy: [SEVERITY]) {
    total { penalties fines confiscated amount emptyFines emptyConfiscations } }`,
  lists: `listEntryStats(from: $from, to: $to, groupBy: [LIST_KIND, DOMAIN]) {
    asOf rows { group { listKind domain domainName } entered active exited expired repaired revoked }
    total { entered active exited expired repaired revoked } }`,
  joint: `jointCaseStats(from: $from, to: $to) {
    casesOpened rows { group { departmentCode departmentName } cases pushed accepted rejected executed fedBack overdue }
    total { pushed accepted rejected executed fedBack overdue } }`,
};

// queryFor is the operation reading one statistic, declaring the
// variables it uses (GraphQL refuses unused ones).
export function queryFor(alias) {
  const body = FIELDS[alias];
  const vars = ['from', 'to', 'from3'].filter((v) => new RegExp('\\$' + v + '(?!\\w)').test(body));
  return `query Dashboard_${alias}(${vars.map((v) => '$' + v + ': Date!').join(', ')}) { ${alias}: ${body} }`;
}

// fetchAll reads every statistic at once; a refused one is an error of its
// alias, a bad key throws.
async function fetchAll(period) {
  const vars = { ...period, from3: threeYearsBefore(period.to) };
  const data = {};
  const errors = [];
  await Promise.all(Object.keys(FIELDS).map(async (alias) => {
    const v = Object.fromEntries(Object.entries(vars).filter(([k]) => new RegExp('\\$' + k + '(?!\\w)').test(FIELDS[alias])));
    try {
      const r = await graphql(queryFor(alias), v);
      data[alias] = r.data[alias];
      errors.push(...r.errors);
    } catch (e) {
      if (!(e instanceof ApiError) || e.code === 'UNAUTHENTICATED' || e.status === 0) throw e;
      errors.push({ message: e.message, path: [alias], extensions: { code: e.code } });
    }
  }));
  return { data, errors };
}

// threeYearsBefore is the first day of published penalties' look-back:
// the longest publication window is 36 months.
export function threeYearsBefore(to) {
  const d = new Date(to + 'T00:00:00Z');
  d.setUTCFullYear(d.getUTCFullYear() - 3);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

const severityName = { MINOR: '轻微', GENERAL: '一般', SERIOUS: '严重' };
const axis = { axisLabel: { color: '#9fb3c8' }, axisLine: { lineStyle: { color: '#3a506b' } }, splitLine: { lineStyle: { color: '#22344a' } } };
const legend = { top: 0, textStyle: { color: '#d9e2ec' } };
const tooltip = { trigger: 'axis', axisPointer: { type: 'shadow' } };

function kpi(id, value, text, sub) {
  const el = document.getElementById(id);
  el.dataset.value = value === null ? '' : String(value);
  el.textContent = text;
  if (sub !== undefined) document.getElementById(id + '-sub').textContent = sub;
}

// load reads every statistic for the period and fills the page. It returns
// how many statistics the key may read; a request error (bad key, hub
// down) throws.
export async function load(period) {
  const { data, errors } = await fetchAll(period);
  // What another key or period showed goes first: a refused figure is "—".
  for (const el of document.querySelectorAll('.kpi .value')) {
    el.textContent = '—';
    el.dataset.value = '';
  }
  for (const el of document.querySelectorAll('.kpi .sub[id]')) el.textContent = '';
  const refused = (alias) => {
    const e = fieldError(errors, alias);
    return e ? describe(e) : data[alias] ? '' : '暂时无法读取。';
  };
  let readable = 0;
  const show = (alias, panelId, draw) => {
    const panel = document.getElementById(panelId);
    const why = refused(alias);
    if (why) {
      if (panel) clear(panel, why);
      return;
    }
    readable++;
    draw(data[alias], panel);
  };
  const kpis = {};
  show('records', 'panel-records', (r, panel) => {
    kpis.records = r.total.records;
    kpi('kpi-records', r.total.records, fmt.format(r.total.records),
      `行政许可 ${fmt.format(r.total.licences)} · 行政处罚 ${fmt.format(r.total.penalties)}`);
    const months = r.rows.map((x) => x.group.month);
    render(panel, {
      legend, tooltip, grid: { left: 60, right: 20, top: 40, bottom: 30 },
      xAxis: { type: 'category', data: months, ...axis },
      yAxis: { type: 'value', ...axis },
      series: [
        { name: '行政许可', type: 'bar', stack: 'r', data: r.rows.map((x) => x.licences), itemStyle: { color: '#4fa3e0' } },
        { name: '行政处罚', type: 'bar', stack: 'r', data: r.rows.map((x) => x.penalties), itemStyle: { color: '#f0a04b' } },
      ],
    }, ['月份', '行政许可', '行政处罚', '合计'],
    r.rows.map((x) => [cell(x.group.month), num(x.licences), num(x.penalties), num(x.records)])
      .concat([[cell('合计'), num(r.total.licences), num(r.total.penalties), num(r.total.records)]]));
  });
  show('timeliness', 'panel-timeliness', (t, panel) => {
    kpi('kpi-ontime', t.total.onTimeRate, percent(t.total.onTimeRate),
      `按时 ${fmt.format(t.total.onTime)} · 逾期 ${fmt.format(t.total.late)} · 期限未知 ${fmt.format(t.total.unknownDeadline)}`);
    const rows = [...t.rows].sort((a, b) => (a.onTimeRate ?? -1) - (b.onTimeRate ?? -1));
    render(panel, {
      tooltip: { ...tooltip, valueFormatter: (v) => (v === null ? '—' : v + '%') },
      grid: { left: 210, right: 40, top: 10, bottom: 30 },
      xAxis: { type: 'value', max: 100, ...axis, axisLabel: { ...axis.axisLabel, formatter: '{value}%' } },
      yAxis: { type: 'category', data: rows.map((x) => x.group.departmentName), ...axis },
      series: [{ name: '按时报送率', type: 'bar', data: rows.map((x) => (x.onTimeRate === null ? null : +(x.onTimeRate * 100).toFixed(1))),
        itemStyle: { color: '#3ccf91' }, label: { show: true, position: 'right', color: '#d9e2ec', formatter: '{c}%' } }],
    }, ['部门', '部门代码', '记录', '按时', '逾期', '期限未知', '缺少必填项', '按时报送率'],
    t.rows.map((x) => [cell(x.group.departmentName), cell(x.group.departmentCode), num(x.records), num(x.onTime), num(x.late),
      num(x.unknownDeadline), num(x.missingFields), cell(percent(x.onTimeRate), x.onTimeRate ?? '', true)])
      .concat([[cell('合计'), cell(''), num(t.total.records), num(t.total.onTime), num(t.total.late), num(t.total.unknownDeadline),
        num(t.rows.reduce((s, x) => s + x.missingFields, 0)), cell(percent(t.total.onTimeRate), t.total.onTimeRate ?? '', true)]]));
  });
  show('published', null, (p) => {
    const bySeverity = p.rows.map((x) => `${severityName[x.group.severity]} ${fmt.format(x.penalties)}`).join(' · ');
    kpi('kpi-published', p.total.penalties, fmt.format(p.total.penalties), `截至 ${p.asOf}：${bySeverity}`);
  });
  show('amounts', null, (a) => {
    const t = a.total;
    kpi('kpi-amount', t.amount, yuan(t.amount),
      `罚款 ${yuan(t.fines)} · 没收 ${yuan(t.confiscated)}` + (t.emptyFines + t.emptyConfiscations > 0
        ? ` · ${fmt.format(t.emptyFines + t.emptyConfiscations)} 项金额导入时为空，按 0 计` : ''));
  });
  show('lists', 'panel-lists', (l, panel) => {
    const active = (kind) => l.rows.filter((x) => x.group.listKind === kind).reduce((s, x) => s + x.active, 0);
    kpi('kpi-black', active('BLACK'), fmt.format(active('BLACK')));
    kpi('kpi-red', active('RED'), fmt.format(active('RED')));
    const domains = [...new Set(l.rows.map((x) => x.group.domainName))];
    const series = (kind, name, color) => ({ name, type: 'bar', stack: 'l', itemStyle: { color },
      data: domains.map((d) => l.rows.filter((x) => x.group.domainName === d && x.group.listKind === kind).reduce((s, x) => s + x.active, 0)) });
    render(panel, {
      legend, tooltip, grid: { left: 230, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', ...axis }, yAxis: { type: 'category', data: domains, ...axis },
      series: [series('BLACK', '黑名单在列', '#e05252'), series('RED', '红名单在列', '#d6336c')],
    }, ['名单', '领域', '领域代码', '新列入', `在列（${l.asOf}）`, '移出', '到期', '修复', '撤销'],
    l.rows.map((x) => [cell(x.group.listKind === 'RED' ? '红名单' : '黑名单', x.group.listKind), cell(x.group.domainName),
      cell(x.group.domain), num(x.entered), num(x.active), num(x.exited), num(x.expired), num(x.repaired), num(x.revoked)])
      .concat([[cell('合计'), cell(''), cell(''), num(l.total.entered), num(l.total.active), num(l.total.exited),
        num(l.total.expired), num(l.total.repaired), num(l.total.revoked)]]));
  });
  show('joint', 'panel-joint', (j, panel) => {
    kpi('kpi-pushed', j.total.pushed, fmt.format(j.total.pushed),
      `案件 ${fmt.format(j.casesOpened)} · 执行 ${fmt.format(j.total.executed)} · 逾期 ${fmt.format(j.total.overdue)}`);
    const depts = j.rows.map((x) => x.group.departmentName);
    const s = (name, key, color) => ({ name, type: 'bar', data: j.rows.map((x) => x[key]), itemStyle: { color } });
    render(panel, {
      legend, tooltip, grid: { left: 210, right: 30, top: 40, bottom: 30 },
      xAxis: { type: 'value', ...axis }, yAxis: { type: 'category', data: depts, inverse: true, ...axis },
      series: [s('推送', 'pushed', '#4fa3e0'), s('接收', 'accepted', '#7fd1ae'), s('执行', 'executed', '#3ccf91'),
        s('反馈', 'fedBack', '#c3a6ff'), s('逾期', 'overdue', '#e05252')],
    }, ['实施部门', '部门代码', '案件', '推送', '接收', '拒绝', '执行', '反馈', '逾期'],
    j.rows.map((x) => [cell(x.group.departmentName), cell(x.group.departmentCode), num(x.cases), num(x.pushed), num(x.accepted),
      num(x.rejected), num(x.executed), num(x.fedBack), num(x.overdue)])
      .concat([[cell('合计'), cell(''), num(j.casesOpened), num(j.total.pushed), num(j.total.accepted), num(j.total.rejected),
        num(j.total.executed), num(j.total.fedBack), num(j.total.overdue)]]));
  });
  const firstBad = errors.find((e) => (e.extensions || {}).code === 'BAD_USER_INPUT');
  return { readable, inputError: firstBad ? firstBad.message : '' };
}

// probeObjections shows the objections panel once the API has the
// statistic (issue 13 adds it): until then the field does not exist.
export async function probeObjections() {
  try {
    const { errors } = await graphql('{ objectionStats { __typename } }', {});
    const missing = errors.some((e) => /Cannot query field "objectionStats"/.test(e.message));
    document.getElementById('panel-objections').hidden = missing;
  } catch (e) {
    document.getElementById('panel-objections').hidden = true;
  }
}
