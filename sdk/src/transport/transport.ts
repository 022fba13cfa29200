/**
 * The seam between the client and HTTP. The SDK ships an axios implementation; tests and the delivery pipeline
 * may inject their own.
 */
import type { WireRequest } from '../contract/wire.js';

/** A response as the client needs it: status, lower-cased headers, and the body (parsed JSON, or text). */
export interface TransportResponse {
  /** HTTP status code. */
  status: number;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  /** Parsed JSON body when the response is JSON, the raw text otherwise. */
  body: unknown;
}

/** Per-request options. */
export interface SendOptions {
  /** Abort the request after this many milliseconds. */
  timeoutMs?: number;
  /** Abort the request when this signal fires. */
  signal?: AbortSignal;
}

/**
 * Sends one {@link WireRequest} (credentials are added by the transport) and resolves with the response whatever
 * its status. Rejects only with a `NetworkError` (timeout, reset, DNS, refused).
 */
export interface Transport {
  /** Sends a request; resolves with any HTTP status, rejects with `NetworkError` when no response arrived. */
  send(request: WireRequest, options?: SendOptions): Promise<TransportResponse>;
  /** Releases pooled connections. */
  close(): void;
}

/**
 * Internal (not exported by the package): marks a transport that also takes a request body already encoded as
 * UTF-8 bytes (`body: Buffer`), as the SDK's own axios transport does. The delivery pipeline builds its batch
 * bodies as bytes and hands them as they are to such a transport; any other transport gets them as a string, as
 * {@link WireRequest} promises.
 */
export const TAKES_BYTE_BODIES: unique symbol = Symbol('audit-trail.takesByteBodies');

/** A {@link WireRequest} whose body may also be UTF-8 bytes (see {@link TAKES_BYTE_BODIES}). */
export type ByteBodyRequest = Omit<WireRequest, 'body'> & { body?: string | Buffer };

/** A transport marked with {@link TAKES_BYTE_BODIES}. */
export interface ByteBodyTransport extends Transport {
  readonly [TAKES_BYTE_BODIES]: true;
  send(request: ByteBodyRequest, options?: SendOptions): Promise<TransportResponse>;
}

/** Does this transport take `Buffer` bodies? */
export function takesByteBodies(transport: Transport): transport is ByteBodyTransport {
  return (transport as Partial<ByteBodyTransport>)[TAKES_BYTE_BODIES] === true;
}
