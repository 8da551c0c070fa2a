/**
 * What the static reading of a shell line or an argv start refuses, as the problems' texts:
 * the editor's gate and warden-scan read a cell with no file to open (a read fails), from a
 * folder that does not exist. One helper for the specs that pin refusals by their words.
 */
import { argvInstalls, shellInstalls } from '../deps/commands';
import { COMMAND_LINE } from '../deps/request';

const context = {
  cwd: '/nonexistent-warden-dir',
  place: COMMAND_LINE,
  env: {},
  readFile: () => {
    throw new Error('no files here');
  },
  label: (p: string) => p
};

/** The problems' texts of `command`: a shell line (string) or an argv start. */
export function installProblems(command: string | string[]): string[] {
  const requests =
    typeof command === 'string'
      ? shellInstalls(command, 0, {}, context).map(f => f.request)
      : argvInstalls(command, {}, context);
  return requests.flatMap(r => r.problems.map(p => p.text));
}
