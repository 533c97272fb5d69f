// The hub's own GraphQL API, read with the key the user pasted. The key
// lives in sessionStorage only: it goes when the tab closes, and never
// into localStorage, a cookie or a URL.

const KEY = 'credithub.apiKey';

export function savedKey() {
  return sessionStorage.getItem(KEY) || '';
}

export function saveKey(key) {
  sessionStorage.setItem(KEY, key);
}

export function forgetKey() {
  sessionStorage.removeItem(KEY);
}

// ApiError is a failure of the whole request: a bad key (401), a refused
// operation, or the hub out of reach.
export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

// graphql posts one operation and returns {data, errors}: field errors
// (FORBIDDEN for one statistic, BAD_USER_INPUT for a period) come back with
// the data of the other fields, request errors throw ApiError.
export async function graphql(query, variables) {
  let resp;
  try {
    resp = await fetch('/graphql', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Accept: 'application/graphql-response+json, application/json',
        Authorization: 'Bearer ' + savedKey(),
      },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new ApiError('无法连接平台接口：' + e.message, 'UNAVAILABLE', 0);
  }
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    body = null;
  }
  const errors = (body && body.errors) || [];
  if (resp.status === 401 || errors.some((e) => code(e) === 'UNAUTHENTICATED')) {
    throw new ApiError('密钥无效、已过期或已被吊销。', 'UNAUTHENTICATED', 401);
  }
  if (resp.status === 429) {
    throw new ApiError('请求过于频繁，请稍后再试。', 'RATE_LIMITED', 429);
  }
  if (!body || (!body.data && errors.length === 0)) {
    throw new ApiError('平台接口返回异常（HTTP ' + resp.status + '）。', 'INTERNAL', resp.status);
  }
  if (!body.data) {
    const e = errors[0];
    throw new ApiError(e.message, code(e), resp.status);
  }
  return { data: body.data, errors };
}

export function code(e) {
  return (e && e.extensions && e.extensions.code) || '';
}

// fieldError returns the error of the root field named alias, if any.
export function fieldError(errors, alias) {
  return errors.find((e) => Array.isArray(e.path) && e.path[0] === alias);
}

// describe turns a field error into a sentence for a panel.
export function describe(e) {
  switch (code(e)) {
    case 'FORBIDDEN':
      return '此密钥的角色无权查看该项统计。';
    case 'BAD_USER_INPUT':
      return '查询条件有误：' + e.message;
    case 'RATE_LIMITED':
      return '请求过于频繁，请稍后再试。';
    default:
      return '暂时无法读取：' + e.message;
  }
}
