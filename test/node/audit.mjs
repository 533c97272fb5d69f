// Runs graphql-http's server audits (the GraphQL-over-HTTP spec's MUSTs,
// SHOULDs and MAYs) against GRAPHQL_URL and prints one JSON array of
// {id, name, status, reason}; with TOKEN set, every request carries it as a
// bearer token. Driven by test/interop/audit_test.go.
import { serverAudits } from 'graphql-http';

const url = process.env.GRAPHQL_URL;
const token = process.env.TOKEN || '';
if (!url) {
  console.error('audit.mjs: set GRAPHQL_URL');
  process.exit(2);
}

function fetchWithToken(input, init = {}) {
  if (!token) return fetch(input, init);
  const headers = new Headers(init.headers || {});
  headers.set('authorization', `Bearer ${token}`);
  return fetch(input, { ...init, headers });
}

const results = [];
for (const audit of serverAudits({ url, fetchFn: fetchWithToken })) {
  const r = await audit.fn();
  results.push({ id: audit.id, name: audit.name, status: r.status, reason: r.reason || '' });
}
process.stdout.write(JSON.stringify(results));
