/**
 * The built-in {@link Transport}: axios over keep-alive agents, one instance per client.
 */
import http from 'node:http';
import https from 'node:https';
import type { AxiosAdapter, AxiosRequestConfig, AxiosResponse, AxiosStatic, InternalAxiosRequestConfig } from 'axios';
import { NetworkError, type NetworkErrorCode } from '../errors.js';
import { authHeaders, type Credentials, type WireRequest } from '../contract/wire.js';
import { TAKES_BYTE_BODIES, type ByteBodyRequest, type ByteBodyTransport, type SendOptions, type TransportResponse } from './transport.js';

/** What the axios transport needs: where, who, and its connection limits. */
export interface AxiosTransportOptions extends Credentials {
  /** Base URL without a trailing slash. */
  baseUrl: string;
  /** Default deadline of each request, in milliseconds. */
  timeoutMs: number;
  /** Keep-alive pool size per agent. */
  maxSockets: number;
}

const NETWORK_CODES: Readonly<Record<string, { code: NetworkErrorCode; text: string }>> = {
  ETIMEDOUT: { code: 'ETIMEDOUT', text: 'no response in time' },
  ECONNABORTED: { code: 'ETIMEDOUT', text: 'no response in time' },
  ESOCKETTIMEDOUT: { code: 'ETIMEDOUT', text: 'no response in time' },
  ECONNRESET: { code: 'ECONNRESET', text: 'the connection was reset' },
  ECONNREFUSED: { code: 'ECONNREFUSED', text: 'the connection was refused' },
  ENOTFOUND: { code: 'ENOTFOUND', text: 'the host name was not found' },
  EAI_AGAIN: { code: 'EAI_AGAIN', text: 'the host name could not be resolved right now' },
  EHOSTUNREACH: { code: 'EHOSTUNREACH', text: 'the host is unreachable' },
  ENETUNREACH: { code: 'ENETUNREACH', text: 'the network is unreachable' },
  EPIPE: { code: 'EPIPE', text: 'the connection was closed while sending' },
  ERR_CANCELED: { code: 'ABORTED', text: 'the request was aborted' },
};

/**
 * The TCP keep-alive delay axios sets on a request's socket each time it is handed one (`setKeepAlive(true, 60 s)`
 * in its http adapter). The agents use the same delay: with Node's default (1 s) the agent set it back each time a
 * request released the socket, so every request paid two `setsockopt` rounds (Node skips the call only when the
 * value is unchanged). That was 31% of the client's CPU per awaited `log()` (profiled in bench/suites/delivery.ts).
 */
const AXIOS_KEEP_ALIVE_MSECS = 60_000;

/** Response header values as strings, names lower-cased. */
function flattenHeaders(headers: AxiosResponse['headers']): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers as Record<string, unknown>)) {
    if (value === undefined || value === null) continue;
    flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
  }
  return flat;
}

/** JSON when the content type says so (and it parses), the text otherwise; `undefined` when there is no body. */
function parseBody(text: string, contentType: string | undefined): unknown {
  if (text === '') return undefined;
  if (!contentType || !/\bjson\b/i.test(contentType)) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * axios, loaded on the first request rather than with the SDK: it and its dependencies are about 70 modules, which
 * would double the SDK's `require` time for applications that create a client at start-up and send later (or
 * never, in tests with `disabled`).
 */
function loadAxios(): AxiosStatic {
  return require('axios') as AxiosStatic;
}

/**
 * axios, prepared once: its HTTP adapter and a request config merged from the client's defaults. A request is then
 * that config with its method, path, headers, body and signal set: no per-request `mergeConfig`, header-bucket
 * flattening or interceptor chain (which cost about a third of axios' time per request), and the same adapter,
 * agents, proxy handling and error codes as `axios.request`.
 */
interface PreparedAxios {
  adapter: AxiosAdapter;
  config: InternalAxiosRequestConfig;
}

/** Sends {@link WireRequest}s with axios; one prepared config and one pair of keep-alive agents per client. */
export class AxiosTransport implements ByteBodyTransport {
  /** Batch bodies come as UTF-8 bytes: axios sends a Buffer as it is (no second encoding of a 500-entry text). */
  readonly [TAKES_BYTE_BODIES] = true as const;
  #axios: PreparedAxios | undefined;
  readonly #httpAgent: http.Agent;
  readonly #httpsAgent: https.Agent;
  /** Built once: the headers every request carries; the Authorization value must never be logged. */
  readonly #fixedHeaders: Readonly<Record<string, string>>;
  /** Built once: the credential headers, set last so that no request header can replace them. */
  readonly #authHeaders: Readonly<Record<string, string>>;
  readonly #baseUrl: string;
  readonly #timeoutMs: number;

  /** @param options - Base URL, credentials, deadline and pool size (already normalised). */
  constructor(options: AxiosTransportOptions) {
    this.#baseUrl = options.baseUrl;
    this.#timeoutMs = options.timeoutMs;
    this.#authHeaders = Object.freeze(authHeaders(options));
    this.#fixedHeaders = Object.freeze({ Accept: 'application/json' });
    const agentOptions = { keepAlive: true, keepAliveMsecs: AXIOS_KEEP_ALIVE_MSECS, maxSockets: options.maxSockets };
    this.#httpAgent = new http.Agent(agentOptions);
    this.#httpsAgent = new https.Agent(agentOptions);
  }

  /** The prepared axios, built on first use (see {@link loadAxios}). */
  #prepared(): PreparedAxios {
    if (this.#axios) return this.#axios;
    const axios = loadAxios();
    const config = axios.mergeConfig(axios.defaults as AxiosRequestConfig, {
      baseURL: this.#baseUrl,
      // Paths are always relative (sdk/wire.ts builds them): none may point the credentials elsewhere.
      allowAbsoluteUrls: false,
      httpAgent: this.#httpAgent,
      httpsAgent: this.#httpsAgent,
      // Every status is a response: the client maps non-2xx to typed errors.
      validateStatus: () => true,
      // A redirect would resend the credentials to wherever it points.
      maxRedirects: 0,
      // Bodies are exact strings built by sdk/wire.ts; responses are parsed here, by content type.
      responseType: 'text',
    }) as InternalAxiosRequestConfig;
    this.#axios = { adapter: axios.getAdapter('http'), config };
    return this.#axios;
  }

  /** Sends one request with the credentials; resolves whatever the status, rejects only with {@link NetworkError}. */
  async send(request: WireRequest | ByteBodyRequest, options: SendOptions = {}): Promise<TransportResponse> {
    // One deadline for the whole exchange (axios' own timeout only covers socket inactivity), and the caller's
    // signal, folded into one controller: AbortSignal.any is missing from early Node 20 releases.
    const timeoutMs = options.timeoutMs ?? this.#timeoutMs;
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    const onAbort = (): void => controller.abort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) controller.abort();
    try {
      const { adapter, config } = this.#prepared();
      const response = (await adapter({
        ...config,
        method: request.method,
        url: request.path,
        headers: { ...this.#fixedHeaders, ...request.headers, ...this.#authHeaders } as unknown as InternalAxiosRequestConfig['headers'],
        data: request.body,
        signal: controller.signal,
      })) as AxiosResponse<unknown>;
      const headers = flattenHeaders(response.headers);
      const text = typeof response.data === 'string' ? response.data : String(response.data ?? '');
      return { status: response.status, headers, body: parseBody(text, headers['content-type']) };
    } catch (error) {
      throw this.#networkError(error, request, timedOut, timeoutMs);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
    }
  }

  /** Destroys the pooled sockets. */
  close(): void {
    this.#httpAgent.destroy();
    this.#httpsAgent.destroy();
  }

  /**
   * A {@link NetworkError} whose cause keeps only the message and code of the original: an axios error carries
   * the request config, and with it the Authorization header.
   */
  #networkError(error: unknown, request: WireRequest | ByteBodyRequest, timedOut: boolean, timeoutMs: number): NetworkError {
    const raw = error as { code?: unknown; message?: unknown; cause?: { code?: unknown } };
    const rawCode = typeof raw.code === 'string' ? raw.code : typeof raw.cause?.code === 'string' ? raw.cause.code : '';
    const known = timedOut ? NETWORK_CODES['ETIMEDOUT'] : NETWORK_CODES[rawCode];
    const code: NetworkErrorCode = known?.code ?? 'ENETWORK';
    const text = known?.text ?? 'the request failed before a response arrived';
    const rawMessage = typeof raw.message === 'string' ? raw.message.split('\n')[0] ?? '' : '';
    const cause = timedOut
      ? Object.assign(new Error(`no response within ${timeoutMs} ms`), { code })
      : Object.assign(new Error(rawMessage || text), { code: rawCode || code });
    const path = request.path.split('?')[0];
    return new NetworkError(
      `${request.method} ${path} could not reach the audit-trail service at ${this.#baseUrl}: ${text} (${code}).`,
      { code, cause },
    );
  }
}
