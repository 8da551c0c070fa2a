/**
 * Dotted paths the name resolver itself follows (besides the rule targets in callrules.ts):
 * calls that return a module or attribute, builtins that run a string as code, and the
 * objects whose subscripts or items the rules read. One list, used by the resolver and by
 * the relevance filter, so the two cannot drift apart.
 */

/** `__import__('x')` returns module x (its top package without a fromlist). */
export const IMPORT_FUNCTIONS: ReadonlySet<string> = new Set([
  '__import__',
  'builtins.__import__',
  'importlib.__import__'
]);

/** `importlib.import_module('x')` returns module x. */
export const IMPORT_MODULE = 'importlib.import_module';

/** `getattr(obj, 'name')` with a constant name is `obj.name`. */
export const GETATTR = 'getattr';

/** Builtins that run a string as code: a constant string is analysed as Python too. */
export const CODE_RUNNERS: ReadonlySet<string> = new Set([
  'exec',
  'eval',
  'builtins.exec',
  'builtins.eval'
]);

/** `sys.modules['pickle']` is module pickle. */
export const SYS_MODULES = 'sys.modules';

/** `os.environ['NAME'] = value` is checked by the environment rules. */
export const OS_ENVIRON = 'os.environ';

/** `get_ipython()` returns the kernel's IPython shell, whose methods start processes
 * (`get_ipython().system(...)`, codestarts.ts). */
export const IPYTHON_GETTERS: ReadonlySet<string> = new Set([
  'get_ipython',
  'IPython.get_ipython',
  'IPython.core.getipython.get_ipython'
]);

/** The path `get_ipython()` resolves to: not one Python code can spell, so no import or
 * attribute chain of the code itself can reach it. */
export const IPYTHON_SHELL = 'get_ipython()';

/** Every path above. */
export const RESOLVER_PATHS: readonly string[] = [
  ...IMPORT_FUNCTIONS,
  IMPORT_MODULE,
  GETATTR,
  ...CODE_RUNNERS,
  SYS_MODULES,
  OS_ENVIRON,
  ...IPYTHON_GETTERS,
  IPYTHON_SHELL
];
