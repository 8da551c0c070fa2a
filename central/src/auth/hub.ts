import { createHash } from 'node:crypto';

// JupyterHub token check: GET <hub>/hub/api/user with the caller's token. Answers (good and
// bad) are cached briefly by the token's sha256 so a busy lab does not hammer the Hub.

export interface HubUser {
  name: string;
  groups: string[];
  admin: boolean;
}

/** Too many look-ups in flight (overall or from one address): the caller retries later. */
export class HubBusy extends Error {}

const MAX_CACHED = 10_000;

export class HubClient {
  // Accepted and refused tokens are cached apart, so a flood of made-up tokens can only
  // evict other made-up tokens, never a genuine user's cached answer.
  private users = new Map<string, { user: HubUser; until: number }>();
  private refused = new Map<string, number>();
  private inflight = 0;
  private inflightBySource = new Map<string, number>();

  constructor(
    private readonly hubUrl: string,
    private readonly cacheMs = 60_000,
    private readonly timeoutMs = 5_000,
    private readonly maxInflight = 32,
    private readonly maxInflightPerSource = 4
  ) {}

  /** A cached answer, without any look-up: undefined when not cached. */
  cached(token: string): HubUser | null | undefined {
    const key = keyOf(token);
    const now = Date.now();
    const hit = this.users.get(key);
    if (hit && hit.until > now) {
      return hit.user;
    }
    const no = this.refused.get(key);
    return no !== undefined && no > now ? null : undefined;
  }

  /** `source` (the caller's address) has its own share of the look-ups in flight. */
  async check(token: string, source = ''): Promise<HubUser | null> {
    const hit = this.cached(token);
    if (hit !== undefined) {
      return hit;
    }
    // A flood of made-up tokens must not become a flood on the Hub, nor fill the shared
    // budget that other callers' first look-ups need.
    const mine = this.inflightBySource.get(source) ?? 0;
    if (this.inflight >= this.maxInflight || mine >= this.maxInflightPerSource) {
      throw new HubBusy('too many JupyterHub look-ups in flight; retry shortly');
    }
    this.inflight++;
    this.inflightBySource.set(source, mine + 1);
    try {
      return await this.lookup(token, keyOf(token), Date.now());
    } finally {
      this.inflight--;
      const left = (this.inflightBySource.get(source) ?? 1) - 1;
      if (left <= 0) {
        this.inflightBySource.delete(source);
      } else {
        this.inflightBySource.set(source, left);
      }
    }
  }

  private async lookup(token: string, key: string, now: number): Promise<HubUser | null> {
    const url = this.hubUrl.replace(/\/+$/, '') + '/hub/api/user';
    const res = await fetch(url, {
      headers: { authorization: `token ${token}` },
      signal: AbortSignal.timeout(this.timeoutMs)
    });
    let user: HubUser | null = null;
    if (res.ok) {
      const body = (await res.json()) as { name?: unknown; groups?: unknown; admin?: unknown };
      if (typeof body.name === 'string' && body.name) {
        user = {
          name: body.name,
          groups: Array.isArray(body.groups) ? body.groups.map(String) : [],
          admin: body.admin === true
        };
      }
    } else if (res.status !== 401 && res.status !== 403) {
      throw new Error(`hub answered ${res.status}`);
    }
    if (user) {
      remember(this.users, key, { user, until: now + this.cacheMs });
    } else {
      remember(this.refused, key, now + this.cacheMs);
    }
    return user;
  }
}

const keyOf = (token: string) => createHash('sha256').update(token).digest('hex');

/** Bounded cache: past the bound, the oldest entry goes (not the whole cache). */
export function remember<V>(map: Map<string, V>, key: string, value: V, max = MAX_CACHED): void {
  map.delete(key);
  if (map.size >= max) {
    map.delete(map.keys().next().value!);
  }
  map.set(key, value);
}
