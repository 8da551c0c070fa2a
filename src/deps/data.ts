/**
 * The shipped data the install decision reads: the OSV snapshot, the popular-name list and the
 * imitation rules' tables, each parsed from the one copy in `jupyterlab_warden/kernel/deps/`
 * (the kernel guard reads the same files). A file that cannot be read is a problem: every
 * install is then refused with that reason, never waved through. The name check needs the list
 * and the rules: either one unreadable is its one problem (the list first, as the kernel).
 */
import {
  AdvisorySnapshot,
  policyRecords,
  type AdvisoryEntry
} from './advisories';
import { ImitationRules, PopularNames, RULES_FILE, readRanking } from './names';
import type { Versions } from './specifiers';

export const SNAPSHOT_FILE = 'osv-snapshot.json';
export const TOP_FILE = 'top-packages.txt';

export class DepsData {
  readonly problems: string[] = [];
  private snapshot: AdvisorySnapshot | null = null;
  private popular: PopularNames | null = null;

  /** `read(name)` returns a shipped file's text or throws. */
  constructor(read: (file: string) => string) {
    try {
      this.snapshot = new AdvisorySnapshot(JSON.parse(read(SNAPSHOT_FILE)));
    } catch (e) {
      this.problems.push(
        `the advisory snapshot cannot be read (${errorName(e)})`
      );
    }
    this.popular = this.readPopular(read);
  }

  private readPopular(read: (file: string) => string): PopularNames | null {
    let ranked: string[];
    try {
      ranked = readRanking(read(TOP_FILE));
    } catch (e) {
      this.problems.push(
        `the popular package list cannot be read (${errorName(e)})`
      );
      return null;
    }
    try {
      return new PopularNames(ranked, ImitationRules.parse(read(RULES_FILE)));
    } catch (e) {
      this.problems.push(
        `the imitation-name rules (${RULES_FILE}) cannot be read (${errorName(e)})`
      );
      return null;
    }
  }

  /** This data with `policy`'s `dependencies.advisories` added to the snapshot (itself when
   * the policy has none); advisories it cannot read refuse every install. */
  withPolicy(policy: unknown): DepsData {
    let snapshot = this.snapshot;
    const problems = [...this.problems];
    try {
      const records = policyRecords(policy);
      if (records.length === 0) {
        return this;
      }
      snapshot = snapshot ? snapshot.withRecords(records) : null;
    } catch (e) {
      problems.push(
        `the policy's advisories cannot be read (${(e as Error).name ?? 'Error'})`
      );
    }
    const view = Object.create(DepsData.prototype) as DepsData;
    Object.assign(view, { problems, snapshot, popular: this.popular });
    return view;
  }

  malicious(name: string): AdvisoryEntry[] {
    return this.snapshot ? this.snapshot.malicious(name) : [];
  }

  advisories(name: string, version: string): string[] {
    return this.snapshot ? this.snapshot.affecting(name, version) : [];
  }

  affected(name: string, version: string): AdvisoryEntry[] {
    return this.snapshot ? this.snapshot.affected(name, version) : [];
  }

  covering(name: string, allowed: Versions): AdvisoryEntry[] {
    return this.snapshot ? this.snapshot.covering(name, allowed) : [];
  }

  reached(
    name: string,
    allowed: Versions,
    newest = true,
    pre = false
  ): AdvisoryEntry[] {
    return this.snapshot
      ? this.snapshot.reached(name, allowed, newest, pre)
      : [];
  }

  imitated(name: string): string | null {
    return this.popular ? this.popular.imitated(name) : null;
  }
}

function errorName(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).name ?? 'Error';
}
