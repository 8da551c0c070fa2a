/**
 * Fail closed on the static side: a throw while reading a command or deciding an install
 * becomes a refusal with its reason (install-unreadable), never a crash or a pass; and a
 * front end's refusal names the front end, the command and what to do.
 */
import { argvInstalls, shellInstalls } from './commands';
import { DepsData } from './data';
import { decideInstall, RULE_UNREADABLE } from './decide';
import { pipxRequest } from './pipx';
import { COMMAND_LINE, newRequest, type InstallRequest } from './request';
import { shippedData } from './shipped';
import { shellWords } from './words';

const context = (env: Record<string, string> = {}) => ({
  cwd: '/nonexistent-warden-dir',
  place: COMMAND_LINE,
  env,
  readFile: () => {
    throw new Error('no files here');
  },
  label: (p: string) => p
});

describe('decideInstall fails closed', () => {
  it('refuses, with a reason, a request whose requirement is malformed', () => {
    // what a caller handing a request over from JSON could send: a requirement with no text
    const request = newRequest('pip', 'pip install');
    request.requirements.push({
      text: null,
      name: null,
      kind: 'invalid',
      place: COMMAND_LINE,
      pin: null
    } as unknown as InstallRequest['requirements'][number]);
    const findings = decideInstall(request, {}, shippedData(), COMMAND_LINE);
    expect(findings).toEqual([
      expect.objectContaining({
        ruleId: RULE_UNREADABLE,
        reason: 'decision-failed',
        subject: 'pip install',
        message: 'Warden could not decide on this install (TypeError)'
      })
    ]);
  });

  it('refuses when the shipped data throws (any bug inside the decision)', () => {
    const broken = Object.create(DepsData.prototype) as DepsData;
    Object.assign(broken, { problems: [], snapshot: null, popular: null });
    broken.imitated = () => {
      throw new RangeError('boom https://user:SECRET@example/');
    };
    const request = newRequest('pip', 'pip install');
    request.requirements.push({
      text: 'numpy',
      name: 'numpy',
      kind: 'name',
      place: COMMAND_LINE,
      pin: null
    });
    const findings = decideInstall(request, {}, broken, COMMAND_LINE);
    expect(findings.map(f => [f.ruleId, f.reason])).toEqual([
      [RULE_UNREADABLE, 'decision-failed']
    ]);
    expect(findings[0].message).not.toContain('SECRET'); // the class name only
    // the same request with working data passes: the refusal came from the throw
    expect(decideInstall(request, {}, shippedData(), COMMAND_LINE)).toEqual([]);
  });
});

describe('reading a command fails closed', () => {
  const throwing = new Proxy({} as Record<string, string>, {
    ownKeys: () => {
      throw new Error('environment unreadable');
    }
  });

  it.each([
    ['a shell string', () => shellInstalls('pip install numpy', 0, throwing, context()).map(f => f.request)],
    ['an argv list', () => argvInstalls(['pip', 'install', 'numpy'], throwing, context())]
  ])('%s: a reader bug is an unreadable request, not a crash', (_what, read) => {
    const requests = read();
    expect(requests).toHaveLength(1);
    expect(requests[0].problems.map(p => p.text)).toEqual([
      'Warden failed to read the command (Error)'
    ]);
    const findings = decideInstall(requests[0], {}, shippedData(), COMMAND_LINE);
    expect(findings.map(f => f.ruleId)).toEqual([RULE_UNREADABLE]);
  }); // prettier-ignore
});

describe('front ends: deny by default, with a reason', () => {
  const problems = (command: string, env: Record<string, string> = {}) =>
    shellInstalls(command, 0, env, context(env)).flatMap(f =>
      f.request.problems.map(p => p.text)
    );

  it('names the front end, the command and what to do for an unknown command', () => {
    expect(problems('poetry publish --build')).toEqual([
      '`poetry publish` is not a poetry command Warden knows to install nothing, and ' +
        'Warden does not read what it may resolve, build or install; install with %pip or ' +
        'uv (commands Warden reads), or ask your admin'
    ]);
    expect(problems('poetry show --tree')).toEqual([]);
  });

  it('refuses pixi, rye and pip-tools commands naming the tool and the command (issue 20)', () => {
    const advice =
      'install with %pip or uv (commands Warden reads), or ask your admin';
    expect(problems('pixi upload x.conda')).toEqual([
      '`pixi upload` is not a pixi command Warden knows to install nothing, and Warden ' +
        `does not read what it may resolve, build or install; ${advice}`
    ]);
    expect(problems('pip-compile requirements.in')).toEqual([
      "`pip-compile` resolves, downloads and builds packages (an sdist's setup.py runs) " +
        `to compile its requirements, which Warden does not read; ${advice}`
    ]);
    expect(problems('python -m piptools sync r.txt')).toEqual([
      '`pip-sync` installs and uninstalls packages with pip, which Warden does not read; ' +
        advice
    ]);
    expect(problems('rye sync')[0]).toMatch(
      /^rye installs from its own project files/
    );
    for (const command of [
      'pixi info',
      'pixi search numpy',
      'rye show',
      'rye version',
      'pip-sync -h'
    ]) {
      expect(problems(command)).toEqual([]);
    }
  });

  it('names a redirecting environment variable without its value', () => {
    const env = { PIPX_DEFAULT_PYTHON: '/opt/secret-place/python3' };
    const [text] = problems('pipx install black', env);
    expect(text).toContain('PIPX_DEFAULT_PYTHON');
    expect(text).not.toContain('secret-place');
    expect(problems('pipx install black')).toEqual([]);
  });
});

describe('pipx command lines cut anywhere (red5 L1)', () => {
  const lines = [
    "install --index-url https://x --pip-args='-i https://y' --preinstall a --backend uv b",
    'run --spec a --with b --index-url https://x app arg',
    'inject -r r.txt --index-url https://x venv pkg',
    'runpip venv install -i https://x pkg',
    'upgrade --global -i https://x black',
    'install -qihttps://x --index-u=https://y black'
  ];
  it('are read and decided without throwing (no catch-all needed)', () => {
    let read = 0;
    for (const text of lines) {
      const words = shellWords(text);
      for (let n = 0; n <= words.length; n++) {
        const cuts = [words.slice(0, n)];
        for (let k = 1; n < words.length && k < words[n].length; k++) {
          cuts.push([...words.slice(0, n), words[n].slice(0, k)]);
        }
        for (const cut of cuts) {
          const request = pipxRequest(cut, context(), {});
          if (request !== null) {
            const findings = decideInstall(
              request,
              {},
              shippedData(),
              COMMAND_LINE
            );
            expect(findings.map(f => f.reason)).not.toContain(
              'decision-failed'
            );
            read++;
          }
        }
      }
    }
    expect(read).toBeGreaterThan(200);
  });
});
