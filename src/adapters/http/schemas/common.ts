import { z } from 'zod';
import { DomainError } from '../../../domain/errors.js';
import { Email } from '../../../domain/user/email.js';
import { Password, PASSWORD_MAX, PASSWORD_MIN } from '../../../domain/user/password.js';
import { checkProfile, PROFILE_MAX_BYTES, PROFILE_MAX_DEPTH, type Profile } from '../../../domain/user/profile.js';

/**
 * Runs a domain rule inside zod, so its problem is listed together with every other one instead
 * of surfacing alone after the rest passed. The domain stays the one place the rule is written.
 */
const domainRule =
  <T>(rule: (value: T) => unknown) =>
  (value: T, ctx: z.RefinementCtx<T>) => {
    try {
      rule(value);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      for (const problem of error.errors ?? [{ path: '', message: error.message }]) {
        // Domain paths start with the field name, which zod already prefixes.
        ctx.addIssue({ code: 'custom', message: problem.message, path: problem.path.split('.').slice(1) });
      }
    }
  };

/** Free of C0 control characters (tab and newline among them) and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
// eslint-disable-next-line no-control-regex -- as above
const NO_NUL = /^[^\u0000]*$/;

/**
 * Text that names or identifies something (an email, a name, a token) never holds a control
 * character; refused first, before any other rule or any store sees it (PostgreSQL cannot even
 * hold NUL in text). `abort` keeps the field's other rules from adding noise about the same text.
 * A regex, not a refinement, so the OpenAPI document states the rule as the field's `pattern`.
 */
export const noControlCharacters = (value: string) => NO_CONTROL.test(value);
export const plainText = () => z.string().regex(NO_CONTROL, { message: 'control characters not allowed', abort: true });

/** Passwords may hold any character but NUL, which bcrypt and C strings would cut the password at. */
export const noNul = (value: string) => NO_NUL.test(value);
const passwordText = () => z.string().regex(NO_NUL, { message: 'NUL character not allowed', abort: true });

/** JSON Schema's minLength and maxLength count code points; zod's count UTF-16 units. */
const codePoints = (value: string) => [...value].length;

/** Trimmed and lower-cased by the domain, so the raw text may carry surrounding spaces. */
export const emailField = plainText()
  .max(320)
  .superRefine(domainRule((v: string) => Email.parse(v)))
  .meta({ format: 'idn-email', example: 'ada@example.com' });

/**
 * The domain counts code points after NFKC; the typed text must be 8 to 128 code points too, as
 * the document's minLength and maxLength say (so three `½` are not a nine-character password).
 */
export const newPasswordField = passwordText()
  .max(PASSWORD_MAX * 8)
  .refine((v) => codePoints(v) >= PASSWORD_MIN && codePoints(v) <= PASSWORD_MAX, {
    message: `must be ${PASSWORD_MIN} to ${PASSWORD_MAX} characters`,
    abort: true,
  })
  .superRefine(domainRule((v: string) => Password.parse(v)))
  .meta({
    format: 'password',
    minLength: PASSWORD_MIN,
    maxLength: PASSWORD_MAX,
    description: 'NFKC-normalized; every character counts',
  });

/** A password being checked, not set: a length rule here would only tell an attacker the rules. */
export const presentedPasswordField = passwordText()
  .min(1)
  .max(PASSWORD_MAX * 8)
  .meta({ format: 'password' });

export const nameField = plainText().trim().min(1).max(200).meta({ example: 'Ada Lovelace' });

export const profileField = z
  .record(z.string(), z.unknown())
  .superRefine(domainRule((v: Record<string, unknown>) => checkProfile(asProfile(v))))
  .meta({
    description: `Free-form JSON object: at most ${PROFILE_MAX_BYTES} bytes, nesting depth at most ${PROFILE_MAX_DEPTH}`,
  });

/** Bodies come from JSON.parse, so any object in one is already JSON. */
export const asProfile = (value: Record<string, unknown>) => value as Profile;

/** An email to look up (login, the admin filter), not to set: only its length and characters are checked. */
export const emailLookupField = plainText().min(1).max(320).meta({ format: 'idn-email' });

/** Malformed ids answer 404: such an id names no resource, exactly like an unknown one. */
export const idParams = z.object({ id: z.uuid().meta({ description: 'A UUIDv7; any other text answers 404' }) });

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:portico:problem:USER.NOT_FOUND' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().meta({ example: 'USER.NOT_FOUND' }),
    requestId: z.string(),
    traceId: z
      .string()
      .regex(/^[0-9a-f]{32}$/)
      .optional()
      .meta({
        description: 'The W3C trace id of the request, only when the server exports traces (OpenTelemetry)',
        example: '4bf92f3577b34da6a3ce929d0e0e4736',
      }),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    challenge: z
      .string()
      .optional()
      .meta({ description: 'With `AUTH.MFA_REQUIRED` only: send it to POST /v1/auth/mfa/verify with a code' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });
