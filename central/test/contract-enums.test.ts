import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, it } from 'node:test';
import { parseEventFilter } from '../src/admin/filters.js';
import { findSchemaDir } from '../src/contracts.js';
import { EVENT_ACTIONS, EVENT_KINDS, SEVERITIES } from '../src/generated/contract-enums.js';
import { routeSchemas } from '../src/http/route-schemas.js';

// The enums central filters on come from schema/ (review debt of issue 19/20): what the schema
// lists is what central accepts, and a value added to the schema reaches the generated module.

const run = promisify(execFile);
const SCRIPT = new URL('../../scripts/contract-enums.mjs', import.meta.url).pathname;
const schemaDir = findSchemaDir();
const event = JSON.parse(readFileSync(join(schemaDir, 'event.schema.json'), 'utf8'));

describe('contract enums', () => {
  it("are the event schema's own lists", () => {
    assert.deepEqual([...SEVERITIES], event.properties.severity.enum);
    assert.deepEqual([...EVENT_ACTIONS], event.properties.action.enum);
    assert.deepEqual([...EVENT_KINDS], event.properties.kind.enum);
    const q = routeSchemas().events_list.querystring.properties as Record<string, any>;
    assert.deepEqual(q.action.enum, [...event.properties.action.enum, '']);
    for (const a of event.properties.action.enum) {
      assert.equal(parseEventFilter({ action: a }).action, a);
    }
    assert.throws(() => parseEventFilter({ action: 'not-an-action' }), /action must be one of/);
  });

  it('follow an action added to the schema, with no edit in central', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'warden-enums-'));
    try {
      cpSync(schemaDir, join(dir, 'schema'), { recursive: true });
      const file = join(dir, 'schema', 'event.schema.json');
      const changed = JSON.parse(readFileSync(file, 'utf8'));
      changed.properties.action.enum.push('install-refused');
      writeFileSync(file, JSON.stringify(changed));
      const out = join(dir, 'enums.ts');
      await run(process.execPath, [SCRIPT, join(dir, 'schema'), out]);
      const text = readFileSync(out, 'utf8');
      const line = text.split('\n').find(l => l.startsWith('export const EVENT_ACTIONS'));
      const added = JSON.stringify([...EVENT_ACTIONS, 'install-refused']);
      assert.equal(line, `export const EVENT_ACTIONS = ${added} as const;`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
