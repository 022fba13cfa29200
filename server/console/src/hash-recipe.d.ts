/** Served by the server (server/src/routes/console.ts) from its wire contract: the fields each hash version covers. */
import type { HashedEntry } from '@audit-trail/sdk/contract';

export declare const HASHED_FIELDS: Readonly<Record<string, readonly (keyof HashedEntry)[] | undefined>>;
