/** The opaque list cursor: the last sequence of a page and the order it was read in, base64url JSON. */
import { ApiError } from './errors.js';

interface CursorData {
  /** Last sequence returned. */
  s: number;
  /** Order of the listing; a cursor is only valid in the same order. */
  o: 'asc' | 'desc';
}

/** Encodes the cursor of the page after the one ending at `sequence`. */
export function encodeCursor(sequence: number, order: 'asc' | 'desc'): string {
  return Buffer.from(JSON.stringify({ s: sequence, o: order } satisfies CursorData)).toString('base64url');
}

/** Decodes a cursor, or throws a 400 `invalid_field` naming `cursor`. */
export function decodeCursor(cursor: string, order: 'asc' | 'desc'): number {
  let data: Partial<CursorData> | undefined;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Partial<CursorData>;
  } catch {
    data = undefined;
  }
  if (!data || typeof data.s !== 'number' || !Number.isSafeInteger(data.s) || data.s < 0) {
    throw new ApiError('invalid_field', 'cursor is not a cursor returned by this endpoint', 'cursor');
  }
  if (data.o !== order) throw new ApiError('invalid_field', `cursor was made for order=${String(data.o)}, not ${order}`, 'cursor');
  return data.s;
}
