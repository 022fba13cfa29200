/**
 * Checks `organizationId:apiSecret` pairs. scrypt is deliberately slow, and a busy client sends thousands of
 * requests a second, so a secret that verified once is remembered as a SHA-256 digest (never the secret itself)
 * and later requests compare digests in constant time. A wrong secret always pays the full scrypt cost.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { OrganizationRecord, TenantRepository } from '../store/repositories.js';
import { secretMatches } from './secrets.js';

const MAX_REMEMBERED = 10_000;

export class CredentialVerifier {
  private readonly remembered = new Map<string, Buffer>();
  // Unknown organizations are checked against this, so they take as long as a wrong secret.
  private readonly decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  private readonly pepper = randomBytes(16);

  constructor(private readonly tenants: TenantRepository) {}

  /** The organization when the secret is right, `undefined` otherwise. */
  async verify(organizationId: string, apiSecret: string): Promise<OrganizationRecord | undefined> {
    const organization = await this.tenants.findOrganization(organizationId);
    const digest = createHash('sha256').update(this.pepper).update(apiSecret, 'utf8').digest();
    const known = organization && this.remembered.get(organization.id);
    if (known && timingSafeEqual(known, digest)) return organization;
    const { salt, hash } = organization ? { salt: organization.secretSalt, hash: organization.secretHash } : this.decoy;
    if (!(await secretMatches(apiSecret, salt, hash)) || !organization) return undefined;
    if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
    this.remembered.set(organization.id, digest);
    return organization;
  }
}
