import type { components } from './schema.js';

type ProblemBody = components['schemas']['Problem'];
const STANDARD = new Set(['type', 'title', 'status', 'detail', 'code', 'requestId', 'errors']);

/** An RFC 9457 problem the API answered, thrown by every call: branch on `code`, which is stable. */
export class PorticoProblem extends Error {
  override readonly name = 'PorticoProblem';
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly type: string;
  readonly detail: string;
  readonly requestId: string;
  readonly errors: NonNullable<ProblemBody['errors']>;
  /** Members beyond RFC 9457's and the contract's, such as `challenge` with `AUTH.MFA_REQUIRED`. */
  readonly extensions: Record<string, unknown>;
  /** The response's headers (`Retry-After`, `WWW-Authenticate` ...). */
  readonly headers: Headers;

  constructor(body: Partial<ProblemBody> & Record<string, unknown>, response: Pick<Response, 'status' | 'headers'>) {
    super(`${body.code ?? response.status}: ${body.detail ?? body.title ?? 'request failed'}`);
    this.status = body.status ?? response.status;
    this.code = body.code ?? `HTTP.${response.status}`;
    this.title = body.title ?? '';
    this.type = body.type ?? 'about:blank';
    this.detail = body.detail ?? '';
    this.requestId = body.requestId ?? response.headers.get('x-request-id') ?? '';
    this.errors = body.errors ?? [];
    this.extensions = Object.fromEntries(Object.entries(body).filter(([key]) => !STANDARD.has(key)));
    this.headers = response.headers;
  }

  /** With `AUTH.MFA_REQUIRED`: what `verifyMfa(challenge, code)` takes. */
  get challenge(): string | undefined {
    const challenge = this.extensions['challenge'];
    return typeof challenge === 'string' ? challenge : undefined;
  }

  static isProblemResponse(response: Response): boolean {
    return !response.ok && /^application\/problem\+json\b/i.test(response.headers.get('content-type') ?? '');
  }

  /** The problem of an error response; one that is not problem+json becomes `HTTP.<status>`. */
  static async of(response: Response): Promise<PorticoProblem> {
    const text = await response.text();
    let body: Record<string, unknown> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch {
      body = { detail: text.slice(0, 200) };
    }
    return new PorticoProblem(body, response);
  }
}
