/**
 * Which language a notebook's or editor's code is in, without waiting for a kernel. A notebook
 * written by a tool often has a `kernelspec` but no `language_info` (JupyterLab fills that in
 * only once a kernel replies), and until then its cells have the default mime type
 * `text/plain`: the metadata decides instead. Pure.
 */

/** Notebook and console code cells (IPython) and .py files. */
export const PYTHON_MIME_TYPES: ReadonlySet<string> = new Set([
  'text/x-ipython',
  'text/x-python'
]);

/** The mime type JupyterLab gives a cell while the notebook's language is unknown. */
const UNKNOWN_MIME_TYPES: ReadonlySet<string> = new Set(['', 'text/plain']);

export interface IMetadataSource {
  getMetadata(key: string): any;
}

/** Kernel names that say Python: python3, python3.11, conda-env-ml-py, pyspark... */
const PYTHON_KERNEL_NAME =
  /^(i?python|pyspark)|(^|[-_])py(thon)?[0-9.]*($|[-_])/i;

/**
 * The language a notebook records: `language_info.name`, else `kernelspec.language`, else
 * what `kernelspec.name` says; undefined when it records none.
 */
export function recordedLanguage(
  notebook: IMetadataSource | null | undefined
): string | undefined {
  const info = notebook?.getMetadata('language_info');
  const spec = notebook?.getMetadata('kernelspec');
  for (const name of [info?.name, spec?.language]) {
    if (typeof name === 'string' && name.trim()) {
      return name.trim();
    }
  }
  const kernel = spec?.name;
  if (typeof kernel === 'string' && kernel.trim()) {
    // Not a language: keep it only when it plainly names Python.
    return PYTHON_KERNEL_NAME.test(kernel.trim()) ? 'python' : kernel.trim();
  }
  return undefined;
}

/** Python, or not known yet (checked rather than waved through). */
export function isPython(language: string | undefined): boolean {
  return !language || /^i?python/i.test(language);
}

/**
 * Does an editor hold Python? Its mime type decides when it names a language; a cell whose
 * mime type is still the default takes its notebook's recorded language. A plain-text editor
 * outside a notebook (a .txt file) is not Python.
 */
export function editorIsPython(
  mimeType: string,
  notebook: IMetadataSource | null | undefined
): boolean {
  if (PYTHON_MIME_TYPES.has(mimeType)) {
    return true;
  }
  if (!UNKNOWN_MIME_TYPES.has(mimeType) || !notebook) {
    return false;
  }
  return isPython(recordedLanguage(notebook));
}
