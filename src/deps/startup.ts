/**
 * What a child Python runs at start-up, before any code Warden reads (red team 13; the
 * kernel's `startup_modules.py`). The static side sees no files, so it holds only the rules
 * that depend on the line: `-X` options that only tune or report (R13-7: any other, a pycache
 * prefix first, may replace the guard's own sitecustomize), and a pycache prefix on a guardless
 * child (every module it imports may come from the cell's .pyc files), a standard library
 * moved by PYTHONHOME/PYTHONPLATLIBDIR (R14-12), `-i` (R14-11). The modules a
 * PYTHONPATH folder holds (R13-10) and a warning category's module (R13-6) are file checks:
 * the kernel reads those.
 */

// CPython's -X options (3.11 to 3.13) that never change which code runs or where it comes
// from: a copy of the kernel's startup_modules.HARMLESS_X, kept the same list (pinned by
// tests/deps/test_redteam28_pythonpath.py); `dropsGuard` and `guardlessPython` read it
const HARMLESS_X: ReadonlySet<string> = new Set([
  'utf8',
  'dev',
  'importtime',
  'faulthandler',
  'tracemalloc',
  'showrefcount',
  'warn_default_encoding',
  'no_debug_ranges',
  'int_max_str_digits',
  'frozen_modules',
  'perf',
  'perf_jit',
  'cpu_count',
  'gil',
  'context_aware_warnings',
  'thread_inherit_context',
  'disable_remote_debug'
]);

/** The values of one valued interpreter option (`-X utf8`, `-Xutf8`, `-bX utf8`). */
export function optionValues(options: string[], letter: string): string[] {
  const values: string[] = [];
  for (let i = 0; i < options.length; i++) {
    const word = options[i];
    if (!word.startsWith('-') || word.startsWith('--')) {
      continue;
    }
    const at = word.indexOf(letter, 1);
    if (at > 0 && ![...word.slice(1, at)].some(c => 'WXQcm'.includes(c))) {
      if (word.slice(at + 1)) {
        values.push(word.slice(at + 1));
      } else if (i + 1 < options.length) {
        values.push(options[++i]);
      }
    }
  }
  return values;
}

/** The first -X option that is not known harmless ('' if none). */
export function unknownXOption(options: string[]): string {
  return (
    optionValues(options, 'X').find(v => !HARMLESS_X.has(v.split('=')[0])) ?? ''
  );
}

/** The pycache prefix a Python started with these options and the line's env uses. */
export function pycachePrefix(
  options: string[],
  flags: Set<string>,
  env: Record<string, string>
): string {
  if (optionValues(options, 'X').some(v => v.startsWith('pycache_prefix'))) {
    return '-X pycache_prefix';
  }
  if (flags.has('I') || flags.has('E')) {
    return '';
  }
  return env.PYTHONPYCACHEPREFIX ? 'PYTHONPYCACHEPREFIX' : '';
}

/**
 * The variable (PYTHONHOME, PYTHONPLATLIBDIR) that moves the standard library of a Python
 * started with the line's env ('' when none; `-I`/`-E` ignore both): its encodings and site
 * may then be the cell's (R14-12). The static side knows no installation's own values: any
 * value counts (the kernel accepts its own prefix and platlibdir).
 */
export function stdlibLocation(
  flags: Set<string>,
  env: Record<string, string>
): string {
  if (flags.has('I') || flags.has('E')) {
    return '';
  }
  return ['PYTHONHOME', 'PYTHONPLATLIBDIR'].find(name => env[name]) ?? '';
}

/**
 * Whether a Python started this way reads its input as an interactive session once its code,
 * script or module is done (R14-11): `-i`, or PYTHONINSPECT where it reads its environment.
 */
export function inspects(
  flags: Set<string>,
  env: Record<string, string>
): boolean {
  if (flags.has('i')) {
    return true;
  }
  return !flags.has('I') && !flags.has('E') && Boolean(env.PYTHONINSPECT);
}
