import type { z } from 'zod';
import { invalid, type FieldProblem } from '../../domain/errors.js';

const pathOf = (path: readonly PropertyKey[]) => path.map(String).join('.') || '(root)';

/** Zod issues as the contract's `errors`: one entry per problem, unknown keys one by one. */
export function fieldProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ path: pathOf([...issue.path, key]), message: 'unknown field' }))
      : [{ path: pathOf(issue.path), message: issue.message }],
  );
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblem[] };

export function check<S extends z.ZodType>(schema: S, input: unknown): Checked<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, problems: fieldProblems(result.error.issues) };
}

/** One 400 listing every problem of every part (query and body together). */
export const invalidRequest = (parts: Checked<unknown>[]) =>
  invalid(
    'The request is not valid.',
    parts.flatMap((part) => (part.ok ? [] : part.problems)),
  );
