/**
 * The options of {@link AuditTrailClient}: what a caller may pass, the defaults, and the one pass that checks and
 * completes them at construction.
 *
 * @packageDocumentation
 */
import { normalizeDeliveryOptions, type DeliveryOptions, type NormalizedDeliveryOptions } from './delivery/options.js';
import type { Transport } from './transport/transport.js';
import { parseVerifierKey } from './contract/note.js';
import { parseBaseUrl, type BaseUrlProblem } from './contract/base-url.js';

/** Options of `new AuditTrailClient(options)`. */
export interface ClientOptions {
  /**
   * Address of the audit-trail service: `http://` or `https://`, optionally with a path prefix, without
   * credentials, query or fragment.
   * @example 'https://audit.example.com'
   */
  baseUrl: string;
  /** The organization id: the user name of HTTP Basic auth. */
  organizationId: string;
  /** The organization's API secret: the password of HTTP Basic auth. Never logged nor shown in errors. */
  apiSecret: string;
  /** The application whose trail this client writes and reads (sent as the `Application-Id` header). */
  applicationId: string;
  /**
   * Deadline of each request, from sending to the whole response, in milliseconds.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Most sockets kept open to the service at once (keep-alive pool size).
   * @default 16
   */
  maxSockets?: number;
  /**
   * Sends the requests instead of the built-in axios transport (tests, custom HTTP stacks). The transport adds
   * the credentials itself; `close()` closes it.
   * @default an axios transport with keep-alive agents
   */
  transport?: Transport;
  /**
   * How `enqueue` batches, retries, bounds memory and (optionally) spools entries to disk; see docs/delivery.md.
   * With a `spool`, the client restores and sends what the spool holds as soon as it is constructed.
   * @default batches of up to 250 entries / 512 KiB every 200 ms, 4 requests in flight, no spool
   */
  delivery?: DeliveryOptions;
  /**
   * How the client checks the service's log by itself (`verifyReceipt`, `latestCheckpoint`; docs/verification.md).
   * @default no pinned key (the key seen on the first visit is trusted), state kept in memory only
   */
  verification?: VerificationOptions;
}

/** Options of the client's own verification of the service's log. */
export interface VerificationOptions {
  /**
   * The service's verifier key (`audit-trail serve` prints it; `GET /api/verification/merkle/info` serves it),
   * pinned: checkpoints signed by any other key are refused. Without it the client trusts the key it sees first
   * (trust on first use) and refuses any other afterwards.
   * @example 'audit-trail.local+1a2b3c4d+AU3f...'
   */
  verifierKey?: string;
  /**
   * A file where the client keeps the trusted key and the last checkpoint it verified, so that a rewrite or
   * truncation between two runs is detected. Without it, only within one process.
   */
  stateFile?: string;
}

/** Options after {@link normalizeOptions}: every default filled in, `baseUrl` without a trailing slash. */
export type NormalizedOptions = Required<Omit<ClientOptions, 'transport' | 'delivery' | 'verification'>> &
  Pick<ClientOptions, 'transport'> & { delivery: NormalizedDeliveryOptions; verification: VerificationOptions };

/** Default values of the optional {@link ClientOptions}. */
export const DEFAULTS = {
  timeoutMs: 10_000,
  maxSockets: 16,
} as const satisfies Partial<ClientOptions>;

/**
 * Every option key, so an unknown one (a typo such as `secret`) is refused. Adding a member to ClientOptions
 * without listing it here fails to compile.
 */
const OPTION_KEYS = {
  baseUrl: true,
  organizationId: true,
  apiSecret: true,
  applicationId: true,
  timeoutMs: true,
  maxSockets: true,
  transport: true,
  delivery: true,
  verification: true,
} as const satisfies { [K in keyof ClientOptions]-?: true };

/** setTimeout's largest delay; a longer one fires at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** Header values are Latin-1 on the wire; ids travel in headers, so they are printable ASCII. */
const PRINTABLE_ASCII = /^[\x20-\x7e]+$/;
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/;

const fail = (option: string, problem: string): never => {
  throw new TypeError(`AuditTrailClient option "${option}" ${problem}`);
};

function requiredText(options: ClientOptions, key: 'organizationId' | 'apiSecret' | 'applicationId'): string {
  const value: unknown = options[key];
  if (value === undefined || value === null || value === '') return fail(key, 'is required');
  if (typeof value !== 'string') return fail(key, `must be a string, got ${typeof value}`);
  if (value.trim() !== value) return fail(key, 'must not start or end with white space');
  return value;
}

/** What the TypeError says for each {@link BaseUrlProblem}; the value itself is never echoed (it may hold a password). */
const BASE_URL_PROBLEMS: Record<BaseUrlProblem, string> = {
  missing: 'is required',
  not_text: 'must be a string',
  no_scheme: 'must be an absolute http:// or https:// URL',
  malformed: 'must be an absolute http:// or https:// URL',
  scheme: 'must use http:// or https://',
  credentials: 'must not contain credentials; pass organizationId and apiSecret instead',
  query: 'must not have a query or fragment',
};

function normalizeBaseUrl(value: unknown): string {
  const parsed = parseBaseUrl(value);
  if (parsed.ok) return parsed.baseUrl;
  return fail('baseUrl', parsed.problem === 'not_text' ? `must be a string, got ${typeof value}` : BASE_URL_PROBLEMS[parsed.problem]);
}

function positiveInteger(value: unknown, key: 'timeoutMs' | 'maxSockets', max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
    return fail(key, `must be an integer from 1 to ${max}`);
  }
  return value;
}

function isTransport(value: unknown): value is Transport {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Transport).send === 'function' &&
    typeof (value as Transport).close === 'function'
  );
}

function normalizeVerificationOptions(value: unknown): VerificationOptions {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null) return fail('verification', 'must be an object');
  const { verifierKey, stateFile, ...rest } = value as VerificationOptions;
  for (const key of Object.keys(rest)) fail(`verification.${key}`, 'is not a known option');
  const result: VerificationOptions = {};
  if (verifierKey !== undefined) {
    if (typeof verifierKey !== 'string') return fail('verification.verifierKey', 'must be a string');
    try {
      parseVerifierKey(verifierKey);
    } catch (error) {
      return fail('verification.verifierKey', `is not a verifier key: ${(error as Error).message}`);
    }
    result.verifierKey = verifierKey.trim();
  }
  if (stateFile !== undefined) {
    if (typeof stateFile !== 'string' || stateFile === '') return fail('verification.stateFile', 'must be a file path');
    result.stateFile = stateFile;
  }
  return result;
}

/**
 * Checks the options and fills in the defaults, in one pass, at construction. Throws a `TypeError` naming the
 * option at fault (never echoing the secret).
 */
export function normalizeOptions(options: ClientOptions): NormalizedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('AuditTrailClient needs an options object: { baseUrl, organizationId, apiSecret, applicationId }');
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(OPTION_KEYS, key)) fail(key, 'is not a known option');
  }
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  const organizationId = requiredText(options, 'organizationId');
  if (!PRINTABLE_ASCII.test(organizationId)) fail('organizationId', 'must be printable ASCII');
  // Basic auth splits user and password at the first colon.
  if (organizationId.includes(':')) fail('organizationId', 'must not contain ":"');
  const apiSecret = requiredText(options, 'apiSecret');
  if (CONTROL_CHARACTERS.test(apiSecret)) fail('apiSecret', 'must not contain control characters');
  const applicationId = requiredText(options, 'applicationId');
  if (!PRINTABLE_ASCII.test(applicationId)) fail('applicationId', 'must be printable ASCII');
  if (options.transport !== undefined && !isTransport(options.transport)) {
    fail('transport', 'must have send() and close() methods');
  }
  const normalized: NormalizedOptions = {
    baseUrl,
    organizationId,
    apiSecret,
    applicationId,
    timeoutMs: positiveInteger(options.timeoutMs, 'timeoutMs', MAX_TIMEOUT_MS) ?? DEFAULTS.timeoutMs,
    maxSockets: positiveInteger(options.maxSockets, 'maxSockets', 1024) ?? DEFAULTS.maxSockets,
    delivery: normalizeDeliveryOptions(options.delivery),
    verification: normalizeVerificationOptions(options.verification),
  };
  if (options.transport !== undefined) normalized.transport = options.transport;
  return normalized;
}
