import type { UnitOfWork } from '../../domain/ports/unit-of-work.js';

/** For stores without transactions (memory, MongoDB without a replica set): the work runs as it comes. */
export class PassThroughUnitOfWork implements UnitOfWork {
  run<T>(work: () => Promise<T>): Promise<T> {
    return work();
  }
}
