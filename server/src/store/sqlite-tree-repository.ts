/** {@link TreeRepository} on `node:sqlite`: one point read per node (no round trip to batch away in-process). */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { TreeNode, TreeNodeRef, TreeRepository } from './repositories.js';

export class SqliteTreeRepository implements TreeRepository {
  private readonly getStatement: StatementSync;
  private readonly putStatement: StatementSync;

  constructor(db: DatabaseSync) {
    this.getStatement = db.prepare('SELECT hash FROM tree_nodes WHERE application_id = ? AND level = ? AND idx = ?');
    this.putStatement = db.prepare(
      'INSERT INTO tree_nodes (application_id, level, idx, hash) VALUES (?, ?, ?, ?) ' +
        'ON CONFLICT (application_id, level, idx) DO UPDATE SET hash = excluded.hash',
    );
  }

  async nodes(applicationId: string, refs: readonly TreeNodeRef[]): Promise<(Buffer | undefined)[]> {
    return refs.map(({ level, index }) => {
      const row = this.getStatement.get(applicationId, level, index) as { hash: Uint8Array } | undefined;
      return row ? Buffer.from(row.hash.buffer, row.hash.byteOffset, row.hash.byteLength) : undefined;
    });
  }

  async putNodes(applicationId: string, nodes: readonly TreeNode[]): Promise<void> {
    for (const node of nodes) this.putStatement.run(applicationId, node.level, node.index, node.hash);
  }
}
