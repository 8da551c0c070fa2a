/**
 * The shared pip-decode vectors (schema/vectors/pip-decode.json) through warden-scan's
 * `pipDecode`: the text pip reads from a requirements file's bytes, or a refusal (red team
 * 50c R50c-1). tests/deps/test_pip_decode_vectors.py holds pip's `auto_decode` and the
 * kernel's `pip_decode` to the same vectors.
 */
import vectors from '../../schema/vectors/pip-decode.json';
import { CODEC_NAMES, codecOf, pipDecode } from './pipdecode';

interface FileVector {
  name: string;
  bytes: string;
  text: string | null;
  static?: 'refused';
}

/** Python's name of each codec pipDecode reads, as codecs.lookup spells it. */
const PYTHON_NAME: Record<string, string> = {
  'utf-8': 'utf-8',
  'utf-8-sig': 'utf-8-sig',
  ascii: 'ascii',
  'latin-1': 'iso8859-1',
  'utf-16': 'utf-16',
  'utf-16-le': 'utf-16-le',
  'utf-16-be': 'utf-16-be'
};

describe('schema/vectors/pip-decode.json (static side)', () => {
  it.each(
    (vectors.files as FileVector[]).map(
      v => [v.name, v] as [string, FileVector]
    )
  )('%s', (_name, vector) => {
    const bytes = Buffer.from(vector.bytes, 'latin1');
    if (vector.text === null || vector.static === 'refused') {
      expect(() => pipDecode(bytes)).toThrow();
    } else {
      expect(pipDecode(bytes)).toBe(vector.text);
    }
  });

  it.each(vectors.codings.map(v => [v.coding, v.python]))(
    'the coding %s is read as Python reads it (%s) or refused',
    (coding, python) => {
      const codec = codecOf(coding as string);
      if (codec !== null) {
        expect(PYTHON_NAME[codec]).toBe(python);
      }
    }
  );

  it('every codec name read is among the vectors Python checks', () => {
    const named = new Set(
      vectors.codings.map(v => codecOf(v.coding)).filter(c => c !== null)
    );
    const covered = new Set(
      vectors.codings
        .map(v =>
          v.coding.toLowerCase().replace(/[-_]+/g, '_').replace(/^_|_$/g, '')
        )
        .filter(n => n in CODEC_NAMES)
    );
    expect([...covered].sort()).toEqual(Object.keys(CODEC_NAMES).sort());
    expect([...named].sort()).toEqual(Object.keys(PYTHON_NAME).sort());
  });

  it('reads the hidden line a utf-7 file would give pip as a refusal', () => {
    expect(() =>
      pipDecode(Buffer.from('# -*- coding: utf-7 -*-\n#x +AAo-torcj\nnumpy\n'))
    ).toThrow(/utf-7/);
  });
});
