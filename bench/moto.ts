// The S3 server the upload benchmark writes to: the moto that `npm run services` started (MOTO_URL,
// from the environment or .services.env).
import { readdirSync, readFileSync } from 'node:fs';
import { motoAt, type Moto } from '../test/support/moto.js';
import { serviceSetting } from '../test/support/services.js';

export function motoFromServices(): Moto {
  const endpoint = serviceSetting('MOTO_URL');
  if (!endpoint)
    throw new Error('MOTO_URL is not set and there is no .services.env: run npm run services (it starts moto)');
  return motoAt(endpoint);
}

/**
 * moto's process on this machine, found by its command line (`moto_server ... -p <port>`), so its
 * CPU and memory can be read from /proc; undefined when MOTO_URL names another machine.
 */
export function motoPid(endpoint: string): number | undefined {
  const { hostname, port } = new URL(endpoint);
  if (!['127.0.0.1', 'localhost', '[::1]'].includes(hostname)) return undefined;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (!args.some((a) => a.endsWith('moto_server'))) continue;
      const at = args.findIndex((a) => a === '-p' || a === '--port');
      if ((at >= 0 ? args[at + 1] : '5000') === (port || '80')) return Number(entry);
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return undefined;
}
