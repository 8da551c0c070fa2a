// Who is calling, as stamped by the service from the credential (never from a body).
export interface Identity {
  /** Stable key for rate limiting and caches. */
  key: string;
  role: 'lab' | 'admin';
  via: 'lab-token' | 'admin-token' | 'session' | 'hub';
  lab: string | null;
  user: string | null;
  groups: string[];
  /** Human label for the audit trail. */
  actor: string;
  tokenId?: string;
}
