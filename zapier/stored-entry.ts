/** `GET /api/getEntryById`: one stored entry, as Find Entry by ID and Log Entry (to show what was stored) read it. */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { PATHS, type StoredEntry } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from './api.js';
import { statusOfThrown } from './response-errors.js';

const isStoredEntry = hasProperties<StoredEntry>({ id: 'string', sequence: 'number', hash: 'string', actorId: 'string', action: 'string' });

/** The stored entry with this id in the connection's (or the given) application; `undefined` when there is none. */
export async function findStoredEntry(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  entryId: string,
  applicationId?: string,
): Promise<StoredEntry | undefined> {
  try {
    return await getJson<StoredEntry>(z, bundle, PATHS.entryById, { query: { entryId }, applicationId, isExpected: isStoredEntry });
  } catch (error) {
    if (statusOfThrown(error) === 404) return undefined;
    throw error;
  }
}
