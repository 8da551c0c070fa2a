/**
 * Red team 25 R25-3 on the static side: a value a line assigns (`X=... cmd`) that carries a
 * command some program runs (JAVA_TOOL_OPTIONS' -XX:OnOutOfMemoryError, npm_config_call).
 * The same cases as the kernel's tests/deps/test_redteam25_values.py, read by name (the
 * static side has no PATH).
 */
import { shellInstalls } from './commands';
import { runsCommand } from './commandvalues';
import { COMMAND_LINE } from './request';

describe('command values (the kernel command_values twin)', () => {
  it('finds what a value starts', () => {
    expect(runsCommand('-XX:OnError=/bin/bash x.sh; true')).toBe('bash');
    expect(runsCommand('printf x | xargs env')).toBe('xargs');
    expect(runsCommand('echo QQ== | base64 -d | perl')).toBe('perl');
    expect(runsCommand('u""v p""ip install black')).toBe('uv');
    expect(runsCommand('/opt/conda/bin')).toBe(''); // one word: no command text
    expect(runsCommand('a /opt/conda b')).toBe(''); // a folder, no program
    expect(runsCommand('x /opt/conda/bin/conda y')).toBe('conda'); // a bin folder's file
    expect(runsCommand('ssh -i key host')).toBe('');
    expect(runsCommand('-Xmx256m -Dfile.encoding=UTF8')).toBe('');
  });

  it('reads a parameter as nothing and as a blank, and refuses a substitution', () => {
    expect(runsCommand('-XX:OnError=uv${IFS}pip${IFS}install${IFS}x')).toBe(
      'uv'
    );
    expect(runsCommand('-XX:OnError=u${E}v$IFS"pip"')).toBe('uv');
    expect(runsCommand('x=$(printf a)')).toBe('a command substitution');
    expect(runsCommand('-XX:OnError=`id`')).toBe('a command substitution');
    expect(runsCommand('abc$123')).toBe(''); // a password: one word, no program
  });
});

const context = {
  cwd: '/nonexistent-warden-dir',
  place: COMMAND_LINE,
  env: {},
  readFile: () => {
    throw new Error('no files here');
  },
  label: (p: string) => p
};

function problems(line: string): string[] {
  return shellInstalls(line, 0, {}, context).flatMap(f =>
    f.request.problems.map(p => p.text)
  );
}

describe('a line assignment carrying a command (commands.ts)', () => {
  it.each([
    [
      'JAVA_TOOL_OPTIONS="-XX:OnOutOfMemoryError=uv pip install x" jshell',
      'uv'
    ],
    ["npm_config_call='bash x.sh' npm exec", 'bash'],
    ["env JAVA_TOOL_OPTIONS='-XX:OnError=sh x' java -version", 'sh']
  ])('refuses %s', (line, started) => {
    expect(problems(line)).toEqual([
      expect.stringContaining(`holds a command that runs ${started}`)
    ]);
  });

  it.each([
    ["JAVA_TOOL_OPTIONS='-Xmx256m -Dfile.encoding=UTF8' java -version"],
    ["PYSPARK_SUBMIT_ARGS='--packages org.a:b:1.0 pyspark-shell' true"],
    ["WANDB_NOTES='compare the two baselines' true"],
    ['CONDA_PKGS_DIRS=/opt/conda/pkgs,/tmp/conda true'],
    ["PAGER='less -R' true"]
  ])('lets %s pass', line => {
    expect(problems(line)).toEqual([]);
  });

  it('decides a name as if PATH found it (the kernel asks PATH; the static side has none)', () => {
    // R is a code interpreter: where R is installed the kernel refuses this too
    expect(
      problems("WANDB_NOTES='compare the R and python baselines' true")
    ).toEqual([expect.stringContaining('holds a command that runs R')]);
  });
});
