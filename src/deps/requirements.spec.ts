/**
 * A direct reference's file names its project by the packaging rules (red team 11 R11-19):
 * the same cases as tests/deps/test_direct_reference_file.py.
 */
import { artifactFile, artifactName } from './requirements';

describe('artifactName', () => {
  it.each([
    [
      'https://h/p/torch-2.6.0%2Bcpu-cp311-cp311-linux_x86_64.whl',
      true,
      'torch'
    ],
    ['https://h/p/torc%6a-1.0.tar.gz', true, 'torcj'],
    ['https://h/p/Foo_Bar-1.0-1-py3-none-any.whl#sha256=ab', true, 'foo-bar'],
    ['https://h/p/foo-bar-2.0.zip?x=1', true, 'foo-bar'],
    ['./dist/torc%6a-1.0.tar.gz', false, null],
    ['https://h/p/download.zip', true, null],
    ['https://h/p/a-1.0-x-py3-none-any.whl', true, null],
    ['https://h/p/a-1.0-py3-none.whl', true, null],
    ['https://h/p/a-latest.tar.gz', true, null],
    // a URL's file is the last segment of its path, never its scheme or host (R47c-8)
    ['file:torcj-1.0-py3-none-any.whl', true, 'torcj'],
    ['file:torcj-1.0.tar.gz', true, 'torcj'],
    ['file:///w/torc%6a-1.0.tar.gz', true, 'torcj'],
    ['https://torch-1.0.tar.gz', true, null],
    ['https://torch-1.0.tar.gz/', true, null],
    ['https://h\\torcj-1.0.tar.gz', true, 'torcj'],
    ['C:/dist/torcj-1.0.tar.gz', false, 'torcj']
  ])('%s -> %s', (ref: string, url: boolean, project: string | null) => {
    expect(artifactName(ref, url)).toBe(project);
  });
});

describe('artifactFile', () => {
  // R11-19 gap: the file's version is checked against the advisories as a pin is
  it.each([
    [
      'https://h/p/torch-2.5.0%2Bcpu-cp311-cp311-linux_x86_64.whl',
      true,
      ['torch', '2.5.0+cpu']
    ],
    ['https://h/p/Foo_Bar-1.0-1-py3-none-any.whl', true, ['foo-bar', '1.0']],
    ['./dist/torch-2.5.1.tar.gz', false, ['torch', '2.5.1']],
    ['https://h/p/download.zip', true, null]
  ])('%s -> %s', (ref: string, url: boolean, found: string[] | null) => {
    expect(artifactFile(ref, url)).toEqual(found);
  });
});
