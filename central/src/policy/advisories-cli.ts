import { readFileSync } from 'node:fs';
import { mergeAdvisories, osvRecords, toPolicyAdvisories } from './advisories.js';

// `advisories import FILE... --policy NAME [--central URL] [--dry-run]`: OSV files into a
// policy's `dependencies.advisories` through the admin API, so the import is validated,
// audited and versioned like an edit in the dashboard. The admin token comes from
// WARDEN_ADMIN_TOKEN, never from argv (other users can read a process's arguments).

const USAGE =
  'advisories import FILE... --policy NAME [--central URL] [--dry-run] ' +
  '(admin token in WARDEN_ADMIN_TOKEN)';

export async function importAdvisories(files: string[], flags: Record<string, string>) {
  const name = flags.policy;
  if (!files.length || !name) {
    throw new Error(`usage: ${USAGE}`);
  }
  const records = files.flatMap(f => osvRecords(JSON.parse(readFileSync(f, 'utf8'))));
  const result = toPolicyAdvisories(records);
  for (const line of result.skipped) {
    process.stderr.write(`skipped ${line}\n`);
  }
  if (!result.records.length) {
    throw new Error('no record to import');
  }
  if (flags['dry-run'] !== undefined) {
    process.stdout.write(JSON.stringify(result.records, null, 2) + '\n');
    return;
  }
  const token = process.env.WARDEN_ADMIN_TOKEN;
  if (!token) {
    throw new Error('set WARDEN_ADMIN_TOKEN to an admin token');
  }
  const base = (flags.central || 'http://127.0.0.1:8470').replace(/\/+$/, '');
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (!res.ok) {
      throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 2000)}`);
    }
    return json;
  };
  const list = (await call('GET', '/api/v1/admin/policies')) as {
    policies: Array<{ name: string; document: Record<string, unknown>; revision: number }>;
  };
  const current = list.policies.find(p => p.name === name);
  if (!current) {
    throw new Error(`policy '${name}' not found at ${base}: create it first (dashboard or API)`);
  }
  const document = mergeAdvisories(current.document, result.records);
  const check = await call('POST', '/api/v1/admin/policies/validate', { document });
  if (!check.valid) {
    const why = check.errors.map(
      (e: { path: string; message: string }) => `${e.path}: ${e.message}`
    );
    throw new Error(`the policy with these advisories would be invalid:\n${why.join('\n')}`);
  }
  const ids = result.records.map(r => r.id);
  const saved = await call('PUT', `/api/v1/admin/policies/${encodeURIComponent(name)}`, {
    document,
    base_revision: current.revision,
    comment: `advisories import: ${ids.join(', ')}`.slice(0, 500)
  });
  process.stdout.write(
    `policy '${name}' is now revision ${saved.revision} with ${ids.length} advisories imported ` +
      `(${ids.join(', ')})\n`
  );
}
