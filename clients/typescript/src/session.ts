export interface Tokens {
  accessToken: string;
  refreshToken: string;
}

/** Exchanges a refresh token for a new pair; undefined when the server refuses it (401). */
export type Refresher = (refreshToken: string) => Promise<Tokens | undefined>;

/**
 * The caller's token pair and its rotation. The server spends a refresh token on use and, once its
 * grace window is over, revokes the whole family if it comes back; so one refresh runs at a time,
 * concurrent callers share it, and a caller whose access token was already replaced gets the new one
 * instead of sending the spent refresh token again.
 */
export class Session {
  private current: Tokens | undefined;
  private refreshing: Promise<boolean> | undefined;

  constructor(
    private readonly refresher: Refresher,
    tokens?: Tokens,
    private readonly onChange?: (tokens: Tokens | undefined) => void,
  ) {
    this.current = tokens && { ...tokens };
  }

  get tokens(): Tokens | undefined {
    return this.current && { ...this.current };
  }

  set(tokens: Tokens | undefined): void {
    this.current = tokens && { accessToken: tokens.accessToken, refreshToken: tokens.refreshToken };
    this.onChange?.(this.tokens);
  }

  /** After `staleAccessToken` was refused: true when a newer access token is there to retry with. */
  refresh(staleAccessToken: string): Promise<boolean> {
    if (this.refreshing) return this.refreshing;
    if (!this.current) return Promise.resolve(false);
    if (this.current.accessToken !== staleAccessToken) return Promise.resolve(true);
    this.refreshing = this.rotate(this.current).finally(() => (this.refreshing = undefined));
    return this.refreshing;
  }

  private async rotate(current: Tokens): Promise<boolean> {
    const next = await this.refresher(current.refreshToken);
    if (this.current !== current) return this.current !== undefined;
    this.set(next);
    return next !== undefined;
  }
}
