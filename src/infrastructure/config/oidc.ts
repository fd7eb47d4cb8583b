import { z } from 'zod';
import { int, list, type Rule } from './helpers.js';
import type { ServerValues } from './server.js';

const NAME = /^[a-z][a-z0-9]{0,31}$/;

/** An http(s) URL without query or fragment: paths are appended to it. */
const baseUrl = z
  .string()
  .refine((text) => URL.canParse(text) && /^https?:\/\/[^?#]+$/i.test(text), 'must be an http(s) URL, no query')
  .transform((text) => new URL(text).href.replace(/\/+$/, ''));

export const oidcFields = {
  /** Comma-separated provider names (lower-case letters and digits); each has OIDC_<NAME>_* settings. */
  OIDC_PROVIDERS: list.pipe(z.array(z.string().regex(NAME, 'names are a-z and 0-9, 32 at most'))).optional(),
  /** The API's own public base URL: redirect URIs are `{it}/v1/auth/oidc/{name}/callback`. */
  OIDC_REDIRECT_BASE_URL: baseUrl.optional(),
  OIDC_FLOW_TTL_S: int(60, 3_600).default(600),
  OIDC_CODE_TTL_S: int(10, 600).default(60),
  OIDC_LINK_TTL_S: int(30, 3_600).default(300),
  OIDC_HTTP_TIMEOUT_S: int(1, 60).default(5),
};
type OidcValues = z.output<z.ZodObject<typeof oidcFields>>;

const prefixOf = (name: string) => `OIDC_${name.toUpperCase()}_`;
const namesIn = (source: Record<string, string | undefined>) =>
  (source.OIDC_PROVIDERS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => NAME.test(s));

/** Loopback issuers may use plain HTTP (development, tests); everything else must be https. */
const issuerUrl = z
  .string()
  .refine((text) => URL.canParse(text), 'must be a URL')
  .refine((text) => {
    const url = new URL(text);
    return (
      url.protocol === 'https:' ||
      (url.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname))
    );
  }, 'must be https (plain http only on loopback)');

/**
 * The settings each listed provider requires, named after it: `OIDC_GOOGLE_ISSUER`,
 * `OIDC_GOOGLE_CLIENT_ID`, `OIDC_GOOGLE_CLIENT_SECRET` (a secret: from the environment or the
 * stage's SSM tree, as every setting). Built from the names listed, so a missing one is reported by name.
 */
export function oidcProviderSettings(source: Record<string, string | undefined>) {
  const fields = Object.fromEntries(
    namesIn(source).flatMap((name) => [
      [`${prefixOf(name)}ISSUER`, issuerUrl],
      [`${prefixOf(name)}CLIENT_ID`, z.string().min(1)],
      [`${prefixOf(name)}CLIENT_SECRET`, z.string().min(1)],
    ]),
  );
  return z.object(fields).transform((values) => ({ oidcProviderValues: values as Record<string, string> }));
}

export const oidcRules: Rule<OidcValues & Pick<ServerValues, 'NODE_ENV'>>[] = [
  {
    name: 'OIDC_REDIRECT_BASE_URL',
    reads: ['NODE_ENV', 'OIDC_PROVIDERS', 'OIDC_REDIRECT_BASE_URL'],
    message: 'required in production when OIDC_PROVIDERS is set',
    broken: (v) => v.NODE_ENV === 'production' && (v.OIDC_PROVIDERS?.length ?? 0) > 0 && !v.OIDC_REDIRECT_BASE_URL,
  },
];

/** `config.oidc`: OpenID Connect sign-in (docs/accounts.md, "Sign in with OpenID Connect"). */
export const oidc = (v: OidcValues & Pick<ServerValues, 'PORT'> & { oidcProviderValues: Record<string, string> }) => ({
  providers: [...new Set(v.OIDC_PROVIDERS ?? [])].map((name) => ({
    name,
    issuer: v.oidcProviderValues[`${prefixOf(name)}ISSUER`] ?? '',
    clientId: v.oidcProviderValues[`${prefixOf(name)}CLIENT_ID`] ?? '',
    clientSecret: v.oidcProviderValues[`${prefixOf(name)}CLIENT_SECRET`] ?? '',
  })),
  redirectBaseUrl: v.OIDC_REDIRECT_BASE_URL ?? `http://localhost:${v.PORT}`,
  flowTtlSeconds: v.OIDC_FLOW_TTL_S,
  codeTtlSeconds: v.OIDC_CODE_TTL_S,
  linkTtlSeconds: v.OIDC_LINK_TTL_S,
  timeoutSeconds: v.OIDC_HTTP_TIMEOUT_S,
});
