import { dirname, join, resolve } from 'node:path';
import { isPostgresUrl } from './db/database.js';
import { SEVERITIES } from './contracts.js';

// Every setting has a command-line flag and a WARDEN_* environment variable; flags win.

export interface Config {
  db: string;
  host: string;
  port: number;
  keyDir: string;
  schemaDir?: string;
  hubUrl?: string;
  hubAdminGroups: string[];
  hubCacheMs: number;
  policyTtlMs: number;
  policyCacheMs: number;
  tokenCacheMs: number;
  sessionTtlMs: number;
  bodyLimit: number;
  inflatedLimit: number;
  maxBatch: number;
  rateLimit: number;
  unauthRateLimit: number;
  otlp?: { url: string; minSeverity: string; headers: Record<string, string> };
  webhook?: { url: string; minSeverity: string; secret?: string };
  forwardIntervalMs: number;
  logLevel: string;
  /** How often a held long poll re-reads the policy when no change notification arrives. */
  longPollStepMs: number;
  /** Events older than this (by arrival) are deleted; 0 keeps them forever. */
  retentionMs: number;
  /** Total stored event bytes; the oldest events go first when over. 0 = no cap. */
  retentionMaxBytes: number;
  /** How often retention runs on each replica. */
  retentionIntervalMs: number;
  /** Per lab: stored events and bytes; over either, POST events answers 429. 0 = no quota. */
  labQuotaEvents: number;
  labQuotaBytes: number;
  /** Events per minute per credential (token bucket, burst = one minute's worth). */
  eventRate: number;
  /**
   * Per lab, in each artifact registry table (files it first reported, sources, loads): new
   * rows past this are not stored (repeats of stored ones still count). 0 = no cap.
   */
  artifactRowsPerLab: number;
  /** Registry rows and package snapshots not seen for this long are deleted; 0 keeps them. */
  artifactRetentionMs: number;
}

const FLAGS: Record<string, { env: string; help: string }> = {
  db: {
    env: 'WARDEN_DB',
    help: 'SQLite file path or postgres://... URL (default ./data/warden.db)'
  },
  host: { env: 'WARDEN_HOST', help: 'listen address (default 127.0.0.1)' },
  port: { env: 'WARDEN_PORT', help: 'listen port (default 8470)' },
  'key-dir': {
    env: 'WARDEN_KEY_DIR',
    help: 'folder of Ed25519 signing keys (default <db folder>/keys or ./data/keys)'
  },
  'schema-dir': {
    env: 'WARDEN_SCHEMA_DIR',
    help: "folder holding the contracts (default: the repository's schema/)"
  },
  'hub-url': {
    env: 'WARDEN_HUB_URL',
    help: 'JupyterHub base URL; enables "Authorization: token <hub token>"'
  },
  'hub-admin-groups': {
    env: 'WARDEN_HUB_ADMIN_GROUPS',
    help: 'comma-separated Hub groups given the admin role'
  },
  'hub-cache-seconds': {
    env: 'WARDEN_HUB_CACHE_SECONDS',
    help: 'how long a Hub answer is reused (default 60)'
  },
  'policy-ttl-hours': {
    env: 'WARDEN_POLICY_TTL_HOURS',
    help: 'validity of a signed policy (default 168)'
  },
  'rate-limit': {
    env: 'WARDEN_RATE_LIMIT',
    help: 'requests per minute per credential (default 1200)'
  },
  'unauth-rate-limit': {
    env: 'WARDEN_UNAUTH_RATE_LIMIT',
    help:
      'API requests per minute per IP without a valid credential, and failed credentials ' +
      'per minute per IP before any look-up (default 60)'
  },
  'body-limit': {
    env: 'WARDEN_BODY_LIMIT',
    help: 'max request body bytes as sent (default 1048576)'
  },
  'inflated-limit': {
    env: 'WARDEN_INFLATED_LIMIT',
    help: 'max body bytes after gunzip (default 8388608)'
  },
  'max-batch': { env: 'WARDEN_MAX_BATCH', help: 'max events per POST (default 1000)' },
  'otlp-url': {
    env: 'WARDEN_OTLP_URL',
    help: 'OTLP/HTTP endpoint (…/v1/logs appended if missing)'
  },
  'otlp-min-severity': {
    env: 'WARDEN_OTLP_MIN_SEVERITY',
    help: 'info|low|medium|high|critical (default medium)'
  },
  'otlp-headers': { env: 'WARDEN_OTLP_HEADERS', help: 'extra headers, "k=v,k2=v2"' },
  'webhook-url': { env: 'WARDEN_WEBHOOK_URL', help: 'webhook receiving {"events":[...]}' },
  'webhook-min-severity': {
    env: 'WARDEN_WEBHOOK_MIN_SEVERITY',
    help: 'info|low|medium|high|critical (default high)'
  },
  'webhook-secret': {
    env: 'WARDEN_WEBHOOK_SECRET',
    help: 'HMAC-SHA256 key for the X-Warden-Signature header'
  },
  'retention-days': {
    env: 'WARDEN_RETENTION_DAYS',
    help: 'delete events older than this (default 90; 0 = keep)'
  },
  'retention-max-mb': {
    env: 'WARDEN_RETENTION_MAX_MB',
    help: 'cap on stored event bytes, oldest deleted first (default 10240; 0 = none)'
  },
  'retention-interval-seconds': {
    env: 'WARDEN_RETENTION_INTERVAL_SECONDS',
    help: 'how often retention runs (default 60)'
  },
  'lab-quota-events': {
    env: 'WARDEN_LAB_QUOTA_EVENTS',
    help: 'stored events per lab (default 1000000; 0 = none)'
  },
  'lab-quota-mb': {
    env: 'WARDEN_LAB_QUOTA_MB',
    help: 'stored event MiB per lab (default 512: 20 full labs fill the 10 GiB cap; 0 = none)'
  },
  'event-rate': {
    env: 'WARDEN_EVENT_RATE',
    help: 'events per minute per credential (default 6000)'
  },
  'artifact-rows-per-lab': {
    env: 'WARDEN_ARTIFACT_ROWS_PER_LAB',
    help: 'artifact registry rows per lab and table (default 20000; 0 = none)'
  },
  'artifact-retention-days': {
    env: 'WARDEN_ARTIFACT_RETENTION_DAYS',
    help: 'delete registry rows and package snapshots unseen this long (default 180; 0 = keep)'
  },
  'log-level': { env: 'WARDEN_LOG_LEVEL', help: 'fatal|error|warn|info|debug (default info)' }
};

export function usage(): string {
  const lines = Object.entries(FLAGS).map(([k, v]) => `  --${k.padEnd(20)} ${v.help} [${v.env}]`);
  return [
    'usage: node dist/main.js [serve] [options]',
    '       node dist/main.js admin create-token [--name N] [options]',
    '       node dist/main.js lab create-token --name LAB [--user U] [--groups g1,g2] [options]',
    '       node dist/main.js key rotate [options]',
    '       node dist/main.js advisories import FILE... --policy NAME [--central URL] [--dry-run]',
    '         (OSV JSON into the policy NAME via the admin API; token in WARDEN_ADMIN_TOKEN)',
    '',
    'options:',
    ...lines
  ].join('\n');
}

/** Splits argv into positional words and --flag values (`--flag v` or `--flag=v`). */
export function parseArgs(argv: string[]): { words: string[]; flags: Record<string, string> } {
  const words: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        flags[a.slice(2, eq)] = a.slice(eq + 1);
      } else if (a === '--help') {
        flags.help = '1';
      } else {
        flags[a.slice(2)] = argv[++i] ?? '';
      }
    } else {
      words.push(a);
    }
  }
  return { words, flags };
}

const MIB = 1024 * 1024;

function severity(v: string | undefined, dflt: string, name: string): string {
  const s = (v ?? dflt).toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(s)) {
    throw new Error(`${name} must be one of ${SEVERITIES.join(', ')}`);
  }
  return s;
}

function int(v: string | undefined, dflt: number, name: string): number {
  if (v === undefined || v === '') {
    return dflt;
  }
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    throw new Error(`${name} must be a number >= 0`);
  }
  return n;
}

export function loadConfig(
  flags: Record<string, string>,
  env: NodeJS.ProcessEnv = process.env
): Config {
  for (const k of Object.keys(flags)) {
    if (!(k in FLAGS) && !['help', 'name', 'user', 'groups', 'kind'].includes(k)) {
      throw new Error(`unknown option --${k}`);
    }
  }
  const get = (k: string) => flags[k] ?? env[FLAGS[k].env];
  const db = get('db') ?? './data/warden.db';
  const keyDir = resolve(
    get('key-dir') ??
      (isPostgresUrl(db) || db === ':memory:' ? './data/keys' : join(dirname(resolve(db)), 'keys'))
  );
  const list = (v?: string) =>
    v
      ? v
          .split(',')
          .map(s => s.trim())
          .filter(Boolean)
      : [];
  const otlpUrl = get('otlp-url');
  const webhookUrl = get('webhook-url');
  return {
    db,
    host: get('host') ?? '127.0.0.1',
    port: int(get('port'), 8470, 'port'),
    keyDir,
    schemaDir: get('schema-dir'),
    hubUrl: get('hub-url'),
    hubAdminGroups: list(get('hub-admin-groups')),
    hubCacheMs: int(get('hub-cache-seconds'), 60, 'hub-cache-seconds') * 1000,
    policyTtlMs: int(get('policy-ttl-hours'), 168, 'policy-ttl-hours') * 3600_000,
    policyCacheMs: 1000,
    tokenCacheMs: 5000,
    sessionTtlMs: 8 * 3600_000,
    bodyLimit: int(get('body-limit'), 1 << 20, 'body-limit'),
    inflatedLimit: int(get('inflated-limit'), 8 << 20, 'inflated-limit'),
    maxBatch: int(get('max-batch'), 1000, 'max-batch'),
    rateLimit: int(get('rate-limit'), 1200, 'rate-limit'),
    unauthRateLimit: int(get('unauth-rate-limit'), 60, 'unauth-rate-limit'),
    otlp: otlpUrl
      ? {
          url: otlpUrl,
          minSeverity: severity(get('otlp-min-severity'), 'medium', 'otlp-min-severity'),
          headers: Object.fromEntries(
            list(get('otlp-headers')).map(kv => [
              kv.split('=')[0],
              kv.split('=').slice(1).join('=')
            ])
          )
        }
      : undefined,
    webhook: webhookUrl
      ? {
          url: webhookUrl,
          minSeverity: severity(get('webhook-min-severity'), 'high', 'webhook-min-severity'),
          secret: get('webhook-secret')
        }
      : undefined,
    forwardIntervalMs: 500,
    logLevel: get('log-level') ?? 'info',
    longPollStepMs: 1000,
    retentionMs: int(get('retention-days'), 90, 'retention-days') * 86_400_000,
    retentionMaxBytes: int(get('retention-max-mb'), 10240, 'retention-max-mb') * MIB,
    retentionIntervalMs:
      int(get('retention-interval-seconds'), 60, 'retention-interval-seconds') * 1000,
    labQuotaEvents: int(get('lab-quota-events'), 1_000_000, 'lab-quota-events'),
    labQuotaBytes: int(get('lab-quota-mb'), 512, 'lab-quota-mb') * MIB,
    eventRate: int(get('event-rate'), 6000, 'event-rate'),
    artifactRowsPerLab: int(get('artifact-rows-per-lab'), 20_000, 'artifact-rows-per-lab'),
    artifactRetentionMs:
      int(get('artifact-retention-days'), 180, 'artifact-retention-days') * 86_400_000
  };
}
