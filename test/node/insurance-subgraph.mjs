// A second federation subgraph, as a social insurance bureau would run it:
// it extends the hub's Subject (joined by code) with its own record, for
// organisations (insured employees) and persons (insured status). Its data
// comes from INSURANCE_DATA ({code: {...}}); it remembers every key the
// gateway asked it to resolve, so a test can see what the hub handed over.
import http from 'node:http';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { graphql, parse } from 'graphql';

export const typeDefs = parse(`
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])

  "A credit subject of the hub, with what the social insurance bureau knows of it."
  type Subject @key(fields: "code") {
    code: ID!
    socialInsurance: SocialInsurance
  }

  type SocialInsurance {
    "Organisations: persons insured through it."
    insuredPersons: Int
    "Persons and organisations: ACTIVE, SUSPENDED or ARREARS."
    status: String!
  }

  type Query {
    "Organisations in contribution arrears, by code."
    employersInArrears: [Subject!]!
  }
`);

export function startSubgraph(data) {
  const received = [];
  const resolvers = {
    Query: {
      employersInArrears: () => Object.entries(data)
        .filter(([, r]) => r.status === 'ARREARS' && r.insuredPersons !== undefined)
        .map(([code]) => ({ code })),
    },
    Subject: {
      __resolveReference: ({ code }) => {
        received.push(code);
        return { code };
      },
      socialInsurance: ({ code }) => data[code] || null,
    },
  };
  const schema = buildSubgraphSchema([{ typeDefs, resolvers }]);
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', async () => {
      const { query, variables, operationName } = JSON.parse(body || '{}');
      const result = await graphql({ schema, source: query, variableValues: variables, operationName });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      resolve({ url: `http://127.0.0.1:${server.address().port}/graphql`, received, close: () => server.close() });
    });
  });
}
