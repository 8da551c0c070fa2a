/**
 * IPython's own expansion of a shell line before the shell reads it (`var_expand` with its
 * DollarFormatter, red team 27b R27b-4): a `{expr}` field is replaced by the value of any
 * Python expression, `{{` and `}}` stand for literal braces, and a line IPython cannot format
 * (an unmatched brace, an empty `{}`, a `{` in a field's name) is left as written. A `!`
 * line is expanded once; a line magic's arguments twice (the magic's call, then `system` or
 * `getoutput`), so `%pip install -i {{url}}` runs the value of `url`.
 *
 * Warden knows no Python values statically (nor does it resolve `$url`), so each field
 * becomes a shell parameter no line can set, which the shell reading then decides as it
 * decides `$url`: unreadable where it may decide an install (an index, a requirement, a
 * pinned `=={ver}`), passed over where it cannot (`!echo {x}`). `$name` is left to the shell
 * reading, which reads it as a parameter already; so is `${...}`. A field in a command's
 * program word is left as written: commands.ts reads `!{sys.executable} -m pip` itself.
 */
import { parsePipelines } from '../analyzer/shell';

/** The parameter a field becomes (made longer until the line does not hold it). */
export const IPYTHON_FIELD = 'WARDEN_IPYTHON_EXPRESSION';

/** One character of the line IPython builds, or a field's value (`field`), with the offset
 * in the written line it comes from. */
interface Unit {
  ch: string;
  from: number;
  field?: boolean;
}

/** The text the shell reads, and `origin(k)`: the written line's offset of its offset k. */
export interface ExpandedLine {
  text: string;
  origin(k: number): number;
}

/** `text` as the shell receives it after IPython expanded it `times` times. */
export function expandIPython(text: string, times: number): ExpandedLine {
  if (!text.includes('{') && !text.includes('}')) {
    return { text, origin: k => k };
  }
  let units: Unit[] = text.split('').map((ch, i) => ({ ch, from: i }));
  const programs = programWords(text);
  for (let n = 0; n < times; n++) {
    units = formatted(units, programs) ?? units;
  }
  return render(units, text);
}

/** The spans of the program words (a command's first word after its assignments). */
function programWords(text: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  for (const pipeline of parsePipelines(text, 0)) {
    for (const command of pipeline) {
      const first = command.find(t => !/^[A-Za-z_]\w*=/.test(t.value));
      if (first) {
        spans.push([first.from, first.to]);
      }
    }
  }
  return spans;
}

/**
 * One `vformat` of Python's string.Formatter grammar (`_string.formatter_parser`): null when
 * IPython would fail to format (then it leaves the line as it was).
 */
function formatted(
  units: Unit[],
  programs: Array<[number, number]>
): Unit[] | null {
  const out: Unit[] = [];
  for (let i = 0; i < units.length; i++) {
    const u = units[i];
    if (u.field || (u.ch !== '{' && u.ch !== '}')) {
      out.push(u);
      continue;
    }
    if (units[i + 1]?.ch === u.ch && !units[i + 1].field) {
      out.push(u); // `{{`, `}}`: one literal brace
      i++;
      continue;
    }
    if (u.ch === '}') {
      return null; // "Single '}' encountered in format string"
    }
    let depth = 1;
    let j = i + 1;
    for (; j < units.length; j++) {
      if (!units[j].field && units[j].ch === '{') {
        depth++;
      } else if (!units[j].field && units[j].ch === '}' && --depth === 0) {
        break;
      }
    }
    if (j >= units.length) {
      return null; // "unmatched '{' in format spec"
    }
    const body = units.slice(i + 1, j);
    if (!evaluable(body)) {
      return null;
    }
    const kept =
      units[i - 1]?.ch === '$' ||
      programs.some(([a, b]) => a <= u.from && u.from < b);
    if (kept) {
      out.push(...units.slice(i, j + 1)); // `${X}`, `!{sys.executable} -m pip`
    } else {
      out.push({ ch: '', from: u.from, field: true });
    }
    i = j;
  }
  return out;
}

/** Whether a field's name may evaluate: not empty, no `{` in it (before a `!` or `:` outside
 * `[...]`, where Python's parser ends the name). Anything else may: Warden reads no values. */
function evaluable(body: Unit[]): boolean {
  let name = '';
  for (let k = 0; k < body.length; k++) {
    const u = body[k];
    if (u.field) {
      name += 'x';
    } else if (u.ch === '[') {
      while (k < body.length && body[k].ch !== ']') {
        name += body[k].field ? 'x' : body[k].ch;
        k++;
      }
      name += ']';
    } else if (u.ch === '!' || u.ch === ':') {
      break;
    } else if (u.ch === '{') {
      return false; // "unexpected '{' in field name"
    } else {
      name += u.ch;
    }
  }
  return name.trim() !== '';
}

/** The line with each field as a parameter the shell expands where the field stood: inside
 * single quotes the quote is closed around it (IPython pays no heed to the shell's quotes). */
function render(units: Unit[], text: string): ExpandedLine {
  let name = IPYTHON_FIELD;
  while (text.includes(name)) {
    name += '_';
  }
  let out = '';
  const origins: number[] = [];
  let quote: "'" | '"' | null = null;
  let escaped = false;
  for (const u of units) {
    let piece = u.ch;
    if (u.field) {
      piece = quote === "'" ? `'"\${${name}}"'` : `\${${name}}`;
      escaped = false;
    } else if (escaped) {
      escaped = false;
    } else if (u.ch === '\\' && quote !== "'") {
      escaped = true;
    } else if (
      (u.ch === "'" || u.ch === '"') &&
      (quote === null || quote === u.ch)
    ) {
      quote = quote === null ? u.ch : null;
    }
    out += piece;
    for (let k = 0; k < piece.length; k++) {
      origins.push(u.from);
    }
  }
  return {
    text: out,
    origin: k => (k < origins.length ? origins[k] : text.length)
  };
}
