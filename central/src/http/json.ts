// Pure: JSON bodies with a bounded nesting depth. JSON.parse itself copes with deep input,
// but schema validation and re-serialisation recurse and would overflow the stack (a 500).

export const MAX_JSON_DEPTH = 64;

/** Deepest nesting of arrays/objects in `text`, stopping early once over `limit`. */
export function jsonDepth(text: string, limit = MAX_JSON_DEPTH): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) {
        i++;
      } // backslash: skip the escaped character
      else if (c === 0x22) {
        inString = false;
      }
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > max) {
        max = depth;
      }
      if (max > limit) {
        return max;
      }
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return max;
}

/** True when every string (keys included) in a parsed JSON value is well-formed UTF-16. */
export function wellFormed(v: unknown): boolean {
  if (typeof v === 'string') {
    return v.isWellFormed();
  }
  if (Array.isArray(v)) {
    return v.every(wellFormed);
  }
  if (v && typeof v === 'object') {
    return Object.entries(v).every(([k, x]) => k.isWellFormed() && wellFormed(x));
  }
  return true;
}
