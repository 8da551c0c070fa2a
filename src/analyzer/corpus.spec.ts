/**
 * Recall and precision of the analyzer over the labelled corpus (corpus/README.md). The
 * thresholds are the levels measured when the corpus was written; the test prints the figures.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeNotebook } from './analyzer';

const CORPUS = path.join(__dirname, 'corpus');
const EXPECT = /#\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)\s*$/;

/** Measured on the corpus as committed; raise them when the analyzer gets better. */
const MIN_RECALL = 0.96;
const MIN_PRECISION = 1.0;

interface Labelled {
  file: string;
  expected: Set<string>;
  actual: Set<string>;
}

/** Split a percent-format file into cells; returns the cells and each cell's first file line. */
function splitCells(text: string): { cells: string[]; firstLines: number[] } {
  const lines = text.split('\n');
  const cells: string[] = [];
  const firstLines: number[] = [];
  let current: string[] = [];
  let first = 1;
  lines.forEach((line, i) => {
    if (/^# %%/.test(line)) {
      cells.push(current.join('\n'));
      firstLines.push(first);
      current = [];
      first = i + 2;
    } else {
      current.push(line);
    }
  });
  cells.push(current.join('\n'));
  firstLines.push(first);
  return { cells, firstLines };
}

function label(file: string): Labelled {
  const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
  const expected = new Set<string>();
  text.split('\n').forEach((line, i) => {
    const m = EXPECT.exec(line);
    if (m) {
      for (const id of m[1].split(',')) {
        expected.add(`${i + 1}:${id.trim()}`);
      }
    }
  });
  const { cells, firstLines } = splitCells(text);
  const actual = new Set<string>();
  analyzeNotebook(cells).forEach((findings, c) => {
    for (const f of findings) {
      actual.add(`${firstLines[c] + f.line - 1}:${f.ruleId}`);
    }
  });
  return { file, expected, actual };
}

const files = fs
  .readdirSync(CORPUS)
  .filter(f => f.endsWith('.py'))
  .sort();
const results = files.map(label);

describe('labelled corpus', () => {
  it('covers every static rule of the catalog', () => {
    const { STATIC_RULES } = jest.requireActual(
      './catalog'
    ) as typeof import('./catalog');
    const labelled = new Set<string>();
    for (const r of results) {
      r.expected.forEach(e => labelled.add(e.split(':')[1]));
    }
    expect(STATIC_RULES.map(r => r.id).filter(id => !labelled.has(id))).toEqual(
      []
    );
  });

  it('keeps recall and precision at the measured level', () => {
    let tp = 0;
    let expectedTotal = 0;
    let actualTotal = 0;
    const rows: string[] = [];
    const misses: string[] = [];
    const falseAlarms: string[] = [];
    for (const r of results) {
      const hits = [...r.expected].filter(e => r.actual.has(e));
      tp += hits.length;
      expectedTotal += r.expected.size;
      actualTotal += r.actual.size;
      rows.push(
        `${r.file.padEnd(22)} expected ${String(r.expected.size).padStart(3)}  found ${String(
          r.actual.size
        ).padStart(3)}  true ${String(hits.length).padStart(3)}`
      );
      r.expected.forEach(
        e => !r.actual.has(e) && misses.push(`${r.file}:${e}`)
      );
      r.actual.forEach(
        a => !r.expected.has(a) && falseAlarms.push(`${r.file}:${a}`)
      );
    }
    const recall = tp / expectedTotal;
    const precision = tp / actualTotal;
    console.log(
      [
        ...rows,
        `recall ${recall.toFixed(3)} (${tp}/${expectedTotal})  precision ${precision.toFixed(3)} (${tp}/${actualTotal})`,
        `missed: ${misses.join(' ') || 'none'}`,
        `false alarms: ${falseAlarms.join(' ') || 'none'}`
      ].join('\n')
    );
    expect(recall).toBeGreaterThanOrEqual(MIN_RECALL);
    expect(precision).toBeGreaterThanOrEqual(MIN_PRECISION);
  });

  it('has no false alarm on the safe file', () => {
    const safe = results.find(r => r.file === 'safe.py');
    expect(safe && [...safe.actual]).toEqual([]);
  });
});
