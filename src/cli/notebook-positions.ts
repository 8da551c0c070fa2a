/**
 * Where each code cell's source sits in the raw text of an .ipynb file. SARIF consumers
 * (GitHub code scanning) place a result by its region in the file's own text, so a finding's
 * offsets within a cell are mapped to offsets in the JSON: the cell's source strings are
 * located with a small JSON scanner that keeps positions, and each decoded character is
 * mapped to the raw characters (escapes included) that spell it.
 */

/** For one code cell: raw offset in the file of each UTF-16 offset of the cell's source. */
export type CellSourceMap = Int32Array;

interface Str {
  kind: 'string';
  value: string;
  /** raw[i] = file offset where decoded code unit i starts; raw[value.length] = closing quote. */
  raw: Int32Array;
}
type Node =
  | Str
  | { kind: 'array'; items: Node[] }
  | { kind: 'object'; entries: Map<string, Node> }
  | { kind: 'other' };

class Scanner {
  pos = 0;
  constructor(private readonly text: string) {}

  fail(what: string): never {
    throw new Error(`invalid JSON at offset ${this.pos}: ${what}`);
  }

  ws(): void {
    const t = this.text;
    while (this.pos < t.length && /[ \t\r\n]/.test(t[this.pos])) {
      this.pos++;
    }
  }

  value(depth = 0): Node {
    if (depth > 200) {
      this.fail('nested too deeply');
    }
    this.ws();
    const c = this.text[this.pos];
    if (c === '"') {
      return this.string();
    }
    if (c === '[') {
      this.pos++;
      const items: Node[] = [];
      this.ws();
      if (this.text[this.pos] === ']') {
        this.pos++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        const d = this.text[this.pos++];
        if (d === ']') {
          return { kind: 'array', items };
        }
        if (d !== ',') {
          this.fail("expected ',' or ']'");
        }
      }
    }
    if (c === '{') {
      this.pos++;
      const entries = new Map<string, Node>();
      this.ws();
      if (this.text[this.pos] === '}') {
        this.pos++;
        return { kind: 'object', entries };
      }
      for (;;) {
        this.ws();
        const key = this.string();
        this.ws();
        if (this.text[this.pos++] !== ':') {
          this.fail("expected ':'");
        }
        entries.set(key.value, this.value(depth + 1));
        this.ws();
        const d = this.text[this.pos++];
        if (d === '}') {
          return { kind: 'object', entries };
        }
        if (d !== ',') {
          this.fail("expected ',' or '}'");
        }
      }
    }
    const m = /^(?:true|false|null|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/.exec(
      this.text.slice(this.pos, this.pos + 64)
    );
    if (!m) {
      this.fail('unexpected character');
    }
    this.pos += m[0].length;
    return { kind: 'other' };
  }

  string(): Str {
    const t = this.text;
    if (t[this.pos] !== '"') {
      this.fail('expected a string');
    }
    this.pos++;
    let value = '';
    const raw: number[] = [];
    for (;;) {
      if (this.pos >= t.length) {
        this.fail('unterminated string');
      }
      const c = t[this.pos];
      if (c === '"') {
        raw.push(this.pos);
        this.pos++;
        return { kind: 'string', value, raw: Int32Array.from(raw) };
      }
      if (c === '\\') {
        const e = t[this.pos + 1];
        let decoded: string;
        let len = 2;
        if (e === 'u') {
          decoded = String.fromCharCode(
            parseInt(t.slice(this.pos + 2, this.pos + 6), 16)
          );
          len = 6;
        } else {
          decoded =
            (
              {
                n: '\n',
                t: '\t',
                r: '\r',
                b: '\b',
                f: '\f',
                '"': '"',
                '\\': '\\',
                '/': '/'
              } as Record<string, string>
            )[e] ?? this.fail('bad escape');
        }
        raw.push(this.pos);
        value += decoded;
        this.pos += len;
      } else {
        raw.push(this.pos);
        value += c;
        this.pos++;
      }
    }
  }
}

/**
 * The source maps of the notebook's code cells, in order (index i: the i-th code cell, as
 * the scanner counts them). Throws on text that is not JSON.
 */
export function codeCellSourceMaps(text: string): CellSourceMap[] {
  const root = new Scanner(text).value();
  const cells = root.kind === 'object' ? root.entries.get('cells') : undefined;
  if (!cells || cells.kind !== 'array') {
    return [];
  }
  const maps: CellSourceMap[] = [];
  for (const cell of cells.items) {
    if (cell.kind !== 'object') {
      continue;
    }
    const type = cell.entries.get('cell_type');
    if (type?.kind !== 'string' || type.value !== 'code') {
      continue;
    }
    const source = cell.entries.get('source');
    const parts: Str[] =
      source?.kind === 'string'
        ? [source]
        : source?.kind === 'array'
          ? (source.items.filter(i => i.kind === 'string') as Str[])
          : [];
    const total = parts.reduce((n, p) => n + p.value.length, 0);
    const map = new Int32Array(total + 1);
    let k = 0;
    for (const p of parts) {
      map.set(p.raw.subarray(0, p.value.length), k);
      k += p.value.length;
    }
    // The end of the source: the closing quote of its last string.
    map[total] = parts.length
      ? parts[parts.length - 1].raw[parts[parts.length - 1].value.length]
      : 0;
    maps.push(map);
  }
  return maps;
}
