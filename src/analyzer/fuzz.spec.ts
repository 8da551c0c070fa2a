/**
 * Never throws: random and mutated cells through analyzeCell and analyzeNotebook.
 * WARDEN_FUZZ_N sets the number of inputs (default 3000; 100000 on demand). Timing is measured
 * and printed, not asserted (see bench/ for speed targets).
 */
import * as fs from 'node:fs';
import { analyzeCell, analyzeNotebook } from './analyzer';
import { EMPTY_SCOPE } from './scope';
import {
  corpusSeeds,
  FUZZ_SEED as SEED,
  fuzzCell,
  fuzzCount,
  prng
} from '../testing/fuzz-inputs';

const N = fuzzCount(3000);

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
      const input = fuzzCell(rand, seeds, 0.2);
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
