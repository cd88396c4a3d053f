/**
 * A browser-like HTTP client for one virtual user: keeps its cookies, sends JSON, and comes from its
 * own address (X-Forwarded-For; the demo's API trusts one proxy hop). Every call is paced by the
 * shared request budget and recorded in the traffic stats.
 */
import type { RequestPacer } from './pacer.js';
import type { TrafficStats } from './stats.js';

/** A JSON answer. `body` is whatever the API sent (checked by the journeys field by field). */
export interface Answer {
  status: number;
  body: unknown;
}

/** The call could not be completed (connection refused or reset, or the budget closed). */
export class RequestFailedError extends Error {
  constructor(
    readonly route: string,
    readonly reason: string,
  ) {
    super(`${route}: ${reason}`);
    this.name = 'RequestFailedError';
  }
}

/** The traffic was stopped while a user waited for its turn: not a failure, the journey just ends. */
export class TrafficStoppedError extends Error {
  constructor() {
    super('traffic stopped');
    this.name = 'TrafficStoppedError';
  }
}

export interface CallSpec {
  method: 'GET' | 'POST';
  path: string;
  /** Route label for the stats (`POST /api/checkout`, `GET /api/orders/:id`). */
  route: string;
  body?: unknown;
  /** Statuses that count as success; anything else is a failed request (by route and reason). */
  expect: readonly number[];
}

export class VirtualClient {
  private readonly cookies = new Map<string, string>();

  constructor(
    private readonly baseUrl: string,
    private readonly ip: string,
    private readonly pacer: RequestPacer,
    private readonly stats: TrafficStats,
  ) {}

  /**
   * Sends one request and records it. Returns the answer when its status is expected; otherwise the
   * failure is recorded (status and error code as the reason) and {@link RequestFailedError} thrown.
   */
  async call(spec: CallSpec): Promise<Answer> {
    if (!(await this.pacer.acquire())) throw new TrafficStoppedError();
    const headers: Record<string, string> = { 'x-forwarded-for': this.ip, accept: 'application/json' };
    if (spec.body !== undefined) headers['content-type'] = 'application/json';
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const started = performance.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(`${this.baseUrl}${spec.path}`, {
        method: spec.method,
        headers,
        ...(spec.body !== undefined ? { body: JSON.stringify(spec.body) } : {}),
        signal: AbortSignal.timeout(30_000),
      });
      text = await res.text();
    } catch (err) {
      const reason = `network: ${networkReason(err)}`;
      this.stats.record(spec.route, performance.now() - started, reason);
      throw new RequestFailedError(spec.route, reason);
    }
    this.keepCookies(res.headers);
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = text;
    }
    const elapsed = performance.now() - started;
    if (!spec.expect.includes(res.status)) {
      const reason = `HTTP ${res.status} ${errorCode(body)}`.trim();
      this.stats.record(spec.route, elapsed, reason);
      throw new RequestFailedError(spec.route, reason);
    }
    this.stats.record(spec.route, elapsed, null);
    return { status: res.status, body };
  }

  /** Records a request whose status was right but whose answer was not (a missing order, a wrong total). */
  reject(route: string, reason: string): never {
    this.stats.reclassify(route, reason);
    throw new RequestFailedError(route, reason);
  }

  private keepCookies(headers: Headers): void {
    for (const line of headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair?.indexOf('=') ?? -1;
      if (!pair || eq < 1) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!value || /max-age=0\b/i.test(line) || /expires=thu, 01 jan 1970/i.test(line))
        this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
}

function errorCode(body: unknown): string {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const e = (body as { error?: { code?: unknown } }).error;
    if (typeof e?.code === 'string') return e.code;
  }
  return '';
}

function networkReason(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as Error & { cause?: { code?: unknown } }).cause;
    if (typeof cause?.code === 'string') return cause.code;
    if (err.name === 'TimeoutError') return 'timeout after 30 s';
    return err.message;
  }
  return String(err);
}
