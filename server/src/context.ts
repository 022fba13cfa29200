/** What route modules need from the server, handed to them explicitly. */
import type { HookDispatcher } from './hooks/dispatcher.js';
import type { CheckpointSigner } from './merkle/checkpoints.js';
import type { Store } from './store/repositories.js';

/** The server's shared services. */
export interface ServerContext {
  store: Store;
  dispatcher: HookDispatcher;
  /** Signs every application's checkpoints with the service's key. */
  checkpoints: CheckpointSigner;
}
