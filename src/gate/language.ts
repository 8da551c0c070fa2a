/**
 * Which language a cell will run in, without waiting: the gate checks Python only and must
 * hand other kernels' cells to JupyterLab untouched and in order.
 */
import type { ISessionContext } from '@jupyterlab/apputils';

import { IMetadataSource, recordedLanguage } from '../findings/language';

export { isPython } from '../findings/language';

const kernelLanguages = new WeakMap<object, string>();

/**
 * The notebook's recorded language (language_info, else kernelspec), else the running
 * kernel's, once its info has arrived; undefined while unknown.
 */
export function cellLanguage(
  sessionContext?: ISessionContext,
  notebook?: IMetadataSource
): string | undefined {
  const recorded = recordedLanguage(notebook);
  if (recorded) {
    return recorded;
  }
  const kernel = sessionContext?.session?.kernel;
  if (!kernel) {
    return undefined;
  }
  const known = kernelLanguages.get(kernel);
  if (known === undefined) {
    kernel.info
      .then(info => kernelLanguages.set(kernel, info.language_info.name))
      .catch(() => undefined);
  }
  return known;
}
