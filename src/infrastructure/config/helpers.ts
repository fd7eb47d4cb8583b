import { z } from 'zod';

export const MIB = 1024 * 1024;
export const GIB = 1024 * MIB;

export const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
export const bool = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');
export const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
export const days = int(0, 36_500);

/**
 * A rule across settings, reported on `name`. It is checked whenever the settings it `reads` are
 * valid on their own, so a bad value elsewhere never hides this problem.
 */
export interface Rule<V> {
  name: keyof V & string;
  reads: (keyof V & string)[];
  message: string;
  broken(v: V): boolean;
}
