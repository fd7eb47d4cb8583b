import { z } from 'zod';
import { int } from './helpers.js';

/** Where secrets come from: with SSM, the rest of the settings are only known once these are read. */
export const secretFields = {
  SECRETS_SOURCE: z.enum(['env', 'ssm']).default('env'),
  STAGE: z.enum(['dev', 'qa', 'prod']).default('dev'),
  SSM_PREFIX: z
    .string()
    .regex(/^\/([A-Za-z0-9_.-]+\/)*$/, 'must start and end with "/"')
    .optional(),
  SECRETS_TTL_S: int(10, 86_400).default(300),
  AWS_REGION: z.string().min(1).optional(),
};
type SecretValues = z.output<z.ZodObject<typeof secretFields>>;

export const secrets = (v: SecretValues) => ({
  source: v.SECRETS_SOURCE,
  stage: v.STAGE,
  /** The stage's SSM tree, e.g. `/qa/`; parameter names are read relative to it. */
  prefix: v.SSM_PREFIX ?? `/${v.STAGE}/`,
  ttlSeconds: v.SECRETS_TTL_S,
  region: v.AWS_REGION,
});
export type SecretSettings = ReturnType<typeof secrets>;
