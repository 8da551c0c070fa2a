/**
 * Settings that change which release the resolver prefers (red team 43b R43b-1, R43b-5; the
 * kernel's `installs/preference.py`, which says why). With one of them set,
 * `InstallRequest.order` names it and every specifier set counts as bounded (a listed release
 * it may allow is reached); `InstallRequest.pre` names those that let pre-releases be taken.
 * Each reader (command line, environment, uv.toml / `[tool.uv]`) calls `note` with the
 * option's name as the installer spells it there. uv's `--prerelease-package P=MODE` enables
 * pre-releases for P (red team 45a R45a-6), and a per-package form of a classified setting
 * (`<setting>-package`) counts as the setting; every option of `schema/uv-cli.json` is
 * classified or reviewed as neutral (`tests/deps/test_fix51_preference.py`).
 */
import type { InstallRequest } from './request';

// pip options (command line without `--`, PIP_<NAME>) that change which release pip takes
const PIP_ORDER = new Set(
  `prefer-binary only-binary no-binary python-version platform implementation abi
  uploaded-prior-to`.split(/\s+/)
);
const PIP_FLAGS = new Set(['prefer-binary', 'pre']);
// uv settings (command line without `--`, uv.toml keys, the UV_ variables below)
const UV_ORDER = new Set(
  `resolution exclude-newer exclude-newer-package no-binary no-binary-package only-binary
  no-build no-build-package python-version python-platform fork-strategy`.split(
    /\s+/
  )
);
const UV_FLAGS = new Set(['no-binary', 'no-build', 'pre']);
export const UV_VARS: Readonly<Record<string, string>> = {
  UV_RESOLUTION: 'resolution',
  UV_EXCLUDE_NEWER: 'exclude-newer',
  UV_PRERELEASE: 'prerelease',
  UV_NO_BINARY: 'no-binary',
  UV_NO_BINARY_PACKAGE: 'no-binary-package',
  UV_NO_BUILD: 'no-build',
  UV_NO_BUILD_PACKAGE: 'no-build-package',
  UV_FORK_STRATEGY: 'fork-strategy'
};
// values that keep the newest release first (uv's defaults)
const DEFAULTS: Readonly<Record<string, string[]>> = {
  resolution: ['highest'],
  'fork-strategy': ['requires-python']
};
// uv prerelease modes that never take a pre-release where a final one fits (the default takes
// one the specifier names: `specifiers.namesPre`)
const UV_FINAL_ONLY = ['disallow', 'if-necessary-or-explicit'];
const FALSE = ['0', 'false', 'no', 'off', 'n', 'f'];
const PACKAGE = '-package';

/** Record on `request` a `tool` setting `key` set to `value` (null for a flag on the command
 * line; a string, boolean or list from a config file) at `origin`, when it changes which
 * release the installer takes (the kernel's `preference.note`). */
export function note(
  request: InstallRequest,
  tool: 'pip' | 'uv',
  key: string,
  value: unknown,
  origin: string
): void {
  key = key.toLowerCase().replace(/_/g, '-').replace(/^-+/, '');
  const [flags, order] =
    tool === 'pip' ? [PIP_FLAGS, PIP_ORDER] : [UV_FLAGS, UV_ORDER];
  const text = typeof value === 'string' ? value.trim().toLowerCase() : '';
  if (value === false || (flags.has(key) && text && FALSE.includes(text))) {
    return; // `PIP_PRE=0`, `no-build = false`: not set
  }
  if (tool === 'uv' && key === `prerelease${PACKAGE}`) {
    // `P=MODE` (a list from a config file): MODE for P alone; a value Warden cannot split
    // counts as enabling them
    const values = Array.isArray(value) ? value : [text];
    const modes = values.map(v =>
      String(v).split('=').pop()!.trim().toLowerCase()
    );
    if (modes.some(mode => !UV_FINAL_ONLY.includes(mode))) {
      const shown = (
        Array.isArray(value) ? value.join(', ') : String(value ?? '')
      ).slice(0, 80);
      (request.pre ??= []).push(`prerelease-package ${shown} (${origin})`);
    }
    return;
  }
  const per = key.endsWith(PACKAGE) ? key.slice(0, -PACKAGE.length) : '';
  let compared = text;
  if (tool === 'uv' && !order.has(key) && order.has(per)) {
    // a per-package form (`P=VALUE`): its value is no default of the setting
    key = per;
    compared = '';
  }
  if (
    key === 'pre' ||
    (key === 'prerelease' && !UV_FINAL_ONLY.includes(compared))
  ) {
    const what = key === 'pre' ? '--pre' : `prerelease ${String(value)}`;
    (request.pre ??= []).push(`${what} (${origin})`);
  } else if (order.has(key) && !(DEFAULTS[key] ?? []).includes(compared)) {
    const shown = typeof value === 'string' && value ? `${key} ${value}` : key;
    (request.order ??= []).push(`${shown.slice(0, 80)} (${origin})`);
  }
}
