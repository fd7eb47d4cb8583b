import { ConfigError, parseConfig } from '../../../../src/infrastructure/config.js';

/** The ConfigError these settings are refused with; fails the test when they are accepted. */
export function configErrorOf(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

/** The names of the settings these are refused for, one per problem. */
export const namesRefused = (env: Record<string, string>) => configErrorOf(env).problems.map((p) => p.split(':')[0]);
