/**
 * Generated shell lines (testdata/shell-lines.json, written by scripts/shell-lines-fixture.py
 * from the kernel's reading) through the static side: both readers split and decide each line
 * alike (red team 7). Each line runs in a folder with r.txt and sub/r.txt holding `black`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fixture from './testdata/shell-lines.json';
import { shellInstalls } from './commands';
import { decideInstall } from './decide';
import { COMMAND_LINE } from './request';
import { shippedData } from './shipped';

function rulesFor(line: string): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-shell-lines-'));
  try {
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'r.txt'), 'black\n');
    fs.writeFileSync(path.join(dir, 'sub', 'r.txt'), 'black\n');
    const env = {
      HOME: path.join(dir, 'home'),
      PIP_CONFIG_FILE: os.devNull,
      XDG_CONFIG_DIRS: path.join(dir, 'home')
    };
    const context = {
      cwd: dir,
      place: COMMAND_LINE,
      env,
      readFile: (p: string) => fs.readFileSync(p, 'utf8'),
      label: (p: string) => path.basename(p)
    };
    const rules = new Set<string>();
    for (const found of shellInstalls(line, 0, env, context)) {
      for (const f of decideInstall(
        found.request,
        {},
        shippedData(),
        COMMAND_LINE
      )) {
        rules.add(f.ruleId);
      }
    }
    return [...rules].sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('generated shell lines decide as on the kernel side', () => {
  it.each(fixture.cases.map(c => [JSON.stringify(c.line), c] as const))(
    '%s',
    (_name, { line, rules }) => {
      expect(rulesFor(line)).toEqual(rules);
    }
  );
});
