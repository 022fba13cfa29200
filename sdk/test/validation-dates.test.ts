import { isIsoDateTime, validateEntry } from '../src/contract/validation';

describe('occurredAt must name a real instant', () => {
  it.each(['2026-02-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-04-31T10:00:00+02:00', '2026-01-01T24:00:00Z'])(
    'rejects %s, which Date.parse would roll over',
    (occurredAt) => {
      expect(isIsoDateTime(occurredAt)).toBe(false);
      expect(validateEntry({ actorId: 'a', action: 'b', occurredAt })).toMatchObject({ code: 'invalid_field', field: 'occurredAt' });
    },
  );

  it.each(['2024-02-29T23:59:59.999Z', '2026-01-31T12:00:00+05:30', '2026-01-31T12:00Z'])('accepts %s', (occurredAt) => {
    expect(isIsoDateTime(occurredAt)).toBe(true);
    expect(validateEntry({ actorId: 'a', action: 'b', occurredAt })).toBeUndefined();
  });
});
