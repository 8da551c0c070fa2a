/**
 * The code interpreters' table patterns on JavaScript's engine: schema/vectors/code-patterns.json
 * holds what Python's `re` finds for every pattern in every corpus string (the kernel's engine,
 * checked current by tests/deps/test_redteam15_code.py); the static side must find the same, or
 * a deny rule reads differently on the two sides (red team 15 R15-4: a numbered
 * backreference to a group that did not take part matched nothing in Python, '' in JS).
 */
import table from '../../schema/code-interpreters.json';
import vectors from '../../schema/vectors/code-patterns.json';
import { refusedCode, tablePattern } from './interpreters';

type Spec = Record<string, unknown>;

function patterns(): [string, string][] {
  const out: [string, string][] = [];
  for (const [language, spec] of Object.entries(
    table.languages as Record<string, Spec>
  )) {
    for (const field of [
      'name_pattern',
      'starts',
      'magic_operand',
      'refused_option_pattern',
      'code_tokens'
    ]) {
      if (spec[field]) {
        out.push([`${language}.${field}`, spec[field] as string]);
      }
    }
    for (const field of ['digit_options', 'code_value_options']) {
      for (const [option, pattern] of Object.entries(
        (spec[field] ?? {}) as Record<string, string>
      )) {
        out.push([`${language}.${field}.${option}`, pattern]);
      }
    }
  }
  return out;
}

describe('code interpreter patterns: the same matches on both engines', () => {
  const found = vectors.found as Record<string, (string | null)[]>;

  it('covers every pattern of the table', () => {
    expect(
      patterns()
        .map(([name]) => name)
        .sort()
    ).toEqual(Object.keys(found).sort());
  });

  it.each(patterns())('%s', (name, pattern) => {
    const regex = tablePattern(pattern);
    const got = vectors.corpus.map(text => regex.exec(text)?.[0] ?? null);
    expect(got).toEqual(found[name]);
  });
});

describe('red team 15: values that become code', () => {
  it.each([
    ['perl', ['-e', '$_="x"; s#x#"sys"."tem(q(u))"#ee;']],
    ['perl', ['-pe', 's/x/CODE/e and 1', 'data.txt']],
    ['perl', ['-F/x/);&{q(x)};split(/y/', '-e', '1', 'data.txt']],
    ['node', ['-e', 'var F; ({"cons\\x74ructor": F} = parseInt); F("x")']],
    ['node', ['-e', 'var F; ({"log": F} = console); F(1)']],
    ['node', ['-e', 'var constructor; ({constructor} = parseInt)']],
    ['node', ['-e', '(({constructor: F}) => F)(parseInt)']],
    ['node', ['-e', 'console.log("\\x41")']],
    ...[
      '1e ls',
      '$e ls',
      '/x/Ie ls',
      '\\%x%e ls',
      '1~2e ls',
      '0,/x/e ls',
      '/x/,+2 e ls',
      '/x/ !e ls',
      '/x/{e ls\n}',
      'a foo\ne ls',
      'b x;e ls',
      's/a/b/e',
      's|a|b|ge',
      's/a/b/w out',
      'w /dev/stdout',
      's/a/b'
    ].map(script => ['sed', [script, 'f']] as [string, string[]])
  ])('refuses %s %j', (program, args) => {
    expect(refusedCode(program, args)).not.toBe('');
  });

  it.each([
    ['perl', ['-F,', '-lane', 'print $F[1]', 'data.csv']],
    ['perl', ['-pi', '-e', 's/a/b/g', 'f']],
    ['node', ['-e', 'console.log(1)']],
    ['node', ['-e', 'console.log({a: 1, "b": 2})']],
    ['node', ['-e', 'const {log} = console; log(1)']],
    ['node', ['-e', 'console.log("a\\nb")']],
    ['node', ['-e', 'let o = {}; o = {a: 1}; console.log(o)']],
    ['sed', ['-i', 's/a/b/', 'f']],
    ['sed', ['-n', '1,5p', 'f']],
    ['sed', ['/^#/d', 'f']],
    ['sed', ['$!N;s/\\n/ /', 'f']],
    ['sed', ['/x/{p;d}', 'f']],
    ['sed', [':a;N;ba', 'f']],
    ['sed', ['-e', '1d', '-e', '$d', 'f']],
    ['sed', ['y/abc/xyz/', 'f']]
  ])('runs %s %j', (program, args) => {
    expect(refusedCode(program, args)).toBe('');
  });
});
