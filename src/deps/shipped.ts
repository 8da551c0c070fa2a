/**
 * The shipped dependency data, read from its one copy: `jupyterlab_warden/kernel/deps/`,
 * found above this module (sources, lib/ build or the bin/ bundle; the npm package lists the
 * folder in `files`). Missing data is not an error here: DepsData records the problem and
 * every install is then refused with that reason (fail closed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DepsData } from './data';

const DATA_DIR = path.join('jupyterlab_warden', 'kernel', 'deps');

/** The folder holding the shipped data, or null when none is found above `start`. */
export function shippedDataDir(start: string = __dirname): string | null {
  for (let dir = start, i = 0; i < 8; i++, dir = path.dirname(dir)) {
    const candidate = path.join(dir, DATA_DIR);
    if (fs.existsSync(path.join(candidate, 'top-packages.txt'))) {
      return candidate;
    }
  }
  return null;
}

let cached: DepsData | null = null;

/** The shipped data, read once per process. */
export function shippedData(): DepsData {
  if (cached === null) {
    const dir = shippedDataDir();
    cached = new DepsData(file => {
      if (dir === null) {
        throw Object.assign(new Error('not found'), { code: 'ENOENT' });
      }
      return fs.readFileSync(path.join(dir, file), 'utf8');
    });
  }
  return cached;
}
