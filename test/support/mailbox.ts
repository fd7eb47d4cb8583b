import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'chai';
import { startSmtp, type Received } from './smtp-servers.js';
import { until } from './until.js';

export type LinkKind = 'verify-email' | 'reset-password' | 'confirm-email';

export interface Letter {
  to: string[];
  subject: string;
  text: string;
}

const decodeQuotedPrintable = (body: string) =>
  Buffer.from(
    body.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  ).toString('utf8');

/** The headers and the plain-text body of a single-part message as the SMTP server received it. */
export function readLetter(received: Received): Letter {
  const split = received.raw.search(/\r?\n\r?\n/);
  const head = received.raw.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = received.raw.slice(split).replace(/^\r?\n\r?\n/, '');
  const header = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(head)?.[1]?.trim() ?? '';
  const encoding = header('Content-Transfer-Encoding').toLowerCase();
  const text =
    encoding === 'quoted-printable'
      ? decodeQuotedPrintable(body)
      : encoding === 'base64'
        ? Buffer.from(body, 'base64').toString('utf8')
        : body;
  return { to: received.to, subject: header('Subject'), text: text.replace(/\r\n/g, '\n') };
}

/**
 * What a real SMTP server on loopback received from the app, read as a person would: letters to an
 * address, and the token of the link a letter carries. A letter is handed out by `link` only once.
 */
export class Mailbox {
  private readonly taken = new Set<Received>();

  constructor(
    readonly received: Received[],
    private readonly appUrl: string,
  ) {}

  /** Every letter to `address` so far, oldest first. */
  lettersTo(address: string): Letter[] {
    return this.received.filter((r) => r.to.includes(address)).map(readLetter);
  }

  /** Waits for a letter to `address` with a `kind` link not handed out before; its token and the whole letter. */
  async link(address: string, kind: LinkKind): Promise<{ token: string; url: string; letter: Letter }> {
    const prefix = `${this.appUrl}/${kind}?token=`;
    let found: { received: Received; letter: Letter } | undefined;
    await until(() => {
      for (const received of this.received) {
        if (this.taken.has(received) || !received.to.includes(address)) continue;
        const letter = readLetter(received);
        if (letter.text.includes(prefix)) return Boolean((found = { received, letter }));
      }
      return false;
    });
    this.taken.add(found!.received);
    const url = found!.letter.text.split(/\s+/).find((word) => word.startsWith(prefix))!;
    const token = new URL(url).searchParams.get('token');
    expect(token, url).to.be.a('string').and.not.empty;
    return { token: token!, url, letter: found!.letter };
  }

  /** Waits for a letter to `address` whose text matches `pattern`. */
  async letter(address: string, pattern: RegExp): Promise<Letter> {
    let found: Letter | undefined;
    await until(() => Boolean((found = this.lettersTo(address).find((l) => pattern.test(l.text)))));
    return found!;
  }

  /** Lets the sender loop run for `ms`, then checks that `address` got no letter beyond the `before` it had. */
  async expectNoNewLetter(address: string, before: number, ms: number): Promise<void> {
    await sleep(ms);
    expect(this.lettersTo(address).map((l) => l.subject)).to.have.length(before);
  }
}

/** An SMTP server on loopback and the app settings that deliver to it through the real smtp adapter. */
export async function startMailbox(appUrl: string, sendIntervalMs: number) {
  const smtp = await startSmtp();
  return {
    mailbox: new Mailbox(smtp.received, appUrl),
    env: {
      MAIL_DRIVER: 'smtp',
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      MAIL_SEND_INTERVAL_MS: String(sendIntervalMs),
      PUBLIC_APP_URL: appUrl,
    },
    close: smtp.close,
  };
}
