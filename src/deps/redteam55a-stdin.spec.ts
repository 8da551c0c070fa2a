/**
 * Red team 55a R55a-1, R55a-2 (HIGH; the static twin of tests/deps/
 * test_redteam55a_untabled_stdin.py): a program Warden has no table for (`choom -n 0 --`), or
 * a table launcher (`chrt -o 0`, `taskset -c 0`, `ionice -c3`), starting a program that reads
 * commands from its input (`script` with no command, `sqlite3`'s `.shell`, `ed`'s `!`, `bash
 * -s`) was read as a word with no input of its own. A launcher's command now reads the
 * launcher's input (as `nice script`'s does); an untabled program's word does unless the
 * line gives no input anywhere (R54c-1's `jupyter nbconvert --to script` stays clean).
 */
import { notebookRules } from '../testing/scan-fixture';

const UNREADABLE = ['install-unreadable'];

describe('red team 55a: a launcher command that reads commands from its input', () => {
  it.each([
    "import subprocess\nsubprocess.run(['choom', '-n', '0', '--', 'script', '-q', '/dev/null'], input='uv pip install x\\nexit\\n', text=True)",
    "import subprocess\nsubprocess.run(['choom', '-n', '0', '--', 'sqlite3'], input='.shell uv pip install x\\n', text=True)",
    "import subprocess\nsubprocess.run(['choom', '-n', '0', '--', 'bash', '-s'], input='uv pip install x\\n', text=True)",
    '!chrt -o 0 script -q /dev/null',
    '!ionice -c3 sqlite3 < c.txt',
    '!cat c.txt | choom -n 0 -- sqlite3',
    '!{ choom -n 0 -- ed; } < c.txt',
    "!cat c.txt | bash -c 'choom -n 0 -- script'"
  ])('%s is install-unreadable', cell => {
    expect(notebookRules('rt55a-', [cell])).toEqual(UNREADABLE);
  });

  it.each([
    '!jupyter nbconvert --to script analysis.ipynb',
    '!man bash',
    "import subprocess\nsubprocess.run(['dpkg', '-s', 'bash'])"
  ])('%s stays clean', cell => {
    expect(notebookRules('rt55a-', [cell])).toEqual([]);
  });
});
