/**
 * The organization, application and API-key records that authenticating a request reads, kept in memory beside
 * the credential cache (credential-verifier.ts): without it every request ran two or three SELECTs before its
 * body was read. A record is served from memory only while the store's {@link TenantRepository.changeToken} is the
 * one it was read under; any change to tenants, by this process or by another on the same database (a rotation,
 * a deleted key, a new application), changes the token and empties the cache before the next lookup. A store that
 * cannot tell (`undefined`) is asked every time. Lookups that find nothing are never cached.
 *
 * What is cached are records, not decisions: the verifier still compares the remembered secret with the stored
 * hashes and the grace period of a rotated secret with the clock on every request.
 */
import type { ApplicationKeyRecord, ApplicationRecord, OrganizationRecord, TenantRepository } from '../store/repositories.js';

/** The lookups authentication needs. */
export type TenantLookups = Pick<TenantRepository, 'findOrganization' | 'findApplication' | 'findApplicationKey'>;

/** Each map holds at most this many records; a full map is emptied (an attacker's unknown ids are never added). */
const MAX_RECORDS = 10_000;

export class TenantCache implements TenantLookups {
  #token: string | undefined;
  readonly #organizations = new Map<string, OrganizationRecord>();
  readonly #applications = new Map<string, ApplicationRecord>();
  readonly #keys = new Map<string, ApplicationKeyRecord>();

  constructor(private readonly tenants: TenantRepository) {}

  async findOrganization(id: string): Promise<OrganizationRecord | undefined> {
    return this.#cached(this.#organizations, id, () => this.tenants.findOrganization(id));
  }

  async findApplication(organizationId: string, applicationId: string): Promise<ApplicationRecord | undefined> {
    return this.#cached(this.#applications, `${organizationId}\0${applicationId}`, () => this.tenants.findApplication(organizationId, applicationId));
  }

  async findApplicationKey(id: string): Promise<ApplicationKeyRecord | undefined> {
    return this.#cached(this.#keys, id, () => this.tenants.findApplicationKey(id));
  }

  async #cached<T>(map: Map<string, T>, key: string, read: () => Promise<T | undefined>): Promise<T | undefined> {
    const token = await this.tenants.changeToken();
    if (token === undefined || token !== this.#token) {
      this.#organizations.clear();
      this.#applications.clear();
      this.#keys.clear();
      this.#token = token;
      if (token === undefined) return read();
    }
    const known = map.get(key);
    if (known !== undefined) return known;
    const record = await read();
    // Stored only if nothing changed while it was read (a change in between may or may not be in `record`).
    if (record !== undefined && (await this.tenants.changeToken()) === token) {
      if (map.size >= MAX_RECORDS) map.clear();
      // Shared by every request from now on: no route may change it.
      map.set(key, Object.freeze(record));
    }
    return record;
  }
}
