import { readdir } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { expect } from 'chai';
import type { Portico } from './portico.js';
import { PORTICO_ADMIN } from './portico.js';
import { aSignedInUser, login } from './http-client.js';

/** Every file under `dir`, relative to it; none when it does not exist. */
export async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

/** What the local-disk store holds, leaving out its empty bookkeeping directories. */
export const storedUnder = async (app: Portico) => filesUnder(app.config.files.dir);

export async function people(app: Portico) {
  const [alice, bob] = [await aSignedInUser(app), await aSignedInUser(app)];
  const admin = await login(app, PORTICO_ADMIN.email, PORTICO_ADMIN.password);
  return { alice, bob, admin };
}

/**
 * Sends a request exactly as written, on a raw socket (for what fetch and node:http will not
 * send: a POST with neither Content-Length nor Transfer-Encoding). Answers the status line.
 */
export function rawRequest(base: string, text: string): Promise<string> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(text));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

export const expectStatus = (res: { status: number; text?: string }, status: number) =>
  expect(res.status, res.text).to.equal(status);
