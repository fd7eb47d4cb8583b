import { invalid } from '../errors.js';

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type Profile = { [key: string]: Json };

export const PROFILE_MAX_BYTES = 16 * 1024;
export const PROFILE_MAX_DEPTH = 5;
const FORBIDDEN_KEY = /^(\$|__proto__$|constructor$|prototype$)|\./;

function depthOf(value: Json, path: string): number {
  // PostgreSQL jsonb cannot hold NUL in text, so it is refused everywhere for the same answer.
  if (typeof value === 'string' && value.includes('\u0000')) {
    throw invalid('Profile text may not contain NUL characters.', [{ path, message: 'NUL character not allowed' }]);
  }
  if (value === null || typeof value !== 'object') return 0;
  const children = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  let deepest = 0;
  for (const [key, child] of children) {
    if (!Array.isArray(value) && (FORBIDDEN_KEY.test(key) || key.includes('\u0000'))) {
      throw invalid('Profile has a forbidden key.', [{ path: `${path}.${key}`, message: 'key not allowed' }]);
    }
    deepest = Math.max(deepest, depthOf(child, `${path}.${key}`));
  }
  return deepest + 1;
}

/** Free-form JSON with limits: size, nesting depth, and no operator or prototype keys. */
export function checkProfile(profile: Profile): Profile {
  if (new TextEncoder().encode(JSON.stringify(profile)).length > PROFILE_MAX_BYTES) {
    throw invalid('Profile is too large.', [{ path: 'profile', message: `at most ${PROFILE_MAX_BYTES} bytes` }]);
  }
  if (depthOf(profile, 'profile') > PROFILE_MAX_DEPTH) {
    throw invalid('Profile is nested too deeply.', [
      { path: 'profile', message: `depth at most ${PROFILE_MAX_DEPTH}` },
    ]);
  }
  return profile;
}
