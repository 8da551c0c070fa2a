/**
 * A sed script read command by command (red team 15 R15-22): the static side's port of the
 * kernel's `jupyterlab_warden/kernel/guard/installs/sed_script.py`. GNU sed runs a command
 * with `e COMMAND` and the `s///e` flag, and writes files with `w`/`W` and `s///w FILE`; a
 * deny pattern for `e` after some address forms missed the others (`/x/Ie`, `\%x%e`,
 * `0,/x/e`), so each command is read as sed reads it: addresses (a line number,
 * `first~step`, `$`, `/RE/` or `\cREc` with `I`/`M` flags, `addr1,+N`/`~N`), any `!`, one
 * command letter; only commands that process text are allowed. Where the reading is unsure it
 * reads less (a label ends early), so what follows is read as commands.
 */

const PLAIN = new Set('=dDgGhHnNpPxzF');
const NUMBERED = new Set('qQlL');
const LABELLED = new Set(':btTv');
const TEXT = new Set('aic'); // text to the end of the line, continued by a trailing backslash
const FILE_READ = new Set('rR'); // a file name to the end of the line, never continued
const SUBSTITUTE_FLAGS = new Set('gpIiMm0123456789');
const ENDS = new Set(';\n}# \t');

class Refused extends Error {}

/**
 * What in `script` sed runs as a command or writes to a file, or what Warden cannot read
 * ('' when the script only processes text).
 */
export function sedRefusedCommand(script: string): string {
  try {
    new Reader(script).read();
  } catch (error) {
    if (error instanceof Refused) {
      return error.message;
    }
    throw error;
  }
  return '';
}

class Reader {
  private pos = 0;
  constructor(private readonly text: string) {}

  private peek(): string {
    return this.text[this.pos] ?? '';
  }

  private blanks(newlines = false): void {
    const set = newlines ? ' \t\n;' : ' \t';
    while (this.peek() && set.includes(this.peek())) {
      this.pos += 1;
    }
  }

  private digits(): void {
    while (/[0-9]/.test(this.peek())) {
      this.pos += 1;
    }
  }

  read(): void {
    for (;;) {
      this.blanks(true);
      if (!this.peek()) {
        return;
      }
      if (this.peek() === '#') {
        this.toLineEnd();
        continue;
      }
      if (this.address()) {
        this.blanks();
        if (this.peek() === ',') {
          this.pos += 1;
          this.blanks();
          if (this.peek() === '+' || this.peek() === '~') {
            this.pos += 1;
          }
          if (!this.address()) {
            throw new Refused(
              `sed address '${this.text.slice(0, this.pos + 1)}'`
            );
          }
        }
      }
      this.blanks();
      while (this.peek() === '!') {
        this.pos += 1;
        this.blanks();
      }
      this.command();
    }
  }

  private address(): boolean {
    const start = this.pos;
    const char = this.peek();
    if (/[0-9]/.test(char)) {
      this.digits();
      if (this.peek() === '~') {
        this.pos += 1;
        this.digits();
      }
    } else if (char === '$') {
      this.pos += 1;
    } else if (char === '/' || char === '\\') {
      if (char === '\\') {
        this.pos += 1;
      }
      const delimiter = this.peek();
      if (!delimiter || delimiter === '\n' || delimiter === '\\') {
        throw new Refused(
          `sed address '${this.text.slice(start, this.pos + 1)}'`
        );
      }
      this.pos += 1;
      this.delimited(delimiter);
      while (this.peek() === 'I' || this.peek() === 'M') {
        this.pos += 1;
      }
    }
    return this.pos > start;
  }

  /** Past a regex or replacement ended by `delimiter` (a backslash escapes any). */
  private delimited(delimiter: string): void {
    for (;;) {
      const char = this.peek();
      if (!char || (char === '\n' && delimiter !== '\n')) {
        throw new Refused('an unterminated sed expression');
      }
      this.pos += char === '\\' ? 2 : 1;
      if (char === delimiter) {
        return;
      }
    }
  }

  private toLineEnd(): void {
    const end = this.text.indexOf('\n', this.pos);
    this.pos = end < 0 ? this.text.length : end + 1;
  }

  private command(): void {
    const char = this.peek();
    this.pos += 1;
    if (char === '{' || char === '}' || PLAIN.has(char)) {
      return;
    }
    if (NUMBERED.has(char)) {
      this.blanks();
      this.digits();
    } else if (LABELLED.has(char)) {
      this.blanks();
      while (this.peek() && !' \t;\n}#'.includes(this.peek())) {
        this.pos += 1;
      }
    } else if (FILE_READ.has(char)) {
      // a file name runs to the end of the line, a trailing backslash included (GNU sed's
      // read_filename; red team 16 R16-1: `r f\\` then a command on the next line)
      this.toLineEnd();
    } else if (TEXT.has(char)) {
      for (;;) {
        // to the end of the line; a line ending in a backslash goes on
        const end = this.text.indexOf('\n', this.pos);
        const line = this.text.slice(this.pos, end < 0 ? undefined : end);
        this.pos = end < 0 ? this.text.length : end + 1;
        const backslashes = line.length - line.replace(/\\+$/, '').length;
        if (end < 0 || backslashes % 2 === 0) {
          return;
        }
      }
    } else if (char === 's' || char === 'y') {
      const delimiter = this.peek();
      if (!delimiter || delimiter === '\n' || delimiter === '\\') {
        throw new Refused(`sed ${char} without a delimiter`);
      }
      this.pos += 1;
      this.delimited(delimiter);
      this.delimited(delimiter);
      while (char === 's' && this.peek() && !ENDS.has(this.peek())) {
        if (!SUBSTITUTE_FLAGS.has(this.peek())) {
          // e runs the pattern space as a command, w writes a file
          throw new Refused(`the s command's '${this.peek()}' flag`);
        }
        this.pos += 1;
      }
    } else {
      throw new Refused(
        `the sed command '${char}'` + (char === 'e' ? ' (runs a command)' : '')
      );
    }
  }
}
