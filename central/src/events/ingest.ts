import { type Contracts, formatErrors, severityRank } from '../contracts.js';
import { wellFormed } from '../http/json.js';

// Pure: sort a posted batch into events to store and per-event answers.

export type ResultStatus = 'accepted' | 'duplicate' | 'rejected';
export interface EventResult {
  event_id: string | null;
  status: ResultStatus;
  reason?: string;
}

export interface ValidEvent {
  index: number;
  event_id: string;
  time_ms: number;
  severity_rank: number;
  body: Record<string, unknown>;
  /** The JSON text stored, and its bytes (for quotas). */
  text: string;
  size: number;
}

/** Validates each event alone; a repeat of an event_id inside the batch is a duplicate. */
export function triageBatch(
  events: unknown[],
  contracts: Contracts
): { results: EventResult[]; valid: ValidEvent[] } {
  const results: EventResult[] = [];
  const valid: ValidEvent[] = [];
  const seen = new Set<string>();
  events.forEach((ev, index) => {
    const id =
      ev && typeof ev === 'object' && typeof (ev as { event_id?: unknown }).event_id === 'string'
        ? (ev as { event_id: string }).event_id
        : null;
    // A lone surrogate cannot be stored as UTF-8 text: refuse the event, not the batch.
    if (!wellFormed(ev)) {
      results.push({
        event_id: id?.isWellFormed() ? id : null,
        status: 'rejected',
        reason: 'contains a string that is not well-formed Unicode (lone surrogate)'
      });
      return;
    }
    const errors = contracts.validateEvent(ev);
    if (errors.length) {
      results.push({ event_id: id, status: 'rejected', reason: formatErrors(errors) });
      return;
    }
    const body = ev as Record<string, unknown>;
    const time_ms = Date.parse(String(body.time));
    if (!Number.isFinite(time_ms)) {
      results.push({ event_id: id, status: 'rejected', reason: '/time: not a valid date-time' });
      return;
    }
    if (seen.has(id!)) {
      results.push({ event_id: id, status: 'duplicate' });
      return;
    }
    seen.add(id!);
    results.push({ event_id: id, status: 'accepted' });
    const text = JSON.stringify(body);
    const size = Buffer.byteLength(text);
    valid.push({
      index,
      event_id: id!,
      time_ms,
      severity_rank: severityRank(String(body.severity)),
      body,
      text,
      size
    });
  });
  return { results, valid };
}
