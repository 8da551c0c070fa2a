/**
 * The imitation-name rule's tables are one data file, `kernel/deps/imitation-rules.json`, read
 * here and by the kernel guard (`installs/names.py`; tests/deps/test_imitation_rules.py runs the
 * same vectors and the same check on the shipped file): the shared vectors, the shipped file's
 * own tables, and a missing or malformed file refusing every install.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import vectors from '../../schema/vectors/imitation-rules.json';
import { DepsData } from './data';
import { decideInstall } from './decide';
import { ImitationRules, PopularNames, RULES_FILE } from './names';
import { COMMAND_LINE, newRequest } from './request';
import { parseRequirement } from './requirements';
import { shippedData, shippedDataDir } from './shipped';

interface Vector {
  name: string;
  rules?: unknown;
  text?: string;
  expect: { readable?: false; imitated?: Record<string, string | null> };
}

const all = (vectors as { vectors: Vector[] }).vectors;
const ranked = (vectors as { ranked: string[] }).ranked;

function fileText(vector: Vector): string {
  return vector.text ?? JSON.stringify(vector.rules);
}

function shippedFile(file: string): string {
  const dir = shippedDataDir();
  if (dir === null) {
    throw new Error('no shipped data found');
  }
  return fs.readFileSync(path.join(dir, file), 'utf8');
}

describe('imitation-rules vectors (static side)', () => {
  it('has unique names', () => {
    expect(new Set(all.map(v => v.name)).size).toBe(all.length);
  });

  it.each(all.map(v => [v.name, v] as [string, Vector]))(
    '%s',
    (_name, vector) => {
      if (vector.expect.readable === false) {
        expect(() => ImitationRules.parse(fileText(vector))).toThrow();
        return;
      }
      const popular = new PopularNames(
        ranked,
        ImitationRules.parse(fileText(vector))
      );
      const imitated = vector.expect.imitated ?? {};
      const got = Object.fromEntries(
        Object.keys(imitated).map(n => [n, popular.imitated(n)])
      );
      expect(got).toEqual(imitated);
    }
  );
});

describe('the shipped imitation rules', () => {
  it('are the tables of the one file the kernel reads', () => {
    const raw = JSON.parse(shippedFile(RULES_FILE));
    const rules = ImitationRules.parse(shippedFile(RULES_FILE));
    expect({
      targets: rules.targets,
      min_length: rules.minLength,
      confusables: rules.confusables.map(p => [...p]),
      affixes: [...rules.affixes].sort(),
      glued_affixes: [...rules.gluedAffixes]
    }).toEqual({
      targets: raw.targets,
      min_length: raw.min_length,
      confusables: raw.confusables,
      affixes: [...raw.affixes].sort(),
      glued_affixes: raw.glued_affixes
    });
    expect(shippedData().problems).toEqual([]);
  });

  it('change the decision when the file changes (read, not written in the code)', () => {
    const table = JSON.parse(shippedFile(RULES_FILE));
    table.affixes = table.affixes.filter((a: string) => a !== 'gpu');
    table.glued_affixes = table.glued_affixes.filter(
      (a: string) => a !== 'gpu'
    );
    const changed = new DepsData(file =>
      file === RULES_FILE ? JSON.stringify(table) : shippedFile(file)
    );
    expect(changed.problems).toEqual([]);
    expect(shippedData().imitated('torch-gpu')).toBe('torch');
    expect(changed.imitated('torch-gpu')).toBeNull();
    expect(changed.imitated('torcj')).toBe('torch');
  });

  it.each([
    ['missing', null],
    ['not JSON', '{"targets": 3000, "affixes": ["gpu", "SECRET-TOKEN-1"'],
    [
      'a table of the wrong type',
      '{"targets": "SECRET-TOKEN-1", "min_length": 4, "confusables": [["0", "o"]], ' +
        '"affixes": ["gpu"], "glued_affixes": ["gpu"]}'
    ]
  ])('refuse every install when the file is %s', (_what, text) => {
    const data = new DepsData(file => {
      if (file !== RULES_FILE) {
        return shippedFile(file);
      }
      if (text === null) {
        throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      }
      return text;
    });
    expect(data.problems).toHaveLength(1);
    expect(data.problems[0]).toMatch(
      /^the imitation-name rules \(imitation-rules\.json\) cannot be read \(/
    );
    const request = newRequest('pip', 'pip install');
    request.requirements.push(parseRequirement('numpy', COMMAND_LINE));
    const findings = decideInstall(request, {}, data, COMMAND_LINE);
    expect(findings.map(f => f.ruleId)).toEqual(['install-unreadable']);
    expect(findings[0].message).toContain(RULES_FILE);
    expect(findings[0].message).not.toContain('SECRET');
  });
});
