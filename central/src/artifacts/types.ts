// The wire shapes of the fleet artifact registry, as defined in schema/artifact-*.schema.json
// (the route schemas validate every body against those files before these types apply).

export interface ArtifactReport {
  sha256: string;
  size: number;
  name: string;
  kind: string;
  scan?: { verdict: string; scanner_version: string; rules?: string[] };
  signature?: { status: string; signer?: string | null };
  source?: {
    hub?: {
      repo: string;
      revision?: string | null;
      commit?: string | null;
      filename?: string | null;
    };
    kernel?: string | null;
    cell?: string | null;
    at?: string;
  };
  load?: { decision: string; at: string; kernel: string; cell?: string | null };
}

export interface ArtifactVerdict {
  sha256: string;
  fleet_decision: 'trusted' | 'banned' | null;
  scan: { verdict: string; scanner_version: string; at: string } | null;
  signature: { status: string; signer: string | null } | null;
  first_seen: string;
}

export type FleetDecision = 'trusted' | 'banned';

export interface DecisionEntry {
  sha256: string;
  decision: FleetDecision;
  note: string;
  at: string;
}

/** Payload of the signed GET /api/v1/artifacts/decisions (artifact-decisions.schema.json). */
export interface DecisionsPayload {
  kind: 'artifact-decisions';
  revision: number;
  issued_at: string;
  artifacts: DecisionEntry[];
}

export interface ArtifactFilter {
  sha256?: string;
  /** trusted, banned, or none (no decision). */
  decision?: string;
  /** a scan verdict, or none (never scanned). */
  verdict?: string;
  repo?: string;
}
