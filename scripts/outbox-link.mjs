#!/usr/bin/env node
// Prints the token of the newest link to <page> (verify-email, reset-password, confirm-email) found
// in the outbox (DATA_DIR/outbox, ./data/outbox by default): what a developer would click in the mail.
// Waits up to 15 s for the sender loop to write it. Usage: node scripts/outbox-link.mjs verify-email
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const page = process.argv[2];
if (!['verify-email', 'reset-password', 'confirm-email'].includes(page ?? '')) {
  console.error('usage: node scripts/outbox-link.mjs verify-email|reset-password|confirm-email');
  process.exit(2);
}
const outbox = path.join(process.env.DATA_DIR ?? 'data', 'outbox');
const since = Date.now() - Number(process.env.SINCE_MS ?? 60_000);

/** The message text with quoted-printable undone (soft line breaks, `=3D`). */
const textOf = (file) =>
  readFileSync(file, 'utf8')
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));

function newestToken() {
  if (!existsSync(outbox)) return undefined;
  const files = readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => path.join(outbox, name))
    .filter((file) => statSync(file).mtimeMs >= since)
    .sort()
    .reverse();
  for (const file of files) {
    const match = new RegExp(`/${page}\\?token=([^\\s"<>]+)`).exec(textOf(file));
    if (match) return decodeURIComponent(match[1]);
  }
  return undefined;
}

const deadline = Date.now() + 15_000;
for (;;) {
  const token = newestToken();
  if (token) {
    console.log(token);
    process.exit(0);
  }
  if (Date.now() > deadline) {
    console.error(`no ${page} link in ${outbox} from the last minute`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
