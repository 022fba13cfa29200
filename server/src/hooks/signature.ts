/**
 * Webhook signatures, in Stripe's format: `Audit-Trail-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>` where the
 * HMAC key is the hook's secret (returned once, at subscription) and the signed text is `<t>.<raw body>`. A
 * receiver recomputes it over the raw bytes it received, compares in constant time and refuses a timestamp outside
 * its tolerance window (replays of an old delivery). docs/server.md has the receiver code.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Header carrying the signature. */
export const SIGNATURE_HEADER = 'Audit-Trail-Signature';

/** Default tolerance of {@link verifySignature}: 5 minutes either side. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new hook secret: 256 random bits. */
export function generateHookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string | Buffer): string {
  return createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex');
}

/** The header value for `body` sent at `timestampSeconds`. */
export function signatureHeader(secret: string, body: string | Buffer, timestampSeconds: number): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

/** Whether `header` is a valid signature of `body` with `secret`, within `toleranceSeconds` of `nowSeconds`. */
export function verifySignature(
  header: string | undefined,
  body: string | Buffer,
  secret: string,
  { toleranceSeconds = DEFAULT_TOLERANCE_SECONDS, nowSeconds = Math.floor(Date.now() / 1000) } = {},
): boolean {
  if (!header) return false;
  const parts = header.split(',').map((part) => part.trim().split('=', 2) as [string, string | undefined]);
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  // Several v1 values may be present (e.g. during a secret rotation); any one matching is enough.
  return parts.some(([key, value]) => {
    if (key !== 'v1' || value === undefined || !/^[0-9a-f]{64}$/.test(value)) return false;
    return timingSafeEqual(Buffer.from(value, 'hex'), expected);
  });
}
