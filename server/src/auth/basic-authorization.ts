/** Reading the `Authorization: Basic` header the clients build with the contract's `basicAuthorization`. */

/** Reads a Basic `Authorization` header back into its parts; `undefined` when it is not well-formed. */
export function parseBasicAuthorization(header: string | undefined): { organizationId: string; apiSecret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/=]+)$/i.exec(header?.trim() ?? '');
  if (!match?.[1]) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return undefined;
  return { organizationId: decoded.slice(0, colon), apiSecret: decoded.slice(colon + 1) };
}
