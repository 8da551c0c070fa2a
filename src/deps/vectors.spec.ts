/**
 * The shared install-decision vectors (schema/vectors/install-decision.json) through the
 * static side's reading and decision code: the same cases tests/deps/test_install_vectors.py
 * runs through the kernel guard.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import vectors from '../../schema/vectors/install-decision.json';
import {
  IInstallVector as Vector,
  installOutcome as outcome
} from '../testing/install-outcome';
import { shippedData } from './shipped';

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
