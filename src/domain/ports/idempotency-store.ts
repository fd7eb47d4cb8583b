/** What a request with an Idempotency-Key was answered: replayed as is to a retry. */
export interface IdempotentAnswer {
  status: number;
  /** The JSON body (a problem document for a 4xx). */
  body: unknown;
  contentType: string;
  location?: string;
}

/** A request about to run under a key (already a digest of the caller and the client's key). */
export interface IdempotencyClaim {
  key: string;
  /** A digest of what the request asks; the same key with another one is a misuse. */
  fingerprint: string;
  /** Random per attempt: only the attempt that started may complete or release the record. */
  owner: string;
  now: Date;
  /** Past this, a record still running is taken to have died with its process. */
  leaseUntil: Date;
  expiresAt: Date;
}

export type IdempotencyBeginning =
  | { outcome: 'started' }
  | { outcome: 'running'; fingerprint: string }
  | { outcome: 'done'; fingerprint: string; answer: IdempotentAnswer };

/**
 * Requests done at most once per key (IETF httpapi Idempotency-Key). Every adapter throws
 * DomainError DB.UNAVAILABLE when its backend cannot be reached.
 */
export interface IdempotencyStore {
  /**
   * Records the claim unless the key has a live record, whose state it answers instead. Of any
   * number of concurrent callers across processes, exactly one gets `started`, also when they take
   * over a record whose lease ran out. An expired record counts as absent.
   */
  begin(claim: IdempotencyClaim): Promise<IdempotencyBeginning>;
  /** Stores the answer of the owner's running record; nothing when another owner took it over. */
  complete(key: string, owner: string, answer: IdempotentAnswer): Promise<void>;
  /** Removes the owner's running record, so a retry runs again. */
  release(key: string, owner: string): Promise<void>;
  /** Removes records that expired before `now`; returns how many. */
  deleteExpired(now: Date): Promise<number>;
}
