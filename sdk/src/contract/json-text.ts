/**
 * Checks on JSON *text* that no parsed value can show, because `JSON.parse` has already lost the evidence:
 * - a duplicate key (`{"a":1,"a":2}`): `JSON.parse` silently keeps the last one, so what was stored would differ
 *   from what another parser (or a human) reads in the same body (RFC 7493 section 2.3 forbids it);
 * - a number literal the parse altered: one that overflows to Infinity (`1e400`), underflows to 0 (`1e-400`) or is
 *   rounded to the nearest double (`9007199254740993`, `0.10000000000000000001`). A literal is exact when its
 *   value is the value of the double it parses to, as printed in shortest form (so `1.50`, `15e-1` and `1.5` are
 *   all exact).
 * The scanner runs on text `JSON.parse` already accepted, so it only tracks structure; it never builds values.
 */

/** A problem found in JSON text, with the path of the value (object keys and array indexes from the root). */
export interface JsonTextProblem {
  code: 'duplicate_key' | 'invalid_number';
  path: (string | number)[];
  message: string;
}

interface Frame {
  array: boolean;
  /** The key or index of this container in its parent (undefined for the root). */
  name: string | number | undefined;
  keys: Set<string> | undefined;
  index: number;
  expectKey: boolean;
  key: string | undefined;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const DECIMAL = /^-?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/** A number's decimal value as significant digits and the position of the decimal point; `digits` '' for zero. */
function decimal(literal: string): { negative: boolean; digits: string; point: number } {
  const match = DECIMAL.exec(literal);
  if (!match) return { negative: false, digits: literal, point: NaN };
  const whole = match[1] ?? '';
  let digits = whole + (match[2] ?? '');
  let point = whole.length + Number(match[3] ?? 0);
  const leading = digits.length - digits.replace(/^0+/, '').length;
  digits = digits.slice(leading).replace(/0+$/, '');
  point -= leading;
  return { negative: literal.startsWith('-') && digits !== '', digits, point: digits === '' ? 0 : point };
}

/** An integer of at most 15 digits: below 2^53, so always exactly a double (most numbers in entries). */
const SHORT_INTEGER = /^-?(?:0|[1-9]\d{0,14})$/;

/** Is the JSON number literal exactly the double it parses to? */
export function isExactNumberLiteral(literal: string): boolean {
  if (literal.length <= 16 && SHORT_INTEGER.test(literal)) return true;
  const value = Number(literal);
  if (!Number.isFinite(value)) return false;
  const written = decimal(literal);
  const parsed = decimal(String(value));
  return written.digits === parsed.digits && written.point === parsed.point && written.negative === parsed.negative;
}

function pathOf(stack: readonly Frame[], last: string | number | undefined): (string | number)[] {
  const path: (string | number)[] = [];
  for (const frame of stack.slice(1)) if (frame.name !== undefined) path.push(frame.name);
  if (last !== undefined) path.push(last);
  return path;
}

/**
 * The duplicate keys and inexact numbers of a JSON text that `JSON.parse` accepts, in document order, at most
 * `limit`. Every object is checked on its own (the same key in two objects is fine).
 */
export function jsonTextProblems(text: string, limit = 100): JsonTextProblem[] {
  const problems: JsonTextProblem[] = [];
  const root: Frame = { array: true, name: undefined, keys: undefined, index: 0, expectKey: false, key: undefined };
  const stack: Frame[] = [root];
  const top = (): Frame => stack[stack.length - 1] ?? root;
  // The key or index the next value gets in its container.
  const slot = (): string | number | undefined => {
    const frame = top();
    return frame === root ? undefined : frame.array ? frame.index : frame.key;
  };
  let i = 0;
  while (i < text.length && problems.length < limit) {
    const c = text.charCodeAt(i);
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      const array = c === 0x5b;
      stack.push({ array, name: slot(), keys: array ? undefined : new Set(), index: 0, expectKey: !array, key: undefined });
      i += 1;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      i += 1;
    } else if (c === 0x2c /* , */) {
      const frame = top();
      if (frame.array) frame.index += 1;
      else frame.expectKey = true;
      i += 1;
    } else if (c === 0x22 /* " */) {
      let end = i + 1;
      let escaped = false;
      while (end < text.length) {
        const d = text.charCodeAt(end);
        if (d === 0x5c /* \ */) {
          escaped = true;
          end += 2;
        } else if (d === 0x22) break;
        else end += 1;
      }
      const frame = top();
      if (frame.expectKey && frame.keys) {
        const raw = text.slice(i + 1, end);
        const key = escaped ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (frame.keys.has(key)) {
          problems.push({ code: 'duplicate_key', path: pathOf(stack, key), message: `the key ${JSON.stringify(key)} appears twice in one object` });
        }
        frame.keys.add(key);
        frame.key = key;
        frame.expectKey = false;
      }
      i = end + 1;
    } else if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const literal = NUMBER.exec(text)?.[0] ?? text[i] ?? '';
      if (!isExactNumberLiteral(literal)) {
        const value = Number(literal);
        const what = !Number.isFinite(value) ? 'overflows to infinity' : value === 0 ? 'underflows to 0' : `would be rounded to ${String(value)}`;
        problems.push({ code: 'invalid_number', path: pathOf(stack, slot()), message: `the number ${literal.slice(0, 40)} ${what}; send it as text` });
      }
      i += Math.max(literal.length, 1);
    } else {
      i += 1;
    }
  }
  return problems;
}

/** `details.a[2]`-style rendering of a path below `root`. */
export function renderJsonPath(root: string, path: readonly (string | number)[]): string {
  let text = root;
  for (const part of path) {
    text += typeof part === 'number' ? `[${part}]` : /^[A-Za-z_$][\w$]*$/.test(part) ? `.${part}` : `[${JSON.stringify(part)}]`;
  }
  return text;
}
