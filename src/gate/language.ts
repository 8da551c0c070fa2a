/**
 * Which language a cell will run in, without waiting: the gate checks Python only and must
 * hand other kernels' cells to JupyterLab untouched and in order.
 *
 * Only the kernel the cell goes to decides, never the notebook's metadata: a notebook can say
 * `language_info: R` (or keep a stale kernelspec) and still run on a Python kernel, and its
 * cells would then reach that kernel unchecked.
 */
import type { ISessionContext } from '@jupyterlab/apputils';

export { isPython } from '../findings/language';

const kernelLanguages = new WeakMap<object, string>();

/**
 * The running kernel's language (from its info once it has arrived, else from its
 * kernelspec); undefined while unknown or without a kernel, which the gate checks as Python.
 */
export function cellLanguage(
  sessionContext?: ISessionContext
): string | undefined {
  const kernel = sessionContext?.session?.kernel;
  if (!kernel) {
    // The default executor would start a kernel first: which one is not known yet.
    return undefined;
  }
  const known = kernelLanguages.get(kernel);
  if (known !== undefined) {
    return known;
  }
  kernel.info
    .then(info => kernelLanguages.set(kernel, info.language_info.name))
    .catch(() => undefined);
  const spec = sessionContext?.specsManager?.specs?.kernelspecs?.[kernel.name];
  return typeof spec?.language === 'string' && spec.language.trim()
    ? spec.language.trim()
    : undefined;
}
