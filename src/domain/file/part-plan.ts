import { invalid } from '../errors.js';

/** S3's multipart limits, which the emulating stores hold to as well. */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
export const MAX_PARTS = 10_000;

export interface PartPlan {
  partSize: number;
  partCount: number;
}

/** How a file of `size` bytes splits into parts: the preferred size, grown if it would need too many. */
export function planParts(size: number, preferredPartBytes: number): PartPlan {
  if (!Number.isSafeInteger(size) || size < 1) throw invalid('A multipart upload needs a positive size.');
  const partSize = Math.max(preferredPartBytes, MIN_PART_BYTES, Math.ceil(size / MAX_PARTS));
  return { partSize, partCount: Math.ceil(size / partSize) };
}

/** The bytes part `partNumber` (from 1) of such a plan holds: the part size, the rest for the last part. */
export function plannedPartBytes(size: number, plan: PartPlan, partNumber: number): number {
  return Math.max(0, Math.min(plan.partSize, size - (partNumber - 1) * plan.partSize));
}
