/**
 * CellGate without a browser: fake cells and owners, the real decision, serializer and event
 * making. Each test pins a behaviour the notebook and console executors rely on.
 */
import type { CodeCell } from '@jupyterlab/cells';

import type { Action, IWardenEvent } from '../contracts';
import type { Finding } from '../analyzer';
import { blockedExplanation } from './decision';
import type { IConfirmOutcome, IGateDecision } from './decision';
import { CellGate, IGateDeps } from './gate';

function finding(ruleId: string, line = 1): Finding {
  return {
    ruleId,
    severity: 'high',
    message: `${ruleId} found`,
    from: 0,
    to: 5,
    line,
    column: 1,
    endLine: line,
    endColumn: 6
  };
}

function cell(id: string): CodeCell {
  return { model: { id } } as unknown as CodeCell;
}

/** A promise whose resolution the test controls. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

/** Lets every queued microtask and timer-free promise chain run. */
const settle = () => new Promise(resolve => setImmediate(resolve));

interface IHarness {
  gate: CellGate;
  events: IWardenEvent[];
  sent: string[];
  refused: { id: string; action: Action; cancelled: boolean }[];
  toasts: number;
  confirms: string[];
  ran: string[];
  run(
    owner: object,
    id: string,
    send?: () => Promise<boolean>
  ): Promise<boolean>;
}

/** findingsByCell: cell id -> its findings; actions: rule id -> policy action. */
function harness(
  findingsByCell: Record<string, Finding[]>,
  actions: Record<string, Action>,
  overrides: Partial<IGateDeps> = {}
): IHarness {
  const h = {
    events: [] as IWardenEvent[],
    sent: [] as string[],
    refused: [] as IHarness['refused'],
    toasts: 0,
    confirms: [] as string[],
    ran: [] as string[]
  } as IHarness;
  h.gate = new CellGate({
    findings: (owner, c) => findingsByCell[c.model.id] ?? [],
    ran: (owner, c) => h.ran.push(c.model.id),
    decide: ruleId => ({ action: actions[ruleId] ?? 'off', severity: 'high' }),
    confirmPolicy: () => ({ require_justification: true }),
    policyRevision: () => 7,
    record: event => h.events.push(event),
    toasts: () => true,
    toast: () => h.toasts++,
    confirm: async decision => {
      h.confirms.push(decision.findings[0].finding.ruleId);
      return { run: true, justification: 'reviewed' };
    },
    ...overrides
  });
  h.run = (owner, id, send) =>
    h.gate.gate({
      owner,
      cell: cell(id),
      path: () => 'nb.ipynb',
      send:
        send ??
        (async () => {
          h.sent.push(id);
          return true;
        }),
      refused: (decision, cancelled) => {
        h.refused.push({ id, action: decision.action, cancelled });
        return false;
      }
    });
  return h;
}

describe('CellGate', () => {
  it('does not send a blocked cell, and records the block', async () => {
    const h = harness(
      { a: [finding('pickle-load', 3)] },
      { 'pickle-load': 'block' }
    );
    expect(await h.run({}, 'a')).toBe(false);
    expect(h.sent).toEqual([]);
    expect(h.ran).toEqual([]);
    expect(h.refused).toEqual([{ id: 'a', action: 'block', cancelled: false }]);
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toMatchObject({
      kind: 'static',
      rule_id: 'pickle-load',
      action: 'blocked',
      severity: 'high',
      source: 'frontend',
      policy_revision: 7,
      location: { path: 'nb.ipynb', cell_id: 'a', line: 3, column: 1 },
      evidence: { policy_action: 'block', cancelled_by_user: false }
    });
    expect(h.events[0].fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(h.events[0].event_id).toMatch(/^[0-9a-f]{32}$/);
  });

  it('sends a warned cell, shows a toast only when the user wants them', async () => {
    const h = harness(
      { a: [finding('pickle-load')] },
      { 'pickle-load': 'warn' }
    );
    expect(await h.run({}, 'a')).toBe(true);
    expect(h.sent).toEqual(['a']);
    expect(h.ran).toEqual(['a']);
    expect(h.toasts).toBe(1);
    expect(h.events.map(e => e.action)).toEqual(['warned']);

    const quiet = harness(
      { a: [finding('pickle-load')] },
      { 'pickle-load': 'warn' },
      { toasts: () => false }
    );
    await quiet.run({}, 'a');
    expect(quiet.sent).toEqual(['a']);
    expect(quiet.toasts).toBe(0);
    // Recorded either way.
    expect(quiet.events.map(e => e.action)).toEqual(['warned']);
  });

  it('asks before a confirm cell and records the justification', async () => {
    const h = harness(
      { a: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' }
    );
    expect(await h.run({}, 'a')).toBe(true);
    expect(h.confirms).toEqual(['torch-hub-load']);
    expect(h.sent).toEqual(['a']);
    expect(h.events[0]).toMatchObject({
      action: 'confirmed',
      justification: 'reviewed'
    });
  });

  it('names the notebook by its path when the event is made: a rename while the dialog is open', async () => {
    let path = 'Untitled.ipynb';
    const h = harness(
      { a: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' },
      {
        confirm: async () => {
          path = 'renamed.ipynb';
          return { run: true, justification: 'reviewed' };
        }
      }
    );
    const sent = await h.gate.gate({
      owner: {},
      cell: cell('a'),
      path: () => path,
      send: async () => true,
      refused: () => false
    });
    expect(sent).toBe(true);
    expect(h.events[0].location).toMatchObject({ path: 'renamed.ipynb' });
  });

  it('records a confirmation with the server before it sends the cell', async () => {
    const order: string[] = [];
    const h = harness(
      { a: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' },
      {
        confirmWithServer: async (_session, code, justification) => {
          order.push(`confirm:${code}:${justification}`);
        }
      }
    );
    const sourced = {
      model: { id: 'a', sharedModel: { getSource: () => 'torch.hub.load(x)' } }
    } as unknown as CodeCell;
    await h.gate.gate({
      owner: {},
      cell: sourced,
      path: () => 'nb.ipynb',
      send: async () => {
        order.push('send');
        return true;
      },
      refused: () => false
    });
    expect(order).toEqual(['confirm:torch.hub.load(x):reviewed', 'send']);
  });

  it('does not send a cell the user cancels, and says it was the user', async () => {
    const h = harness(
      { a: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' },
      { confirm: async () => ({ run: false }) }
    );
    expect(await h.run({}, 'a')).toBe(false);
    expect(h.sent).toEqual([]);
    expect(h.refused).toEqual([
      { id: 'a', action: 'confirm', cancelled: true }
    ]);
    expect(h.events[0]).toMatchObject({
      action: 'blocked',
      evidence: { policy_action: 'confirm', cancelled_by_user: true }
    });
    expect(h.events[0].justification).toBeUndefined();
  });

  it('sends a cell without findings, or whose rules are off, and records nothing', async () => {
    const h = harness(
      { b: [finding('pickle-load')] },
      { 'pickle-load': 'off' }
    );
    await h.run({}, 'a');
    await h.run({}, 'b');
    expect(h.sent).toEqual(['a', 'b']);
    expect(h.events).toEqual([]);
  });

  it('keeps Run All in order while a confirm dialog is open', async () => {
    const answer = deferred<IConfirmOutcome>();
    const h = harness(
      { b: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' },
      { confirm: () => answer.promise }
    );
    const owner = {};
    // NotebookActions.runCells calls the executor for every cell in one loop.
    const all = ['a', 'b', 'c'].map(id => h.run(owner, id));
    await settle();
    expect(h.sent).toEqual(['a']);
    answer.resolve({ run: true });
    expect(await Promise.all(all)).toEqual([true, true, true]);
    expect(h.sent).toEqual(['a', 'b', 'c']);
  });

  it('skips the rest of a run after a blocked cell, but not the next run', async () => {
    const h = harness(
      { b: [finding('pickle-load')] },
      { 'pickle-load': 'block' }
    );
    const owner = {};
    const all = ['a', 'b', 'c'].map(id => h.run(owner, id));
    expect(await Promise.all(all)).toEqual([true, false, false]);
    expect(h.sent).toEqual(['a']);
    // c had nothing to show: it was skipped, not decided.
    expect(h.refused).toEqual([
      { id: 'b', action: 'block', cancelled: false },
      { id: 'c', action: 'off', cancelled: true }
    ]);
    expect(h.events.map(e => e.rule_id)).toEqual(['pickle-load']);
    // A later run (another tick) is decided afresh.
    expect(await h.run(owner, 'c')).toBe(true);
    expect(h.sent).toEqual(['a', 'c']);
  });

  it('skips the rest of a run when a sent cell fails in the kernel', async () => {
    const h = harness({}, {});
    const owner = {};
    const failing = async () => {
      h.sent.push('a');
      return false;
    };
    const all = [h.run(owner, 'a', failing), h.run(owner, 'b')];
    expect(await Promise.all(all)).toEqual([false, false]);
    expect(h.sent).toEqual(['a']);
  });

  it('asks nothing and runs nothing after an earlier cell of the run fails in the kernel', async () => {
    const kernel = deferred<boolean>();
    const h = harness(
      {
        b: [finding('torch-hub-load')],
        d: [finding('pickle-load')]
      },
      { 'torch-hub-load': 'confirm', 'pickle-load': 'warn' }
    );
    const owner = {};
    const slow = async () => {
      h.sent.push('a');
      return kernel.promise;
    };
    // Run All: a is sent and runs a while; b needs a confirmation, c and d come after it.
    const all = [
      h.run(owner, 'a', slow),
      h.run(owner, 'b'),
      h.run(owner, 'c'),
      h.run(owner, 'd')
    ];
    await settle();
    // No dialog while a still runs: its outcome decides whether b is asked about at all.
    expect(h.confirms).toEqual([]);
    expect(h.sent).toEqual(['a']);
    kernel.resolve(false); // a fails (the guard's error, any exception)
    expect(await Promise.all(all)).toEqual([false, false, false, false]);
    expect(h.confirms).toEqual([]);
    expect(h.toasts).toBe(0);
    expect(h.sent).toEqual(['a']);
    // Skipped, not decided: nothing shown in the cells, nothing recorded.
    expect(h.refused).toEqual([
      { id: 'b', action: 'off', cancelled: true },
      { id: 'c', action: 'off', cancelled: true },
      { id: 'd', action: 'off', cancelled: true }
    ]);
    expect(h.events).toEqual([]);
  });

  it('stops the same way when the earlier cell rejects (an error reply)', async () => {
    const h = harness(
      { b: [finding('pickle-load')] },
      { 'pickle-load': 'block' }
    );
    const owner = {};
    const kernel = deferred<void>();
    const failing = async (): Promise<boolean> => {
      h.sent.push('a');
      await kernel.promise;
      throw new Error('KernelReplyNotOK');
    };
    const a = h.run(owner, 'a', failing);
    const b = h.run(owner, 'b');
    await settle();
    expect(h.refused).toEqual([]);
    kernel.resolve();
    await expect(a).rejects.toThrow('KernelReplyNotOK');
    expect(await b).toBe(false);
    // b's block message would say it was refused; the run had already stopped at a.
    expect(h.refused).toEqual([{ id: 'b', action: 'off', cancelled: true }]);
    expect(h.events).toEqual([]);
  });

  it('asks about the later cell once the earlier cells of the run succeeded', async () => {
    const kernel = deferred<boolean>();
    const h = harness(
      { c: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' }
    );
    const owner = {};
    const slow = async () => {
      h.sent.push('a');
      return kernel.promise;
    };
    const all = [h.run(owner, 'a', slow), h.run(owner, 'b'), h.run(owner, 'c')];
    await settle();
    // Cells without findings still go straight to the kernel, in order.
    expect(h.sent).toEqual(['a', 'b']);
    expect(h.confirms).toEqual([]);
    kernel.resolve(true);
    expect(await Promise.all(all)).toEqual([true, true, true]);
    expect(h.confirms).toEqual(['torch-hub-load']);
    expect(h.sent).toEqual(['a', 'b', 'c']);
  });

  it('does not hold one notebook behind another one waiting for the user', async () => {
    const answer = deferred<IConfirmOutcome>();
    const h = harness(
      { a: [finding('torch-hub-load')] },
      { 'torch-hub-load': 'confirm' },
      { confirm: () => answer.promise }
    );
    const first = h.run({}, 'a');
    expect(await h.run({}, 'b')).toBe(true);
    expect(h.sent).toEqual(['b']);
    answer.resolve({ run: true });
    await first;
    expect(h.sent).toEqual(['b', 'a']);
  });

  it('waits for the kernel guard before deciding and sending the first cell', async () => {
    const guard = deferred<void>();
    const decided: string[] = [];
    const h = harness(
      {},
      {},
      {
        beforeRun: () => guard.promise,
        findings: (owner, c) => {
          decided.push(c.model.id);
          return [];
        }
      }
    );
    const session = {} as any;
    const done = h.gate.gate({
      owner: {},
      cell: cell('a'),
      path: () => 'nb.ipynb',
      sessionContext: session,
      send: async () => {
        h.sent.push('a');
        return true;
      },
      refused: () => false
    });
    await settle();
    expect(decided).toEqual([]);
    expect(h.sent).toEqual([]);
    guard.resolve();
    expect(await done).toBe(true);
    expect(h.sent).toEqual(['a']);
  });

  it('records one event per finding, strictest action deciding the cell', async () => {
    const h = harness(
      { a: [finding('pickle-load', 1), finding('torch-hub-load', 2)] },
      { 'pickle-load': 'warn', 'torch-hub-load': 'block' }
    );
    expect(await h.run({}, 'a')).toBe(false);
    expect(h.events.map(e => [e.rule_id, e.action])).toEqual([
      ['torch-hub-load', 'blocked'],
      ['pickle-load', 'blocked']
    ]);
  });

  describe('races: a block cell never reaches the kernel', () => {
    // The fail-closed paths log why; keep the test output clean.
    beforeEach(() => jest.spyOn(console, 'error').mockImplementation(() => {}));
    afterEach(() => jest.restoreAllMocks());

    it('decides again before sending when the cell changed while it waited for the run', async () => {
      const kernel = deferred<boolean>();
      const byCell: Record<string, Finding[]> = { b: [finding('exec-call')] };
      const h = harness(byCell, {
        'exec-call': 'warn',
        'pickle-load': 'block'
      });
      const owner = {};
      const slow = async () => {
        h.sent.push('a');
        return kernel.promise;
      };
      const all = [h.run(owner, 'a', slow), h.run(owner, 'b')];
      await settle();
      // b (warn) waits for a; meanwhile it is edited into a blocked call.
      byCell.b = [finding('pickle-load', 2)];
      kernel.resolve(true);
      expect(await Promise.all(all)).toEqual([true, false]);
      expect(h.sent).toEqual(['a']);
      expect(h.refused).toEqual([
        { id: 'b', action: 'block', cancelled: false }
      ]);
      expect(h.toasts).toBe(1); // told about the warning before the edit was seen
      expect(h.events.map(e => [e.rule_id, e.action])).toEqual([
        ['pickle-load', 'blocked']
      ]);
    });

    it('does not send what the user did not see: an edit while the dialog is open', async () => {
      const answer = deferred<IConfirmOutcome>();
      const byCell: Record<string, Finding[]> = {
        a: [finding('torch-hub-load')]
      };
      const h = harness(
        byCell,
        { 'torch-hub-load': 'confirm', 'pickle-load': 'block' },
        {
          confirm: decision => {
            h.confirms.push(decision.findings[0].finding.ruleId);
            return answer.promise;
          }
        }
      );
      const done = h.run({}, 'a');
      await settle();
      expect(h.confirms).toEqual(['torch-hub-load']);
      byCell.a = [finding('torch-hub-load'), finding('pickle-load', 2)];
      answer.resolve({ run: true, justification: 'reviewed' });
      expect(await done).toBe(false);
      expect(h.sent).toEqual([]);
      expect(h.refused).toEqual([
        { id: 'a', action: 'block', cancelled: false }
      ]);
    });

    it('asks again when the edit changed what there is to confirm', async () => {
      const byCell: Record<string, Finding[]> = {
        a: [finding('torch-hub-load', 1)]
      };
      const h = harness(
        byCell,
        { 'torch-hub-load': 'confirm' },
        {
          confirm: async decision => {
            h.confirms.push(`line ${decision.findings[0].finding.line}`);
            if (h.confirms.length === 1) {
              byCell.a = [finding('torch-hub-load', 9)]; // edited behind the dialog
            }
            return { run: true, justification: 'reviewed' };
          }
        }
      );
      expect(await h.run({}, 'a')).toBe(true);
      expect(h.confirms).toEqual(['line 1', 'line 9']);
      expect(h.sent).toEqual(['a']);
      // Recorded once, for what was sent.
      expect(h.events.map(e => e.location?.line)).toEqual([9]);
    });

    it('fails closed when the findings cannot be had, says why and stops the run', async () => {
      const seen: IGateDecision[] = [];
      const h = harness(
        {},
        {},
        {
          findings: (owner, c) => {
            if (c.model.id === 'b') {
              throw new Error('analysis failed');
            }
            return [];
          }
        }
      );
      const owner = {};
      const all = ['a', 'b', 'c'].map(id =>
        h.gate.gate({
          owner,
          cell: cell(id),
          path: () => 'nb.ipynb',
          send: async () => {
            h.sent.push(id);
            return true;
          },
          refused: decision => {
            seen.push(decision);
            return false;
          }
        })
      );
      expect(await Promise.all(all)).toEqual([true, false, false]);
      expect(h.sent).toEqual(['a']);
      expect(seen[0]).toMatchObject({
        action: 'block',
        undecided: 'analysis failed'
      });
      expect(blockedExplanation(seen[0]).join('\n')).toContain(
        'could not check this cell'
      );
      // c was skipped, not decided.
      expect(seen[1]).toEqual({ action: 'off', findings: [] });
    });

    it('fails closed when the policy throws (an unknown rule id)', async () => {
      const h = harness(
        { a: [finding('not-a-rule')] },
        {},
        {
          decide: ruleId => {
            throw new Error(`Unknown Warden rule id: ${ruleId}`);
          }
        }
      );
      expect(await h.run({}, 'a')).toBe(false);
      expect(h.sent).toEqual([]);
      expect(h.refused).toEqual([
        { id: 'a', action: 'block', cancelled: false }
      ]);
    });

    it('fails closed when the kernel guard never became ready (beforeRun rejects)', async () => {
      const h = harness(
        {},
        {},
        {
          beforeRun: () => Promise.reject(new Error('guard not installed'))
        }
      );
      const owner = {};
      const all = ['a', 'b'].map(id =>
        h.gate.gate({
          owner,
          cell: cell(id),
          path: () => 'nb.ipynb',
          sessionContext: {} as any,
          send: async () => {
            h.sent.push(id);
            return true;
          },
          refused: (decision, cancelled) => {
            h.refused.push({ id, action: decision.action, cancelled });
            return false;
          }
        })
      );
      expect(await Promise.all(all)).toEqual([false, false]);
      expect(h.sent).toEqual([]);
      expect(h.refused).toEqual([
        { id: 'a', action: 'block', cancelled: false },
        { id: 'b', action: 'off', cancelled: true }
      ]);
    });

    it('decides nothing before the policy is loaded, then on the loaded policy', async () => {
      const loaded = deferred<void>();
      // The catalog default would only warn; the admin's policy, still loading, blocks.
      const actions: Record<string, Action> = { 'pickle-load': 'warn' };
      const h = harness({ b: [finding('pickle-load')] }, actions, {
        policyLoaded: () => loaded.promise
      });
      const owner = {};
      const all = ['a', 'b', 'c'].map(id => h.run(owner, id));
      await settle();
      expect(h.sent).toEqual([]);
      actions['pickle-load'] = 'block';
      loaded.resolve();
      expect(await Promise.all(all)).toEqual([true, false, false]);
      expect(h.sent).toEqual(['a']);
      expect(h.toasts).toBe(0);
      expect(h.refused[0]).toEqual({
        id: 'b',
        action: 'block',
        cancelled: false
      });
    });

    it('a cell run again while its first run waits is decided for itself, after it', async () => {
      const kernel = deferred<boolean>();
      const h = harness(
        { b: [finding('pickle-load')] },
        { 'pickle-load': 'block' }
      );
      const owner = {};
      const slow = async () => {
        h.sent.push('a');
        return kernel.promise;
      };
      const first = [h.run(owner, 'a', slow), h.run(owner, 'b')];
      await settle();
      const again = h.run(owner, 'b'); // the user presses Shift+Enter on b meanwhile
      await settle();
      expect(h.refused).toEqual([]);
      kernel.resolve(true);
      expect(await Promise.all([...first, again])).toEqual([
        true,
        false,
        false
      ]);
      expect(h.sent).toEqual(['a']);
      expect(h.refused).toEqual([
        { id: 'b', action: 'block', cancelled: false },
        { id: 'b', action: 'block', cancelled: false }
      ]);
    });
  });
});
