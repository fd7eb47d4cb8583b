/** `config.oidc` as the use cases need it (OIDC_* and PUBLIC_APP_URL; see config/oidc.ts). */
export interface OidcSettings {
  /** `returnTo` must be this origin and under this path; no trailing slash. */
  publicAppUrl: string;
  /** How long a started sign-in may take at the provider. */
  flowTtlSeconds: number;
  /** How long the app has to exchange the one-time code for tokens. */
  codeTtlSeconds: number;
  /** How long a link ticket (POST .../link) may wait before the browser opens it. */
  linkTtlSeconds: number;
  /** The API's public base URL: link tickets point at its start route. */
  apiBaseUrl: string;
}
