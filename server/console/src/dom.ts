/**
 * Building the page. Every string reaches the DOM as a text node or an attribute value set with setAttribute;
 * nothing here parses markup (the CSP's Trusted Types would make `innerHTML = string` throw anyway). Strings
 * from entries go through {@link dataText}, which also makes invisible and direction-changing characters visible.
 */

/** What an element may contain: nodes, plain strings (as text), and nothing for absent parts. */
export type Child = Node | string | null | undefined | false;

/** Attributes by name; `false`/`undefined` leave one out. Never pass entry data to `href`. */
export type Attributes = Record<string, string | number | boolean | undefined>;

/** `el('p', { class: 'x' }, 'text', child)`: an element with attributes and children. */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === false) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, ...children);
  return element;
}

/** Appends children, strings as text nodes. */
export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/** Replaces all children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/** Names of the invisible characters people most often meet in spoofing (shown on hover). */
const NAMES: Readonly<Record<number, string>> = {
  0x00ad: 'SOFT HYPHEN',
  0x061c: 'ARABIC LETTER MARK',
  0x180e: 'MONGOLIAN VOWEL SEPARATOR',
  0x200b: 'ZERO WIDTH SPACE',
  0x200c: 'ZERO WIDTH NON-JOINER',
  0x200d: 'ZERO WIDTH JOINER',
  0x200e: 'LEFT-TO-RIGHT MARK',
  0x200f: 'RIGHT-TO-LEFT MARK',
  0x2028: 'LINE SEPARATOR',
  0x2029: 'PARAGRAPH SEPARATOR',
  0x202a: 'LEFT-TO-RIGHT EMBEDDING',
  0x202b: 'RIGHT-TO-LEFT EMBEDDING',
  0x202c: 'POP DIRECTIONAL FORMATTING',
  0x202d: 'LEFT-TO-RIGHT OVERRIDE',
  0x202e: 'RIGHT-TO-LEFT OVERRIDE',
  0x2060: 'WORD JOINER',
  0x2066: 'LEFT-TO-RIGHT ISOLATE',
  0x2067: 'RIGHT-TO-LEFT ISOLATE',
  0x2068: 'FIRST STRONG ISOLATE',
  0x2069: 'POP DIRECTIONAL ISOLATE',
  0xfeff: 'ZERO WIDTH NO-BREAK SPACE',
};

/**
 * Control and format characters (Unicode Cc, Cf: bidi overrides and isolates, zero-width characters, BOM, soft
 * hyphen, tag characters…) and the line/paragraph separators. Tab and newline are kept when `multiline`.
 */
const HIDDEN = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** `U+202E` for a character. */
export function codePoint(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * A string from an entry as text, with every hidden character replaced by a visible `⟨U+XXXX⟩` marker (its name
 * on hover), so a right-to-left override cannot reorder what is shown and a zero-width space cannot make two
 * different actors look the same. The result is wrapped in a bidi-isolated span.
 */
export function dataText(value: string, options: { multiline?: boolean } = {}): HTMLSpanElement {
  const span = el('span', { class: 'data' });
  let last = 0;
  for (const match of value.matchAll(HIDDEN)) {
    const character = match[0];
    const index = match.index ?? 0;
    if (options.multiline && (character === '\n' || character === '\t')) continue;
    if (index > last) span.appendChild(document.createTextNode(value.slice(last, index)));
    const point = codePoint(character);
    const name = NAMES[character.codePointAt(0) ?? 0];
    span.appendChild(el('span', { class: 'hidden-char', title: name ? `${point} ${name}` : `${point} (invisible character)` }, `⟨${point}⟩`));
    last = index + character.length;
  }
  if (last < value.length) span.appendChild(document.createTextNode(value.slice(last)));
  return span;
}

/** A `<dl>` row pair. */
export function field(label: string, ...value: Child[]): [HTMLElement, HTMLElement] {
  return [el('dt', {}, label), el('dd', {}, ...value)];
}
