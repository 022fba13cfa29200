import { retryDelayMs, shouldRetry } from '../../src/delivery/retry-policy.js';

const policy = { baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000 };
const NOW = Date.parse('2026-01-01T00:00:00Z');

describe('shouldRetry', () => {
  it.each([408, 425, 429, 500, 502, 503, 504])('retries %i', (status) => expect(shouldRetry(status)).toBe(true));
  it.each([400, 401, 403, 404, 409, 413, 415, 422])('does not retry %i', (status) => expect(shouldRetry(status)).toBe(false));
});

describe('retryDelayMs', () => {
  it('uses full jitter over an exponential window', () => {
    expect(retryDelayMs(0, undefined, policy, () => 0, NOW)).toBe(0);
    expect(retryDelayMs(0, undefined, policy, () => 0.5, NOW)).toBe(50);
    expect(retryDelayMs(2, undefined, policy, () => 0.5, NOW)).toBe(200);
  });

  it('caps the window at maxDelayMs, however many attempts', () => {
    expect(retryDelayMs(10, undefined, policy, () => 0.999, NOW)).toBe(999);
    expect(retryDelayMs(5000, undefined, policy, () => 0.5, NOW)).toBe(500);
  });

  it('honours Retry-After in seconds as a minimum', () => {
    expect(retryDelayMs(0, '2', policy, () => 0, NOW)).toBe(2000);
    expect(retryDelayMs(10, '0', policy, () => 0.9, NOW)).toBe(900);
  });

  it('honours Retry-After as an HTTP date', () => {
    const inThreeSeconds = new Date(NOW + 3000).toUTCString();
    expect(retryDelayMs(0, inThreeSeconds, policy, () => 0, NOW)).toBe(3000);
    expect(retryDelayMs(0, new Date(NOW - 60_000).toUTCString(), policy, () => 0, NOW)).toBe(0);
  });

  it('clamps Retry-After to maxRetryAfterMs', () => {
    expect(retryDelayMs(0, '86400', policy, () => 0, NOW)).toBe(5000);
  });

  it('ignores an unreadable Retry-After', () => {
    expect(retryDelayMs(1, 'soon', policy, () => 0.5, NOW)).toBe(100);
  });
});
