/** {@link TreeRepository} on PostgreSQL: the frontier read and the new nodes written in one statement each. */
import type { TreeNode, TreeNodeRef, TreeRepository } from './repositories.js';
import type { PgRow, Queryable } from './postgres-rows.js';

export class PostgresTreeRepository implements TreeRepository {
  constructor(private readonly db: Queryable) {}

  async nodes(applicationId: string, refs: readonly TreeNodeRef[]): Promise<(Buffer | undefined)[]> {
    if (refs.length === 0) return [];
    const { rows } = await this.db.query<PgRow>({
      name: 'tree-nodes',
      text:
        'SELECT n.level, n.idx, n.hash FROM tree_nodes AS n JOIN unnest($2::int[], $3::bigint[]) AS r(level, idx) ' +
        'ON n.level = r.level AND n.idx = r.idx WHERE n.application_id = $1',
      values: [applicationId, refs.map((ref) => ref.level), refs.map((ref) => ref.index)],
    });
    const found = new Map(rows.map((row) => [`${Number(row['level'])}:${Number(row['idx'])}`, row['hash'] as Buffer]));
    return refs.map((ref) => found.get(`${ref.level}:${ref.index}`));
  }

  async putNodes(applicationId: string, nodes: readonly TreeNode[]): Promise<void> {
    if (nodes.length === 0) return;
    // One row per node (the last write wins, as with row-by-row upserts): ON CONFLICT may touch a row only once.
    const unique = [...new Map(nodes.map((node) => [`${node.level}:${node.index}`, node])).values()];
    await this.db.query({
      name: 'tree-put-nodes',
      text:
        'INSERT INTO tree_nodes (application_id, level, idx, hash) SELECT $1, * FROM unnest($2::int[], $3::bigint[], $4::bytea[]) ' +
        'ON CONFLICT (application_id, level, idx) DO UPDATE SET hash = excluded.hash',
      values: [applicationId, unique.map((node) => node.level), unique.map((node) => node.index), unique.map((node) => node.hash)],
    });
  }
}
