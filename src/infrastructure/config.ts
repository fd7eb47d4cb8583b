import { z } from 'zod';
import { accounts, accountsFields, accountsRules } from './config/accounts.js';
import { auth, authFields, authRules } from './config/auth.js';
import { database, databaseFields, databaseRules } from './config/database.js';
import { files, filesFields, filesRules } from './config/files.js';
import type { Rule } from './config/helpers.js';
import { mail, mailFields, mailRules } from './config/mail.js';
import { mailQueue, mailQueueFields } from './config/mail-queue.js';
import { oidc, oidcFields, oidcProviderSettings, oidcRules } from './config/oidc.js';
import { s3Events, s3EventsFields, s3EventsRules } from './config/s3-events.js';
import { secretFields, secrets, type SecretSettings } from './config/secrets.js';
import { server, serverFields, serverRules } from './config/server.js';
import { tracing, tracingFields, type TracingSettings } from './config/tracing.js';
import { webauthn, webauthnFields, webauthnRules } from './config/webauthn.js';

export type { SecretSettings, TracingSettings };

/** Thrown when settings are bad; the message names every bad setting and never a value. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

/** Every setting, each parsed once; the sections in config/ say what each one means. */
const settings = z.object({
  ...serverFields,
  ...databaseFields,
  ...authFields,
  ...secretFields,
  ...filesFields,
  ...mailFields,
  ...mailQueueFields,
  ...s3EventsFields,
  ...accountsFields,
  ...webauthnFields,
  ...tracingFields,
  ...oidcFields,
  STRIPE_KEY: z.string().min(1).optional(),
});
type Settings = z.output<typeof settings>;
const secretNames = Object.fromEntries(Object.keys(secretFields).map((name) => [name, true])) as {
  [name in keyof typeof secretFields]: true;
};

const rules: Rule<Settings>[] = [
  ...serverRules,
  ...databaseRules,
  ...authRules,
  ...filesRules,
  ...mailRules,
  ...s3EventsRules,
  ...accountsRules,
  ...oidcRules,
  ...webauthnRules,
];

const checked = rules.reduce(
  (schema, rule) =>
    schema.refine((v) => !rule.broken(v), {
      path: [rule.name],
      message: rule.message,
      when: ({ issues }) => !issues.some((issue) => rule.reads.some((name) => name === issue.path?.[0])),
    }),
  settings,
);

/**
 * `Config` is what this builds. The adapters declare the shapes they take (`DbSettings`,
 * `MongoSettings`, `LifecycleDays`, `SseSettings` ...) and the composition root hands them these
 * parts, where tsc checks they fit: the dependency rule keeps config from importing adapters.
 */
const shape = (v: Settings & z.output<ReturnType<typeof oidcProviderSettings>>) => ({
  ...server(v),
  db: database(v),
  ...auth(v),
  secrets: secrets(v),
  stripe: { key: v.STRIPE_KEY },
  /** FILE_STORE, S3_*, MAX_UPLOAD_BYTES, MULTIPART_*, PRESIGN_MAX_SECONDS ... (see config/files.ts). */
  files: files(v),
  /** MAIL_DRIVER, MAIL_FROM, SMTP_* (see config/mail.ts). */
  mail: mail(v),
  /** MAIL_SEND_INTERVAL_MS, MAIL_MAX_ATTEMPTS, MAIL_CLAIM_TTL_MS (see config/mail-queue.ts). */
  mailQueue: mailQueue(v),
  /** WORKER, S3_EVENTS_*, WORKER_PORT (see config/s3-events.ts). */
  s3Events: s3Events(v),
  /** PUBLIC_APP_URL, REQUIRE_VERIFIED_EMAIL, *_TTL_S, ACCOUNT_*, MFA_*, TOTP_ISSUER (see config/accounts.ts). */
  accounts: accounts(v),
  /** WEBAUTHN_RP_ID, WEBAUTHN_RP_NAME, WEBAUTHN_ORIGINS, WEBAUTHN_CHALLENGE_TTL_S (see config/webauthn.ts). */
  webauthn: webauthn(v),
  /** OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_SDK_DISABLED, OTEL_SERVICE_NAME (see config/tracing.ts). */
  tracing: tracing(v),
  /** OIDC_PROVIDERS, OIDC_<NAME>_*, OIDC_REDIRECT_BASE_URL, OIDC_*_TTL_S (see config/oidc.ts). */
  oidc: oidc(v),
});
export type Config = ReturnType<typeof shape>;

/** The one place that reads process.env. */
export function readEnv(): Record<string, string | undefined> {
  return { ...process.env };
}

/** The one error collector: every problem of every setting, by name, at once. */
function parse<T>(schema: z.ZodType<T>, source: Record<string, string | undefined>): T {
  const present = Object.fromEntries(Object.entries(source).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`));
  }
  return parsed.data;
}

/**
 * Only the settings that say where secrets live (SECRETS_SOURCE, STAGE, SSM_PREFIX, SECRETS_TTL_S,
 * AWS_REGION): with SSM, the rest are not known until the stage tree is read.
 */
export function parseSecretSettings(source: Record<string, string | undefined>): SecretSettings {
  return secrets(parse(settings.pick(secretNames), source));
}

/**
 * Only the settings that say whether to trace, read before anything else is imported (the
 * instrumentations must see the modules load). A bad value turns tracing off here; the full
 * parse then reports it.
 */
export function parseTracingSettings(source: Record<string, string | undefined>): TracingSettings {
  try {
    return tracing(parse(z.object(tracingFields), source));
  } catch {
    return { enabled: false, serviceName: 'portico' };
  }
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  // The providers' own settings are named after them, so their schema comes from OIDC_PROVIDERS.
  return Object.freeze(shape(parse(checked.and(oidcProviderSettings(source)), source)));
}
