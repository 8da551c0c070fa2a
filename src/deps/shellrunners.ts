/**
 * Programs that run an argument as shell text or as a command of their own (red team 13
 * R13-5): `script -c TEXT`, `git -c alias.x='!TEXT'`, `tar --checkpoint-action=exec=TEXT`,
 * `flock F CMD`, `find -exec CMD ;`. The static side's port of the kernel's
 * `jupyterlab_warden/kernel/guard/installs/shell_runners.py`, on the shared table
 * schema/shell-runners.json: it only finds the texts and commands (and the options that run
 * code Warden does not read); `commands.ts` reads each text as a shell line and each command
 * as a start.
 */
import table from '../../schema/shell-runners.json';

interface Runner {
  names: string[];
  name_pattern?: string;
  shell_options?: string[];
  prefixed_values?: Record<string, string>;
  refused_options?: string[];
  refused_prefixes?: string[];
  valued_options?: string[];
  single_dash_long?: boolean;
  options_anywhere?: boolean;
  shell_operands_from?: number;
  command_operands_from?: number;
  command_options?: string[];
  subcommands?: Record<string, string>;
  refused_operand?: string;
  operands_from?: number;
  shell_variables?: string[];
  command_variables?: string[];
  refused_variables?: string[];
  setting_options?: string[];
  setting_variables?: Record<string, string>;
  shell_keys?: string;
  refused_keys?: string;
}

export interface Reading {
  texts: string[]; // shell text the program runs (through sh -c)
  commands: string[][]; // commands it starts, as words
  refused: string; // why it runs code Warden cannot read ('' when it does not)
}

const RUNNERS = Object.values(
  (table as { programs: Record<string, Runner> }).programs
).map(spec => ({
  spec,
  names: new Set(spec.names),
  pattern: spec.name_pattern ? new RegExp(spec.name_pattern) : null
}));

/**
 * What `program args` (started with `env`: the line's assignments) runs as shell text or
 * commands; null when it is not in the table.
 */
export function readRunner(
  program: string,
  args: readonly string[],
  env: Readonly<Record<string, string>> = {}
): Reading | null {
  const found = RUNNERS.find(
    r => r.names.has(program) || (r.pattern !== null && r.pattern.test(program))
  );
  if (!found) {
    return null;
  }
  const spec = found.spec;
  const reading = parse(program, spec, [...args], env);
  if (reading.refused) {
    return reading;
  }
  for (const [name, value] of Object.entries(env)) {
    if (listed(name, spec.refused_variables)) {
      return {
        texts: [],
        commands: [],
        refused: `${program} started with ${name} runs settings or code Warden does not read: start it without that variable`
      };
    }
    if (listed(name, spec.shell_variables)) {
      reading.texts.push(value.replace(/^\s*!/, '')); // GIT_CONFIG_VALUE_0='!TEXT'
    } else if (listed(name, spec.command_variables) && value) {
      reading.commands.push([value]);
    }
  }
  return reading;
}

function listed(name: string, names: readonly string[] = []): boolean {
  return names.some(
    n => name === n || (n.endsWith('*') && name.startsWith(n.slice(0, -1)))
  );
}

function parse(
  program: string,
  spec: Runner,
  args: string[],
  env: Readonly<Record<string, string>>
): Reading {
  const shell = new Set(spec.shell_options ?? []);
  const settings = new Set(spec.setting_options ?? []);
  const shellKeys = new RegExp(spec.shell_keys ?? '(?!)', 'i');
  const refusedKeys = new RegExp(spec.refused_keys ?? '(?!)', 'i');
  let refusedSetting = '';
  const prefixed = new Map(
    Object.entries(spec.prefixed_values ?? {}).map(([k, v]) => [
      k,
      new RegExp(v, 'i')
    ])
  );
  const refusedOptions = new Set(spec.refused_options ?? []);
  const valued = new Set([
    ...(spec.valued_options ?? []),
    ...shell,
    ...prefixed.keys(),
    ...settings
  ]);
  const ends = new Set(spec.command_options ?? []);
  const texts: string[] = [];
  const commands: string[][] = [];
  const refuse = (what: string): Reading => ({
    texts: [],
    commands: [],
    refused: `${program} ${what} runs commands Warden does not read: run the installer directly, or start the program without it`
  });
  // a KEY=VALUE setting (git's -c, `config KEY VALUE`): shell text for a key git runs as a
  // command (an alias, core.sshCommand), refused for one that brings code from a file
  // (include.path, core.hooksPath), data otherwise (safe.directory '*')
  const setting = (key: string, text: string) => {
    if (refusedKeys.test(key.trim())) {
      refusedSetting = refusedSetting || key.trim();
    } else if (shellKeys.test(key.trim())) {
      texts.push(text.replace(/^\s*!/, ''));
    }
  };
  const value = (option: string, text: string) => {
    if (settings.has(option)) {
      const eq = text.indexOf('=');
      setting(
        eq < 0 ? text : text.slice(0, eq),
        eq < 0 ? '' : text.slice(eq + 1)
      );
      return;
    }
    if (shell.has(option)) {
      texts.push(text);
      return;
    }
    const pattern = prefixed.get(option);
    const hit = pattern?.exec(text);
    if (hit && hit.index === 0) {
      // `exec=TEXT`, `alias.x=!TEXT`, `ProxyCommand=TEXT`; a value that does not match is data
      texts.push(text.slice(hit[0].length));
    }
  };
  const operands: string[] = [];
  let i = 0;
  while (i < args.length) {
    const word = args[i];
    if (word === '--' && ends.size === 0) {
      operands.push(...args.slice(i + 1));
      break;
    }
    const prefix = (spec.refused_prefixes ?? []).find(p => word.startsWith(p));
    if (prefix !== undefined && !/^\+\d*$/.test(word)) {
      return refuse(`'${word.slice(0, 20)}'`);
    }
    if (ends.has(word)) {
      // find -exec CMD ARGS ; (or +)
      let end = i + 1;
      while (end < args.length && args[end] !== ';' && args[end] !== '+') {
        end++;
      }
      commands.push(args.slice(i + 1, end));
      i = end + 1;
      continue;
    }
    if (!word.startsWith('-') || word === '-') {
      if (!spec.options_anywhere) {
        operands.push(...args.slice(i));
        break;
      }
      operands.push(word);
      i++;
      continue;
    }
    if (word.startsWith('--') || spec.single_dash_long) {
      const eq = word.indexOf('=');
      const option = eq < 0 ? word : word.slice(0, eq);
      if (refusedOptions.has(option)) {
        return refuse(option);
      }
      let text = eq < 0 ? '' : word.slice(eq + 1);
      if (valued.has(option) && eq < 0) {
        text = args[i + 1] ?? '';
        i++;
      }
      value(option, text);
      i++;
      continue;
    }
    // single-dash letters are options until one takes a value (the rest, or the next word)
    let next = i + 1;
    for (let k = 1; k < word.length; k++) {
      const option = `-${word[k]}`;
      const rest = word.slice(k + 1);
      if (refusedOptions.has(option)) {
        return refuse(option);
      }
      if (valued.has(option)) {
        value(option, rest || (args[i + 1] ?? ''));
        next = rest ? i + 1 : i + 2;
        break;
      }
    }
    i = next;
  }
  if (spec.refused_operand) {
    const refused = new RegExp(spec.refused_operand);
    for (const word of operands.slice(spec.operands_from ?? 0)) {
      if (refused.test(word)) {
        return refuse(`'${word.slice(0, 40)}'`);
      }
    }
  }
  const shellFrom = spec.shell_operands_from;
  if (shellFrom !== undefined && operands.length > shellFrom) {
    texts.push(operands.slice(shellFrom).join(' '));
  }
  const commandFrom = spec.command_operands_from;
  if (commandFrom !== undefined && operands.length > commandFrom) {
    commands.push(operands.slice(commandFrom));
  }
  const subcommands = spec.subcommands ?? {};
  for (let k = 0; k < operands.length; k++) {
    const kind = Object.prototype.hasOwnProperty.call(subcommands, operands[k])
      ? subcommands[operands[k]]
      : undefined;
    if (kind === undefined) {
      continue;
    }
    let rest = operands.slice(k + 1);
    if (kind === 'shell' && rest.length > 0) {
      texts.push(rest.join(' '));
    } else if (kind === 'setting') {
      // `git config [set] KEY VALUE`: an alias (`!TEXT`) or a command setting
      rest = rest[0] === 'set' ? rest.slice(1) : rest;
      for (const v of rest.slice(1)) {
        setting(rest[0], v);
      }
    }
    break;
  }
  for (const [valuePrefix, keyPrefix] of Object.entries(
    spec.setting_variables ?? {}
  )) {
    // GIT_CONFIG_KEY_0=alias.x GIT_CONFIG_VALUE_0='!TEXT'
    for (const [name, v] of Object.entries(env)) {
      if (name.startsWith(valuePrefix)) {
        setting(env[keyPrefix + name.slice(valuePrefix.length)] ?? '', v);
      }
    }
  }
  if (refusedSetting) {
    return refuse(`setting ${refusedSetting}`);
  }
  return { texts, commands, refused: '' };
}
