/**
 * dotenv files `uv run --env-file F` / `UV_ENV_FILE` load into the command uv runs (a port of
 * the kernel's `installs/dotenv.py`). uv reads them with the `dotenvy` crate (python-dotenv's
 * syntax: `export`, quotes, `#` comments, `$VAR` expansion, multi-line quoted values). Warden
 * reads a strict subset, one `KEY=VALUE` a line with a plain, single- or double-quoted value,
 * and refuses what it cannot read that way (an expansion, an escape, an open quote, a key
 * given twice) rather than guess what the command would see.
 */
import * as path from 'node:path';
import type { ReadFile } from './requirements';

const LINE = /^(?:export[ \t]+)?([A-Za-z_][A-Za-z0-9_.]*)[ \t]*=[ \t]*(.*)$/s;
const PLAIN = /^([^'"\\$#]*?)[ \t]*(?:[ \t]#.*)?$/s;
// a control character (a lone CR: does dotenvy end the line there?) or another line break
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const ODD = /[\x00-\x08\x0b-\x1f\x7f\x85\u2028\u2029]/;
const QUOTED = /^(?:'([^']*)'|"([^"\\$]*)")[ \t]*(?:#.*)?$/s;

/** The variables of `files` (relative to `cwd`); throws an Error saying what Warden cannot
 * read (or the reader's error for a file that cannot be read). */
export function readEnvFiles(
  files: string[],
  cwd: string,
  readFile: ReadFile
): Record<string, string> {
  const found: Record<string, string> = Object.create(null);
  for (const file of files) {
    const label = path.basename(file) || file;
    const full = path.resolve(cwd, file);
    if (/^\/(dev|proc)\//.test(full)) {
      // a pipe or device (`/dev/stdin`): what uv reads there is not what Warden would
      throw new Error(`${file} is not a regular file`);
    }
    const lines = readFile(full).split('\n');
    lines.forEach((raw, index) => {
      const unterminated = raw.replace(/\r$/, '');
      if (ODD.test(unterminated)) {
        throw new Error(`${label} line ${index + 1} holds a control character`);
      }
      const line = unterminated.replace(/^[ \t]+|[ \t]+$/g, '');
      if (!line || line.startsWith('#')) {
        return;
      }
      const m = LINE.exec(line);
      const value = m ? plainOrQuoted(m[2]) : null;
      if (m === null || value === null) {
        throw new Error(
          `${label} line ${index + 1} is not a KEY=VALUE line Warden reads`
        );
      }
      if (m[1] in found && found[m[1]] !== value) {
        throw new Error(`${label} sets ${m[1]} a second time`);
      }
      found[m[1]] = value;
    });
  }
  return found;
}

function plainOrQuoted(raw: string): string | null {
  if (raw.startsWith("'") || raw.startsWith('"')) {
    const m = QUOTED.exec(raw);
    return m === null ? null : (m[1] ?? m[2]);
  }
  const m = PLAIN.exec(raw);
  return m === null ? null : m[1];
}
