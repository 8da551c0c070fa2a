import { RULES } from '../contracts';
import type { IWardenEvent } from '../events/event';
import {
  detailsOrder,
  gateWarningToast,
  IToast,
  IToastSink,
  runtimeToast,
  shorten,
  TOAST_MAX_CHARS,
  TOAST_MAX_VISIBLE,
  TOAST_MERGE_MS,
  ToastGroups
} from './toasts';

function runtimeEvent(over: Partial<IWardenEvent> = {}): IWardenEvent {
  return {
    event_id: 'e1',
    time: '2026-11-30T08:00:00.000Z',
    kind: 'runtime',
    rule_id: 'pickle-blocked-global',
    severity: 'critical',
    action: 'blocked',
    fingerprint: '0123456789abcdef',
    message:
      'Jupyter Warden blocked pickle.loads: the pickle calls posix.system. Nothing from it was run. How to proceed: Do not load this file.',
    evidence: { call: 'pickle.loads', global: 'posix.system' },
    location: { path: 'work/train.ipynb', cell_id: 'c2', kernel_id: 'k1' },
    ...over
  } as IWardenEvent;
}

// The kernel still calls the notebook by the name it was started for; the page knows better.
const cellNumber = (cellId: string) =>
  cellId === 'c2' ? { path: 'work/renamed.ipynb', number: 3 } : null;

/** A sink that records what JupyterLab would show. */
function fakeSink() {
  const shown = new Map<string, IToast>();
  const log: string[] = [];
  let next = 0;
  const sink: IToastSink = {
    show: toast => {
      const id = `t${next++}`;
      shown.set(id, toast);
      log.push(`show ${id}`);
      return id;
    },
    dismiss: id => {
      shown.delete(id);
      log.push(`dismiss ${id}`);
    }
  };
  return { sink, shown, log };
}

describe('shorten', () => {
  it('keeps short text and cuts long text at a word, with an ellipsis', () => {
    expect(shorten('  a   b ')).toBe('a b');
    const long = 'word '.repeat(60);
    const cut = shorten(long);
    expect(cut.length).toBeLessThanOrEqual(TOAST_MAX_CHARS);
    expect(cut.endsWith('word…')).toBe(true);
  });
});

describe('toast text', () => {
  it('a warning names the cell and the rule in one short line, the rest in the details', () => {
    const toast = gateWarningToast('work/train.ipynb', 'c2', 3, [
      { ruleId: 'pickle-load', severity: 'high', line: 2 },
      { ruleId: 'torch-load-unsafe', severity: 'medium', line: 4 }
    ]);
    expect(toast.key).toBe('cell:c2');
    expect(toast.type).toBe('warning');
    expect(toast.message).toBe(
      `Warden warning, cell 3: ${RULES.get('pickle-load')!.title} (+1 more)`
    );
    expect(toast.message.length).toBeLessThanOrEqual(TOAST_MAX_CHARS);
    expect(toast.items[0]).toMatchObject({
      where: 'train.ipynb · cell 3 · line 2',
      explanation: RULES.get('pickle-load')!.explanation,
      remediation: RULES.get('pickle-load')!.remediation
    });
  });

  it("a refused load names the call and keeps the guard's full message for the details", () => {
    const toast = runtimeToast(runtimeEvent(), cellNumber);
    expect(toast).toMatchObject({
      key: 'cell:c2',
      type: 'error',
      message: `Warden blocked pickle.loads: ${RULES.get('pickle-blocked-global')!.title}`
    });
    expect(toast.items[0]).toMatchObject({
      outcome: 'blocked',
      where: 'renamed.ipynb · cell 3',
      time: '2026-11-30T08:00:00.000Z'
    });
    expect(toast.items[0].explanation).toContain('posix.system');
    expect(toast.items[0].explanation).toContain('How to proceed');
  });

  it('an event without a cell is keyed by its kernel and says so', () => {
    const toast = runtimeToast(
      runtimeEvent({ location: { kernel_id: 'k9' } }),
      cellNumber
    );
    expect(toast.key).toBe('kernel:k9');
    expect(toast.items[0].where).toBe('kernel');
  });
});

describe('ToastGroups', () => {
  it("one toast per cell run: the guard's refusal replaces the gate's warning", () => {
    const { sink, shown, log } = fakeSink();
    const groups = new ToastGroups(sink, () => 1000);
    const warned = gateWarningToast('work/train.ipynb', 'c2', 3, [
      { ruleId: 'pickle-load', severity: 'high', line: 2 }
    ]);
    groups.show(warned);
    groups.show(runtimeToast(runtimeEvent(), cellNumber));
    // A second event of the same load joins too.
    const id = groups.show(
      runtimeToast(
        runtimeEvent({
          event_id: 'e2',
          rule_id: 'model-file-dangerous-globals'
        }),
        cellNumber
      )
    );
    expect(log).toEqual([
      'show t0',
      'dismiss t0',
      'show t1',
      'dismiss t1',
      'show t2'
    ]);
    expect([...shown.keys()]).toEqual(['t2']);
    const toast = shown.get(id)!;
    expect(toast.type).toBe('error');
    expect(toast.message).toMatch(
      /^Warden blocked pickle\.loads: .* \(\+2 more\)$/
    );
    expect(toast.items.map(i => i.ruleId)).toEqual([
      'pickle-load',
      'pickle-blocked-global',
      'model-file-dangerous-globals'
    ]);
    // The details list the most severe first.
    expect(detailsOrder(toast.items).map(i => i.severity)).toEqual([
      'critical',
      'critical',
      'high'
    ]);
  });

  it('a later run of the same cell is a new toast, not merged', () => {
    const { sink, shown, log } = fakeSink();
    let now = 0;
    const groups = new ToastGroups(sink, () => now);
    const toast = runtimeToast(runtimeEvent(), cellNumber);
    groups.show(toast);
    now += TOAST_MERGE_MS + 1;
    groups.show(toast);
    expect(log).toEqual(['show t0', 'show t1']);
    expect(shown.get('t1')!.items).toHaveLength(1);
  });

  it(`keeps at most ${TOAST_MAX_VISIBLE} on screen, oldest leaving first`, () => {
    const { sink, shown } = fakeSink();
    const groups = new ToastGroups(sink, () => 0);
    for (const cell of ['a', 'b', 'c', 'd', 'e']) {
      groups.show(
        runtimeToast(
          runtimeEvent({ location: { path: 'nb.ipynb', cell_id: cell } }),
          cellNumber
        )
      );
    }
    expect([...shown.keys()]).toEqual(['t2', 't3', 't4']);
  });
});
