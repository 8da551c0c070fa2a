/**
 * The shared env -S vectors (schema/vectors/env-split.json, written from the real GNU env by
 * scripts/env-split-fixture.py) through warden-scan's `envSplit`: the words env splits each
 * text into, or a refusal where env refuses it (red team 51a R51a-1/2).
 * tests/deps/test_env_split.py holds the kernel's `env_split` to the same vectors.
 */
import vectors from '../../schema/vectors/env-split.json';
import { EnvSplitUnread, envSplit } from './envsplit';

interface SplitVector {
  text: string;
  words: string[] | null;
}

function read(text: string): string[] | null {
  try {
    return envSplit(text);
  } catch (error) {
    if (error instanceof EnvSplitUnread) {
      return null;
    }
    throw error;
  }
}

describe('schema/vectors/env-split.json (static side)', () => {
  it('holds enough cases to mean something', () => {
    expect((vectors.vectors as SplitVector[]).length).toBeGreaterThan(300);
  });

  it.each(
    (vectors.vectors as SplitVector[]).map(v => [JSON.stringify(v.text), v])
  )('%s', (_name, vector) => {
    expect(read((vector as SplitVector).text)).toEqual(
      (vector as SplitVector).words
    );
  });

  it('refuses ${NAME}, which env expands from its own environment', () => {
    expect(() => envSplit('uv ${HOME}')).toThrow(EnvSplitUnread);
  });
});
