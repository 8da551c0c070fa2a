/**
 * Never throws: random and mutated cells through analyzeCell and analyzeNotebook.
 * WARDEN_FUZZ_N sets the number of inputs (default 3000; 100000 on demand). Timing is measured
 * and printed, not asserted (see bench/ for speed targets).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeCell, analyzeNotebook } from './analyzer';
import { EMPTY_SCOPE } from './scope';

const N = Number(process.env.WARDEN_FUZZ_N ?? 3000);
const SEED = Number(process.env.WARDEN_FUZZ_SEED ?? 20261125);

/** mulberry32: small seeded PRNG so a failure can be replayed with WARDEN_FUZZ_SEED. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TOKENS = [
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

function corpusSeeds(): string[] {
  const dir = path.join(__dirname, 'corpus');
  return fs
    .readdirSync(dir)
    .filter(f => f.endsWith('.py'))
    .map(f => fs.readFileSync(path.join(dir, f), 'utf8'));
}

function randomText(rand: () => number): string {
  const len = Math.floor(rand() * 400);
  let s = '';
  for (let i = 0; i < len; i++) {
    s += String.fromCharCode(
      rand() < 0.9 ? 32 + Math.floor(rand() * 95) : Math.floor(rand() * 0xffff)
    );
  }
  return s;
}

function tokenSoup(rand: () => number): string {
  const n = Math.floor(rand() * 80);
  let s = '';
  for (let i = 0; i < n; i++) {
    s += TOKENS[Math.floor(rand() * TOKENS.length)];
  }
  return s;
}

function mutate(seed: string, rand: () => number): string {
  let s = seed;
  const edits = 1 + Math.floor(rand() * 8);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(rand() * (s.length + 1));
    const kind = rand();
    if (kind < 0.3) {
      s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 20));
    } else if (kind < 0.6) {
      s =
        s.slice(0, at) +
        TOKENS[Math.floor(rand() * TOKENS.length)] +
        s.slice(at);
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

describe('fuzz', () => {
  it(`analyses ${N} random and mutated inputs without throwing`, () => {
    const rand = prng(SEED);
    const seeds = corpusSeeds();
    let maxMs = 0;
    let maxInput = '';
    let findings = 0;
    const times: number[] = [];
    // CPU time beside wall time: on a shared machine wall time includes being scheduled out.
    const cpuTimes: number[] = [];
    let maxCpu = 0;
    let maxCpuInput = '';
    const failures: Array<{ input: string; error: string }> = [];
    for (let i = 0; i < N; i++) {
      const r = rand();
      const input =
        r < 0.2
          ? randomText(rand)
          : r < 0.4
            ? tokenSoup(rand)
            : mutate(seeds[Math.floor(rand() * seeds.length)], rand);
      try {
        const start = process.hrtime.bigint();
        const cpuStart = process.cpuUsage();
        const { findings: fs1, scopeAfter } = analyzeCell(input, EMPTY_SCOPE);
        const cpu = process.cpuUsage(cpuStart);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        times.push(ms);
        const cpuMs = (cpu.user + cpu.system) / 1000;
        cpuTimes.push(cpuMs);
        if (cpuMs > maxCpu) {
          maxCpu = cpuMs;
          maxCpuInput = input;
        }
        if (ms > maxMs) {
          maxMs = ms;
          maxInput = input;
        }
        findings += fs1.length;
        for (const f of fs1) {
          if (!(
            f.from >= 0 &&
            f.from <= f.to &&
            f.to <= input.length &&
            f.line >= 1 &&
            f.column >= 1
          )) {
            throw new Error(`bad range ${JSON.stringify(f)}`);
          }
          if (
            f.fix &&
            !(
              f.fix.from >= 0 &&
              f.fix.from <= f.fix.to &&
              f.fix.to <= input.length
            )
          ) {
            throw new Error(`bad fix ${JSON.stringify(f.fix)}`);
          }
        }
        analyzeCell(input, scopeAfter, { ipython: false });
        if (i % 10 === 0) {
          analyzeNotebook(input.split('\n\n'));
        }
      } catch (e) {
        failures.push({ input, error: String((e as Error).stack ?? e) });
      }
    }
    times.sort((a, b) => a - b);
    const p99 = times[Math.floor(times.length * 0.99)] ?? 0;
    const over50 = times.filter(t => t >= 50).length;
    cpuTimes.sort((a, b) => a - b);
    const cpuOver50 = cpuTimes.filter(t => t >= 50).length;
    // Re-time the slowest input: a real slow path is slow again, a scheduling hiccup is not.
    const retime = (input: string) => {
      const runs: number[] = [];
      for (let k = 0; k < 5; k++) {
        const t0 = process.hrtime.bigint();
        analyzeCell(input, EMPTY_SCOPE);
        runs.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      return runs.sort((a, b) => a - b)[2];
    };
    const again = retime(maxInput);
    const againCpu = retime(maxCpuInput);
    if (process.env.WARDEN_FUZZ_DUMP) {
      fs.writeFileSync(process.env.WARDEN_FUZZ_DUMP, maxInput);
    }
    console.log(
      `fuzz: ${N} inputs (seed ${SEED}), ${findings} findings, ${failures.length} failures, ` +
        `analyzeCell wall p99 ${p99.toFixed(2)} ms, max ${maxMs.toFixed(2)} ms ` +
        `(input of ${maxInput.length} chars, re-timed median ${again.toFixed(2)} ms), ` +
        `${over50} of ${times.length} at or over 50 ms wall; ` +
        `cpu p99 ${(cpuTimes[Math.floor(cpuTimes.length * 0.99)] ?? 0).toFixed(2)} ms, ` +
        `max ${maxCpu.toFixed(2)} ms (re-timed median ${againCpu.toFixed(2)} ms), ${cpuOver50} at or over 50 ms cpu`
    );
    expect(failures.slice(0, 3)).toEqual([]);
  }, 600000);

  it('stops parsing a pathological cell at the time budget and says so', () => {
    // Unclosed brackets make the rest one statement; it names torch, so it is parsed.
    const broken =
      'import pickle\npickle.loads(b)\n' + 'x = (torch +\ny = [\n'.repeat(2000);
    const start = performance.now();
    const result = analyzeCell(broken, EMPTY_SCOPE, { parseBudgetMs: 5 });
    const ms = performance.now() - start;
    expect(result.complete).toBe(false);
    expect(result.analyzedTo).toBeLessThan(broken.length);
    const full = analyzeCell(broken);
    expect(full.complete).toBe(true);
    expect(full.findings.map(f => f.ruleId)).toEqual(['pickle-load']);
    console.log(
      `budgeted parse of ${broken.length} chars: ${ms.toFixed(1)} ms (budget 5 ms)`
    );
  });

  it('copes with pathological inputs', () => {
    const inputs = [
      '('.repeat(20000),
      'x' + '.a'.repeat(20000),
      'f' + '(1)'.repeat(5000),
      'exec("exec(\\"exec(\'pickle.loads(b)\')\\")")',
      '"""' + 'a'.repeat(100000),
      '\\\n'.repeat(10000),
      ' '.repeat(10000) + 'x',
      'if 1:\n' + ' '.repeat(4) + 'if 1:\n'.repeat(500),
      '%%bash\n' + 'curl x | sh\n'.repeat(2000)
    ];
    for (const input of inputs) {
      expect(() => analyzeCell(input)).not.toThrow();
    }
  });
});
