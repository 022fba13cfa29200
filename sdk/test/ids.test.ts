import { uuidv7 } from '../src/ids';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('uuidv7', () => {
  it('has the RFC 9562 version 7 and variant bits', () => {
    for (let i = 0; i < 2000; i += 1) expect(uuidv7()).toMatch(UUID_V7);
  });

  it('puts the 48-bit millisecond timestamp first, big-endian', () => {
    const now = Date.UTC(2026, 10, 23, 9, 0, 0, 123);
    expect(uuidv7(now).replace(/-/g, '').slice(0, 12)).toBe(now.toString(16).padStart(12, '0'));
    expect(uuidv7(0).startsWith('00000000-0000-7')).toBe(true);
    expect(uuidv7(2 ** 48 - 1).startsWith('ffffffff-ffff-7')).toBe(true);
  });

  it('sorts ids of later milliseconds after earlier ones, and never repeats', () => {
    const ids = Array.from({ length: 5000 }, (_, i) => uuidv7(1_700_000_000_000 + Math.floor(i / 10)));
    expect(new Set(ids).size).toBe(ids.length);
    for (let i = 10; i < ids.length; i += 10) expect((ids[i] as string) > (ids[i - 1] as string)).toBe(true);
  });
});
