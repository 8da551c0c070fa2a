/**
 * Python string literals decoded as Python does (str, bytes, raw, f-strings without fields):
 * one table for every reader of a literal in a cell (the analyzer's start calls and
 * guardless' literal values), so they cannot disagree on what a literal says.
 */

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * A string literal whose value Warden cannot compute (`'\N{...}'` naming a character it does
 * not know, a bytes literal holding a byte above 0x7f): Python runs it, so a start written
 * with it is unreadable, never absent.
 */
export const UNDECODABLE: unique symbol = Symbol('undecodable');

/** Python's one-letter escapes (str and bytes alike); a line break after `\` is dropped. */
const ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\n': '',
  '\r\n': '',
  '\r': ''
};

/** One escape after a backslash: octal, \x, then \u \U \N (str only), else one character. */
const ESCAPE =
  /\\(?:([0-7]{1,3})|x([0-9a-fA-F]{2})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|N\{([^}]*)\}|(\r\n|[^]))/g;

/** In an f-string `{{` and `}}` are braces (the caller passes only f-strings without fields). */
const BRACES = /\{\{|\}\}/g;
const FORMAT_ESCAPE = new RegExp(`${ESCAPE.source}|${BRACES.source}`, 'g');

const DIGITS = [
  'ZERO',
  'ONE',
  'TWO',
  'THREE',
  'FOUR',
  'FIVE',
  'SIX',
  'SEVEN',
  'EIGHT',
  'NINE'
];

/** Unicode names of the ASCII a command is spelled with; Warden decodes no other names. */
const NAMED: Readonly<Record<string, string>> = {
  SPACE: ' ',
  'HYPHEN-MINUS': '-',
  'FULL STOP': '.',
  'LOW LINE': '_',
  SOLIDUS: '/',
  'EQUALS SIGN': '=',
  COLON: ':',
  COMMA: ',',
  ...Object.fromEntries(DIGITS.map((d, i) => [`DIGIT ${d}`, String(i)]))
};

/** The character `\N{name}` names, or null when Warden does not know the name. */
function namedCharacter(name: string): string | null {
  const n = name.toUpperCase();
  const letter = /^LATIN (SMALL|CAPITAL) LETTER ([A-Z])$/.exec(n);
  if (letter) {
    return letter[1] === 'SMALL' ? letter[2].toLowerCase() : letter[2];
  }
  return Object.prototype.hasOwnProperty.call(NAMED, n) ? NAMED[n] : null;
}

/**
 * The value of one string literal as Python decodes it. The prefix says raw (escapes kept),
 * bytes (no \u, \U, \N; ASCII only) or f (BRACES). An escape Python does not know
 * keeps its backslash (`'\d'`).
 */
export function decodeString(raw: string): string | typeof UNDECODABLE | null {
  const m = /^([rRbBuUfF]{0,2})('''|"""|'|")/.exec(raw);
  if (!m) {
    return null;
  }
  const quote = m[2];
  if (!raw.endsWith(quote) || raw.length < m[0].length + quote.length) {
    return null;
  }
  const prefix = m[1].toLowerCase();
  const bytes = prefix.includes('b');
  let body = raw.slice(m[0].length, raw.length - quote.length);
  if (bytes && NON_ASCII.test(body)) {
    return UNDECODABLE; // a SyntaxError in Python
  }
  let undecodable = false;
  const escape = (
    all: string,
    oct?: string,
    hex?: string,
    u4?: string,
    u8?: string,
    name?: string,
    ch?: string
  ): string => {
    if (oct !== undefined || hex !== undefined) {
      const value = oct !== undefined ? parseInt(oct, 8) : parseInt(hex!, 16);
      // a byte above 0x7f reaches the command as the file system encoding decodes it
      undecodable ||= bytes && value > 0x7f;
      return String.fromCodePoint(value);
    }
    if (ch === undefined && bytes) {
      return all; // \u, \U and \N are no escapes in bytes: the backslash stays
    }
    if (u4 !== undefined || u8 !== undefined) {
      const value = parseInt((u4 ?? u8)!, 16);
      undecodable ||= value > 0x10ffff; // a SyntaxError in Python
      return value > 0x10ffff ? '' : String.fromCodePoint(value);
    }
    if (name !== undefined) {
      const c = namedCharacter(name);
      undecodable ||= c === null;
      return c ?? '';
    }
    return ESCAPES[ch!] ?? all;
  };
  // one pass, so an escaped brace (`f'\x7b\x7b'`) is not read as a doubled one
  const isRaw = prefix.includes('r');
  const format = prefix.includes('f');
  const pattern =
    isRaw && format ? BRACES : isRaw ? null : format ? FORMAT_ESCAPE : ESCAPE;
  if (pattern) {
    body = body.replace(
      pattern,
      (all: string, ...groups: Array<string | undefined>) =>
        all === '{{' || all === '}}' ? all[0] : escape(all, ...groups)
    );
  }
  return undecodable ? UNDECODABLE : body;
}
