/**
 * Installer front ends beyond pip, uv and conda (a port of the kernel's
 * `installs/frontends.py`): pipx runs pip, so its installs are read fully (packages,
 * `--index-url`, `--spec`, `--pip-args`); poetry, pdm, pipenv and hatch resolve from their own
 * project files and config that Warden does not read: the packages a command names are
 * decided and the install also carries an install-unreadable problem.
 */
import { pipRequest, type CommandContext } from './installers';
import { newRequest, type InstallRequest } from './request';
import { parseRequirement } from './requirements';
import { shellWords } from './words';

export const FRONT_ENDS = new Set(['pipx', 'poetry', 'pdm', 'pipenv', 'hatch']);

/** front end -> [commands that install, commands whose positional words are packages] */
const INSTALLING: Record<string, [string[], string[]]> = {
  pipx: [
    ['install', 'run', 'inject', 'upgrade', 'install-all', 'reinstall', 'reinstall-all', 'upgrade-all'],
    ['install', 'inject', 'upgrade']
  ],
  poetry: [['add', 'install', 'sync', 'update', 'lock'], ['add']],
  pdm: [['add', 'install', 'sync', 'update', 'lock'], ['add']],
  pipenv: [['install', 'sync', 'update', 'upgrade', 'lock'], ['install', 'upgrade']],
  hatch: [['run', 'shell', 'env', 'build', 'test', 'dep'], []]
}; // prettier-ignore
const VALUED: Record<string, Set<string>> = {
  pipx: new Set(['--index-url', '-i', '--pip-args', '--suffix', '--python', '--spec',
    '--preinstall', '--backend', '--global-option']),
  poetry: new Set(['--group', '-G', '--source', '--extras', '-E', '--python', '--platform',
    '--markers', '--directory', '-C', '--project', '-P', '--only', '--with', '--without']),
  pdm: new Set(['-G', '--group', '-p', '--project', '-L', '--lockfile', '-v', '--venv',
    '--update-strategy']),
  pipenv: new Set(['--python', '--pypi-mirror', '-i', '--index', '--extra-index-url',
    '--categories', '-r', '--requirements']),
  hatch: new Set(['-e', '--env', '-p', '--project'])
}; // prettier-ignore

type Word = [string | null, string | null];

function words(tool: string, args: string[]): Word[] {
  const out: Word[] = [];
  const valued = VALUED[tool];
  for (let i = 0; i < args.length; i++) {
    const word = args[i];
    if (word === '--') {
      out.push(...args.slice(i + 1).map(w => [null, w] as Word));
      break;
    }
    if (!word.startsWith('-') || word === '-') {
      out.push([null, word]);
      continue;
    }
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    let value: string | null = eq < 0 ? null : word.slice(eq + 1);
    if (valued.has(name) && eq < 0) {
      value = args[i + 1] ?? '';
      i++;
    }
    out.push([name, valued.has(name) ? value : null]);
  }
  return out;
}

/** The install `tool args` asks for, or null when the command installs nothing. */
export function frontEndRequest(
  tool: string,
  args: string[],
  context: CommandContext
): InstallRequest | null {
  const all = words(tool, args);
  const positional = all.filter(w => w[0] === null).map(w => w[1]!);
  const command = positional[0];
  const [installing, named] = INSTALLING[tool];
  if (command === undefined || !installing.includes(command)) {
    return null;
  }
  const request = newRequest('pip', `${tool} ${command}`);
  const place = context.place;
  let packages = positional.slice(1);
  if (tool === 'pipx' && command === 'run') {
    packages = packages.slice(0, 1); // the app; what follows are its own arguments
  }
  if (tool === 'pipx' && command === 'inject') {
    packages = packages.slice(1); // the first is the venv
  }
  if (named.includes(command) || (tool === 'pipx' && command === 'run')) {
    for (const word of packages) {
      request.requirements.push(parseRequirement(word, place));
    }
  }
  for (const [name, value] of all) {
    if (name === '--spec' || name === '--preinstall') {
      if (tool === 'pipx' && name === '--spec' && command === 'run') {
        request.requirements = []; // the app is taken from --spec
      }
      request.requirements.push(parseRequirement(value ?? '', place));
    } else if (
      (tool === 'pipx' || tool === 'pipenv') &&
      name !== null &&
      ['--index-url', '-i', '--index', '--pypi-mirror'].includes(name)
    ) {
      request.sources.push({ url: value ?? '', role: 'index', place });
    } else if (name === '--extra-index-url') {
      request.sources.push({ url: value ?? '', role: 'extra-index', place });
    } else if (name === '--pip-args') {
      const inner = pipRequest(
        ['install', ...shellWords(value ?? '')],
        context
      );
      if (inner) {
        request.requirements.push(...inner.requirements);
        request.sources.push(...inner.sources);
        request.problems.push(...inner.problems);
        request.noIndex = request.noIndex || inner.noIndex;
      }
    }
  }
  if (tool !== 'pipx') {
    request.problems.push({
      text: `${tool} installs from its own project files and config (sources, locks, environments) that Warden does not read; install with %pip or uv instead`,
      place
    });
  } else if (command.endsWith('-all') || command.startsWith('reinstall')) {
    request.problems.push({
      text: `pipx ${command} reinstalls from pipx's own records, unread by Warden`,
      place
    });
  } else if (!request.requirements.length) {
    request.problems.push({
      text: `no package found in \`pipx ${command}\``,
      place
    });
  }
  return request;
}
