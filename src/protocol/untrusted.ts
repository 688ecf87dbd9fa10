// Owns the rules for reading untrusted text safely: how deep JSON may nest, which object keys are never names
// (`__proto__`), and how control characters are shown when a name or value is echoed or written down.

/** Counts the deepest nesting of arrays and objects in JSON text without parsing it (and without recursion). */
export function jsonNestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const char = text.charCodeAt(i);
    if (inString) {
      if (char === 0x5c)
        i += 1; // a backslash escapes the next character, a quote included
      else if (char === 0x22) inString = false;
    } else if (char === 0x22) inString = true;
    else if (char === 0x5b || char === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (char === 0x5d || char === 0x7d) depth -= 1;
  }
  return deepest;
}

// C0 controls, DEL, C1 controls, lone surrogates, and the line and paragraph separators.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** True when the text holds a character that has no place in a name: a control character or a broken surrogate. */
export function hasControlCharacters(text: string): boolean {
  UNSAFE.lastIndex = 0;
  const found = UNSAFE.test(text);
  UNSAFE.lastIndex = 0;
  return found;
}

/**
 * The text with every control character written out as `\uXXXX`, so a message or a kept payload can be stored
 * anywhere (PostgreSQL refuses NUL in text) and shown in a log or terminal as it was, never acted on.
 * JSON text stays valid JSON: outside strings it has no such characters.
 */
export function escapeControlCharacters(text: string): string {
  return text.replace(UNSAFE, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Keys that are never data names: JavaScript would read or write an object's prototype through them. */
const PROTOTYPE_KEYS = new Set(['__proto__']);

/**
 * Where `value` (parsed JSON) holds an own key `__proto__`, as a dotted path such as "fields.participants", or
 * undefined when it holds none. Depth must have been limited before (see jsonNestingDepth).
 */
export function prototypeKeyPath(value: unknown, path: readonly string[] = []): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  return findPrototypeKey(value, [...path]);
}

// Depth first, keys in Object.keys order; one path array pushed and popped on the way, joined only for a find.
function findPrototypeKey(value: object, trail: string[]): string | undefined {
  for (const key of Object.keys(value)) {
    trail.push(key);
    if (PROTOTYPE_KEYS.has(key)) return trail.join('.');
    const inner = (value as Record<string, unknown>)[key];
    const found = inner !== null && typeof inner === 'object' ? findPrototypeKey(inner, trail) : undefined;
    if (found !== undefined) return found;
    trail.pop();
  }
  return undefined;
}
