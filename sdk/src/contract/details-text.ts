/**
 * Details typed as text by a person (a Zap field, a command-line argument): text that is a JSON object is
 * recorded as that object, anything else as the text itself. One rule for the Zapier app and the CLI.
 */
import type { Entry } from './schemas.js';

/** Details text → a JSON object when it is one, otherwise the text unchanged (not even trimmed). */
export function detailsFromText(text: string): Entry['details'] {
  const trimmed = text.trim();
  if (trimmed.startsWith('{') && trimmed.endsWith('}')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
    } catch {
      // Not JSON after all: keep the text exactly as it was written.
    }
  }
  return text;
}
