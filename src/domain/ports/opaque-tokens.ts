/**
 * Makes opaque bearer secrets (refresh tokens, account links, MFA challenges) and their digests. `successor` is deterministic, so two concurrent
 * refreshes with one token can be answered with the same next token without storing it.
 */
export interface OpaqueTokens {
  /** 256 random bits behind `prefix` (refresh tokens' own when absent), which says what the secret is for. */
  create(prefix?: string): string;
  successor(token: string): string;
  digest(token: string): string;
}
