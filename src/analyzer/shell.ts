/**
 * Rules for shell text in cells (`!cmd`, `%pip`, `%%bash`, `%env`) and for constant command
 * strings passed to os.system / subprocess: untrusted or plain-http package sources,
 * --trusted-host, VCS installs over http, download-and-run pipes, and the torch
 * force-unsafe environment variable.
 */
import type { RawFinding } from './types';
import {
  isPlainHttp,
  isTrustedIndex,
  isTrustedModelUrl,
  type TrustedSources
} from './sources';

interface Token {
  value: string;
  from: number;
  to: number;
}

/** A pipeline: commands joined by `|`; a command is its words. */
type Pipeline = Token[][];

const TORCH_FORCE_VAR = 'TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD';
/** Values torch reads as true (torch/serialization.py: "1", "y", "yes", "true"). */
const TORCH_TRUE_VALUES = new Set(['1', 'y', 'yes', 'true']);

const DOWNLOADERS = new Set(['curl', 'wget', 'fetch', 'aria2c']);
const INTERPRETER =
  /^(?:(?:ba|z|da|k|fi|c|tc)?sh|python[0-9.]*|perl|ruby|node|php|source|\.)$/;
/** Words that run the next word as the command. */
const PREFIX_COMMANDS = new Set([
  'sudo',
  'env',
  'command',
  'exec',
  'nohup',
  'time',
  'xargs'
]);
const INDEX_OPTIONS = new Set([
  '--index-url',
  '-i',
  '--extra-index-url',
  '--find-links',
  '-f'
]);
const VCS_HTTP = /(?:^|@)\s*(?:git|hg|svn|bzr)\+http:\/\//i;
const SUBSTITUTED_DOWNLOAD = /(?:<\(|\$\(|`)\s*(?:curl|wget)\b/;
const INTERPRETER_WORD =
  /(?:^|[\s;&|(])(?:(?:ba|z|da|k)?sh|python[0-9.]*|source|eval|\.)\s/;

export function analyzeShell(
  text: string,
  offset: number,
  trusted: TrustedSources,
  out: RawFinding[]
): void {
  for (const pipeline of parsePipelines(text, offset)) {
    checkPipeToInterpreter(pipeline, out);
    for (const command of pipeline) {
      checkCommand(command, trusted, out);
    }
  }
  checkSubstitutedDownload(text, offset, out);
}

/** `%env NAME=value` / `%env NAME value`. */
export function analyzeEnvMagic(
  text: string,
  offset: number,
  trusted: TrustedSources,
  out: RawFinding[]
): void {
  // A trailing `# comment` is not part of the value people mean to set.
  const m = /^(\s*)([A-Za-z_]\w*)(?:\s*=\s*|\s+)(.*?)\s*(?:\s#.*)?$/.exec(text);
  if (m) {
    const from = offset + m[1].length;
    checkEnvAssignment(
      m[2],
      unquote(m[3]),
      from,
      offset +
        m[1].length +
        m[2].length +
        text
          .slice(m[1].length + m[2].length)
          .replace(/\s+#.*$/, '')
          .trimEnd().length,
      trusted,
      out
    );
  }
}

/** Environment assignment found anywhere (shell, %env, os.environ): the torch switch, pip variables. */
export function checkEnvAssignment(
  name: string,
  value: string | null,
  from: number,
  to: number,
  trusted: TrustedSources,
  out: RawFinding[]
): void {
  if (name === TORCH_FORCE_VAR) {
    if (
      value === null ||
      TORCH_TRUE_VALUES.has(value.trim().toLowerCase()) ||
      value.startsWith('$')
    ) {
      out.push({ ruleId: 'torch-force-no-weights-only', from, to });
    }
  } else if (
    value !== null &&
    (name === 'PIP_INDEX_URL' ||
      name === 'PIP_EXTRA_INDEX_URL' ||
      name === 'PIP_FIND_LINKS')
  ) {
    checkIndexUrl(value, from, to, trusted, out);
  } else if (name === 'PIP_TRUSTED_HOST') {
    out.push({ ruleId: 'pip-trusted-host', from, to });
  } else if (
    name === 'HF_ENDPOINT' &&
    value !== null &&
    !isTrustedModelUrl(value, trusted)
  ) {
    out.push({ ruleId: 'model-untrusted-hub', from, to });
  }
}

function checkPipeToInterpreter(pipeline: Pipeline, out: RawFinding[]): void {
  let downloader = -1;
  pipeline.forEach((command, i) => {
    const word = commandWord(command);
    if (word === null) {
      return;
    }
    const name = basename(word.value);
    if (DOWNLOADERS.has(name) && downloader < 0) {
      downloader = i;
    } else if (downloader >= 0 && INTERPRETER.test(name)) {
      const first = pipeline[downloader][0];
      const last = command[command.length - 1];
      out.push({
        ruleId: 'shell-pipe-to-interpreter',
        from: first.from,
        to: last.to
      });
      downloader = -1;
    }
  });
}

function checkSubstitutedDownload(
  text: string,
  offset: number,
  out: RawFinding[]
): void {
  const m = SUBSTITUTED_DOWNLOAD.exec(text);
  if (!m) {
    return;
  }
  const lineStart = text.lastIndexOf('\n', m.index) + 1;
  const nl = text.indexOf('\n', m.index);
  const lineEnd = nl < 0 ? text.length : nl;
  if (INTERPRETER_WORD.test(' ' + text.slice(lineStart, m.index))) {
    const lead = text.slice(lineStart, lineEnd).search(/\S/);
    out.push({
      ruleId: 'shell-pipe-to-interpreter',
      from: offset + lineStart + Math.max(lead, 0),
      to: offset + text.slice(0, lineEnd).trimEnd().length
    });
  }
}

function checkCommand(
  command: Token[],
  trusted: TrustedSources,
  out: RawFinding[]
): void {
  let i = 0;
  // Leading NAME=value words and prefix commands (sudo, env) before the real command.
  while (i < command.length) {
    const t = command[i];
    const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(t.value);
    if (assign) {
      checkEnvAssignment(assign[1], assign[2], t.from, t.to, trusted, out);
      i++;
    } else if (
      PREFIX_COMMANDS.has(basename(t.value)) ||
      (i > 0 && t.value.startsWith('-') && isPrefix(command[i - 1]))
    ) {
      i++;
    } else {
      break;
    }
  }
  if (i >= command.length) {
    return;
  }
  const word = basename(command[i].value);
  if (word === 'export' || word === 'declare' || word === 'set') {
    for (const t of command.slice(i + 1)) {
      const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(t.value);
      if (assign) {
        checkEnvAssignment(assign[1], assign[2], t.from, t.to, trusted, out);
      }
    }
    return;
  }
  const pipArgs = pipArguments(command, i);
  if (pipArgs) {
    checkPip(pipArgs, trusted, out);
  }
}

function isPrefix(t: Token): boolean {
  return PREFIX_COMMANDS.has(basename(t.value));
}

/** The arguments after `pip`, `pip3`, `python -m pip`, `uv pip`, `%pip`; null for other commands. */
function pipArguments(command: Token[], i: number): Token[] | null {
  const word = basename(command[i].value);
  if (/^pip[0-9.]*$/.test(word)) {
    return command.slice(i + 1);
  }
  if (word === 'uv' && command[i + 1]?.value === 'pip') {
    return command.slice(i + 2);
  }
  if (/^python[0-9.]*$/.test(word)) {
    for (let j = i + 1; j + 1 < command.length; j++) {
      if (
        command[j].value === '-m' &&
        /^pip[0-9.]*$/.test(command[j + 1].value)
      ) {
        return command.slice(j + 2);
      }
    }
  }
  return null;
}

function checkPip(
  args: Token[],
  trusted: TrustedSources,
  out: RawFinding[]
): void {
  for (let j = 0; j < args.length; j++) {
    const t = args[j];
    const v = t.value;
    const eq = v.indexOf('=');
    const option = v.startsWith('--') && eq > 0 ? v.slice(0, eq) : v;
    if (INDEX_OPTIONS.has(option)) {
      const inline = option !== v;
      const valueToken = inline
        ? { value: v.slice(eq + 1), from: t.from, to: t.to }
        : args[j + 1];
      if (!inline) {
        j++;
      }
      if (valueToken) {
        checkIndexUrl(
          valueToken.value,
          valueToken.from,
          valueToken.to,
          trusted,
          out
        );
      }
    } else if (/^-[if]\S+/.test(v) && !v.startsWith('--')) {
      checkIndexUrl(v.slice(2), t.from, t.to, trusted, out);
    } else if (option === '--trusted-host') {
      const end = option === v && args[j + 1] ? args[++j].to : t.to;
      out.push({ ruleId: 'pip-trusted-host', from: t.from, to: end });
    } else if (VCS_HTTP.test(v)) {
      out.push({ ruleId: 'pip-git-http', from: t.from, to: t.to });
    } else if (isPlainHttp(v)) {
      out.push({ ruleId: 'pip-http-index', from: t.from, to: t.to });
    }
  }
}

function checkIndexUrl(
  url: string,
  from: number,
  to: number,
  trusted: TrustedSources,
  out: RawFinding[]
): void {
  if (isPlainHttp(url)) {
    out.push({ ruleId: 'pip-http-index', from, to });
  } else if (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(url) &&
    !/^file:/i.test(url) &&
    !isTrustedIndex(url, trusted)
  ) {
    out.push({ ruleId: 'pip-untrusted-index', from, to });
  }
}

function commandWord(command: Token[]): Token | null {
  for (const t of command) {
    if (
      /^[A-Za-z_]\w*=/.test(t.value) ||
      PREFIX_COMMANDS.has(basename(t.value)) ||
      t.value.startsWith('-')
    ) {
      continue;
    }
    return t;
  }
  return null;
}

function basename(word: string): string {
  const slash = word.lastIndexOf('/');
  return slash >= 0 ? word.slice(slash + 1) : word;
}

function unquote(value: string): string {
  const v = value.trim();
  if (
    v.length >= 2 &&
    (v[0] === '"' || v[0] === "'") &&
    v[v.length - 1] === v[0]
  ) {
    return v.slice(1, -1);
  }
  return v;
}

/** `>&2`, `2>&1`, `<&0`, `&>file`: the `&` belongs to a redirection, not a separator. */
function isRedirectAmpersand(
  text: string,
  p: number,
  wordFrom: number
): boolean {
  return (
    (wordFrom >= 0 && /[<>]/.test(text[p - 1] ?? '')) ||
    (text[p + 1] === '>' && text[p - 1] !== '&')
  );
}

/**
 * Split shell text into pipelines of commands of words, with offsets. Understands quotes,
 * backslash-newline continuations, comments and the separators ; && || & | and newlines;
 * enough of POSIX sh for the rules above, not an evaluator.
 */
export function parsePipelines(text: string, offset: number): Pipeline[] {
  const pipelines: Pipeline[] = [];
  let pipeline: Pipeline = [];
  let command: Token[] = [];
  let word = '';
  let wordFrom = -1;
  const endWord = (end: number) => {
    if (wordFrom >= 0) {
      command.push({ value: word, from: offset + wordFrom, to: offset + end });
    }
    word = '';
    wordFrom = -1;
  };
  const endCommand = () => {
    if (command.length > 0) {
      pipeline.push(command);
    }
    command = [];
  };
  const endPipeline = () => {
    endCommand();
    if (pipeline.length > 0) {
      pipelines.push(pipeline);
    }
    pipeline = [];
  };
  let p = 0;
  while (p < text.length) {
    const c = text[p];
    if (c === '\\' && text[p + 1] === '\n') {
      p += 2; // bash removes a backslash-newline, inside a word too (`pi\⏎p` is `pip`)
    } else if (c === '\\') {
      if (wordFrom < 0) {
        wordFrom = p;
      }
      word += text[p + 1] ?? '';
      p += 2;
    } else if (c === "'" || c === '"') {
      if (wordFrom < 0) {
        wordFrom = p;
      }
      let q = p + 1;
      while (q < text.length && text[q] !== c) {
        if (c === '"' && text[q] === '\\' && q + 1 < text.length) {
          q++;
        }
        word += text[q];
        q++;
      }
      p = q + 1;
    } else if (c === ' ' || c === '\t') {
      // \r is a word character for sh and bash (red team 12 R12-12)
      endWord(p);
      p++;
    } else if (c === '#' && wordFrom < 0) {
      const nl = text.indexOf('\n', p);
      p = nl < 0 ? text.length : nl;
    } else if (
      c === '\n' ||
      c === ';' ||
      (c === '&' && !isRedirectAmpersand(text, p, wordFrom)) ||
      (c === '|' && text[p + 1] === '|')
    ) {
      endWord(p);
      endPipeline();
      p += (c === '&' || c === '|') && text[p + 1] === c ? 2 : 1;
    } else if (c === '|') {
      endWord(p);
      endCommand();
      p++;
    } else {
      if (wordFrom < 0) {
        wordFrom = p;
      }
      word += c;
      p++;
    }
  }
  endWord(text.length);
  endPipeline();
  return pipelines;
}
