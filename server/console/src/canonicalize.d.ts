/** Served by the server (server/src/routes/console.ts): the RFC 8785 `canonicalize` package the contract hashes with. */
declare function canonicalize(value: unknown): string | undefined;
export default canonicalize;
