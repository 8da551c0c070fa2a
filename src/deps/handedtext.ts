/**
 * What a shell may make of a word that a program Warden has no table for hands to it. A port
 * of the kernel's `jupyterlab_warden/kernel/guard/installs/handed_text.py`: keep the two alike.
 *
 * Such a program may run any of its words as `sh -c` text (`npx -c TEXT`, `npm exec
 * --call=TEXT`, `gcc -wrapper sh,-c,TEXT`), and the inner shell removes quotes before it looks
 * a name up: `u""v p""ip install` and `u\v` run uv (red team 25 R25-1), though no piece of the
 * word as written is an installer's name. Warden does not parse such a word as a shell line (a
 * jq filter or a SQL query is no line a shell reader would accept, and nothing says the
 * program hands it to one); it reads the word's text twice, as written and with the quotes
 * removed, and finds the names a shell would start there. Red team 26 R26-3: text that sets
 * PATH or CDPATH, or moves (`cd`) before a relative program, runs programs other than the ones
 * its names find (`unplaceable`). String operations only: the static side has no file system,
 * so a pattern in command position (`./[p]`), which the kernel refuses where it matches a file
 * now, is not decided here (`hasPattern` only names one).
 */

// quote removal: what the shell drops
const QUOTES = /['"\\]/g;
// where a new command starts in shell text
const COMMAND_BREAKS = /[;&|()`{}]/g;
// the same, where a brace stays in its word (bash's brace expansion: `{u..u}v`)
const BREAKS_BUT_BRACES = /[;&|()`]/g;
// what Python's str.split() splits at (the kernel's reading): JavaScript's \s differs by a few
// control and Unicode characters
const BLANKS =
  // eslint-disable-next-line no-control-regex -- the blanks Python's str.isspace knows
  /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
// words before a command that are not its name
const RESERVED = new Set([
  '!',
  'if',
  'then',
  'else',
  'elif',
  'do',
  'while',
  'until',
  'time'
]);

/** Whether the shell would remove something from `word` (its quotes or backslashes). */
export function quoted(word: string): boolean {
  return /['"\\]/.test(word);
}

/**
 * `word` as the shell hands it to the command it runs, quotes removed (a superset of the
 * names: a quoted `'a b'` keeps its blank, and is read as two names, which can only find
 * more). A backslash-newline pair goes first: a line continuation.
 */
export function dequoted(word: string): string {
  return word.replace(/\\\n/g, '').replace(QUOTES, '');
}

/** Whether `word` may be a command with words of its own (a blank, or a break). */
export function mayBeCommandText(word: string): boolean {
  return /[ \t\n;&|,`]/.test(word);
}

// variables that say where a shell looks a command or a folder up
const LOOKUP_VARIABLES = new Set(['PATH', 'CDPATH']);
// commands that move the shell to another folder
const MOVES = new Set(['cd', 'pushd', 'popd']);
// a redirection before the command's name (`>/dev/null bash`, `2> e bash`, `<f bash`)
const REDIRECTION = /^[0-9]*(>>|>\||<>|<<<|<<-|<<|>|<)/;

/**
 * The words in command position in `word` read as shell text, quotes removed: the first word
 * of each command (after `;`, `&`, `|`, a parenthesis, a brace or a newline), past leading
 * `NAME=value` assignments, reserved words (`then bash`) and redirections with their files
 * (`2>/dev/null bash`, `> log bash`).
 */
export function commandTokens(word: string, braces = true): string[] {
  const tokens: string[] = [];
  // `2>&1`, `<&3` are redirections, not command breaks
  const text = dequoted(word).replace(/>&/g, '>').replace(/<&/g, '<');
  const breaks = braces ? COMMAND_BREAKS : BREAKS_BUT_BRACES;
  for (const command of text.replace(breaks, '\n').split('\n')) {
    let target = false; // the next word is a redirection's file (`> /dev/null bash`)
    for (const token of command.split(BLANKS)) {
      if (token === '') {
        continue;
      }
      if (target || RESERVED.has(token)) {
        target = false;
        continue;
      }
      const redirection = REDIRECTION.exec(token);
      if (redirection) {
        target = redirection[0].length === token.length; // `>` alone: its file comes next
        continue;
      }
      if (token.split('/', 1)[0].includes('=') && !token.startsWith('=')) {
        continue; // an assignment before the command: `X=1 bash`
      }
      tokens.push(token);
      break;
    }
  }
  return tokens;
}

/**
 * `commandTokens` as names: each one's last path part, and cut at a comma too (gcc's
 * `-wrapper sh,-c,TEXT` runs sh).
 */
export function commandNames(word: string): string[] {
  const names: string[] = [];
  for (const token of commandTokens(word)) {
    names.push(lastPart(token));
    if (token.includes(',')) {
      names.push(lastPart(token.slice(0, token.indexOf(','))));
    }
  }
  return names;
}

/**
 * What follows the last `=` of each word in `word`, quotes removed: a program reads an
 * option's value as a command of its own (`-XX:OnOutOfMemoryError=bash`).
 */
export function optionValues(word: string): string[] {
  return words(word)
    .filter(token => token.includes('='))
    .map(token => token.slice(token.lastIndexOf('=') + 1));
}

/** Whether a shell would read `token` as a pattern (a glob) where it matches files. */
export function hasPattern(token: string): boolean {
  return /[*?[]/.test(token);
}

/**
 * Why the programs `word` starts, read as shell text, are not the ones its names find now
 * ('' when they are): it sets PATH or CDPATH (`PATH=s k`, `export PATH=s`: names are looked
 * up elsewhere), or moves (`cd`, `pushd`, `popd`) before a command found by a relative path
 * (`cd s && ./k`: s/k runs, not ./k) (red team 26 R26-3).
 */
export function unplaceable(word: string): string {
  for (const token of words(word)) {
    const variable = token.split('=', 1)[0].replace(/\++$/, '');
    if (LOOKUP_VARIABLES.has(variable) && token.includes('=')) {
      return `sets ${variable}, where the names it runs are looked up`;
    }
  }
  let moved = '';
  for (const token of commandTokens(word)) {
    if (moved && token.includes('/') && !token.startsWith('/')) {
      return `runs ${token} after ${moved}, from a folder Warden does not follow`;
    }
    if (MOVES.has(token)) {
      moved = token;
    }
  }
  return '';
}

/** The words of `word` read as shell text, quotes removed, split at blanks and breaks. */
function words(word: string): string[] {
  return dequoted(word)
    .replace(COMMAND_BREAKS, '\n')
    .split(BLANKS)
    .filter(token => token !== '');
}

function lastPart(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
