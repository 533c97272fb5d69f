// Composes the hub (its running _service { sdl }) with the insurance
// subgraph using @apollo/composition, serves the supergraph with
// @apollo/gateway, and runs the queries read from standard input
// ([{name, query, variables, token}]) through it. Prints one JSON object:
// {composition: {errors, supergraph}, results: [{name, data, errors,
// received}]}, where received lists the keys the insurance subgraph was
// asked to resolve. The gateway forwards each query's token to the hub.
// Environment: HUB_URL, HUB_SDL_TOKEN (the key that reads the SDL),
// HUB_ROUTER_TOKEN (a ROUTER key: the gateway then sends it on every
// request and each query's token as X-End-User-Authorization),
// INSURANCE_DATA. Driven by test/interop/federation_test.go.
process.env.APOLLO_TELEMETRY_DISABLED = 'true'; // before Apollo's modules load: no calls home

const { composeServices } = await import('@apollo/composition');
const { ApolloGateway, RemoteGraphQLDataSource } = await import('@apollo/gateway');
const { ApolloServer } = await import('@apollo/server');
const { parse } = await import('graphql');
const { startSubgraph, typeDefs } = await import('./insurance-subgraph.mjs');

const hubURL = process.env.HUB_URL;
const data = JSON.parse(process.env.INSURANCE_DATA || '{}');
const queries = JSON.parse(await new Response(process.stdin).text() || '[]');

async function hubSDL() {
  const headers = { 'content-type': 'application/json' };
  if (process.env.HUB_SDL_TOKEN) headers.authorization = `Bearer ${process.env.HUB_SDL_TOKEN}`;
  const res = await fetch(hubURL, { method: 'POST', headers, body: JSON.stringify({ query: '{ _service { sdl } }' }) });
  const body = await res.json();
  if (!body.data || !body.data._service) throw new Error(`hub _service: ${res.status} ${JSON.stringify(body.errors)}`);
  return body.data._service.sdl;
}

const out = { composition: { errors: [] }, results: [] };
const insurance = await startSubgraph(data);
try {
  let sdl;
  try {
    sdl = await hubSDL();
  } catch (e) {
    out.composition.errors.push(String(e.message || e));
  }
  const composed = sdl && composeServices([
    { name: 'hub', url: hubURL, typeDefs: parse(sdl) },
    { name: 'insurance', url: insurance.url, typeDefs },
  ]);
  if (composed && composed.errors) out.composition.errors.push(...composed.errors.map((e) => e.message));
  if (composed && !composed.errors) {
    out.composition.supergraph = composed.supergraphSdl;
    const gateway = new ApolloGateway({
      supergraphSdl: composed.supergraphSdl,
      buildService: ({ url }) => new RemoteGraphQLDataSource({
        url,
        willSendRequest({ request, context }) {
          // As a production router: its own ROUTER key, the end user's token
          // in X-End-User-Authorization. Without one: the end user's token.
          const router = process.env.HUB_ROUTER_TOKEN;
          if (router) {
            request.http.headers.set('authorization', `Bearer ${router}`);
            if (context.token) request.http.headers.set('x-end-user-authorization', `Bearer ${context.token}`);
            if (context.forwardedFor) request.http.headers.set('x-forwarded-for', context.forwardedFor);
          } else if (context.token) {
            request.http.headers.set('authorization', `Bearer ${context.token}`);
          }
        },
      }),
    });
    const server = new ApolloServer({ gateway, includeStacktraceInErrorResponses: false });
    await server.start();
    for (const q of queries) {
      insurance.received.length = 0;
      const res = await server.executeOperation(
        { query: q.query, variables: q.variables || {} },
        { contextValue: { token: q.token || '', forwardedFor: q.forwardedFor || '' } },
      );
      const single = res.body.kind === 'single' ? res.body.singleResult : {};
      out.results.push({ name: q.name, data: single.data ?? null, errors: single.errors || [], received: [...insurance.received] });
    }
    await server.stop();
  }
} finally {
  insurance.close();
}
process.stdout.write(JSON.stringify(out));
