/**
 * Whether an install's own output redirection may write a file the install reads (red team
 * 54a R54a-3: `uv pip install --index-url REFUSED -r r.txt P 2>r.txt`: the shell opens, and
 * empties, r.txt before uv starts). The static twin of the kernel's
 * `installs/own_redirect.py`, one rule: a target is refused when its file name is one a word
 * or a value of the line's assignments names (`-r r.txt`, `-rr.txt`, `--file=e.yml`,
 * `UV_CONFIG_FILE=c.toml`, the script `uv run` runs), one the installer finds by its name
 * (schema/installer-discovered-names.json, shared with the kernel: uv.toml, pyvenv.cfg...),
 * a path the shell resolves in its own process (`/dev/stdin`, `/dev/fd/N`, `/proc/...`: red
 * team 55b R55b-9), a file the install's reading read (`readProblem`: a file a requirements
 * file includes, R55b-1), or when Warden cannot place it (an expansion, a glob, a folder, an
 * unknown `cd`). Statically by name and path only: the kernel also follows links and compares
 * real paths, file identities (a hard link, R55b-2) and its readings' own config files (the
 * kernel's variables, the user's files), which a notebook does not show.
 */
import * as path from 'node:path';
import discoveredTable from '../../schema/installer-discovered-names.json';
import { IPYTHON_FIELD } from './ipythonexpansion';

/** What the rule reads of an install (commands.ts's `Invocation`). */
export interface IRedirectedInstall {
  args: string[];
  env?: Record<string, string>;
}

const DISCOVERED_NAMES = new Set<string>(discoveredTable.names);
const DISCOVERED_PATTERNS = discoveredTable.patterns.map(p => new RegExp(p));

// a path that names a process's own descriptors or files (bash opens /dev/fd/N and /dev/std*
// itself, whether the files exist or not): the shell's, not Warden's (the kernel's
// `own_redirect._PROCESS_NAMED`)
const PROCESS_NAMED = /^\/(proc|dev\/fd|dev\/std(in|out|err))(\/|$)/;

/** Whether the installers find a file of this name by themselves. */
export function discoveredName(name: string): boolean {
  return (
    DISCOVERED_NAMES.has(name) || DISCOVERED_PATTERNS.some(p => p.test(name))
  );
}

/** Why the redirections `written` (the targets of the install's own output redirections to
 * files) may change what Warden decided ('' when none can, from what the line shows);
 * `folder`: where the line runs it (null: not known). */
export function ownRedirectionProblem(
  inv: IRedirectedInstall,
  written: string[],
  folder: string | null
): string {
  const names = new Set<string>();
  for (const word of redirectCandidates(inv)) {
    if (word && word !== '.' && word !== '..') {
      names.add(path.posix.basename(word.replace(/\/+$/, '')));
    }
  }
  for (const target of written) {
    const name = path.posix.basename(target);
    if (
      folder === null ||
      /[$`*?[{]/.test(target) ||
      target.includes(IPYTHON_FIELD) ||
      /(^|\/)(\.\.?|~)?$/.test(target)
    ) {
      return ownRedirectionMessage('Warden cannot tell which file it writes');
    }
    const root = processRoot(target);
    if (root) {
      return descriptorMessage(root);
    }
    if (discoveredName(name)) {
      return ownRedirectionMessage(
        'the file is one the installer finds by its name'
      );
    }
    if (names.has(name)) {
      return ownRedirectionMessage('the file is one the install reads');
    }
  }
  return '';
}

/** Why a redirection target (as written, from `cwd`: the folder the install runs in) is one
 * of the files the install's reading read (`read`: full paths), ''. */
export function readProblem(
  targets: string[],
  cwd: string,
  read: Iterable<string>
): string {
  const files = new Set([...read].map(p => path.resolve(cwd, p)));
  for (const target of targets) {
    if (files.has(path.resolve(cwd, target))) {
      return ownRedirectionMessage('the file is one the install reads');
    }
  }
  return '';
}

/** The `/proc` or `/dev/fd` (`/dev/std*`) path a target is written through ('' when none),
 * `.`, `..` and doubled slashes taken out as text. A relative one (`../../dev/stdin`) and a
 * link to one are the kernel's to see: it knows the folder and follows links. */
function processRoot(target: string): string {
  if (!target.startsWith('/')) {
    return '';
  }
  const found = PROCESS_NAMED.exec(
    path.posix.normalize(target).replace(/^\/+/, '/')
  );
  return found ? '/' + found[1] : '';
}

function ownRedirectionMessage(what: string): string {
  return `the install's own output redirection writes a file before the install starts (the shell opens it first), and ${what}: run the install as its own command, or redirect its output into another file (an install.log)`;
}

function descriptorMessage(root: string): string {
  return `the install's own output redirection writes through ${root}, which the shell resolves in its own process (a descriptor the line opened on a file the install reads, \`5<r.txt 2>/dev/fd/5\`), not in Warden's: send the output to the other stream with 2>&1, or redirect it into a file by its own path (an install.log)`;
}

/** Every word and value of the install that may name a file (its value after `=`, what a
 * short option cluster may hold, `-rr.txt`), and the line's assignments' values, split as
 * lists of files. */
function redirectCandidates(inv: IRedirectedInstall): string[] {
  const out: string[] = [];
  for (const word of inv.args) {
    out.push(word);
    if (word.includes('=')) {
      out.push(word.slice(word.indexOf('=') + 1));
    }
    if (word.startsWith('-') && !word.startsWith('--')) {
      for (let k = 2; k < word.length; k++) {
        out.push(word.slice(k));
      }
    }
  }
  for (const value of Object.values(inv.env ?? {})) {
    out.push(...String(value).split(/[\s:]+/));
  }
  return out;
}
