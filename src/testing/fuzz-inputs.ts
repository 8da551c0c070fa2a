/**
 * Inputs for the analyzer's fuzz and differential tests (not a test itself): a seeded PRNG,
 * random text, token soups and mutations of the labelled corpus. One copy, so every fuzz
 * test replays with the same WARDEN_FUZZ_SEED.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Inputs per fuzz test: WARDEN_FUZZ_N, or the test's default. */
export function fuzzCount(dflt: number): number {
  return Number(process.env.WARDEN_FUZZ_N ?? dflt);
}

export const FUZZ_SEED = Number(process.env.WARDEN_FUZZ_SEED ?? 20261125);

/** mulberry32: small seeded PRNG so a failure can be replayed with WARDEN_FUZZ_SEED. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rand: () => number, items: readonly T[]): T {
  return items[Math.floor(rand() * items.length)];
}

/** Pieces of notebook code, IPython syntax and junk the analyzer must survive. */
export const ANALYZER_TOKENS: readonly string[] = [
  'torch.load(',
  'pickle.loads(',
  '__import__("pickle")',
  'getattr(torch, "load")',
  'import ',
  'from ',
  ' as ',
  '*',
  'weights_only=',
  'True',
  'False',
  'None',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ',',
  ':',
  '=',
  '\n',
  '\n    ',
  '\t',
  '"',
  "'",
  '"""',
  "'''",
  '#',
  '\\',
  '\\\n',
  '!',
  '!pip install ',
  '%',
  '%%',
  '%%bash\n',
  '%pip install --index-url http://x ',
  '?',
  '??',
  ' | sh',
  'curl ',
  'lambda ',
  'def ',
  'class ',
  'yaml.load(',
  'np.load(',
  'allow_pickle=',
  '**{',
  'os.environ[',
  'exec("',
  'f"{',
  '}"',
  '$(',
  '<(',
  '`',
  ';',
  '&&',
  '\r\n',
  '\u00e9',
  '\ud83d\ude00',
  '\ud800',
  '\0',
  'x'.repeat(200),
  '('.repeat(50),
  ')'.repeat(50),
  '[' + '1,'.repeat(100)
];

const CORPUS = path.join(__dirname, '..', 'analyzer', 'corpus');

/** The labelled corpus files (src/analyzer/corpus/*.py), in name order. */
export function corpusSeeds(): string[] {
  return fs
    .readdirSync(CORPUS)
    .filter(f => f.endsWith('.py'))
    .sort()
    .map(f => fs.readFileSync(path.join(CORPUS, f), 'utf8'));
}

/** Up to 400 characters, mostly printable ASCII, some anywhere in the BMP (lone surrogates too). */
export function randomText(rand: () => number): string {
  const len = Math.floor(rand() * 400);
  let s = '';
  for (let i = 0; i < len; i++) {
    s += String.fromCharCode(
      rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0xffff)
    );
  }
  return s;
}

/** Up to 80 tokens strung together. */
export function tokenSoup(
  rand: () => number,
  tokens: readonly string[]
): string {
  const n = Math.floor(rand() * 80);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += pick(rand, tokens);
  }
  return s;
}

/** 1 to 8 random edits: deletions, inserted tokens, copied spans, truncation. */
export function mutate(
  seed: string,
  rand: () => number,
  tokens: readonly string[]
): string {
  let s = seed;
  const edits = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const kind = rand();
    if (kind < 0.3) {
      s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
    } else if (kind < 0.6) {
      s = s.slice(0, at) + pick(rand, tokens) + s.slice(at);
    } else if (kind < 0.8) {
      const from = Math.floor(rand() * s.length);
      s =
        s.slice(0, at) +
        s.slice(from, from + Math.floor(rand() * 60)) +
        s.slice(at);
    } else {
      s = s.slice(0, at);
    }
  }
  return s;
}

/**
 * One fuzz input: random text (share `randomShare`), a token soup (up to 0.4) or a mutated
 * corpus file.
 */
export function fuzzCell(
  rand: () => number,
  seeds: readonly string[],
  randomShare: number
): string {
  const r = rand();
  return r < randomShare
    ? randomText(rand)
    : r < 0.4
      ? tokenSoup(rand, ANALYZER_TOKENS)
      : mutate(pick(rand, seeds), rand, ANALYZER_TOKENS);
}
