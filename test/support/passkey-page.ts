import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * What the page runs: the API calls and the WebAuthn ceremonies as a client app makes them, with
 * the base64url <-> ArrayBuffer glue written out (no library). The API is `?api=` of the page URL.
 */
const SCRIPT = String.raw`
const api = new URLSearchParams(location.search).get('api');
const enc = (buf) => btoa(String.fromCharCode(...new Uint8Array(buf))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
const dec = (text) => {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)).buffer;
};
const descriptors = (list) => (list || []).map((c) => ({ ...c, id: dec(c.id) }));

async function call(method, path, token, body) {
  const headers = {};
  if (token) headers.authorization = 'Bearer ' + token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(api + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const common = (cred) => ({
  id: cred.id,
  rawId: enc(cred.rawId),
  type: cred.type,
  ...(cred.authenticatorAttachment ? { authenticatorAttachment: cred.authenticatorAttachment } : {}),
  clientExtensionResults: cred.getClientExtensionResults(),
});

window.passkeys = {
  call,
  async register(token, name) {
    const options = await call('POST', '/v1/auth/passkeys/register/options', token);
    if (options.status !== 200) return options;
    const o = options.body;
    const publicKey = { ...o, challenge: dec(o.challenge), user: { ...o.user, id: dec(o.user.id) }, excludeCredentials: descriptors(o.excludeCredentials) };
    const cred = await navigator.credentials.create({ publicKey });
    const response = {
      ...common(cred),
      response: {
        clientDataJSON: enc(cred.response.clientDataJSON),
        attestationObject: enc(cred.response.attestationObject),
        transports: cred.response.getTransports(),
      },
    };
    return call('POST', '/v1/auth/passkeys/register', token, { response, name });
  },
  async signIn() {
    const options = await call('POST', '/v1/auth/passkeys/login/options');
    if (options.status !== 200) return options;
    const o = options.body;
    const cred = await navigator.credentials.get({ publicKey: { ...o, challenge: dec(o.challenge), allowCredentials: descriptors(o.allowCredentials) } });
    const r = cred.response;
    const response = {
      ...common(cred),
      response: {
        clientDataJSON: enc(r.clientDataJSON),
        authenticatorData: enc(r.authenticatorData),
        signature: enc(r.signature),
        ...(r.userHandle ? { userHandle: enc(r.userHandle) } : {}),
      },
    };
    return call('POST', '/v1/auth/passkeys/login', undefined, { response });
  },
};
`;

const PAGE = `<!doctype html><html><head><meta charset="utf-8"><title>Passkeys</title></head>
<body><p>Portico passkey test page</p><script>${SCRIPT}</script></body></html>`;

export interface PasskeyPage {
  /** `http://localhost:<port>`: a secure context whose host fits the RP ID `localhost`. */
  origin: string;
  close(): Promise<void>;
}

/** Serves the test page on loopback (port 0); its origin is named by `localhost`, as a browser sees it. */
export async function servePasskeyPage(): Promise<PasskeyPage> {
  const server: Server = createServer((req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname !== '/') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
