// A real, OpenID-certified provider (panva's oidc-provider, pinned in package-lock.json) as
// the upstream of social sign-up in the journeys tests. Run by tests/journeys/oidc_provider.rs:
//
//   PORT=0 CLIENTS='[{"client_id":"…","client_secret":"…","redirect_uris":["…"]}]' \
//     node tests/oidc/provider.mjs
//
// Environment:
//   PORT     TCP port on 127.0.0.1; 0 lets the system pick a free one (no race between
//            choosing a port and binding it). The issuer is http://127.0.0.1:<port>.
//   CLIENTS  JSON array of {client_id, client_secret, redirect_uris}, each optionally with
//            token_endpoint_auth_method "client_secret_post" (default client_secret_basic).
//            Every client is a confidential code-flow client that must send PKCE (S256).
//
// The person signs in on oidc-provider's built-in development forms: any login is accepted
// and the password is ignored. The login is the account id, so `sub` is stable across runs.
// Claims: email = the login, email_verified = true unless the login starts with
// "unverified", given_name Ada, family_name Lovelace, name Ada Lovelace, preferred_username
// = the login up to "@". The consent page's "[ Cancel ]" link aborts: the client gets
// error=access_denied with its state.
//
// Stdout carries one line, `READY <issuer>`, once the port is open; errors go to stderr.
// SIGTERM (or SIGINT) closes the server and exits 0.

import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import Provider from 'oidc-provider';

const port = Number(process.env.PORT ?? '0');
let clients;
try {
  clients = JSON.parse(process.env.CLIENTS ?? '[]');
} catch (error) {
  console.error(`CLIENTS is not JSON: ${error.message}`);
  process.exit(2);
}
if (!Number.isInteger(port) || port < 0 || !Array.isArray(clients)) {
  console.error('usage: PORT=<port|0> CLIENTS=<JSON array of clients> node provider.mjs');
  process.exit(2);
}

function findAccount(_ctx, id) {
  return {
    accountId: id,
    async claims() {
      return {
        sub: id,
        email: id,
        email_verified: !id.startsWith('unverified'),
        given_name: 'Ada',
        family_name: 'Lovelace',
        name: 'Ada Lovelace',
        preferred_username: id.split('@')[0],
      };
    },
  };
}

const configuration = {
  clients: clients.map((client) => ({
    client_id: client.client_id,
    client_secret: client.client_secret,
    redirect_uris: client.redirect_uris,
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: client.token_endpoint_auth_method ?? 'client_secret_basic',
  })),
  clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
  responseTypes: ['code'],
  pkce: { methods: ['S256'], required: () => true },
  scopes: ['openid', 'email', 'profile'],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['given_name', 'family_name', 'preferred_username', 'name'],
  },
  // Off so the ID token itself carries the scopes' claims, as Google's and most social
  // providers' do; with it on they would only be at the userinfo endpoint.
  conformIdTokenClaims: false,
  findAccount,
  features: {
    devInteractions: { enabled: true },
    userinfo: { enabled: true },
  },
  // Fresh per run: nothing signed by an earlier run should be accepted.
  cookies: { keys: [randomBytes(32).toString('base64url')] },
};

const server = createServer();
server.on('error', (error) => {
  console.error(`cannot listen on 127.0.0.1:${port}: ${error.message}`);
  process.exit(1);
});
server.listen(port, '127.0.0.1', () => {
  // The issuer names the port actually bound, known only now when PORT is 0.
  const issuer = `http://127.0.0.1:${server.address().port}`;
  let provider;
  try {
    provider = new Provider(issuer, configuration);
  } catch (error) {
    console.error(`oidc-provider refused its configuration: ${error.stack ?? error}`);
    process.exit(1);
  }
  // A failed step would otherwise only show as an error page the test cannot explain.
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'userinfo.error']) {
    provider.on(event, (_ctx, error) => {
      console.error(`${event}: ${error.message}${error.error_description ? ` (${error.error_description})` : ''}`);
    });
  }
  server.on('request', provider.callback());
  process.stdout.write(`READY ${issuer}\n`);
});

function stop() {
  server.close(() => process.exit(0));
  // Keep-alive connections would hold close() open.
  server.closeAllConnections();
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
