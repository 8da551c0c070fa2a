/**
 * Red team 25 R25-3 on the static side: a value a line assigns (`X=... cmd`) that carries a
 * command some program runs (JAVA_TOOL_OPTIONS' -XX:OnOutOfMemoryError, npm_config_call).
 * The same cases as the kernel's tests/deps/test_redteam25_values.py and test_redteam26.py,
 * read by name (the static side has no PATH, no files, and sees only the line's variables).
 */
import { refusedEnv, refusedValue, runsCommand } from './commandvalues';
import { resolve, shellSets } from './shellvalues';
import { installProblems } from '../testing/install-problems';

describe('command values (the kernel command_values twin)', () => {
  it('finds what a value starts', () => {
    expect(runsCommand('-XX:OnError=/bin/bash x.sh; true')).toBe('runs bash');
    expect(runsCommand('printf x | xargs env')).toBe('runs xargs');
    expect(runsCommand('echo QQ== | base64 -d | perl')).toBe('runs perl');
    expect(runsCommand('u""v p""ip install black')).toBe('runs uv');
    expect(runsCommand('/opt/conda/bin')).toBe(''); // one word: no command text
    expect(runsCommand('a /opt/conda b')).toBe(''); // a folder, no program
    expect(runsCommand('x /opt/conda/bin/conda y')).toBe('runs conda'); // a bin folder's file
    expect(runsCommand('ssh -i key host')).toBe('');
    expect(runsCommand('-Xmx256m -Dfile.encoding=UTF8')).toBe('');
  });

  it('counts shells, wrappers and interpreters in command position only (R26-4)', () => {
    expect(runsCommand('PPO agent on the CartPole env')).toBe('');
    expect(runsCommand('ppo env=CartPole-v1 seed=0')).toBe('');
    expect(runsCommand('sales dash, Q3')).toBe('');
    expect(runsCommand('compare the R and python baselines')).toBe('');
    expect(runsCommand('x; env y')).toBe('runs env');
    expect(runsCommand('a && nohup ./x')).toBe('runs nohup');
    expect(runsCommand('-XX:OnError=sh x')).toBe('runs sh'); // an option's value
    expect(runsCommand('notes on the uv pip install')).toBe('runs uv'); // installers anywhere
    expect(runsCommand('command line args')).toBe(''); // a builtin no PATH holds
    // a pattern: the kernel counts it by the files it matches; the static side sees none
    expect(runsCommand('why? because [lr] matters')).toBe('');
  });

  it('refuses a value whose programs move (R26-3)', () => {
    expect(runsCommand('PATH=s q install x')).toBe(
      'sets PATH, where the names it runs are looked up'
    );
    expect(runsCommand('cd s && ./q install x')).toMatch(
      /^runs \.\/q after cd/
    );
  });

  it("reads parameters from the line, refuses the kernel's and a substitution (R26-1)", () => {
    const held = (name: string) =>
      ({ C: 'uv', D: 'pip', E: '', S: 'bash' })[name];
    expect(runsCommand('-XX:OnError=uv${IFS}pip${IFS}install${IFS}x')).toBe(
      'runs uv'
    );
    expect(runsCommand('$C $D install x', held)).toBe('runs uv');
    expect(runsCommand('-XX:OnError=u${E}v pip', held)).toBe('runs uv');
    expect(runsCommand('x; $S y', held)).toBe('runs bash');
    expect(runsCommand('$C $D install x')).toMatch(
      /^uses a shell expansion Warden cannot resolve here \(\$C,/
    );
    expect(runsCommand('${C:-uv} pip', held)).toMatch(
      /^uses a shell expansion Warden cannot resolve \(a \$\{\.\.\.\} with an operator\)/
    );
    // red team 27 R27-4: a substitution runs its text, its output in command position is
    // unknown; one word, or prose with code spans, is no command
    expect(runsCommand('x=$(printf a)')).toMatch(
      /^uses a shell expansion Warden cannot know/
    );
    expect(runsCommand('$(printf a) x')).toMatch(
      /^uses a shell expansion Warden cannot know/
    );
    expect(runsCommand('-XX:OnError=`bash -i` x')).toBe('runs bash');
    expect(runsCommand('a $(uv pip install x)')).toBe('runs uv');
    expect(runsCommand('see `uv pip install x` now')).toBe('runs uv');
    expect(runsCommand('-XX:OnError=`id`')).toBe('');
    expect(runsCommand('Xk9$(pQ2!z')).toBe('');
    expect(runsCommand('baseline with `AdamW`, lr 3e-4')).toBe('');
    expect(runsCommand('Wrap code in ```python fences.')).toBe('');
    expect(runsCommand('${SCRATCH:-/tmp}/data')).toBe('');
    expect(runsCommand('abc$123')).toBe(''); // a password: one word, no program
    expect(runsCommand('pa$sword')).toBe(''); // one word: the kernel's value unseen, no text
  });

  it("refuses a shell's own code variable whatever its value (R26-2)", () => {
    for (const name of [
      'BASH_FUNC_x%%',
      'BASH_ENV',
      'SHELLOPTS',
      'BASHOPTS',
      'GLOBIGNORE'
    ]) {
      expect(refusedValue(name, '/tmp/x')).toContain('is shell code');
    }
    expect(refusedValue('PS4', '$(id)')).toContain('is shell code');
    expect(refusedValue('PS4', '+ ')).toBe('');
    expect(refusedValue('BASH_ENV', '')).toBe(''); // empty: bash sources nothing
    expect(
      refusedEnv({ 'BASH_FUNC_true%%': '() { uv pip install x; }' })
    ).toContain('BASH_FUNC_true%%, set by the notebook, is shell code');
  });

  it("refuses pyenv's hook folders of the notebook's choosing (R31-4)", () => {
    expect(refusedValue('PYENV_HOOK_PATH', 'hooks')).toContain('pyenv');
    expect(refusedValue('PYENV_ROOT', '/tmp/r')).toContain('pyenv');
    expect(refusedValue('PYENV_HOOK_PATH', '')).toBe(''); // adds no folder
    for (const root of ['~/.pyenv', '$HOME/.pyenv', '${HOME}/.pyenv/']) {
      expect(refusedValue('PYENV_ROOT', root)).toBe(''); // pyenv's default
    }
    expect(refusedEnv({ PYENV_HOOK_PATH: '/tmp/h' })).toContain(
      'PYENV_HOOK_PATH, set by the notebook, names folders of bash hooks'
    );
  });
});

describe('a line assignment carrying a command (commands.ts)', () => {
  it.each([
    [
      'JAVA_TOOL_OPTIONS="-XX:OnOutOfMemoryError=uv pip install x" jshell',
      'uv'
    ],
    ["npm_config_call='bash x.sh' npm exec", 'bash'],
    ["env JAVA_TOOL_OPTIONS='-XX:OnError=sh x' java -version", 'sh']
  ])('refuses %s', (line, started) => {
    expect(installProblems(line)).toEqual([
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
    expect(installProblems(line)).toEqual([]);
  });

  it.each([
    ["WANDB_NOTES='PPO agent on the CartPole env' true"],
    ["WANDB_NOTES='compare the R and python baselines' true"],
    ["WANDB_NOTES='sales dash, Q3' true"]
  ])('lets a note naming a program outside command position pass: %s', line => {
    expect(installProblems(line)).toEqual([]);
  });

  it.each([
    ["C=bash npm_config_call='x; $C y' npm exec", 'runs bash'],
    ["npm_config_call='$C $D install x' npm exec", 'uses a shell expansion'],
    ["npm_config_call='PATH=s q install x' npm exec", 'sets PATH'],
    ["npm_config_call='cd s && ./q install x' npm exec", 'runs ./q after cd']
  ])('refuses a value read as the shell expands it: %s', (line, what) => {
    expect(installProblems(line)).toEqual([
      expect.stringContaining(`holds a command that ${what}`)
    ]);
  });

  it.each([
    ["env 'BASH_FUNC_x%%=() { :; }' npm exec"],
    ['BASH_ENV=/tmp/x.sh npm exec'],
    ['SHELLOPTS=xtrace true']
  ])('refuses a shell code variable whatever starts: %s', line => {
    expect(installProblems(line)).toEqual([
      expect.stringContaining('set by the notebook, is shell code')
    ]);
  });
});

describe('a parameter the shell sets itself (red team 28a R28a-4)', () => {
  const cannotKnow =
    /^uses a shell expansion Warden cannot know in command position/;

  it.each([
    ['./$# p[i]p install x'],
    ['./$? p[i]p install x'],
    ['"./$#" p'],
    ['./${#} p'],
    ['./${10} p'],
    ['$0 -c x'],
    ['x; $@ y'],
    ['$_ y'],
    ['./$LINENO p'],
    ['-XX:OnError=./$$ x']
  ])('is unknown in command position: %s', value => {
    expect(runsCommand(value)).toMatch(cannotKnow);
  });

  it("is the shell's, not the line's", () => {
    const held = (name: string) => ({ RANDOM: 'bash', C: 'uv' })[name];
    expect(runsCommand('$RANDOM y', held)).toMatch(cannotKnow);
    expect(runsCommand('./$? p[i]p install x')).toContain('($?: the shell');
    expect(runsCommand('-XX:OnError=uv${IFS}pip${IFS}install${IFS}x')).toBe(
      'runs uv'
    );
  });

  it.each([
    ['run $1 of 3'],
    ['Xk9$?pQ2#$$!'],
    ['\\u@\\h:\\w\\$ '],
    ['\\u [$?] \\w $# args'],
    ['seed $RANDOM on $HOSTNAME'],
    ['abc$123']
  ])('lets a value that is no command pass: %s', value => {
    expect(runsCommand(value)).toBe('');
  });

  it('refuses it on a line, and lets a note with one pass', () => {
    expect(
      installProblems("npm_config_call='./$# p[i]p install x' npm exec")
    ).toEqual([expect.stringContaining('cannot know in command position ($#')]);
    expect(installProblems("WANDB_NOTES='run $1 of 3' true")).toEqual([]);
  });

  it('is one list, which the line state reads too', () => {
    for (const name of ['#', '?', '-', '$', '!', '0', '10', '@', '*', '_']) {
      expect(shellSets(name)).toBe(true);
    }
    for (const name of ['RANDOM', 'IFS', 'PPID', 'LINENO', 'HOSTNAME']) {
      expect(shellSets(name)).toBe(true);
    }
    for (const name of ['HOME', 'PATH', '_X', 'npm_config_call', '1a']) {
      expect(shellSets(name)).toBe(false);
    }
    const line = (name: string) => ({ _: '/a', X: 'b', Y: 'c' })[name] ?? null;
    expect(resolve('$_:$X', line, /\$/)).toBeNull();
    expect(resolve('$X/$Y', line, /\$/)).toBe('b/c');
  });
});

describe('a variable the shell gives a default (red team 28b R28b-3)', () => {
  const cannotKnow =
    /^uses a shell expansion Warden cannot know in command position/;

  it.each([
    ['./$PS4 p[i]p install x', '$PS4'], // dash: '+ ' (a link ./+ to uv ran)
    ['./$PS2 p[i]p install x', '$PS2'], // dash: '> '
    ['./$PS1 p[i]p install x', '$PS1'], // dash as root: '# '
    ['./$TERM p[i]p install x', '$TERM'], // bash: dumb when unset
    ['./${PS4} p', '$PS4'],
    ['./$PS3 p', '$PS3'],
    ['./$PS0 p', '$PS0'],
    ['./$POSIXLY_CORRECT p', '$POSIXLY_CORRECT'], // bash --posix
    ['./$MAILCHECK p', '$MAILCHECK'], // interactive bash
    ['./$HISTFILE p', '$HISTFILE']
  ])('is unknown in command position: %s', (value, name) => {
    expect(runsCommand(value)).toMatch(cannotKnow);
    expect(runsCommand(value)).toContain(`(${name}: the shell`);
  });

  it("is the shell's whatever the line sets (bash as root ignores an inherited PS4)", () => {
    const held = (name: string) =>
      ({ PS4: 'ls', TERM: 'xterm', PS1: 'ls' })[name];
    expect(runsCommand('./$PS4 p', held)).toMatch(cannotKnow);
    expect(runsCommand('./$TERM p', held)).toMatch(cannotKnow);
    expect(runsCommand('$PS1 p', held)).toMatch(cannotKnow);
    // an operator: the static side evaluates none
    expect(runsCommand('${PS4:-x} p', held)).toContain('cannot resolve');
  });

  it('refuses it on a line', () => {
    expect(
      installProblems("npm_config_call='./$PS4 p[i]p install x' npm exec")
    ).toEqual([
      expect.stringContaining('cannot know in command position ($PS4')
    ]);
  });

  it.each([
    ['on $TERM with $PS4'],
    ['\\u@\\h $PS1'],
    ['echo $TERM'],
    ['-Dterm=$TERM']
  ])('lets a value that is no command pass: %s', value => {
    expect(runsCommand(value, () => 'x')).toBe('');
  });

  it.each([
    ['echo $TERM'],
    ['echo $PS1'],
    ['echo "$PS4" $PS2'],
    ['pip install x; echo $?'],
    ['export PATH=$HOME/.local/bin:$PATH && pip install torch'],
    ['TERM=xterm-256color ls; pip install x']
  ])('keeps an ordinary line: %s', line => {
    expect(installProblems(line)).toEqual([]);
  });

  it("is the one list the shells give (env -i dash|bash -c set), PATH the start's", () => {
    const dash = 'IFS OPTIND PPID PS1 PS2 PS4 PWD';
    const bash =
      'BASH BASHOPTS BASH_ALIASES BASH_ARGC BASH_ARGV BASH_CMDS BASH_EXECUTION_STRING ' +
      'BASH_LINENO BASH_LOADABLES_PATH BASH_SOURCE BASH_VERSINFO BASH_VERSION DIRSTACK EUID ' +
      'GROUPS HOSTNAME HOSTTYPE IFS MACHTYPE OPTERR OPTIND OSTYPE POSIXLY_CORRECT PPID PS4 ' +
      'PWD SHELL SHELLOPTS SHLVL TERM UID _ HISTFILE MAILCHECK PIPESTATUS PS1 PS2';
    for (const name of `${dash} ${bash}`.split(' ')) {
      expect([name, shellSets(name)]).toEqual([name, true]);
    }
    expect(shellSets('PATH')).toBe(false); // a set PATH is the shell's PATH
    const line = (name: string) => ({ PS4: '+ ', X: 'b' })[name] ?? null;
    expect(resolve('$PS4/$X', line, /\$/)).toBeNull();
  });
});

describe('what npm sets for the shell that runs a value (red team 28c R28c-4)', () => {
  it.each([
    ['./$COLOR p', { COLOR: '1' }],
    ['./$NODE_ENV p', { NODE_ENV: 'development', npm_config_omit: 'dev' }],
    ['./${NODE_PATH} p', { NODE_PATH: 'x' }],
    ['./$INIT_CWD p', { INIT_CWD: '/tmp' }],
    ['./$npm_config_x p', { npm_config_x: 'y' }],
    ['.$PATH p', { PATH: '/bin', path: '/x' }],
    ['.$Path p', { PATH: '/bin', Path: '/x' }]
  ])('reads %s as npm sets it, whatever the line holds', (value, env) => {
    const lookup = (name: string) => (env as Record<string, string>)[name];
    expect(runsCommand(value, lookup)).toMatch(
      /cannot know in command position \(\$/
    );
  });

  it('refuses it on a line, and lets ordinary values pass', () => {
    expect(
      installProblems(
        "COLOR=1 npm_config_call='./$COLOR p[i]p install x' npm exec"
      )
    ).toEqual([
      expect.stringContaining('cannot know in command position ($COLOR')
    ]);
    expect(runsCommand('.$PATH p', name => ({ PATH: '/bin' })[name])).toBe('');
    expect(
      runsCommand(
        'echo $COLOR $NODE_ENV',
        name => ({ COLOR: '1', NODE_ENV: 'x' })[name]
      )
    ).toBe('');
    expect(installProblems('NODE_ENV=production npm run build')).toEqual([]);
    expect(installProblems("COLOR=1 NOTE='COLOR is $COLOR' true")).toEqual([]);
  });
});

describe("bash's own readings of a value (red team 29b R29b-4/5)", () => {
  it.each([
    ["./$'\\x30' p", 'cannot know in command position'],
    ["$'u'v p x", 'cannot know in command position'],
    ['$"u"v p x', 'cannot know in command position'],
    ['./$[0] p', 'cannot know in command position'],
    ['./$((1-1)) p', 'cannot know in command position'],
    ['{u..u}{v..v} {p..p}ip install x', "bash's brace expansion {u..u}{v..v}"]
  ])('refuses %s', (value, why) => {
    expect(runsCommand(value)).toContain(why);
  });

  it('lets ordinary values pass', () => {
    for (const value of [
      '[ -n x ] && echo ready',
      'echo {a,b} done',
      '{"lr": 0.001, "epochs": 3}',
      'echo $((2 * 3)) workers'
    ]) {
      expect(runsCommand(value)).toBe('');
    }
  });

  it('refuses it on a line', () => {
    expect(
      installProblems(
        "npm_config_call='{u..u}{v..v} {p..p}ip install x' npm exec"
      )
    ).toEqual([expect.stringContaining("bash's brace expansion")]);
  });
});
