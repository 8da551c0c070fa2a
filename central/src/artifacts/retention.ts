import type { Database } from '../db/database.js';
import { LockedPeriodicPass } from '../db/periodic-pass.js';

// Age-based retention of the artifact registry and the package inventory, like the events'
// (events/retention.ts): chain rows (sources, loads) not seen for the retention age, files no
// lab reported for that long that carry no admin decision (a decision stays until an admin
// clears it: it is the fleet's word, and labs hold it signed), and the package snapshots of
// labs silent that long. Deletes go in bounded chunks; on PostgreSQL one replica at a time.

const CHUNK = 2000;
const LOCK = 727276;

export class ArtifactRetention extends LockedPeriodicPass {
  constructor(
    db: Database,
    private readonly maxAgeMs: number,
    onError: (e: Error) => void = () => undefined
  ) {
    super(db, LOCK, onError);
  }

  protected enabled(): boolean {
    return this.maxAgeMs > 0;
  }

  protected async pass(tx: Database, now: number): Promise<number> {
    const cutoff = now - this.maxAgeMs;
    const steps: [string, string][] = [
      ['artifact_sources', 'last_at < $1'],
      ['artifact_loads', 'last_at < $1'],
      // a file still named by a chain row stays (its chain went first, above)
      [
        'artifacts',
        `last_seen < $1 AND decision IS NULL
           AND NOT EXISTS (SELECT 1 FROM artifact_sources s WHERE s.sha256 = artifacts.sha256)
           AND NOT EXISTS (SELECT 1 FROM artifact_loads l WHERE l.sha256 = artifacts.sha256)`
      ],
      ['lab_packages', 'lab IN (SELECT lab FROM package_snapshots WHERE reported_at < $1)'],
      ['package_snapshots', 'reported_at < $1']
    ];
    let deleted = 0;
    for (const [table, where] of steps) {
      const key = table === 'lab_packages' || table === 'package_snapshots' ? 'lab' : 'id';
      for (;;) {
        const gone = await tx.query(
          `DELETE FROM ${table} WHERE ${key} IN
               (SELECT ${key} FROM ${table} WHERE ${where} LIMIT ${CHUNK}) RETURNING 1 AS x`,
          [cutoff]
        );
        deleted += gone.length;
        if (gone.length < CHUNK) {
          break;
        }
      }
    }
    return deleted;
  }
}
