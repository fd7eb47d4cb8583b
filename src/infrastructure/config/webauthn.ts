import { z } from 'zod';
import { int, list, type Rule } from './helpers.js';

const DEFAULT_APP_URL = 'http://localhost:3000';

/** `scheme://host[:port]` exactly, as a browser reports an origin in clientDataJSON. */
const isOrigin = (text: string) =>
  URL.canParse(text) && /^https?:$/.test(new URL(text).protocol) && new URL(text).origin === text;
/** A registrable domain or `localhost`: lower-case labels, no scheme, port or path. */
const isRpId = (text: string) =>
  /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/.test(text);

export const webauthnFields = {
  WEBAUTHN_RP_ID: z
    .string()
    .trim()
    .toLowerCase()
    .refine(isRpId, 'must be a domain name such as example.com')
    .optional(),
  WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default('Portico'),
  WEBAUTHN_ORIGINS: list
    .refine(
      (origins) => origins.length > 0 && origins.every(isOrigin),
      'must be comma-separated origins such as https://app.example.com',
    )
    .optional(),
  WEBAUTHN_CHALLENGE_TTL_S: int(30, 600).default(300),
};
type WebAuthnValues = z.output<z.ZodObject<typeof webauthnFields>> & { PUBLIC_APP_URL?: string };

const defaults = (v: WebAuthnValues) => {
  const app = new URL(v.PUBLIC_APP_URL ?? DEFAULT_APP_URL);
  return { rpId: v.WEBAUTHN_RP_ID ?? app.hostname, origins: v.WEBAUTHN_ORIGINS ?? [app.origin] };
};

/** A browser accepts an RP ID equal to the page's host or a registrable suffix of it. */
const fitsRpId = (origin: string, rpId: string) => {
  const host = new URL(origin).hostname;
  return host === rpId || host.endsWith(`.${rpId}`);
};

export const webauthnRules: Rule<WebAuthnValues>[] = [
  {
    name: 'WEBAUTHN_RP_ID',
    reads: ['WEBAUTHN_RP_ID', 'WEBAUTHN_ORIGINS', 'PUBLIC_APP_URL'],
    message: 'every expected origin (WEBAUTHN_ORIGINS, else PUBLIC_APP_URL) must be on this domain or under it',
    broken: (v) => {
      const { rpId, origins } = defaults(v);
      return !origins.every((origin) => fitsRpId(origin, rpId));
    },
  },
];

/**
 * `config.webauthn`: the relying party of passkey sign-in. By default its ID is PUBLIC_APP_URL's host
 * and the one origin expected is PUBLIC_APP_URL's; WEBAUTHN_RP_ID and WEBAUTHN_ORIGINS override them
 * (a parent domain as RP ID, several app origins).
 */
export const webauthn = (v: WebAuthnValues) => ({
  ...defaults(v),
  rpName: v.WEBAUTHN_RP_NAME,
  /** How long a registration or sign-in challenge waits for the browser's answer. */
  challengeTtlSeconds: v.WEBAUTHN_CHALLENGE_TTL_S,
});
