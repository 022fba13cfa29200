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

/**
 * The environment variables a client reads for an option not given (the names the `audit-trail` CLI uses too).
 * A value given in the options always wins.
 */
export const ENVIRONMENT_VARIABLES = {
  baseUrl: 'AUDIT_TRAIL_BASE_URL',
  organizationId: 'AUDIT_TRAIL_ORGANIZATION_ID',
  apiSecret: 'AUDIT_TRAIL_API_SECRET',
  applicationId: 'AUDIT_TRAIL_APPLICATION_ID',
} as const;

/** Where the SDK reports what must not pass silently (entries given up on). `console` fits, so do pino and winston. */
export interface Logger {
  /** Called with one line for a person; never with a credential or an entry's details. */
  warn(message: string): void;
}

/** Options of `new AuditTrailClient(options)`. Every option may be left out when its environment variable is set. */
export interface ClientOptions {
  /**
   * Address of the audit-trail service: `http://` or `https://`, optionally with a path prefix, without
   * credentials, query or fragment.
   * @default process.env.AUDIT_TRAIL_BASE_URL
   * @example 'https://audit.example.com'
   */
  baseUrl?: string;
  /**
   * The organization id: the user name of HTTP Basic auth.
   * @default process.env.AUDIT_TRAIL_ORGANIZATION_ID
   */
  organizationId?: string;
  /**
   * The organization's API secret: the password of HTTP Basic auth. Never logged nor shown in errors.
   * @default process.env.AUDIT_TRAIL_API_SECRET
   */
  apiSecret?: string;
  /**
   * The application whose trail this client writes and reads (sent as the `Application-Id` header).
   * @default process.env.AUDIT_TRAIL_APPLICATION_ID
   */
  applicationId?: string;
  /**
   * How many times `log()`, `logBatch()`, the read methods and `unsubscribeHook()` retry a request that failed
   * on the network, timed out, or got 408/425/429/5xx, with jittered exponential backoff (`delivery.retry`) and
   * the service's `Retry-After` honoured. `log()` and `logBatch()` give every entry an idempotency key first, so
   * a retry never stores an entry twice. `subscribeHook()` is never retried. 0 turns retries off.
   * @default 2
   */
  maxRetries?: number;
  /**
   * Where to report entries `enqueue` gave up on when no `failed` listener is registered.
   * @default process.emitWarning (printed on stderr by Node)
   */
  logger?: Logger;
  /**
   * Turns the client off for tests and local runs: nothing is sent, no credentials are needed, every method still
   * checks its input and then resolves with an empty answer (`log()`: a placeholder receipt whose hashes are 64
   * zeros; lists: empty; `verify()`: valid with 0 entries checked; `enqueue()`: accepted and reported delivered).
   * @default false
   */
  disabled?: boolean;
  /**
   * Whether concurrent `log()` calls share requests. A `log()` made while another is on the wire waits for it to
   * end, then goes out with every other waiting call as one `POST /api/log/batch`; each caller still gets
   * its own receipt or its own typed error, exactly as from the single-entry route. A lone `log()` is never held
   * back, and a call with options of its own (`signal`, `timeoutMs`, `maxRetries`) is always sent by itself.
   * `false` sends one request per `log()`.
   * @default true
   */
  coalesce?: boolean;
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
   * @default batches of up to 500 entries / 512 KiB every 200 ms, 4 requests in flight, no spool
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
export type NormalizedOptions = Required<Omit<ClientOptions, 'transport' | 'delivery' | 'verification' | 'logger'>> &
  Pick<ClientOptions, 'transport' | 'logger'> & { delivery: NormalizedDeliveryOptions; verification: VerificationOptions };

/** Default values of the optional {@link ClientOptions}. */
export const DEFAULTS = {
  timeoutMs: 10_000,
  maxSockets: 16,
  maxRetries: 2,
  coalesce: true,
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
  maxRetries: true,
  logger: true,
  disabled: true,
  coalesce: true,
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

type Env = Readonly<Record<string, string | undefined>>;

/** The option as given, else its environment variable (an empty variable counts as unset). */
function fromEnv(options: ClientOptions, key: keyof typeof ENVIRONMENT_VARIABLES, env: Env): unknown {
  const given: unknown = options[key];
  if (given !== undefined) return given;
  const value = env[ENVIRONMENT_VARIABLES[key]];
  return value === '' ? undefined : value;
}

function requiredText(value: unknown, key: 'organizationId' | 'apiSecret' | 'applicationId'): string {
  if (value === undefined || value === null || value === '') {
    return fail(key, `is required (or set ${ENVIRONMENT_VARIABLES[key]})`);
  }
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
  if (parsed.problem === 'missing') return fail('baseUrl', `is required (or set ${ENVIRONMENT_VARIABLES.baseUrl})`);
  return fail('baseUrl', parsed.problem === 'not_text' ? `must be a string, got ${typeof value}` : BASE_URL_PROBLEMS[parsed.problem]);
}

/** What a disabled client uses for the connection options it was not given: it never connects. */
const DISABLED_PLACEHOLDERS = {
  baseUrl: 'http://disabled.invalid',
  organizationId: 'disabled',
  apiSecret: 'disabled',
  applicationId: 'disabled',
} as const;

function integerOption(value: unknown, key: 'timeoutMs' | 'maxSockets' | 'maxRetries', min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    return fail(key, `must be an integer from ${min} to ${max}`);
  }
  return value;
}

function isLogger(value: unknown): value is Logger {
  return typeof value === 'object' && value !== null && typeof (value as Logger).warn === 'function';
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
export function normalizeOptions(options: ClientOptions = {}, env: Env = process.env): NormalizedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('AuditTrailClient needs an options object: { baseUrl, organizationId, apiSecret, applicationId }');
  }
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(OPTION_KEYS, key)) fail(key, 'is not a known option');
  }
  if (options.disabled !== undefined && typeof options.disabled !== 'boolean') fail('disabled', 'must be true or false');
  const disabled = options.disabled === true;
  const given = (key: keyof typeof ENVIRONMENT_VARIABLES): unknown => {
    const value = fromEnv(options, key, env);
    return value === undefined && disabled ? DISABLED_PLACEHOLDERS[key] : value;
  };
  const baseUrl = normalizeBaseUrl(given('baseUrl'));
  const organizationId = requiredText(given('organizationId'), 'organizationId');
  if (!PRINTABLE_ASCII.test(organizationId)) fail('organizationId', 'must be printable ASCII');
  // Basic auth splits user and password at the first colon.
  if (organizationId.includes(':')) fail('organizationId', 'must not contain ":"');
  const apiSecret = requiredText(given('apiSecret'), 'apiSecret');
  if (CONTROL_CHARACTERS.test(apiSecret)) fail('apiSecret', 'must not contain control characters');
  const applicationId = requiredText(given('applicationId'), 'applicationId');
  if (!PRINTABLE_ASCII.test(applicationId)) fail('applicationId', 'must be printable ASCII');
  if (options.transport !== undefined && !isTransport(options.transport)) {
    fail('transport', 'must have send() and close() methods');
  }
  if (options.logger !== undefined && !isLogger(options.logger)) fail('logger', 'must have a warn(message) method');
  if (options.coalesce !== undefined && typeof options.coalesce !== 'boolean') fail('coalesce', 'must be true or false');
  const normalized: NormalizedOptions = {
    baseUrl,
    organizationId,
    apiSecret,
    applicationId,
    timeoutMs: integerOption(options.timeoutMs, 'timeoutMs', 1, MAX_TIMEOUT_MS) ?? DEFAULTS.timeoutMs,
    maxSockets: integerOption(options.maxSockets, 'maxSockets', 1, 1024) ?? DEFAULTS.maxSockets,
    maxRetries: integerOption(options.maxRetries, 'maxRetries', 0, 10) ?? DEFAULTS.maxRetries,
    disabled,
    coalesce: options.coalesce ?? DEFAULTS.coalesce,
    delivery: normalizeDeliveryOptions(options.delivery),
    verification: normalizeVerificationOptions(options.verification),
  };
  if (options.transport !== undefined) normalized.transport = options.transport;
  if (options.logger !== undefined) normalized.logger = options.logger;
  return normalized;
}
