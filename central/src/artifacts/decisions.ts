import { signEnvelope, type Envelope } from '../policy/envelope.js';
import type { Keyring } from '../policy/keyring.js';
import type { DecisionEntry, DecisionsPayload } from './types.js';

// The fleet decisions as the labs receive them: the full current set, signed like the policy
// (same envelope, same keyring). `kind` keeps a decisions payload from passing for a policy
// and the reverse, as both are signed by the same keys.

export function decisionsPayload(
  revision: number,
  issuedAt: Date,
  artifacts: DecisionEntry[]
): DecisionsPayload {
  return { kind: 'artifact-decisions', revision, issued_at: issuedAt.toISOString(), artifacts };
}

/**
 * Signs each revision once per active key; a replica re-signs only when either changes. The
 * revision signed is the one read with the decisions (one snapshot), never the head read
 * before them: same revision, same decisions, on every replica.
 */
export class SignedDecisions {
  private cache: { key: string; envelope: Envelope; etag: string; revision: number } | undefined;

  constructor(private readonly keyring: Keyring) {}

  async get(
    revision: number,
    load: () => Promise<{ revision: number; artifacts: DecisionEntry[] }>
  ): Promise<{ envelope: Envelope; etag: string; revision: number }> {
    if (this.cache?.key !== `${revision}.${this.keyring.activeKeyId}`) {
      const snapshot = await load();
      const payload = decisionsPayload(snapshot.revision, new Date(), snapshot.artifacts);
      this.cache = {
        key: `${snapshot.revision}.${this.keyring.activeKeyId}`,
        revision: snapshot.revision,
        ...signEnvelope({ ...payload }, this.keyring)
      };
    }
    return this.cache;
  }
}
