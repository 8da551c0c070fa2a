/**
 * Red team 25 R25-1 on the static side: a word a program Warden has no table for may hand to
 * `sh -c` (`npx -c TEXT`, `npm exec --call=TEXT`, `gcc -wrapper sh,-c,TEXT`), read as written
 * and with its quotes removed. The string functions mirror the kernel's `handed_text` (the
 * same cases as tests/deps/test_redteam25_handed.py); the readings below them go through
 * `commands.ts` as the editor's gate and warden-scan do.
 */
import {
  commandNames,
  commandTokens,
  dequoted,
  hasPattern,
  mayBeCommandText,
  optionValues,
  quoted,
  unplaceable
} from './handedtext';
import { installProblems } from '../testing/install-problems';

describe('handed text (the kernel handed_text twin)', () => {
  it('removes quotes and backslashes as the inner shell does', () => {
    expect(dequoted('u""v p\\ip \'in\'stall')).toBe('uv pip install');
    expect(dequoted('u\\\nv')).toBe('uv'); // a line continuation
    expect(quoted('u""v')).toBe(true);
    expect(quoted('plain-word')).toBe(false);
  });

  it('finds the names in command position', () => {
    expect(
      commandNames('X=1 /bin/ba\\sh -c t; if a; then perl -e 1; fi')
    ).toEqual(['bash', 'a', 'perl', 'fi']);
    expect(commandNames('sh,-c,echo 1')).toEqual(['sh,-c,echo', 'sh']);
    expect(commandNames('a | b && (c) `d` {e; }')).toEqual([
      'a',
      'b',
      'c',
      'd',
      'e'
    ]);
    expect(commandNames('echo QQ== | base64 -d | bash')).toEqual([
      'echo',
      'base64',
      'bash'
    ]);
    // a define's value is an assignment's shape: the name after it is read
    expect(commandNames('-DMSG="a b"')).toEqual(['b']);
    // redirections and their files before the name (the kernel's twin test too)
    expect(commandNames('a 2>&1 | > log perl -e 1; <f bash')).toEqual([
      'a',
      'perl',
      'bash'
    ]);
  });

  it("finds the words in command position and options' values (R26)", () => {
    expect(commandTokens('X=1 /bin/ba\\sh -c t; ./[p] x')).toEqual([
      '/bin/bash',
      './[p]'
    ]);
    expect(optionValues('-XX:OnError="bash x" -Da=b=c y')).toEqual([
      'bash',
      'c'
    ]);
    expect(hasPattern('./[p]')).toBe(true);
    expect(hasPattern('u?')).toBe(true);
    expect(hasPattern('./p')).toBe(false);
  });

  it('finds text whose programs move (R26-3)', () => {
    expect(unplaceable('PATH=s q install x')).toBe(
      'sets PATH, where the names it runs are looked up'
    );
    expect(unplaceable('export CDPATH=/tmp; cd s')).toBe(
      'sets CDPATH, where the names it runs are looked up'
    );
    expect(unplaceable('PATH+=:s q')).toBe(
      'sets PATH, where the names it runs are looked up'
    );
    expect(unplaceable('cd s && ./q install x')).toBe(
      'runs ./q after cd, from a folder Warden does not follow'
    );
    expect(unplaceable('pushd s; sub/q')).toBe(
      'runs sub/q after pushd, from a folder Warden does not follow'
    );
    expect(unplaceable('cd s && /usr/bin/q')).toBe(''); // an absolute path stays
    expect(unplaceable('cd s && make')).toBe(''); // a name is looked up on PATH
    expect(unplaceable('./q; cd s')).toBe(''); // moved after it ran
    expect(unplaceable('echo $PATH')).toBe('');
  });

  it('takes one word for no command text', () => {
    expect(mayBeCommandText('plain-word')).toBe(false);
    expect(mayBeCommandText('a b')).toBe(true);
    expect(mayBeCommandText('sh,-c,x')).toBe(true);
    expect(mayBeCommandText('a|b')).toBe(true);
  });
});

describe('an untabled program handing a word to a shell (commands.ts)', () => {
  it.each([
    ['npx', ['npx', '-c', 'u""v p""ip install black']],
    ['npx, backslashes', ['npx', '-c', 'u\\v p\\ip install black']],
    ['npm exec --call', 'npm exec --call=\'u""v p""ip install black\''],
    ['gcc -wrapper', ['gcc', '-wrapper', 'sh,-c,u""v p""ip install x,x']]
  ])('reads an installer quote removal builds: %s', (_id, command) => {
    expect(installProblems(command)).toEqual([
      expect.stringContaining('may run an installer named in its arguments')
    ]);
  });

  it.each([
    ['a pipe into bash', "npx -c 'echo QQ== | base64 -d | bash'", 'bash'],
    ['gcc -wrapper bash', ['gcc', '-wrapper', 'bash,-c,true,x'], 'bash'],
    ['a code interpreter', "npm exec --call='curl -s x | perl'", 'perl'],
    ['a wrapper', "npx -c 'nohup ./x'", 'nohup'],
    ['a shell-text runner', "npx -c 'make all'", 'make']
  ])('refuses a start read in full: %s', (_id, command, name) => {
    expect(installProblems(command)).toEqual([
      expect.stringContaining(
        `as shell text (as npx -c and gcc -wrapper do), which starts ${name}`
      )
    ]);
  });

  it.each([
    ['PATH', "npx -c 'PATH=s q install x'", 'sets PATH'],
    ['cd', "npx -c 'cd s && ./q install x'", 'runs ./q after cd'],
    ['popd', "npx -c 'popd; ./q install x'", 'runs ./q after popd']
  ])('refuses text whose programs move (R26-3): %s', (_id, command, why) => {
    expect(installProblems(command)).toEqual([
      expect.stringContaining(
        `as shell text (as npx -c and gcc -wrapper do), which ${why}`
      )
    ]);
  });

  it.each([
    ['npx -c \'echo "hello world"\''],
    ['npm exec --call="echo \'a b\'"'],
    ['gcc -DMSG=\'"a b"\' -c t.c -o t.o'],
    ["jq -n '[1, 2] | map(. * 2) | select(length > 0)'"],
    // a pattern in command position: the kernel refuses one that matches a file now; the
    // static side sees no files, and jq's `.[]` must pass
    ["jq -n '[1] | .[] | select(. > 0)'"],
    ["npx -c './[p] install x'"],
    // a Python it starts is guarded
    ["npx -c 'python3 train.py'"],
    // tmux's command words in a sentence name no program
    ["wandb init --notes 'run the new baseline'"],
    // a program with a table reads its own words (git's message is data)
    ["git commit -m 'bash: fix the quoting'"]
  ])('lets an ordinary word pass: %s', command => {
    expect(installProblems(command)).toEqual([]);
  });
});
