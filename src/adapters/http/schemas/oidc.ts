import { z } from 'zod';
import { plainText } from './common.js';

export const ProviderParams = z.strictObject({
  provider: z
    .string()
    .regex(/^[a-z][a-z0-9]{0,31}$/)
    .meta({ description: 'A configured provider name (OIDC_PROVIDERS)', example: 'google' }),
});

const returnTo = plainText()
  .min(1)
  .max(1024)
  .meta({ description: 'A page of the app (under PUBLIC_APP_URL) to come back to', format: 'uri' });

export const StartQuery = z.strictObject({
  returnTo,
  link: plainText()
    .min(1)
    .max(64)
    .optional()
    .meta({ description: 'The ticket from POST /v1/auth/oidc/{provider}/link: this flow links instead of signing in' }),
});

/**
 * The provider's authorization response (RFC 6749 §4.1.2: `code`, `state`, `iss`, or `error` and
 * `error_description`, and whatever else it adds) is handed to openid-client whole, as it came.
 * Not described parameter by parameter: its length is the provider's, not a limit of this API.
 */
export const CallbackQuery = z.looseObject({});

export const ExchangeBody = z
  .strictObject({ code: plainText().min(1).max(512).meta({ description: 'The `code` the callback put in returnTo' }) })
  .meta({ id: 'OidcExchangeRequest' });

export const LinkBody = z.strictObject({ returnTo }).meta({ id: 'OidcLinkRequest' });

export const LocationSchema = z
  .object({ location: z.string().meta({ description: 'Open this in the browser (top level)', format: 'uri' }) })
  .meta({ id: 'OidcLinkStart' });

export const IdentityListSchema = z
  .object({
    items: z.array(
      z.object({
        provider: z.string(),
        email: z.string().nullable().meta({ description: 'As the provider said when it was linked' }),
        createdAt: z.string().meta({ format: 'date-time' }),
      }),
    ),
  })
  .meta({ id: 'OidcIdentityList' });

export const REDIRECT_HEADERS = {
  Location: { description: 'Where the browser goes next', schema: { type: 'string' as const } },
};
