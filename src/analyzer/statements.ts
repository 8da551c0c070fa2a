/**
 * Top-level statements of Python source, found by one lexical pass instead of a parse.
 *
 * The analyzer uses this to parse only the statements that can matter (see relevance.ts):
 * Lezer's Python parser costs about half a microsecond per character on a small machine,
 * while this scan only stops at brackets, quotes, comments and line breaks. A boundary is
 * put only where a new statement begins at column 0 outside any bracket, string or
 * backslash continuation (and not after a decorator, a continuation carried over blank
 * lines, or a CR a string took), so every piece is a whole statement with its decorators
 * and its else/elif/except/finally clauses.
 *
 * The scan follows @lezer/python's tokenizer (src/tokens.js, python.grammar) on everything
 * that decides where a statement ends: string prefixes, long strings, escapes (raw strings
 * skip the character after a backslash too), short strings ending at a line feed, f-string
 * replacement fields with nested strings (PEP 701) and format specs, comments, brackets.
 * Where it could disagree with Lezer it errs towards fewer boundaries: a bigger piece is
 * parsed whole and loses nothing. `statements.spec.ts` checks on fuzzed input that no
 * boundary falls inside a top-level statement of Lezer's own tree.
 */

/** One top-level statement: [from, to) of the text. */
export interface Statement {
  from: number;
  to: number;
}

export interface StatementScan {
  /** The statements, covering the text without gaps, in order. */
  statements: Statement[];
  /** Comments as [from, to) pairs, flattened, ascending. */
  comments: number[];
}

const LF = 10;
const CR = 13;
const HASH = 35;
const BACKSLASH = 92;
const SQUOTE = 39;
const DQUOTE = 34;
const BRACE_OPEN = 123;
const BRACE_CLOSE = 125;
const COLON = 58;
const AT = 64;

/** Scanner contexts, kept on a stack like Lezer's context tracker (empty: top level). */
const BRACKET = 0; // inside ( [ { (its flag: the opening character)
const FIELD = 1; // f-string replacement field: code, closed by }
const SPEC = 2; // format spec after : in a field: text up to { or }
const STRING = 3;

/** String flags (pushed with a STRING context). */
const F_DOUBLE = 1;
const F_LONG = 2;
const F_RAW = 4;
const F_FORMAT = 8;

/**
 * Characters that can change the scan, per context, as bit masks over ASCII (anything else,
 * and every non-ASCII character, is skipped in a tight loop).
 */
const IN_CODE = 1;
const IN_STRING = 2;
const IN_SPEC = 4;
const SPECIAL = (() => {
  const table = new Uint8Array(128);
  const mark = (chars: string, bit: number) => {
    for (const c of chars) {
      table[c.charCodeAt(0)] |= bit;
    }
  };
  mark('\n\r#\\\'"()[]{}:', IN_CODE);
  mark('\n\\\'"{', IN_STRING);
  mark('{}', IN_SPEC);
  return table;
})();

/** The first position from `i` holding a character special in context `bit`. */
function skipPlain(code: string, i: number, bit: number): number {
  const n = code.length;
  for (; i < n; i++) {
    const ch = code.charCodeAt(i);
    if (ch < 128 && SPECIAL[ch] & bit) {
      return i;
    }
  }
  return n;
}
/** Clauses that continue the compound statement before them. */
const CONTINUATION = /(?:else|elif|except|finally)(?![\w\u00a1-\uffff])/y;

function isContinuation(code: string, i: number, ch: number): boolean {
  if (ch !== 101 && ch !== 102) {
    // Neither "e" nor "f".
    return false;
  }
  CONTINUATION.lastIndex = i;
  return CONTINUATION.test(code);
}

export function isIdentChar(ch: number): boolean {
  return (
    (ch >= 97 && ch <= 122) ||
    (ch >= 65 && ch <= 90) ||
    ch === 95 ||
    (ch >= 48 && ch <= 57) ||
    ch >= 0xa1
  );
}

/** Characters that can begin a statement at column 0 (others merge into the statement before). */
function canStartStatement(ch: number): boolean {
  return (
    (isIdentChar(ch) && ch !== 0xfeff) ||
    ch === SQUOTE ||
    ch === DQUOTE ||
    ch === 40 || // (
    ch === 91 || // [
    ch === BRACE_OPEN ||
    ch === AT ||
    ch === 45 || // -
    ch === 43 || // +
    ch === 126 || // ~
    ch === 42 || // *
    ch === 46 // .
  );
}

/**
 * Flags of the string whose opening quote is at `quote`: the letters right before it are a
 * prefix when Lezer reads them as one (u, b, r, f, br, rb, fr, rf in any case) and they are
 * not the end of a longer identifier.
 */
function stringFlags(code: string, quote: number): number {
  let start = quote;
  while (
    start > 0 &&
    quote - start < 3 &&
    isIdentChar(code.charCodeAt(start - 1))
  ) {
    start--;
  }
  let flags = code.charCodeAt(quote) === DQUOTE ? F_DOUBLE : 0;
  if (
    start < quote &&
    (start === 0 || !isIdentChar(code.charCodeAt(start - 1)))
  ) {
    switch (code.slice(start, quote).toLowerCase()) {
      case 'r':
      case 'br':
      case 'rb':
        flags |= F_RAW;
        break;
      case 'f':
        flags |= F_FORMAT;
        break;
      case 'fr':
      case 'rf':
        flags |= F_FORMAT | F_RAW;
        break;
    }
  }
  return flags;
}

/**
 * Split `code` into top-level statements; blank and comment lines belong to the statement
 * before them. Never throws.
 */
export function scanStatements(code: string): StatementScan {
  const statements: Statement[] = [];
  const comments: number[] = [];
  const n = code.length;
  let from = 0;
  // Context stack and, for strings, their flags.
  const kinds: number[] = [];
  const flags: number[] = [];
  let depth = 0;
  // The last line with code on it (at any indentation) began with a decorator.
  let afterDecorator = false;
  // A backslash continuation is pending: Lezer skips the blank and comment lines after it
  // and goes on with the next line, so those do not end the statement.
  let continued = false;
  // Start of the current line (after the last line break that counts at the top level).
  let lineBegin = 0;
  let lineStart = true;
  let i = 0;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      const j = skipBlanks(code, i);
      const ch = code.charCodeAt(j);
      if (j < n && ch !== LF && ch !== CR && ch !== HASH) {
        if (
          j === i &&
          i > 0 &&
          !afterDecorator &&
          canStartStatement(ch) &&
          !isContinuation(code, i, ch)
        ) {
          statements.push({ from, to: i });
          from = i;
        }
        afterDecorator = ch === AT;
      }
    }
    const kind = depth === 0 ? BRACKET : kinds[depth - 1];
    if (kind === STRING) {
      i = skipPlain(code, i, IN_STRING);
      if (i >= n) {
        break;
      }
      const f = flags[depth - 1];
      const ch = code.charCodeAt(i);
      if (ch === BACKSLASH) {
        i = escapeEnd(code, i, f);
      } else if (ch === (f & F_DOUBLE ? DQUOTE : SQUOTE)) {
        if (!(f & F_LONG)) {
          depth--;
          i++;
        } else if (
          code.charCodeAt(i + 1) === ch &&
          code.charCodeAt(i + 2) === ch
        ) {
          depth--;
          i += 3;
        } else {
          i++;
        }
      } else if (ch === LF && !(f & F_LONG)) {
        // A short string ends at the line feed, which then ends the line as code.
        depth--;
      } else if (ch === BRACE_OPEN && f & F_FORMAT) {
        if (code.charCodeAt(i + 1) === BRACE_OPEN) {
          i += 2;
        } else {
          kinds[depth] = FIELD;
          flags[depth++] = 0;
          i++;
        }
      } else {
        i++;
      }
      continue;
    }
    if (kind === SPEC) {
      i = skipPlain(code, i, IN_SPEC);
      if (i >= n) {
        break;
      }
      if (code.charCodeAt(i) === BRACE_OPEN) {
        kinds[depth] = FIELD;
        flags[depth++] = 0;
      } else {
        // } closes the spec and its field.
        depth -= 2;
      }
      i++;
      continue;
    }
    // Code: top level, inside brackets, or in an f-string field.
    i = skipPlain(code, i, IN_CODE);
    if (i >= n) {
      break;
    }
    const ch = code.charCodeAt(i);
    switch (ch) {
      case LF:
      case CR: {
        // An LF right after a CR that a string or an escape took is, to Lezer, the start
        // of a blank line, not the end of this one.
        const afterStringCR =
          ch === LF && i > 0 && code.charCodeAt(i - 1) === CR;
        const lineEnd = i;
        i += ch === CR && code.charCodeAt(i + 1) === LF ? 2 : 1;
        if (depth > 0 || afterStringCR) {
          break;
        }
        const blank = continued && isBlankLine(code, lineBegin, lineEnd);
        lineBegin = i;
        if (!blank) {
          continued = false;
          lineStart = true;
        }
        break;
      }
      case HASH: {
        const start = i;
        while (
          i < n &&
          code.charCodeAt(i) !== LF &&
          code.charCodeAt(i) !== CR
        ) {
          i++;
        }
        comments.push(start, i);
        break;
      }
      case BACKSLASH: {
        // A continuation joins the next line; any other backslash is an error Lezer skips.
        const next = code.charCodeAt(i + 1);
        i += next === CR && code.charCodeAt(i + 2) === LF ? 3 : 2;
        if (depth === 0 && (next === LF || next === CR)) {
          continued = true;
          lineBegin = i;
        }
        break;
      }
      case SQUOTE:
      case DQUOTE: {
        let f = stringFlags(code, i);
        if (code.charCodeAt(i + 1) === ch && code.charCodeAt(i + 2) === ch) {
          f |= F_LONG;
          i += 3;
        } else {
          i++;
        }
        kinds[depth] = STRING;
        flags[depth++] = f;
        break;
      }
      case 40: // (
      case 91: // [
      case BRACE_OPEN:
        // A bracket context keeps its opening character: only the matching one closes it,
        // so on mismatched brackets the scan stays inside (fewer boundaries, never a wrong one).
        kinds[depth] = BRACKET;
        flags[depth++] = ch;
        i++;
        break;
      case 41: // )
      case 93: // ]
      case BRACE_CLOSE:
        if (
          depth > 0 &&
          ((kind === BRACKET &&
            flags[depth - 1] === (ch === 41 ? 40 : ch - 2)) ||
            (kind === FIELD && ch === BRACE_CLOSE))
        ) {
          depth--;
        }
        i++;
        break;
      case COLON:
        if (depth > 0 && kind === FIELD) {
          kinds[depth] = SPEC;
          flags[depth++] = 0;
        }
        i++;
        break;
      default:
        i++;
    }
  }
  statements.push({ from, to: n });
  return { statements, comments };
}

/** The first position from `i` that is not a space, tab or form feed. */
export function skipBlanks(code: string, i: number): number {
  for (;;) {
    const ch = code.charCodeAt(i);
    if (ch !== 32 && ch !== 9 && ch !== 12) {
      return i;
    }
    i++;
  }
}

/** Whether [from, to) holds only blanks and maybe a comment. */
function isBlankLine(code: string, from: number, to: number): boolean {
  const j = skipBlanks(code, from);
  return j >= to || code.charCodeAt(j) === HASH;
}

/** End of an escape in a string with flags `f`; `i` is at the backslash. */
function escapeEnd(code: string, i: number, f: number): number {
  if (i + 1 >= code.length) {
    return i + 1;
  }
  // \N{NAME} in a non-raw string: the braces are part of the escape, not an f-string field.
  if (
    !(f & F_RAW) &&
    code.charCodeAt(i + 1) === 78 &&
    code.charCodeAt(i + 2) === BRACE_OPEN
  ) {
    let j = i + 3;
    for (; j < code.length; j++) {
      const c = code.charCodeAt(j);
      if (c === BRACE_CLOSE) {
        return j + 1;
      }
      if (c === SQUOTE || c === DQUOTE || c === LF) {
        return j;
      }
    }
    return j;
  }
  // Any other escape, and in raw strings a backslash with the character after it (a quote,
  // a brace), are skipped whole.
  return i + 2;
}
