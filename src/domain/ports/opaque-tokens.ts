/**
 * Makes opaque bearer secrets (refresh tokens). `successor` is deterministic, so two concurrent
 * refreshes with one token can be answered with the same next token without storing it.
 */
export interface OpaqueTokens {
  create(): string;
  successor(token: string): string;
  digest(token: string): string;
}
