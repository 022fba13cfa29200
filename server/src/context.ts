/** What route modules need from the server, handed to them explicitly. */
import type { HookDispatcher } from './hooks/dispatcher.js';
import type { Store } from './store/repositories.js';

/** The server's shared services. */
export interface ServerContext {
  store: Store;
  dispatcher: HookDispatcher;
}
