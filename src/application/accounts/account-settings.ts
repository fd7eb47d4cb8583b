/** What the account flows need from config (the app's `Config['accounts']` satisfies it). */
export interface AccountSettings {
  /** The client app that shows the forms; links are `{publicAppUrl}/verify-email?token=...` and so on. No trailing slash. */
  publicAppUrl: string;
  requireVerifiedEmail: boolean;
  ttlSeconds: { verifyEmail: number; resetPassword: number; changeEmail: number; mfaChallenge: number };
  totpIssuer: string;
}
