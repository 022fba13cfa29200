/**
 * Checks `organizationId:apiSecret` pairs, where the secret is the organization's (its current one, or the one
 * before the last rotation until its grace period ends) or a per-application API key of that organization
 * (`atk_<keyId>_<secret>`, valid for its one application). scrypt is deliberately slow, and a busy client sends
 * thousands of requests a second, so a secret that verified once is remembered as a peppered SHA-256 digest (never
 * the secret itself) together with the stored hash it matched; a later request is accepted without scrypt only
 * while that stored hash is still valid, so a rotation's grace period or a deleted key take effect at once.
 * A wrong secret always pays the full scrypt cost (the failed-authentication limiter bounds how often).
 */
import { createHash, randomBytes } from 'node:crypto';
import type { OrganizationRecord } from '../store/repositories.js';
import type { TenantLookups } from './tenant-cache.js';
import { secretMatches } from './secrets.js';

const MAX_REMEMBERED = 10_000;

/** Who a verified secret authenticates. */
export interface VerifiedCaller {
  organization: OrganizationRecord;
  /** Set when the secret is an application key: the only application it may use. */
  keyApplicationId: string | null;
}

interface Candidate {
  salt: Buffer;
  hash: Buffer;
  keyApplicationId: string | null;
}

/** The key id of an application key (`atk_<16 hex>_<secret>`), `undefined` for anything else. */
export function applicationKeyId(secret: string): string | undefined {
  return /^atk_([0-9a-f]{16})_[A-Za-z0-9_-]+$/.exec(secret)?.[1];
}

export class CredentialVerifier {
  /** `orgId \0 digest hex` → the stored hash that secret matched. */
  private readonly remembered = new Map<string, Buffer>();
  // Unknown organizations are checked against this, so they take as long as a wrong secret.
  private readonly decoy = { salt: randomBytes(16), hash: randomBytes(32) };
  private readonly pepper = randomBytes(16);

  constructor(
    private readonly tenants: TenantLookups,
    private readonly now: () => number = Date.now,
  ) {}

  /** The caller when this secret was verified before and is still valid (no scrypt), `undefined` otherwise. */
  async verifyRemembered(organizationId: string, apiSecret: string): Promise<VerifiedCaller | undefined> {
    return (await this.lookup(organizationId, apiSecret, true)) ?? undefined;
  }

  /** The caller when the secret is right, `undefined` otherwise. */
  async verify(organizationId: string, apiSecret: string): Promise<VerifiedCaller | undefined> {
    return (await this.lookup(organizationId, apiSecret, false)) ?? undefined;
  }

  private async lookup(organizationId: string, apiSecret: string, rememberedOnly: boolean): Promise<VerifiedCaller | null> {
    const organization = await this.tenants.findOrganization(organizationId);
    const candidates = organization ? await this.candidates(organization, apiSecret) : [];
    const cacheKey = organization && `${organization.id}\0${this.digest(apiSecret)}`;
    const known = cacheKey && this.remembered.get(cacheKey);
    if (organization && known) {
      const match = candidates.find((candidate) => candidate.hash.equals(known));
      if (match) return { organization, keyApplicationId: match.keyApplicationId };
      this.remembered.delete(cacheKey);
    }
    if (rememberedOnly) return null;
    if (!organization || candidates.length === 0) {
      await secretMatches(apiSecret, this.decoy.salt, this.decoy.hash);
      return null;
    }
    for (const candidate of candidates) {
      if (!(await secretMatches(apiSecret, candidate.salt, candidate.hash))) continue;
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.set(cacheKey as string, candidate.hash);
      return { organization, keyApplicationId: candidate.keyApplicationId };
    }
    return null;
  }

  /** The stored hashes this secret may match right now. */
  private async candidates(organization: OrganizationRecord, apiSecret: string): Promise<Candidate[]> {
    const keyId = applicationKeyId(apiSecret);
    if (keyId !== undefined) {
      const key = await this.tenants.findApplicationKey(keyId);
      return key && key.organizationId === organization.id ? [{ salt: key.secretSalt, hash: key.secretHash, keyApplicationId: key.applicationId }] : [];
    }
    const candidates: Candidate[] = [{ salt: organization.secretSalt, hash: organization.secretHash, keyApplicationId: null }];
    const previous = organization.previousSecret;
    if (previous && Date.parse(previous.validUntil) > this.now()) candidates.push({ salt: previous.salt, hash: previous.hash, keyApplicationId: null });
    return candidates;
  }

  private digest(apiSecret: string): string {
    return createHash('sha256').update(this.pepper).update(apiSecret, 'utf8').digest('hex');
  }
}
