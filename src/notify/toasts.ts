/**
 * What Warden's toasts say and how they group. JupyterLab cuts a toast's message at 140
 * characters, so a toast says what happened in one short line and carries the full text for
 * its "Details" action. One cell run gives one toast: the guard's refusal of a load replaces the
 * gate's warning for the same cell, and several events of one load are merged. Pure: the
 * Notification calls come in through IToastSink.
 */
import { RULES, Severity, SEVERITIES } from '../contracts';
import type { IWardenEvent } from '../events/event';
import type { CellLocator } from '../findings/locate';

/** JupyterLab truncates longer toast messages. */
export const TOAST_MAX_CHARS = 140;
/** Events for the same cell within this time join the toast already shown for it. */
export const TOAST_MERGE_MS = 15000;
/** At most this many Warden toasts at once: older ones leave (they stay in the notification center). */
export const TOAST_MAX_VISIBLE = 3;

export type ToastType = 'warning' | 'error';

/** One entry of a toast's details: what, where, why, what to do. */
export interface IToastItem {
  ruleId: string;
  severity: Severity;
  /** "blocked", "warned"... */
  outcome: string;
  title: string;
  explanation: string;
  remediation: string;
  /** "analysis.ipynb · cell 3 · line 2" or "kernel", when known. */
  where: string;
  /** ISO time, when known. */
  time?: string;
}

export interface IToast {
  /** Toasts with the same key within TOAST_MERGE_MS are one toast. */
  key: string;
  type: ToastType;
  /** One line, at most TOAST_MAX_CHARS. */
  message: string;
  items: IToastItem[];
}

/** Cut `text` to `max` characters at a word boundary, with an ellipsis. */
export function shorten(text: string, max = TOAST_MAX_CHARS): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= max) {
    return clean;
  }
  const cut = clean.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s.,;:·-]+$/, '')}…`;
}

function ruleWords(ruleId: string, fallback?: string) {
  const rule = RULES.get(ruleId);
  return {
    title: rule?.title ?? ruleId,
    explanation: rule?.explanation ?? fallback ?? '',
    remediation: rule?.remediation ?? ''
  };
}

function baseName(path: string): string {
  return path.split('/').pop() || path;
}

/** A warned cell is about to run: what it found, for the toast. */
export interface IWarnedFinding {
  ruleId: string;
  severity: Severity;
  line: number;
}

export function gateWarningToast(
  path: string,
  cellId: string,
  cellNumber: number | null,
  findings: readonly IWarnedFinding[]
): IToast {
  const first = findings[0];
  const more = findings.length > 1 ? ` (+${findings.length - 1} more)` : '';
  const cell = cellNumber !== null ? `cell ${cellNumber}` : 'this cell';
  const title = RULES.get(first.ruleId)?.title ?? first.ruleId;
  return {
    // By cell id alone: the kernel's events may spell the notebook's path differently.
    key: `cell:${cellId}`,
    type: 'warning',
    message: shorten(`Warden warning, ${cell}: ${title}${more}`),
    items: findings.map(f => ({
      ruleId: f.ruleId,
      severity: f.severity,
      outcome: 'warned (the cell ran)',
      ...ruleWords(f.ruleId),
      where: [
        baseName(path),
        cellNumber !== null ? `cell ${cellNumber}` : '',
        `line ${f.line}`
      ]
        .filter(Boolean)
        .join(' · ')
    }))
  };
}

/** Where a kernel guard event happened, as the user knows it. */
export function runtimeWhere(event: IWardenEvent, locate: CellLocator): string {
  const location = event.location ?? {};
  const place = location.cell_id ? locate(location.cell_id) : null;
  const path = place?.path ?? location.path ?? '';
  const parts = [
    path ? baseName(path) : 'kernel',
    place ? `cell ${place.number}` : ''
  ];
  const file = (event.evidence as Record<string, unknown> | undefined)?.path;
  if (typeof file === 'string' && file) {
    parts.push(`file ${baseName(file)}`);
  }
  return parts.filter(Boolean).join(' · ');
}

export function runtimeToast(event: IWardenEvent, locate: CellLocator): IToast {
  const location = event.location ?? {};
  const key = location.cell_id
    ? `cell:${location.cell_id}`
    : `kernel:${location.kernel_id ?? ''}`;
  const blocked = event.action === 'blocked';
  const rule = ruleWords(event.rule_id);
  // The guard's own message names what it saw (the call, the global) and how to proceed.
  const words = event.message
    ? { ...rule, explanation: event.message, remediation: '' }
    : rule;
  const call = (event.evidence as Record<string, unknown> | undefined)?.call;
  const what = typeof call === 'string' && call ? call : 'a model load';
  return {
    key,
    type: blocked ? 'error' : 'warning',
    message: shorten(
      `Warden ${blocked ? 'blocked' : 'flagged'} ${what}: ${rule.title}`
    ),
    items: [
      {
        ruleId: event.rule_id,
        severity: event.severity,
        outcome: event.action,
        ...words,
        where: runtimeWhere(event, locate),
        time: event.time
      }
    ]
  };
}

/** One toast out of an earlier one and a new one for the same key. */
export function mergeToasts(earlier: IToast, next: IToast): IToast {
  const items = [...earlier.items];
  for (const item of next.items) {
    if (
      !items.some(
        i =>
          i.ruleId === item.ruleId &&
          i.outcome === item.outcome &&
          i.where === item.where
      )
    ) {
      items.push(item);
    }
  }
  // An error (a refused load) outranks the warning that came before it.
  const lead =
    next.type === 'error' || earlier.type !== 'error' ? next : earlier;
  const extra = items.length - 1;
  const message =
    extra > 0
      ? shorten(
          `${lead.message.replace(/ \(\+\d+ more\)$/, '')} (+${extra} more)`
        )
      : lead.message;
  return { key: earlier.key, type: lead.type, message, items };
}

/** Highest severity first, for the details. */
export function detailsOrder(items: readonly IToastItem[]): IToastItem[] {
  return [...items].sort(
    (a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity)
  );
}

/** How toasts are shown (JupyterLab's Notification API in the lab, a fake in tests). */
export interface IToastSink {
  show(toast: IToast): string;
  dismiss(id: string): void;
}

/** Groups toasts per cell run and keeps the stack short. */
export class ToastGroups {
  private _live: { id: string; toast: IToast; at: number }[] = [];

  constructor(
    private readonly _sink: IToastSink,
    private readonly _now: () => number = () => Date.now()
  ) {}

  show(toast: IToast): string {
    const now = this._now();
    this._live = this._live.filter(t => now - t.at < TOAST_MERGE_MS);
    const same = this._live.find(t => t.toast.key === toast.key);
    if (same) {
      // Replaced rather than updated in place: JupyterLab drops a toast updated while shown.
      this._live = this._live.filter(t => t !== same);
      this._sink.dismiss(same.id);
      toast = mergeToasts(same.toast, toast);
    }
    const id = this._sink.show(toast);
    this._live.push({ id, toast, at: now });
    while (this._live.length > TOAST_MAX_VISIBLE) {
      this._sink.dismiss(this._live.shift()!.id);
    }
    return id;
  }
}
