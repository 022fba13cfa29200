/**
 * Details typed as text by a person (a Zap field, a command-line argument): one rule for the Zapier app and the CLI
 * ({@link parseDetailsText}).
 */
import type { Entry } from './schemas.js';

/** The outcome of {@link parseDetailsText}. */
export type ParsedDetailsText =
  | { ok: true; details: Entry['details'] }
  | { ok: false; problem: 'malformed_json'; /** The JSON parser's explanation. */ parserMessage: string }
  | { ok: false; problem: 'not_an_object' };

/**
 * The strict reading of details text, for people who cannot see what was stored (a Zap step): text that starts with
 * `{` or `[` is meant as JSON, so it must parse, and be an object (details are text or an object); a typo such as
 * `{"amount": 5,}` is reported instead of being recorded, for good, as text. Other text is the details unchanged.
 */
export function parseDetailsText(text: string): ParsedDetailsText {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return { ok: true, details: text };
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    return { ok: false, problem: 'malformed_json', parserMessage: (error as Error).message };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { ok: false, problem: 'not_an_object' };
  return { ok: true, details: parsed as Record<string, unknown> };
}
