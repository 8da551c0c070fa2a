/**
 * The shared install-decision vectors (schema/vectors/install-decision.json) through the
 * static side's reading and decision code: the same cases tests/deps/test_install_vectors.py
 * runs through the kernel guard.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import vectors from '../../schema/vectors/install-decision.json';
import type { IPolicyDocument } from '../contracts';
import { decide } from '../policy/policy';
import { argvInstalls, shellInstalls } from './commands';
import { decideInstall } from './decide';
import { COMMAND_LINE } from './request';
import { shippedData } from './shipped';

interface Vector {
  name: string;
  policy: Record<string, unknown>;
  command: string | string[];
  files?: Record<string, string>;
  env?: Record<string, string>;
  expect: { rules: string[]; runs: boolean };
}

function outcome(
  vector: Vector,
  workdir: string
): { rules: string[]; runs: boolean } {
  for (const [name, text] of Object.entries(vector.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workdir, name)), { recursive: true });
    fs.writeFileSync(path.join(workdir, name), text);
  }
  const env = {
    HOME: path.join(workdir, 'home'),
    PIP_CONFIG_FILE: os.devNull,
    XDG_CONFIG_DIRS: path.join(workdir, 'home'),
    ...(vector.env ?? {})
  };
  const context = {
    cwd: workdir,
    place: COMMAND_LINE,
    env,
    readFile: (p: string) => fs.readFileSync(p, 'utf8'),
    label: (p: string) => path.basename(p)
  };
  const requests =
    typeof vector.command === 'string'
      ? shellInstalls(vector.command, 0, env, context).map(f => f.request)
      : argvInstalls(vector.command, env, context);
  const reply = {
    effective: {
      schema_version: 1,
      revision: 1,
      ...vector.policy
    } as IPolicyDocument,
    provenance: {},
    source: 'test',
    revision: 1,
    errors: [],
    sources: []
  };
  const rules = new Set<string>();
  let runs = true;
  for (const request of requests) {
    for (const finding of decideInstall(
      request,
      vector.policy,
      shippedData(),
      COMMAND_LINE
    )) {
      const { action } = decide(reply, finding.ruleId);
      if (action === 'off') {
        continue;
      }
      rules.add(finding.ruleId);
      runs = runs && action !== 'block' && action !== 'confirm';
    }
  }
  return { rules: [...rules].sort(), runs };
}

describe('install-decision vectors (static side)', () => {
  const all = (vectors as { vectors: Vector[] }).vectors;

  it('has unique names', () => {
    expect(new Set(all.map(v => v.name)).size).toBe(all.length);
  });

  it('reads the shipped data without problems', () => {
    expect(shippedData().problems).toEqual([]);
  });

  it.each(all.map(v => [v.name, v] as [string, Vector]))(
    '%s',
    (_name, vector) => {
      const workdir = fs.mkdtempSync(path.join(os.tmpdir(), 'warden-vectors-'));
      try {
        expect(outcome(vector, workdir)).toEqual(vector.expect);
      } finally {
        fs.rmSync(workdir, { recursive: true, force: true });
      }
    }
  );
});
