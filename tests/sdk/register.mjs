// A registration through WSO2's published JavaScript SDK (@asgardeo/javascript), as an
// external client of Flows' Flow Execution API. Run by tests/journeys/sdk.rs:
//
//   node tests/sdk/register.mjs BASE_URL EMAIL PASSWORD
//
// It renders nothing: it walks the components of each view, fills the inputs it knows by
// their `config.identifier`, and presses the PRIMARY button by sending its `id` as
// `actionId`. For the one-time code it prints one line
//   {"event":"code","flowId":"…"}
// and reads the six digits from one line of standard input. It ends with one line
//   {"event":"done","response":{…},"requests":[…]}
// where `requests` is every request the SDK sent (URL and JSON body), recorded by wrapping
// `fetch`, so the caller can check what went over the wire. Any error (the SDK throws an
// AsgardeoAPIError on a non-2xx answer) prints {"event":"error",…} and exits 1.

import { AsgardeoAPIError, executeEmbeddedSignUpFlow } from '@asgardeo/javascript';
import { createInterface } from 'node:readline';

const [baseUrl, email, password] = process.argv.slice(2);
if (!baseUrl || !email || !password) {
  console.error('usage: node register.mjs BASE_URL EMAIL PASSWORD');
  process.exit(2);
}

const say = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

// What the SDK sends, exactly as it sends it.
const requests = [];
const realFetch = globalThis.fetch;
globalThis.fetch = async (url, init = {}) => {
  const response = await realFetch(url, init);
  requests.push({
    url: String(url),
    method: init.method,
    headers: init.headers,
    body: JSON.parse(init.body),
    status: response.status,
  });
  return response;
};

const lines = createInterface({ input: process.stdin });
const nextLine = () =>
  new Promise((resolve, reject) => {
    lines.once('line', resolve);
    lines.once('close', () => reject(new Error('standard input closed before a code came')));
  });

// Depth first, as a renderer would meet them.
const walk = (components, out = []) => {
  for (const c of components ?? []) {
    out.push(c);
    walk(c.components, out);
  }
  return out;
};

const values = {
  'http://wso2.org/claims/givenname': 'Ada',
  'http://wso2.org/claims/lastname': 'Lovelace',
  'http://wso2.org/claims/emailaddress': email,
  password,
  terms: 'true',
};

const fail = (what, detail) => {
  say({ event: 'error', what, detail, requests });
  process.exit(1);
};

try {
  // Start with `baseUrl`: the SDK appends /api/server/v1/flow/execute itself.
  let response = await executeEmbeddedSignUpFlow({
    baseUrl,
    payload: { flowType: 'REGISTRATION' },
  });
  const seen = new Set();
  for (let step = 0; response.flowStatus !== 'COMPLETE'; step += 1) {
    if (step > 5) fail('too many steps', response);
    if (response.type !== 'VIEW') fail('not a VIEW', response);
    const all = walk(response.data.components);
    const button = all.find((c) => c.type === 'BUTTON' && c.variant === 'PRIMARY');
    if (!button) fail('no PRIMARY button', response);
    if (button.actionId !== undefined && button.actionId !== button.id) {
      fail('a button whose actionId is not its id', button);
    }
    const inputs = {};
    for (const c of all.filter((c) => c.type === 'INPUT')) {
      const id = c.config?.identifier;
      if (id === 'otp') {
        say({ event: 'code', flowId: response.flowId });
        const code = (await nextLine()).trim();
        if (!/^\d{6}$/.test(code)) fail('not a six-digit code on standard input', code);
        inputs[id] = code;
      } else if (id in values) {
        inputs[id] = values[id];
      } else if (c.config?.required) {
        fail(`a required input the client does not know: ${id}`, c);
      }
    }
    const key = `${response.flowId}/${button.id}`;
    if (seen.has(key)) fail('the same view came back (a field problem?)', response);
    seen.add(key);
    const payload = { flowId: response.flowId, actionId: button.id, inputs };
    // The code step goes through the tenant-qualified URL, as a client configured with an
    // organization URL calls it.
    response = await executeEmbeddedSignUpFlow(
      'otp' in inputs
        ? { url: `${baseUrl}/t/carbon.super/api/server/v1/flow/execute`, payload }
        : { baseUrl, payload },
    );
  }
  lines.close();
  say({ event: 'done', response, requests });
} catch (error) {
  if (error instanceof AsgardeoAPIError) {
    fail('AsgardeoAPIError', {
      message: error.message,
      code: error.code,
      statusCode: error.statusCode,
      statusText: error.statusText,
    });
  }
  fail('error', String(error?.stack ?? error));
}
