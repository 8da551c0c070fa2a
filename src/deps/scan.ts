/**
 * warden-scan's dependency findings: the install decision (decide.ts) applied to dependency
 * manifests and to a notebook's install cells (`%pip`, `!pip`, `%conda`, automagic `pip`, as
 * the analyzer's IPython reader finds them, and the literal starts of the cells' Python code,
 * `os.system('pip install x')`, as the analyzer takes them out), each finding placed on the
 * line of the requirement, option or command that causes it, in the file where it is written
 * (a `-r` include's findings are placed in the included file).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { maskIPython, type ShellText } from '../analyzer/ipython';
import { IPythonAliases } from '../analyzer/ipythonaliases';
import { RULES, type IPolicyDocument, type Severity } from '../contracts';
import type { Finding } from '../analyzer/types';
import {
  argvInstalls,
  shellInstalls,
  stdinInstalls,
  type FoundInstall
} from './commands';
import { allowedIndexes, decideInstall, type InstallFinding } from './decide';
import { expandIPython } from './ipythonexpansion';
import { manifestKind, readManifest } from './manifests';
import type { FileContext } from './requirements';
import { pipDecode, strictUtf8, UndecodableText } from './pipdecode';
import { newRequest, type InstallRequest, type Place } from './request';
import { shippedData } from './shipped';

export { manifestKind };

/** The install rules of the catalog: the static side reports under the same ids. */
export const INSTALL_RULE_IDS: readonly string[] = [...RULES.keys()].filter(
  id => id.startsWith('install-') && id !== 'install-allowed'
);

/** A finding and the file it belongs to (an include's findings belong to the include). */
export interface LocatedInstallFinding {
  path: string;
  finding: Finding;
}

/** The policy the decision reads, with the CLI's extra trusted indexes added. */
export function installPolicy(
  policy: IPolicyDocument,
  extraIndexes: readonly string[] = []
): Record<string, any> {
  const doc = policy as Record<string, any>;
  if (extraIndexes.length === 0) {
    return doc;
  }
  const indexes = [...new Set([...allowedIndexes(doc), ...extraIndexes])];
  return {
    ...doc,
    trusted_sources: {
      ...(doc.trusted_sources ?? {}),
      package_indexes: indexes
    }
  };
}

/** Reads files for includes, remembering their text to place findings in them. */
class FileTexts {
  readonly texts = new Map<string, string>();

  constructor(private readonly absolute: boolean) {}

  label = (fullPath: string): string =>
    this.absolute
      ? fullPath
      : path.relative(process.cwd(), fullPath) || fullPath;

  read = (
    fullPath: string,
    decode: (bytes: Uint8Array) => string = bytes =>
      Buffer.from(bytes).toString('utf8')
  ): string => {
    const stat = fs.statSync(fullPath);
    if (!stat.isFile()) {
      throw new Error('not a regular file');
    }
    if (stat.size > 1 << 20) {
      // a code, as a file system error has: a reader that passes over a missing file still
      // reports this one (pipconfig.ts)
      throw Object.assign(new Error('larger than 1 MB'), { code: 'EFBIG' });
    }
    const text = decode(fs.readFileSync(fullPath));
    this.texts.set(this.label(fullPath), text);
    return text;
  };

  context(env: Record<string, string> = {}): FileContext {
    return {
      env,
      readFile: this.read,
      label: this.label,
      realPath: (fullPath: string) => fs.realpathSync(fullPath)
    };
  }
}

/** The installs one piece of a cell's shell text asks for. */
function shellTextInstalls(
  s: ShellText,
  context: Parameters<typeof shellInstalls>[3]
): FoundInstall[] {
  if (s.kind === 'stdin') {
    return stdinInstalls(s.text, s.offset, context);
  }
  if (s.kind === 'start') {
    // a started program: a script magic's stdin is its body, decided on its own ('decided')
    return argvInstalls(s.argv ?? [], {}, context, s.stdin).map(request => ({
      request,
      from: s.offset,
      to: s.offset + s.text.length
    }));
  }
  if (s.kind === 'unreadable') {
    const request = newRequest('unknown', 'IPython');
    request.problems.push({ text: s.text, place: context.place });
    return [{ request, from: s.offset, to: s.offset + 1 }];
  }
  if (!s.expansions) {
    return shellInstalls(s.text, s.offset, {}, context);
  }
  // the shell reads the line IPython built from it (`{url}` is the value of url: R27b-4)
  const line = expandIPython(s.text, s.expansions);
  return shellInstalls(line.text, 0, {}, context).map(f => ({
    ...f,
    from: s.offset + line.origin(f.from),
    to: s.offset + line.origin(f.to)
  }));
}

/** An alias's expansion is not the cell's text: its findings go on the line that used it. */
function placed(s: ShellText, found: FoundInstall[]): FoundInstall[] {
  const extent = s.extent;
  return extent === undefined
    ? found
    : found.map(f => ({ ...f, from: extent.from, to: extent.to }));
}

/** Findings of a dependency manifest (`file` as the scan names it, `bytes` its content),
 * decoded as its installer decodes it: a requirements file as pip does (`pipDecode`, R50c-1),
 * pyproject.toml (UTF-8 by TOML's spec, read so by pip and the kernel) and environment.yml
 * (conda's and the kernel's strict UTF-8) as UTF-8; bytes that do not decode are a finding. */
export function scanManifest(
  file: string,
  bytes: Uint8Array,
  policy: Record<string, any>
): LocatedInstallFinding[] {
  const kind = manifestKind(file);
  if (kind === null) {
    return [];
  }
  const texts = new FileTexts(path.isAbsolute(file));
  const where: Place = {
    file: texts.label(path.resolve(file)),
    line: 1,
    origin: file
  };
  // the finding of bytes that do not decode is placed on line 1 of their lenient reading
  texts.texts.set(where.file!, Buffer.from(bytes).toString('utf8'));
  let requests: InstallRequest[];
  try {
    const text = kind === 'requirements' ? pipDecode(bytes) : strictUtf8(bytes);
    texts.texts.set(texts.label(path.resolve(file)), text);
    requests = readManifest(kind, path.resolve(file), text, texts.context());
  } catch (e) {
    if (!(e instanceof UndecodableText)) {
      throw e;
    }
    const request = newRequest('pip', file);
    request.problems.push({
      text: `cannot read ${where.file}: ${e.message}`,
      place: where
    });
    requests = [request];
  }
  return locate(
    requests.flatMap(r => decideInstall(r, policy, shippedData(), where)),
    texts,
    null
  );
}

/**
 * Findings of one notebook cell's install commands. `notebook` is the notebook's path (pip
 * runs in its folder: `-r requirements.txt` is read from there). `aliases`: the notebook's
 * IPython alias table, shared by its cells in order (R13-17: `%alias inst pip install %s`
 * in one cell, `%inst torcj` in a later one); a fresh table holds IPython's defaults only.
 * `codeStarts`: the cell's literal starts in Python code (`CellAnalysis.codeStarts`).
 */
export function scanCellInstalls(
  notebook: string,
  cell: string,
  policy: Record<string, any>,
  aliases: IPythonAliases = new IPythonAliases(),
  codeStarts: readonly ShellText[] = []
): LocatedInstallFinding[] {
  // every piece of shell text is read, as the kernel reads every start (red team 17 R17-11:
  // a prefilter on installer words passed over `!python -I -m webbrowser URL` and `-c
  // 'help()'`, which start no installer by name and which the kernel refuses); so is every
  // start the cell's Python makes with literal text, as the analyzer took it out (R47c-4)
  const shells = [...maskIPython(cell, aliases).shell, ...codeStarts].filter(
    s => s.kind !== 'env'
  );
  if (shells.length === 0) {
    return [];
  }
  const texts = new FileTexts(path.isAbsolute(notebook));
  const cellPlace: Place = { file: null, line: 0, origin: 'this cell' };
  const context = {
    ...texts.context(),
    cwd: path.dirname(path.resolve(notebook)),
    place: cellPlace
  };
  const found: FoundInstall[] = shells.flatMap(s =>
    placed(s, shellTextInstalls(s, context))
  );
  const out: LocatedInstallFinding[] = [];
  for (const { request, from, to } of found) {
    const findings = decideInstall(request, policy, shippedData(), cellPlace);
    out.push(
      ...locate(findings, texts, { path: notebook, text: cell, from, to })
    );
  }
  return out;
}

interface CellSpan {
  path: string;
  text: string;
  from: number;
  to: number;
}

function locate(
  findings: InstallFinding[],
  texts: FileTexts,
  cell: CellSpan | null
): LocatedInstallFinding[] {
  const seen = new Set<string>();
  const out: LocatedInstallFinding[] = [];
  for (const f of findings) {
    const rule = RULES.get(f.ruleId);
    if (!rule) {
      throw new Error(`rule ${f.ruleId} is not in schema/rules.json`);
    }
    const inFile =
      f.place.file !== null ? texts.texts.get(f.place.file) : undefined;
    let located: LocatedInstallFinding;
    if (f.place.file !== null && inFile !== undefined) {
      located = {
        path: f.place.file,
        finding: lineFinding(f, rule.severity, inFile, f.place.line)
      };
    } else if (cell !== null) {
      located = {
        path: cell.path,
        finding: spanFinding(f, rule.severity, cell.text, cell.from, cell.to)
      };
    } else {
      continue; // a place in no text Warden read: cannot happen for a manifest's own findings
    }
    const key = `${located.path}:${located.finding.line}:${f.ruleId}:${f.reason}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push(located);
    }
  }
  return out;
}

function message(f: InstallFinding): string {
  return `${f.message}. What to do: ${f.remedy}`;
}

/** The finding on line `line` of `text`, from its first to its last non-blank character. */
function lineFinding(
  f: InstallFinding,
  severity: Severity,
  text: string,
  line: number
): Finding {
  let start = 0;
  for (let n = 1; n < line; n++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      break;
    }
    start = nl + 1;
  }
  const nl = text.indexOf('\n', start);
  const raw = text.slice(start, nl < 0 ? text.length : nl).replace(/\r$/, '');
  const lead = raw.length - raw.trimStart().length;
  const end = Math.max(lead, raw.trimEnd().length);
  return {
    ruleId: f.ruleId,
    severity,
    message: message(f),
    from: start + lead,
    to: start + end,
    line,
    column: lead + 1,
    endLine: line,
    endColumn: end + 1
  };
}

function spanFinding(
  f: InstallFinding,
  severity: Severity,
  text: string,
  from: number,
  to: number
): Finding {
  const pos = (offset: number) => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length;
    return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
  };
  const a = pos(from);
  const b = pos(to);
  return {
    ruleId: f.ruleId,
    severity,
    message: message(f),
    from,
    to,
    line: a.line,
    column: a.column,
    endLine: b.line,
    endColumn: b.column
  };
}

export type { InstallRequest };
