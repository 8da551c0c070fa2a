/**
 * An install-decision vector through the static side's reading and decision code: its files
 * written to a work folder, its command read (a shell line, or an argv start), every finding
 * decided under its policy. Shared by the shared vectors' spec and the red-team proofs that
 * pin the same shape beside a kernel control (tests/deps/*.json).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { IPolicyDocument } from '../contracts';
import { argvInstalls, shellInstalls } from '../deps/commands';
import { decideInstall } from '../deps/decide';
import { COMMAND_LINE } from '../deps/request';
import { shippedData } from '../deps/shipped';
import { decide } from '../policy/policy';

export interface IInstallVector {
  name: string;
  policy: Record<string, unknown>;
  command: string | string[];
  files?: Record<string, string>;
  env?: Record<string, string>;
  expect: { rules: string[]; runs: boolean };
}

/** The rules `vector` raises (sorted, those the policy does not turn off) and whether it runs. */
export function installOutcome(
  vector: IInstallVector,
  workdir: string
): { rules: string[]; runs: boolean } {
  for (const [name, text] of Object.entries(vector.files ?? {})) {
    fs.mkdirSync(path.dirname(path.join(workdir, name)), { recursive: true });
    fs.writeFileSync(path.join(workdir, name), text);
  }
  // no user or site pip.conf of the machine running the tests: only the vector's own
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
    readFile: (p: string, decode?: (bytes: Uint8Array) => string) =>
      decode ? decode(fs.readFileSync(p)) : fs.readFileSync(p, 'utf8'),
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
