import { createHash } from 'node:crypto';

// JupyterHub token check: GET <hub>/hub/api/user with the caller's token. Answers (good and
// bad) are cached briefly by the token's sha256 so a busy lab does not hammer the Hub.

export interface HubUser {
  name: string;
  groups: string[];
  admin: boolean;
}

export class HubClient {
  private cache = new Map<string, { user: HubUser | null; until: number }>();

  constructor(
    private readonly hubUrl: string,
    private readonly cacheMs = 60_000,
    private readonly timeoutMs = 5_000,
    private readonly maxInflight = 32
  ) {}

  private inflight = 0;

  async check(token: string): Promise<HubUser | null> {
    const key = createHash('sha256').update(token).digest('hex');
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit && hit.until > now) {
      return hit.user;
    }
    // Unknown tokens are checked before rate limiting can know who is calling, so cap the
    // look-ups in flight: a flood of made-up tokens must not become a flood on the Hub.
    if (this.inflight >= this.maxInflight) {
      throw new Error('too many Hub look-ups in flight');
    }
    this.inflight++;
    try {
      return await this.lookup(token, key, now);
    } finally {
      this.inflight--;
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
    if (this.cache.size > 10_000) {
      this.cache.clear();
    }
    this.cache.set(key, { user, until: now + this.cacheMs });
    return user;
  }
}
