/**
 * The words GNU `env -S TEXT` splits TEXT into: the TypeScript twin of the kernel's
 * `installs/env_split.py` (coreutils 9.1 `src/env.c` `build_argv`, red team 51a R51a-1/2),
 * held to the real env by `schema/vectors/env-split.json` (`envsplit.spec.ts`).
 * Words end at space, \t, \n, \v, \f, \r outside quotes; a `#` where a word would start ends
 * TEXT (a comment); '...' keeps all but `\\` and `\'`; outside single quotes `\\ \' \" \# \$`
 * are the character, `\f \n \r \t \v` the control character, `\_` a separator (a space in
 * "..."), `\c` ends TEXT; any other escape, a trailing backslash, a stray `$` and an open
 * quote are env's errors (nothing starts). `${NAME}` is expanded by env from its own
 * environment: refused, as env's errors are (`EnvSplitUnread`).
 */

const BLANKS = ' \t\n\v\f\r';
const ESCAPED: Record<string, string> = {
  '"': '"',
  '#': '#',
  $: '$',
  "'": "'",
  '\\': '\\',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v'
};

/** TEXT env refuses, or that Warden does not expand (`${NAME}`). */
export class EnvSplitUnread extends Error {}

/** The words env puts in place of `-S TEXT` (throws `EnvSplitUnread`: see the module). */
export function envSplit(text: string): string[] {
  const words: string[] = [];
  let sep = true; // a word is due to start
  let sq = false;
  let dq = false;
  // build_argv's CHECK_START_NEW_ARG: the first character (or quote) after a separator
  // opens a new word, so '' and "" are words of their own
  const start = (): void => {
    if (sep) {
      words.push('');
      sep = false;
    }
  };
  const add = (char: string): void => {
    start();
    words[words.length - 1] += char;
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" && !dq) {
      sq = !sq;
      start();
      i++;
      continue;
    }
    if (c === '"' && !sq) {
      dq = !dq;
      start();
      i++;
      continue;
    }
    if (BLANKS.includes(c) && !(sq || dq)) {
      sep = true;
      i++;
      continue;
    }
    if (c === '#' && sep) {
      return words; // a comment: the rest of TEXT is dropped
    }
    const next = text.slice(i + 1, i + 2);
    if (c === '\\' && !(sq && next !== '\\' && next !== "'")) {
      i += 2;
      if (next === '_' && !dq) {
        sep = true; // a word separator
        continue;
      }
      if (next === '_') {
        add(' ');
        continue;
      }
      if (next === 'c') {
        if (dq) {
          throw new EnvSplitUnread(
            'env -S refuses \\c inside double quotes: nothing starts'
          );
        }
        return words; // \c ends TEXT
      }
      if (next === '') {
        throw new EnvSplitUnread(
          'env -S refuses a backslash at the end of its text: nothing starts'
        );
      }
      if (!(next in ESCAPED)) {
        throw new EnvSplitUnread(
          `env -S refuses the escape \\${next}: nothing starts`
        );
      }
      add(ESCAPED[next]);
      continue;
    }
    if (c === '$' && !sq) {
      throw new EnvSplitUnread(
        'env -S expands ${NAME} from its own environment, which Warden does not read (and refuses any other $): write the value out'
      );
    }
    add(c);
    i++;
  }
  if (sq || dq) {
    throw new EnvSplitUnread(
      'env -S refuses a quote left open in its text: nothing starts'
    );
  }
  return words;
}
