import { v7 } from 'uuid';
import type { IdGenerator } from '../../domain/ports/id-generator.js';

export class UuidV7Generator implements IdGenerator {
  next(): string {
    return v7();
  }
}
