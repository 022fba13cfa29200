/** The server's protective limits, in one place: defaults here, documented in docs/server.md ("Limits"). */

/** Options of the limits (`ServerOptions.limits`). */
export interface LimitOptions {
  /**
   * Append requests (single and batch) being handled at once; one more is answered 503 `service_unavailable` with
   * `Retry-After`, which the SDK honours. `0` disables the bound. @default 64
   */
  maxAppendsInFlight?: number;
  /** Failed authentications one client address may make per window before 429 `rate_limited`. @default 20 */
  failedAuthPerAddress?: number;
  /** Failed authentications against one organization id per window before 429 `rate_limited`. @default 100 */
  failedAuthPerOrganization?: number;
  /** The window of both failed-authentication counts, in ms. @default 60000 */
  failedAuthWindowMs?: number;
}

/** The defaults of {@link LimitOptions}. */
export const DEFAULT_LIMITS: Required<LimitOptions> = {
  maxAppendsInFlight: 64,
  failedAuthPerAddress: 20,
  failedAuthPerOrganization: 100,
  failedAuthWindowMs: 60_000,
};

/** Seconds a client is told to wait after a 503 from back-pressure. */
export const BACK_PRESSURE_RETRY_AFTER_SECONDS = 1;

/** Fastify's connection settings (documented with the limits). */
export const CONNECTION_LIMITS = {
  /** The whole request (headers and body) must arrive within this (slow-loris defence), ms. */
  requestTimeout: 30_000,
  /** An idle keep-alive connection is closed after this, ms. */
  keepAliveTimeout: 72_000,
  /** Request line and headers, bytes (node:http's default, stated here so it is documented). */
  maxHeaderSize: 16 * 1024,
} as const;
