/**
 * The shipped data the install decision reads: the OSV snapshot and the popular-name list,
 * each parsed from the one copy in `jupyterlab_warden/kernel/deps/` (the kernel guard reads
 * the same files). A file that cannot be read is a problem: every install is then refused with
 * that reason, never waved through.
 */
import { AdvisorySnapshot, type AdvisoryEntry } from './advisories';
import { PopularNames } from './names';

export const SNAPSHOT_FILE = 'osv-snapshot.json';
export const TOP_FILE = 'top-packages.txt';

export class DepsData {
  readonly problems: string[] = [];
  private readonly snapshot: AdvisorySnapshot | null = null;
  private readonly popular: PopularNames | null = null;

  /** `read(name)` returns a shipped file's text or throws. */
  constructor(read: (file: string) => string) {
    try {
      this.snapshot = new AdvisorySnapshot(JSON.parse(read(SNAPSHOT_FILE)));
    } catch (e) {
      this.problems.push(
        `the advisory snapshot cannot be read (${errorName(e)})`
      );
    }
    try {
      this.popular = PopularNames.parse(read(TOP_FILE));
    } catch (e) {
      this.problems.push(
        `the popular package list cannot be read (${errorName(e)})`
      );
    }
  }

  malicious(name: string): AdvisoryEntry[] {
    return this.snapshot ? this.snapshot.malicious(name) : [];
  }

  advisories(name: string, version: string): string[] {
    return this.snapshot ? this.snapshot.affecting(name, version) : [];
  }

  imitated(name: string): string | null {
    return this.popular ? this.popular.imitated(name) : null;
  }
}

function errorName(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).name ?? 'Error';
}
