/**
 * warden-scan on dependency manifests and notebook install cells written like real projects
 * (src/deps/testdata): which install rules fire, on which line of which file, in JSON and
 * SARIF; a benign hash-pinned project gives nothing; the policy and --trusted-index decide.
 * Expected lines are found in the fixture text, never written down.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runScan } from '../cli/scan';
import { writeNotebook } from '../testing/scan-fixture';
import { DepsData } from './data';
import { decideInstall } from './decide';
import { parseRequirement } from './requirements';
import { COMMAND_LINE, newRequest } from './request';

const DATA = path.join(__dirname, 'testdata');
const CHURN = path.join(DATA, 'churn-model');

function scan(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = runScan(args, {
    stdout: t => out.push(t),
    stderr: t => err.push(t)
  });
  return { code, stdout: out.join(''), stderr: err.join('') };
}

interface JsonFinding {
  ruleId: string;
  path: string;
  cell: number | null;
  line: number;
  message: string;
}

function findings(args: string[]): JsonFinding[] {
  const result = scan(['--format', 'json', ...args]);
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout).findings;
}

/** The 1-based line of `file` (in CHURN) that contains `needle`. */
function lineOf(file: string, needle: string): number {
  const lines = fs.readFileSync(path.join(CHURN, file), 'utf8').split('\n');
  const i = lines.findIndex(l => l.includes(needle));
  if (i < 0) {
    throw new Error(`${needle} not in ${file}`);
  }
  return i + 1;
}

const summary = (list: JsonFinding[]) =>
  list
    .filter(f => f.ruleId.startsWith('install-'))
    .map(
      f =>
        `${path.basename(f.path)}${f.cell === null ? '' : `[${f.cell}]`}:${f.line} ${f.ruleId}`
    )
    .sort();

describe('warden-scan: dependency manifests', () => {
  it('flags typosquats, a malicious name, a vulnerable pin, untrusted indexes and direct references, each on its line', () => {
    const got = summary(findings([CHURN]));
    const want = [
      `requirements.txt:${lineOf('requirements.txt', 'torch==2.5.1')} install-vulnerable-version`,
      `requirements.txt:${lineOf('requirements.txt', 'tranformers')} install-imitation-name`,
      `requirements.txt:${lineOf('requirements.txt', 'scikit-lean')} install-imitation-name`,
      `requirements-base.txt:${lineOf('requirements-base.txt', 'aiohtt')} install-known-malicious`,
      `constraints.txt:${lineOf('constraints.txt', 'evil.example')} install-direct-reference`,
      `requirements-dev.txt:${lineOf('requirements-dev.txt', 'internal-mirror')} install-index-not-allowed`,
      `requirements-dev.txt:${lineOf('requirements-dev.txt', 'git+https')} install-direct-reference`,
      `pyproject.toml:${lineOf('pyproject.toml', '"torcj')} install-imitation-name`,
      `pyproject.toml:${lineOf('pyproject.toml', 'url = "https://pypi.internal-mirror')} install-index-not-allowed`,
      `pyproject.toml:${lineOf('pyproject.toml', 'churn-tools = { git')} install-direct-reference`,
      `environment.yml:${lineOf('environment.yml', 'someones-channel')} install-index-not-allowed`,
      `environment.yml:${lineOf('environment.yml', 'wheels.example.net')} install-index-not-allowed`,
      `environment.yml:${lineOf('environment.yml', 'tranformers')} install-imitation-name`,
      `environment.yml:${lineOf('environment.yml', 'skops==0.9.0')} install-vulnerable-version`,
      // notebook: %pip install torcj (code cell 0, line 2), !pip --index-url (cell 1),
      // automagic `pip install scikit-lean` (cell 2, line 2)
      'train.ipynb[0]:2 install-imitation-name',
      'train.ipynb[1]:1 install-index-not-allowed',
      'train.ipynb[2]:2 install-imitation-name'
    ].sort();
    expect(got).toEqual(want);
  });

  it('says what is wrong and what to do, naming the popular package and the advisory', () => {
    const list = findings([path.join(CHURN, 'requirements.txt')]);
    const typo = list.find(f => f.message.includes("'tranformers'"))!;
    expect(typo.message).toContain("did you mean 'transformers'");
    const pin = list.find(f => f.ruleId === 'install-vulnerable-version')!;
    expect(pin.message).toContain('GHSA-53q9-r3pm-6pq6');
    const malicious = list.find(f => f.ruleId === 'install-known-malicious')!;
    expect(malicious.message).toContain('MAL-2023-1578');
    const text = scan([path.join(CHURN, 'requirements.txt')]).stdout;
    expect(text).toMatch(
      /requirements\.txt:\d+:1: high install-imitation-name: 'tranformers' .*did you mean 'transformers'\?/
    );
  });

  it('a benign hash-pinned project (markers, continuations, trusted indexes) gives nothing', () => {
    const result = scan(['--format', 'json', path.join(DATA, 'locked')]);
    expect(JSON.parse(result.stdout).findings).toEqual([]);
    expect(result.code).toBe(0);
    // three manifests were read, not skipped
    expect(scan([path.join(DATA, 'locked')]).stdout).toContain('in 3 files');
  });

  it("reads Poetry's dependencies, groups and sources", () => {
    const file = path.join(DATA, 'poetry-app', 'pyproject.toml');
    const text = fs.readFileSync(file, 'utf8').split('\n');
    const line = (needle: string) =>
      text.findIndex(l => l.startsWith(needle)) + 1;
    expect(summary(findings([file]))).toEqual(
      [
        `pyproject.toml:${line('torch = "2.5.1"')} install-vulnerable-version`,
        `pyproject.toml:${line('acme-forecast =')} install-direct-reference`,
        `pyproject.toml:${line('scikit-lean =')} install-imitation-name`,
        `pyproject.toml:${line('url = "https://pypi.corp')} install-index-not-allowed`
      ].sort()
    );
  });

  it('exits 1 on dependency findings, as on any finding', () => {
    expect(scan([path.join(CHURN, 'requirements-base.txt')]).code).toBe(1);
  });

  it('places SARIF regions on the requirement line, and notebook findings on the cell source line', () => {
    const result = scan([
      '--format',
      'sarif',
      path.join(CHURN, 'requirements.txt'),
      path.join(CHURN, 'train.ipynb')
    ]);
    const run = JSON.parse(result.stdout).runs[0];
    const ids: string[] = run.tool.driver.rules.map(
      (r: { id: string }) => r.id
    );
    for (const r of run.results) {
      expect(ids[r.ruleIndex]).toBe(r.ruleId);
    }
    const region = (needle: string) => {
      const hit = run.results.find((r: any) => r.message.text.includes(needle));
      expect(hit).toBeDefined();
      const loc = hit.locations[0].physicalLocation;
      return {
        uri: loc.artifactLocation.uri as string,
        line: loc.region.startLine as number
      };
    };
    const scikit = region("'scikit-lean'");
    expect(scikit.uri).toMatch(/requirements\.txt$/);
    expect(scikit.line).toBe(lineOf('requirements.txt', 'scikit-lean'));
    const torcj = region("'torcj'");
    expect(torcj.uri).toMatch(/train\.ipynb$/);
    const raw = fs
      .readFileSync(path.join(CHURN, 'train.ipynb'), 'utf8')
      .split('\n');
    expect(raw[torcj.line - 1]).toContain('%pip install torcj');
  });

  it('follows the policy: allow_packages, a rule set to off, and --trusted-index', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-deps-'));
    try {
      const policy = path.join(dir, 'policy.json');
      fs.writeFileSync(
        policy,
        JSON.stringify({
          schema_version: 1,
          revision: 3,
          dependencies: { allow_packages: ['scikit-lean'] },
          rules: { 'install-vulnerable-version': { action: 'off' } }
        })
      );
      const file = path.join(CHURN, 'requirements.txt');
      const before = summary(findings([file]));
      const after = summary(findings(['--policy', policy, file]));
      expect(before.some(s => s.endsWith('install-vulnerable-version'))).toBe(
        true
      );
      expect(after.some(s => s.endsWith('install-vulnerable-version'))).toBe(
        false
      );
      expect(after.filter(s => s.includes('imitation'))).toHaveLength(1); // tranformers stays
      const dev = path.join(CHURN, 'requirements-dev.txt');
      const trusted = summary(
        findings([
          '--trusted-index',
          'https://pypi.internal-mirror.example/simple',
          dev
        ])
      );
      expect(trusted.some(s => s.endsWith('install-index-not-allowed'))).toBe(
        false
      );
      expect(trusted.some(s => s.endsWith('install-direct-reference'))).toBe(
        true
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses what it cannot read: broken TOML, an unknown option, a missing include', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-deps-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'pyproject.toml'),
        '[project]\nname = "x"\ndependencies = ["torch",\n'
      );
      fs.writeFileSync(
        path.join(dir, 'requirements.txt'),
        'numpy\n--index-urll https://x.example/simple\n-r missing.txt\n'
      );
      const got = summary(findings([dir]));
      expect(got).toEqual(
        [
          'requirements.txt:2 install-unreadable',
          'requirements.txt:3 install-unreadable',
          expect.stringMatching(/^pyproject\.toml:\d+ install-unreadable$/)
        ].sort()
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves the files of a pip after a clone on its line to the guard pip inherits (R10-3)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-deps-'));
    try {
      const clone =
        '!git clone https://github.com/example/proj && cd proj && pip install';
      const cells = [
        `${clone} -r requirements.txt`, // the file appears when the line runs
        `${clone} -r requirements.txt torcj`, // names on the line are still decided
        `${clone} -r requirements.txt -i https://evil.example/simple`,
        '!pip install -r requirements.txt' // no writer: read now, and missing
      ];
      writeNotebook(path.join(dir, 'clone.ipynb'), cells);
      expect(summary(findings([dir]))).toEqual([
        'clone.ipynb[1]:1 install-imitation-name',
        'clone.ipynb[2]:1 install-index-not-allowed',
        'clone.ipynb[3]:1 install-unreadable'
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the statement of %time / %timeit / %prun as a cell line (R12-8)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-deps-'));
    try {
      const cells = [
        '%time !pip install torcj',
        '%timeit -n1 -r1 !pip install torcj',
        '%prun -s cumulative !pip install torcj',
        '%time perl -e \'exec("u"."v", "sync")\'', // Python: perl is a name here
        '%time y = sum(range(3))'
      ];
      writeNotebook(path.join(dir, 'timed.ipynb'), cells);
      expect(
        summary(findings([dir])).filter(f => f.includes(' install-'))
      ).toEqual([
        'timed.ipynb[0]:1 install-imitation-name',
        'timed.ipynb[1]:1 install-imitation-name',
        'timed.ipynb[2]:1 install-imitation-name'
      ]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails closed when the shipped data cannot be read', () => {
    const data = new DepsData(() => {
      throw Object.assign(new Error('gone'), { code: 'ENOENT' });
    });
    const request = newRequest('pip', 'pip install');
    request.requirements.push(parseRequirement('numpy', COMMAND_LINE));
    const rules = decideInstall(request, {}, data, COMMAND_LINE).map(
      f => f.ruleId
    );
    expect(rules).toEqual(['install-unreadable', 'install-unreadable']);
  });
});
