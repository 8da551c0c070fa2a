import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sarifChunks } from '../src/exports/sarif.js';
import type { StoredEvent } from '../src/events/store.js';

// Red-team finding 3: the SARIF export is written as it is read. Pulling the first result
// must not have drained the source, and the chunks must join into one valid SARIF log.

function event(i: number): StoredEvent {
  return {
    event_id: `e${i}`,
    lab: 'lab-a',
    user: 'alice',
    time: '2026-11-25T10:00:00.000Z',
    kind: 'static',
    rule_id: i % 2 ? 'torch-load-unsafe' : 'pickle-load',
    severity: 'high',
    action: 'warned',
    fingerprint: `f${i}`,
    location: { path: 'a.ipynb', cell_id: 'c1', line: i + 1 }
  } as unknown as StoredEvent;
}

describe('SARIF export streaming', () => {
  it('reads events only as the chunks are consumed', async () => {
    let produced = 0;
    async function* source() {
      for (let i = 0; i < 1000; i++) {
        produced++;
        yield event(i);
      }
    }
    const it = sarifChunks(source(), new Map());
    await it.next(); // header
    await it.next(); // first result
    assert.equal(produced, 1, 'the export drained its source before writing');
    const rest: string[] = [];
    for await (const chunk of it) {
      rest.push(chunk);
    }
    assert.equal(produced, 1000);
  });

  it('joins into one SARIF log whose ruleIndex points at the right rule', async () => {
    let text = '';
    for await (const chunk of sarifChunks([event(0), event(1), event(2)], new Map())) {
      text += chunk;
    }
    const log = JSON.parse(text);
    assert.equal(log.version, '2.1.0');
    const run = log.runs[0];
    assert.equal(run.results.length, 3);
    for (const r of run.results) {
      assert.equal(run.tool.driver.rules[r.ruleIndex].id, r.ruleId);
    }
    assert.deepEqual(
      run.tool.driver.rules.map((r: { id: string }) => r.id),
      ['pickle-load', 'torch-load-unsafe']
    );
  });

  it('writes an empty but valid log for no events', async () => {
    let text = '';
    for await (const chunk of sarifChunks([], new Map())) {
      text += chunk;
    }
    const log = JSON.parse(text);
    assert.deepEqual(log.runs[0].results, []);
    assert.deepEqual(log.runs[0].tool.driver.rules, []);
  });
});
