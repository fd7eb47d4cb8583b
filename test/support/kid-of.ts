/** The `kid` in a JWT's header: which key signed it. */
export const kidOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString()) as { kid: string }).kid;

/** The `kid` of every key in a JWKS, in its order. */
export const kidsOf = (jwks: { keys: object[] }) => jwks.keys.map((k) => (k as { kid: string }).kid);
