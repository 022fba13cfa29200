/** Jest global teardown: stops the PostgreSQL the global setup started (and removes its directory). */
export default async function globalTeardown() {
  const server = globalThis.__auditTrailPostgres;
  if (!server) return;
  globalThis.__auditTrailPostgres = undefined;
  delete process.env.AUDIT_TRAIL_TEST_POSTGRES_URL;
  await server.stop();
}
