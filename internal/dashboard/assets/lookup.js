// The subject look-up: the explained check result for callers allowed to
// make checks (WINDOW: applicantCheck, BANK: creditCheck, CREDIT_OFFICE:
// either). Anyone else gets a clean refusal from the API, shown as such.

import { graphql, code, ApiError } from './api.js';

const REASONS = 'reasons { rule text records { kind decisionNumber decidedOn } }';
const MEASURES = 'measures { measure { code name legalBasis implementingDepartment } entry { kind domainName decisionNumber decidedOn } viaRole }';

const QUERIES = {
  applicant: `query Applicant($code: ID!, $purpose: String!) { check: applicantCheck(code: $code, purpose: $purpose) {
    asOf ruleVersion subject { code name } greenChannel acceptWithMissingDocuments
    disputed { kind decisionNumber decidedOn } ${MEASURES} ${REASONS} } }`,
  credit: `query Credit($code: ID!, $purpose: String!) { check: creditCheck(code: $code, purpose: $purpose) {
    asOf ruleVersion subject { code name } verdict redListed blacklisted taxCreditGrade { year grade }
    penaltiesLast3Years seriousPenaltiesLast3Years ${MEASURES} ${REASONS} } }`,
};

const kindName = { PENALTY: '行政处罚', LICENCE: '行政许可', LIST_ENTRY: '红黑名单' };
const verdictName = { CLEAR: '无不良信用记录', CAUTION: '需审慎关注', RESTRICTED: '受限（失信惩戒）' };
const roleName = { LEGAL_REPRESENTATIVE: '法定代表人', PRINCIPAL: '主要负责人', ACTUAL_CONTROLLER: '实际控制人', DIRECTLY_RESPONSIBLE: '直接责任人员' };

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : String(c));
  return e;
}

// run makes one check. A refusal of the check (its field is non-null, so
// the whole answer is null) comes back as the error, not thrown; a bad key
// or an unreachable hub still throws.
async function run(kind, code, purpose) {
  try {
    const { data, errors } = await graphql(QUERIES[kind], { code, purpose });
    return { check: data.check, error: errors[0] };
  } catch (e) {
    if (e instanceof ApiError && e.code !== 'UNAUTHENTICATED' && e.status !== 0) {
      return { check: null, error: { message: e.message, extensions: { code: e.code } } };
    }
    throw e;
  }
}

// lookup runs the check the select asks for; "auto" tries the window's
// check and, when the role may not make it, the bank's.
export async function lookup(form, out) {
  const code = form.querySelector('#lookup-code').value.trim().toUpperCase();
  const purpose = form.querySelector('#lookup-purpose').value.trim();
  const choice = form.querySelector('#lookup-kind').value;
  out.replaceChildren(el('p', { class: 'muted' }, '核查中…'));
  try {
    let kind = choice === 'auto' ? 'applicant' : choice;
    let r = await run(kind, code, purpose);
    if (choice === 'auto' && r.error && codeOf(r.error) === 'FORBIDDEN') {
      kind = 'credit';
      r = await run(kind, code, purpose);
    }
    if (r.error) {
      out.replaceChildren(refusal(r.error));
      return;
    }
    out.replaceChildren(kind === 'applicant' ? applicant(r.check) : credit(r.check));
  } catch (e) {
    out.replaceChildren(el('p', { class: 'error', 'data-code': e instanceof ApiError ? e.code : 'ERROR' }, e.message));
  }
}

function codeOf(e) {
  return code(e);
}

function refusal(e) {
  const c = codeOf(e);
  const text = {
    FORBIDDEN: '此密钥的角色不能进行主体核查（仅审批窗口、银行与市信用办可以）。',
    NOT_FOUND: '平台未登记该主体。',
    BAD_USER_INPUT: '输入有误：' + e.message,
  }[c] || '核查未完成：' + e.message;
  return el('p', { class: 'error refusal', 'data-code': c }, text);
}

function header(check, verdict, cls) {
  return el('div', { class: 'verdict ' + cls },
    el('h3', {}, `${check.subject.name}（${check.subject.code}）`),
    el('p', { class: 'verdict-text', id: 'lookup-verdict' }, verdict),
    el('p', { class: 'muted' }, `核查日期 ${check.asOf} · 规则版本 ${check.ruleVersion}`));
}

function measures(list) {
  if (list.length === 0) return el('p', { class: 'muted' }, '无须实施的联合奖惩措施。');
  const t = el('table', {}, el('tr', {}, el('th', {}, '措施'), el('th', {}, '法律依据'), el('th', {}, '实施部门'), el('th', {}, '依据名单')));
  for (const m of list) {
    const via = m.viaRole ? `（作为${roleName[m.viaRole] || m.viaRole}）` : '';
    t.append(el('tr', {}, el('td', {}, m.measure.name), el('td', {}, m.measure.legalBasis), el('td', {}, m.measure.implementingDepartment),
      el('td', {}, `${m.entry.domainName} ${m.entry.decisionNumber}${via}`)));
  }
  return t;
}

function reasons(list) {
  const ul = el('ul', { class: 'reasons' });
  for (const r of list) {
    const recs = r.records.map((x) => `${kindName[x.kind] || x.kind} ${x.decisionNumber}（${x.decidedOn}）`).join('；');
    ul.append(el('li', {}, el('strong', {}, r.text), recs ? el('span', { class: 'muted' }, ' 依据记录：' + recs) : '',
      el('code', {}, r.rule)));
  }
  return ul;
}

function applicant(c) {
  const ok = c.greenChannel && c.acceptWithMissingDocuments;
  const verdict = `绿色通道：${c.greenChannel ? '可以适用' : '不适用'}；容缺受理：${c.acceptWithMissingDocuments ? '可以适用' : '不适用'}`;
  const box = el('div', { class: 'result' }, header(c, verdict, ok ? 'good' : 'bad'));
  if (c.disputed.length > 0) {
    box.append(el('p', { class: 'warn' }, '异议处理中的记录（暂不据此实施措施）：' +
      c.disputed.map((x) => `${kindName[x.kind]} ${x.decisionNumber}`).join('；')));
  }
  box.append(el('h4', {}, '须实施的措施'), measures(c.measures), el('h4', {}, '理由'), reasons(c.reasons));
  return box;
}

function credit(c) {
  const grade = c.taxCreditGrade ? `${c.taxCreditGrade.year} 年 ${c.taxCreditGrade.grade} 级` : '无';
  const box = el('div', { class: 'result' }, header(c, verdictName[c.verdict] || c.verdict, c.verdict === 'CLEAR' ? 'good' : 'bad'));
  box.append(el('p', {}, `红名单：${c.redListed ? '在列' : '否'} · 黑名单：${c.blacklisted ? '在列' : '否'} · 纳税信用：${grade} · ` +
    `近三年行政处罚 ${c.penaltiesLast3Years} 件（严重 ${c.seriousPenaltiesLast3Years} 件）`));
  box.append(el('h4', {}, '银行须执行的措施'), measures(c.measures), el('h4', {}, '理由'), reasons(c.reasons));
  return box;
}
