/**
 * `GET /api/entries`, newest first, as the polling trigger, the REST hook's `performList` and the search use it.
 * Page sizes follow what Zapier asks for: a few entries for a sample, more when it fills its dedupe list.
 */
import type { Bundle, ZObject } from 'zapier-platform-core';
import { LIMITS, PATHS, type ListQuery, type ListResponse, type StoredEntry } from '@audit-trail/sdk/contract';
import { getJson, hasProperties } from './api.js';
import { baseUrlOf } from './connection.js';
import { capEntries, entryOutput, type EntryOutput } from './entry-output.js';

/** Entries per poll when Zapier does not say (`meta.limit` is -1 or absent). */
export const DEFAULT_POLL_SIZE = 100;
/** Entries to load as a sample in the Zap editor. */
export const SAMPLE_SIZE = 3;

/** How many entries a poll should fetch for this run. */
export function pollSize(meta: Partial<Bundle['meta']> | undefined): number {
  if (meta?.isLoadingSample) return SAMPLE_SIZE;
  if (meta?.isPopulatingDedupe) return LIMITS.pageSize;
  const limit = meta?.limit;
  return typeof limit === 'number' && limit > 0 ? Math.min(limit, LIMITS.pageSize) : DEFAULT_POLL_SIZE;
}

/** One page of entries, newest first, of the connection's (or the given) application. */
export async function listEntries(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  query: ListQuery,
  applicationId?: string,
): Promise<StoredEntry[]> {
  const page = await getJson<ListResponse>(z, bundle, PATHS.entries, {
    query: { order: 'desc', ...query },
    applicationId,
    isExpected: hasProperties<ListResponse>({ entries: 'array' }),
  });
  return page.entries;
}

/** {@link listEntries} as the Zap sees them: with links, and kept under Zapier's response size limit. */
export async function listEntryOutputs(
  z: ZObject,
  bundle: Pick<Bundle, 'authData'>,
  query: ListQuery,
  applicationId?: string,
): Promise<EntryOutput[]> {
  const baseUrl = baseUrlOf(z, bundle);
  const entries = await listEntries(z, bundle, query, applicationId);
  return capEntries(entries.map((entry) => entryOutput(entry, baseUrl)));
}

/** The filters a trigger step can set. */
export type EntryFilters = Pick<ListQuery, 'actorId' | 'action' | 'entityType' | 'entityId'>;

/** Only the non-blank filters of a step, trimmed. */
export function filtersOf(input: { [K in keyof EntryFilters]?: string | undefined }): EntryFilters {
  const pick = (value: string | undefined): string | undefined => (value?.trim() ? value.trim() : undefined);
  return { actorId: pick(input.actorId), action: pick(input.action), entityType: pick(input.entityType), entityId: pick(input.entityId) };
}
