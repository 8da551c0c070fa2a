/**
 * Which language a cell will run in, without waiting: the gate checks Python only and must
 * hand other kernels' cells to JupyterLab untouched and in order.
 */
import type { ISessionContext } from '@jupyterlab/apputils';

const kernelLanguages = new WeakMap<object, string>();

interface IMetadataSource {
  getMetadata(key: string): any;
}

/**
 * The notebook's recorded language (language_info, else kernelspec), else the running
 * kernel's, once its info has arrived; undefined while unknown.
 */
export function cellLanguage(
  sessionContext?: ISessionContext,
  notebook?: IMetadataSource
): string | undefined {
  const recorded =
    notebook?.getMetadata('language_info')?.name ??
    notebook?.getMetadata('kernelspec')?.language;
  if (typeof recorded === 'string' && recorded) {
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

/** Python, or not known yet (checked rather than waved through). */
export function isPython(language: string | undefined): boolean {
  return !language || language.toLowerCase().startsWith('python');
}
