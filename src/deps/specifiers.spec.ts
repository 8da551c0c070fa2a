/**
 * Specifier sets on the static side (red team 42b R42b-2, R42b-3): the grid of
 * schema/vectors/specifier-sets.json, written from the kernel's installs/specifiers.py and
 * held there to `packaging` (tests/deps/test_specifier_sets.py); the port gives the same.
 */
import vectors from '../../schema/vectors/specifier-sets.json';
import {
  allowed,
  covered,
  point,
  reaches,
  spans,
  UNREAD,
  within,
  type Interval
} from './specifiers';
import { versionKey, type VersionKey } from './versions';

function key(text: string): VersionKey {
  const found = versionKey(text);
  if (found === null) {
    throw new Error(`not a version: ${text}`);
  }
  return found;
}

const keys = vectors.versions.map(key);
const spanList: Interval[] = vectors.span_events.map(events =>
  'version' in events[0]
    ? point(key((events[0] as { version: string }).version))
    : spans(events as Array<Record<string, string>>)[0]
);

function bits(flags: boolean[]): string {
  return flags.map(f => (f ? '1' : '0')).join('');
}

function member(found: Interval[], k: VersionKey): boolean {
  return found.some(i => within(point(k), i));
}

describe('specifier sets as the kernel reads them', () => {
  it.each(vectors.sets.map(s => [s.specifier, s] as const))(
    '%j',
    (text, expected) => {
      const set = allowed(text);
      expect({
        specifier: text,
        unread: set === UNREAD,
        over: bits(keys.map(k => member(set.over, k))),
        under: bits(keys.map(k => member(set.under, k))),
        covered: bits(spanList.map(s => covered(set, s))),
        reaches: bits(spanList.map(s => reaches(set, s)))
      }).toEqual(expected);
    }
  );
});
