import { ConfigError, parseConfig } from '../../src/infrastructure/config.js';
import { thrownBy } from './rejection.js';

/** The ConfigError these settings are refused with; fails the test when they are accepted or fail otherwise. */
export function configErrorOf(env: Record<string, string>): ConfigError {
  const error = thrownBy(() => parseConfig(env));
  if (error instanceof ConfigError) return error;
  throw error;
}

/** The names of the settings these are refused for, one per problem. */
export const namesRefused = (env: Record<string, string>) => configErrorOf(env).problems.map((p) => p.split(':')[0]);
