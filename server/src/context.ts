/** What route modules need from the server, handed to them explicitly. */
import type { GroupCommit } from './group-commit.js';
import type { HookDispatcher } from './hooks/dispatcher.js';
import type { CheckpointSigner } from './merkle/checkpoints.js';
import type { Store } from './store/repositories.js';
import type { IntegrityMonitor } from './verification/integrity-monitor.js';

/** The server's shared services. */
export interface ServerContext {
  store: Store;
  /** Appends entries; concurrent appends to one application share a transaction. */
  appends: GroupCommit;
  dispatcher: HookDispatcher;
  /** Signs every application's checkpoints with the service's key. */
  checkpoints: CheckpointSigner;
  /** Verification off the event loop: watermarks, breaks, full passes in a worker. */
  monitor: IntegrityMonitor;
}
