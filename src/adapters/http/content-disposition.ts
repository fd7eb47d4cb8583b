// RFC 5987 attr-char: what may stand unencoded in `filename*`.
const ATTR_CHAR = /^[A-Za-z0-9!#$&+\-.^_`|~]$/;
// Printable ASCII safe inside a quoted-string; `%` is left out because some clients decode it,
// and `;` because naive parsers split on it even inside quotes.
const PLAIN = /^[\x20-\x7e]$/;
const UNSAFE_IN_QUOTES = new Set(['"', '\\', '%', ';']);

const pctEncode = (value: string) =>
  [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      return byte < 0x80 && ATTR_CHAR.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');

/**
 * `Content-Disposition: attachment` for a client-supplied name (RFC 6266): an ASCII `filename`
 * for old clients and the exact name as UTF-8 in `filename*` (RFC 5987). Quotes, backslashes,
 * CR/LF and other controls can never end the header or add a parameter: they are replaced in the
 * fallback and percent-encoded in `filename*`.
 */
export function attachmentDisposition(name: string): string {
  const fallback = [...name].map((c) => (PLAIN.test(c) && !UNSAFE_IN_QUOTES.has(c) ? c : '_')).join('');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${pctEncode(name)}`;
}
