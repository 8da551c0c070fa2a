/**
 * Contract 3 events as the frontend makes them (schema/event.schema.json). Identity is stamped
 * by the lab server; evidence names calls and rules, never cell contents.
 */
export type { EventAction, EventKind, IWardenEvent } from '../contracts';

/**
 * 64-bit FNV-1a as 16 hex digits: a stable, synchronous fingerprint (no crypto.subtle await on
 * the execution path). It identifies a finding, it does not protect anything.
 */
export function fingerprint(...parts: (string | number | undefined)[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  const text = parts.map(p => String(p ?? '')).join('\u241f');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c ^ (h1 >>> 7), 0x5bd1e995) >>> 0;
  }
  return h1.toString(16).padStart(8, '0') + h2.toString(16).padStart(8, '0');
}

/** A unique, client-made id (the idempotency key). */
export function newEventId(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return Array.from(bytes, b => b.toString(16).padStart(2, '0')).join('');
}
