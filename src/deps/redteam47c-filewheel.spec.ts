/**
 * Red team 47c R47c-8 (HIGH for the static side: false clean). `!pip install
 * file:torcj-1.0-py3-none-any.whl` installs the wheel from the working folder (pip takes a
 * relative `file:` URL's path); the kernel refuses it (tests/deps/test_redteam47c_file_wheel.py),
 * warden-scan reports it clean. Root cause: `artifactFile` (src/deps/requirements.ts:197-199)
 * takes the text after the last `/` as the file name, here `file:torcj-1.0-py3-none-any.whl`,
 * whose project `file:torcj` is no wheel name, so the requirement carries no project at all.
 * Fix: take a URL's path (drop `scheme:` and `//host`) before the base name, on both sides.
 */
import { notebookRules } from '../testing/scan-fixture';

describe('red team 47c R47c-8: a relative file: URL naming a wheel', () => {
  it.each([
    '!pip install ./torcj-1.0-py3-none-any.whl',
    '!pip install file:./torcj-1.0-py3-none-any.whl'
  ])('control: %s is flagged', cell => {
    expect(notebookRules('rt47c-filewheel-', [cell])).toContain(
      'install-imitation-name'
    );
  });

  it.each([
    '!pip install file:torcj-1.0-py3-none-any.whl',
    '!uv pip install file:torcj-1.0-py3-none-any.whl',
    '!pip install file:torcj-1.0.tar.gz'
  ])('%s is not clean', cell => {
    expect(notebookRules('rt47c-filewheel-', [cell])).not.toEqual([]);
  });
});
