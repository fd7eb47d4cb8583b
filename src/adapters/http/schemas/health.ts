import { z } from 'zod';

export const LiveSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Liveness' });

export const CheckStatus = z.enum(['ok', 'failed', 'timeout', 'draining']);

export const ReadySchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    checks: z.record(z.string(), CheckStatus).meta({ description: 'One entry per dependency, by name' }),
  })
  .meta({ id: 'Readiness' });
