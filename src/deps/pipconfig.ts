/**
 * The pip config files a scanned install would read (the static part of the kernel's
 * `installs/sources.py` `pip_config_files` / `_pip_config`, one list in the same places and
 * order).
 *
 * pip reads, lowest priority first (pip's `Configuration.iter_config_files` loaded in its
 * override order): global (`$XDG_CONFIG_DIRS/pip/pip.conf`, `/etc/pip.conf`), user
 * (`~/.pip/pip.conf`, `$XDG_CONFIG_HOME/pip/pip.conf`), site (`sys.prefix/pip.conf` of the
 * Python the start runs), then the file `PIP_CONFIG_FILE` names (`os.devnull`: no config file
 * at all). The static side takes each of these places as the install's own environment sets
 * it (a line's assignment or export, or what a caller passes), a relative one from the folder
 * the install runs in: a line that points HOME or an XDG folder into the project makes pip
 * read project files (red team 47c R47c-2), and a pip run from a virtual environment the
 * project carries reads that environment's site config (`venv/bin/pip`: `venv/pip.conf`,
 * R47c-1). Left out, as no scanned text decides them: the scanning user's own home (HOME or
 * XDG_CONFIG_HOME unset, `~user`), the machine's `/etc/pip.conf` and the `/etc/xdg` default,
 * and the prefix of a bare program name found on a PATH the line does not set; `.venv` in the
 * install's folder stands for the kernel's own environment. The kernel reads all of them
 * where the install runs. `pip.ini` (pip's name on Windows) is read beside each site
 * `pip.conf`.
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

/** The config files the static side reads for `program` (a pip or a Python as the command
 * names it; '' when unknown) started in `cwd` with `env`, lowest priority first (pip's
 * order: global, user, site, PIP_CONFIG_FILE). `realPath`: the reader's link resolution, for
 * the prefix of a program that is a link (a Python finds its prefix from its real file). */
export function pipConfigFiles(
  env: Readonly<Record<string, string>>,
  cwd: string,
  program = '',
  realPath?: (fullPath: string) => string
): string[] {
  const named = env.PIP_CONFIG_FILE;
  if (named === os.devNull) {
    return []; // pip loads no config file then (`Configuration._load_config_files`)
  }
  const conf = (folder: string) => path.resolve(cwd, folder, 'pip', 'pip.conf');
  // global: XDG_CONFIG_DIRS as set (a blank one is platformdirs' /etc/xdg, the machine's)
  const given =
    env.XDG_CONFIG_DIRS !== undefined ? env.XDG_CONFIG_DIRS.split(':') : [];
  const files = asGivenAndExpanded(given, env).map(conf);
  // user: the legacy file, then XDG_CONFIG_HOME (blank: ~/.config), `~` the start's HOME
  const legacy = expandUser('~/.pip/pip.conf', env);
  if (legacy !== null) {
    files.push(path.resolve(cwd, legacy));
  }
  const home = env.XDG_CONFIG_HOME ?? '';
  const homes = asGivenAndExpanded(home ? [home] : [], env);
  const fallback = home.trim() ? null : expandUser('~/.config', env);
  files.push(...[...homes, ...(fallback === null ? [] : [fallback])].map(conf));
  // site: the prefix of the Python the start runs
  for (const prefix of pipPrefixes(env, cwd, program, realPath)) {
    files.push(path.join(prefix, 'pip.conf'), path.join(prefix, 'pip.ini'));
  }
  if (named) {
    files.push(path.resolve(cwd, named));
  }
  return [...new Set(files)];
}

/** Each path as written (a pip that does not expand `~` reads the folder `~x` in its working
 * folder) and with `~` expanded where the start's environment decides it (the kernel's
 * `_as_given_and_expanded`). */
function asGivenAndExpanded(
  paths: readonly string[],
  env: Readonly<Record<string, string>>
): string[] {
  const found: string[] = [];
  for (const p of paths) {
    const expanded = p.startsWith('~') ? expandUser(p, env) : null;
    found.push(p, ...(expanded === null ? [] : [expanded]));
  }
  return [...new Set(found)];
}

/** `os.path.expanduser` as the start's Python runs it, where its environment decides it: `~`
 * is HOME as set (empty: `/`); null when HOME is unset (the account's home: the scanning
 * user's own, not the project's) or for `~user` (the password database of the machine). */
function expandUser(
  p: string,
  env: Readonly<Record<string, string>>
): string | null {
  const cut = p.indexOf('/') < 0 ? p.length : p.indexOf('/');
  if (cut > 1 || env.HOME === undefined) {
    return null;
  }
  return env.HOME.replace(/\/+$/, '') + p.slice(cut) || '/';
}

/** The prefixes whose `pip.conf` the started pip may read as its site config (`sys.prefix`,
 * the kernel's `_pip_prefixes`): VIRTUAL_ENV's, the project's `.venv` (standing for the
 * kernel's own), and the program's: a path from the install's folder (with its links
 * resolved where the reader can), or for a bare name the parent of every folder of a PATH the
 * start's environment sets (each, where the kernel takes the first holding the program: a
 * file read more refuses at worst). */
function pipPrefixes(
  env: Readonly<Record<string, string>>,
  cwd: string,
  program: string,
  realPath?: (fullPath: string) => string
): string[] {
  const prefixes = [path.join(cwd, '.venv')];
  if (env.VIRTUAL_ENV) {
    prefixes.push(path.resolve(cwd, env.VIRTUAL_ENV));
  }
  const programs = program.includes('/')
    ? [path.resolve(cwd, program)]
    : program && env.PATH !== undefined
      ? env.PATH.split(':').map(d => path.resolve(cwd, d, program))
      : [];
  for (const found of programs) {
    prefixes.push(path.dirname(path.dirname(found)));
    try {
      if (realPath) {
        prefixes.push(path.dirname(path.dirname(realPath(found))));
      }
    } catch {
      // not there (or no link the reader can resolve): the path as written is all
    }
  }
  return [...new Set(prefixes)];
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
  for (const file of pipConfigFiles(
    context.env,
    context.cwd,
    context.program,
    context.realPath
  )) {
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
