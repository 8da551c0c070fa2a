import type { StoredEvent } from '../events/store.js';

// Pure: the "Shadow ML" inventory — which model files, model hubs and package indexes are
// in use, by whom — built only from event evidence (see API.md for the keys read).

interface Seen {
  users: Set<string>;
  labs: Set<string>;
  count: number;
  last_seen: string;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;

function hostOf(v: string | undefined): string | undefined {
  if (!v) {
    return undefined;
  }
  try {
    return new URL(v.includes('://') ? v : `https://${v}`).host.toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}

function note(
  map: Map<string, Seen & Record<string, unknown>>,
  key: string,
  ev: StoredEvent,
  init: () => Record<string, unknown>
) {
  let s = map.get(key);
  if (!s) {
    s = { users: new Set(), labs: new Set(), count: 0, last_seen: '', ...init() } as Seen &
      Record<string, unknown>;
    map.set(key, s);
  }
  if (ev.user) {
    s.users.add(ev.user);
  }
  s.labs.add(ev.lab);
  s.count += 1;
  const t = String(ev.time);
  if (t > s.last_seen) {
    s.last_seen = t;
  }
  return s;
}

const finish = (s: Seen & Record<string, unknown>) => {
  const out: Record<string, unknown> = {
    ...s,
    users: [...s.users].sort(),
    labs: [...s.labs].sort()
  };
  for (const [k, v] of Object.entries(out)) {
    if (v instanceof Set) {
      out[k] = [...v].sort();
    }
  }
  return out;
};

export class ShadowMlInventory {
  private models = new Map<string, Seen & Record<string, unknown>>();
  private hubs = new Map<string, Seen & Record<string, unknown>>();
  private indexes = new Map<string, Seen & Record<string, unknown>>();

  add(ev: StoredEvent): void {
    const e = (ev.evidence ?? {}) as Record<string, unknown>;
    const sha = str(e.sha256)?.toLowerCase();
    const path =
      str(e.model_path) ??
      str(e.file) ??
      str(e.path) ??
      str((ev.location as Record<string, unknown> | undefined)?.path);
    if (sha && /^[0-9a-f]{64}$/.test(sha)) {
      const m = note(this.models, sha, ev, () => ({
        sha256: sha,
        paths: new Set<string>(),
        format: str(e.format) ?? null
      }));
      if (path) {
        (m.paths as Set<string>).add(path);
      }
    } else if (str(e.model_path)) {
      note(this.models, `path:${e.model_path}`, ev, () => ({
        sha256: null,
        paths: new Set([String(e.model_path)]),
        format: str(e.format) ?? null
      }));
    }
    const hub =
      hostOf(str(e.hub) ?? str(e.model_hub)) ??
      (str(e.repo_id) || str(e.model_id) ? hostOf(str(e.url)) : undefined);
    if (hub) {
      const h = note(this.hubs, hub, ev, () => ({ host: hub, repos: new Set<string>() }));
      const repo = str(e.repo_id) ?? str(e.model_id);
      if (repo) {
        (h.repos as Set<string>).add(repo);
      }
    }
    for (const k of ['index_url', 'package_index', 'extra_index_url']) {
      const url = str(e[k]);
      if (!url) {
        continue;
      }
      const i = note(this.indexes, url, ev, () => ({ url, packages: new Set<string>() }));
      const pkg = str(e.package);
      if (pkg) {
        (i.packages as Set<string>).add(pkg);
      }
    }
  }

  result() {
    const sorted = (m: Map<string, Seen & Record<string, unknown>>) =>
      [...m.values()].sort((a, b) => b.count - a.count).map(finish);
    return {
      models: sorted(this.models),
      hubs: sorted(this.hubs),
      package_indexes: sorted(this.indexes)
    };
  }
}
