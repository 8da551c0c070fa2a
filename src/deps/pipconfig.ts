/**
 * The pip config files a scanned install would read, where the project shows them (the static
 * part of the kernel's `installs/sources.py` `pip_config_files` / `_pip_config`).
 *
 * The kernel reads every file pip reads on its machine. The static side reads only what the
 * scanned project itself decides: the file `PIP_CONFIG_FILE` names in the install's own
 * environment (a line's assignment, or the environment a caller passes; a relative name from
 * the folder the install runs in; `os.devnull` means pip reads no config file at all), and the
 * site config of a virtual environment the project carries (`.venv/pip.conf` in the folder the
 * install runs in, and `$VIRTUAL_ENV/pip.conf` when the install's environment names one;
 * `pip.ini` too, pip's name for it on Windows). The scanning user's own and the system's
 * config files (`~/.config/pip/pip.conf`, `/etc/pip.conf`) are never read: advice must not
 * depend on who runs the scan (the kernel reads them where the install runs).
 *
 * A file is read as pip reads it, with Python's `configparser.RawConfigParser` rules
 * (`readIni`): sections `global` and the command's own, `[DEFAULT]` keys in every section.
 */
import * as os from 'node:os';
import * as path from 'node:path';
import type { CommandContext } from './installers';
import type { InstallRequest, Place } from './request';

/** One `key = value` pip would take from a config file, with where it was written. */
export interface PipConfigSetting {
  key: string;
  value: string;
  origin: string;
  place: Place;
}

/** The config files the static side reads for a pip started in `cwd` with `env`, lowest
 * priority first (pip's order: site, then PIP_CONFIG_FILE). */
export function pipConfigFiles(
  env: Readonly<Record<string, string>>,
  cwd: string
): string[] {
  const named = env.PIP_CONFIG_FILE;
  if (named === os.devNull) {
    return []; // pip loads no config file then (`Configuration._load_config_files`)
  }
  const venvs = [path.join(cwd, '.venv')];
  if (env.VIRTUAL_ENV) {
    venvs.push(path.resolve(cwd, env.VIRTUAL_ENV));
  }
  const files = venvs.flatMap(v => [
    path.join(v, 'pip.conf'),
    path.join(v, 'pip.ini')
  ]);
  if (named) {
    files.push(path.resolve(cwd, named));
  }
  return [...new Set(files)];
}

/** The settings of sections `global` and the request's pip command (`install`, `download`...)
 * in each config file; a file that is not there is passed over (as pip does), one Warden
 * cannot read or parse is a problem (the install is refused). `section`: the pip command
 * when the request's own command is not pip's (conda's `env create` runs `pip install` on
 * an environment file's pip list; the kernel's `_pip_config` takes the same). */
export function pipConfigSettings(
  request: InstallRequest,
  context: CommandContext,
  section?: string
): PipConfigSetting[] {
  const words = request.command.split(/\s+/);
  let command = section ?? words[words.length - 1];
  if (
    section === undefined &&
    request.command.startsWith('pipx ') &&
    command !== 'runpip'
  ) {
    command = 'install'; // pipx install|inject|upgrade|run run `pip install`
  }
  const out: PipConfigSetting[] = [];
  for (const file of pipConfigFiles(context.env, context.cwd)) {
    const label = context.label(file);
    let text: string;
    try {
      text = context.readFile(file);
    } catch (e) {
      // not there, or no regular file (a reader without file system codes: none there)
      const code = (e as { code?: string }).code;
      if (code !== undefined && !ABSENT.includes(code)) {
        request.problems.push({
          text: `cannot read pip config ${label}: ${(e as Error).message}`,
          place: context.place
        });
      }
      continue;
    }
    let sections: Map<string, Map<string, string>>;
    try {
      sections = readIni(text);
    } catch (e) {
      request.problems.push({
        text: `cannot read pip config ${label}: ${(e as Error).message}`,
        place: context.place
      });
      continue;
    }
    const defaults = sections.get(DEFAULT) ?? new Map<string, string>();
    for (const section of ['global', command]) {
      const table = sections.get(section);
      if (!table) {
        continue;
      }
      const origin = `pip config ${label} [${section}]`;
      for (const [key, value] of new Map([...defaults, ...table])) {
        out.push({ key, value, origin, place: { ...context.place, origin } });
      }
    }
  }
  return out;
}

const ABSENT = ['ENOENT', 'ENOTDIR', 'EISDIR'];
const DEFAULT = 'DEFAULT';
// Python's whitespace (`str.isspace`, `\s` in a str pattern), which is not JavaScript's: a
// BOM is none to Python (a file starting with one has no section header); \x1c-\x1f and
// \x85 are Python's only
const SPACE =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGES = new RegExp(`^[${SPACE}]+|[${SPACE}]+$`, 'g');
const TRAILING = new RegExp(`[${SPACE}]+$`);
const NON_SPACE = new RegExp(`[^${SPACE}]`);
const SECTION = /^\[(.+)\]/s;
const OPTION = new RegExp(`^(.*?)[${SPACE}]*([=:])[${SPACE}]*(.*)$`, 's');
const strip = (text: string) => text.replace(EDGES, '');

/**
 * An INI text read as Python's `configparser.RawConfigParser()` (pip's reader) reads it:
 * `[section]` headers (the name up to the LAST `]` of the line), `key = value` or `key:
 * value` (keys lower-cased), full-line `#`/`;` comments, no inline comments, a line indented
 * deeper than its key continuing the value (an empty line inside a value kept), `[DEFAULT]`
 * apart. A duplicate section or key, a line before any section or a line that is none of
 * these throws, as configparser's strict mode does: pip refuses such a file.
 */
export function readIni(text: string): Map<string, Map<string, string>> {
  const sections = new Map<string, Map<string, string[]>>();
  const added = new Set<string>();
  let current: Map<string, string[]> | null = null;
  let sectionName = '';
  let option: string | null = null;
  let indentLevel = 0;
  const lines = text.split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') {
    lines.pop();
  }
  lines.forEach((line, i) => {
    const number = i + 1;
    const stripped = strip(line);
    const comment = stripped.startsWith('#') || stripped.startsWith(';');
    const value = comment ? '' : stripped;
    if (!value) {
      if (!comment && current && option !== null) {
        current.get(option)?.push('');
      }
      return;
    }
    const indent = line.search(NON_SPACE);
    if (current && option !== null && indent > indentLevel) {
      current.get(option)?.push(value);
      return;
    }
    indentLevel = indent;
    const header = SECTION.exec(value);
    if (header) {
      sectionName = header[1];
      if (sectionName !== DEFAULT && added.has(sectionName)) {
        throw new Error(`section ${sectionName} repeated (line ${number})`);
      }
      if (sectionName !== DEFAULT) {
        added.add(sectionName);
      }
      current = sections.get(sectionName) ?? new Map();
      sections.set(sectionName, current);
      option = null;
      return;
    }
    if (!current) {
      throw new Error(`line ${number} comes before any [section]`);
    }
    const match = OPTION.exec(value);
    if (!match || !match[1]) {
      throw new Error(`line ${number} is not a setting`);
    }
    option = strip(match[1]).toLowerCase();
    const key = `${sectionName}\0${option}`;
    if (added.has(key)) {
      throw new Error(`setting ${option} repeated (line ${number})`);
    }
    added.add(key);
    current.set(option, [strip(match[3])]);
  });
  const out = new Map<string, Map<string, string>>();
  for (const [name, table] of sections) {
    out.set(
      name,
      new Map(
        [...table].map(([k, v]) => [k, v.join('\n').replace(TRAILING, '')])
      )
    );
  }
  return out;
}
