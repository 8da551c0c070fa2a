import { editorIsPython, isPython, recordedLanguage } from './language';

const notebook = (metadata: Record<string, any>) => ({
  getMetadata: (key: string) => metadata[key]
});

describe('recordedLanguage', () => {
  it('prefers language_info, then kernelspec.language', () => {
    expect(
      recordedLanguage(
        notebook({
          language_info: { name: 'R' },
          kernelspec: { language: 'python', name: 'python3' }
        })
      )
    ).toBe('R');
    expect(
      recordedLanguage(notebook({ kernelspec: { language: 'julia' } }))
    ).toBe('julia');
  });

  it('reads a Python kernel name when the spec names no language', () => {
    for (const name of [
      'python3',
      'Python3.11',
      'conda-env-ml-py',
      'pyspark'
    ]) {
      expect(recordedLanguage(notebook({ kernelspec: { name } }))).toBe(
        'python'
      );
    }
    expect(recordedLanguage(notebook({ kernelspec: { name: 'ir' } }))).toBe(
      'ir'
    );
    expect(recordedLanguage(notebook({ kernelspec: { name: 'pyro' } }))).toBe(
      'pyro'
    );
  });

  it('is undefined when nothing is recorded', () => {
    expect(recordedLanguage(notebook({}))).toBeUndefined();
    expect(recordedLanguage(notebook({ kernelspec: { name: ' ' } }))).toBe(
      undefined
    );
    expect(recordedLanguage(null)).toBeUndefined();
  });
});

describe('isPython', () => {
  it('gates Python and unknown languages, not others', () => {
    expect(isPython('python')).toBe(true);
    expect(isPython('Python3')).toBe(true);
    expect(isPython('ipython')).toBe(true);
    expect(isPython(undefined)).toBe(true);
    expect(isPython('R')).toBe(false);
    expect(isPython('pyro')).toBe(false);
  });
});

describe('editorIsPython', () => {
  const pythonSpecOnly = notebook({
    kernelspec: {
      name: 'python3',
      display_name: 'Python 3',
      language: 'python'
    }
  });

  it('takes a Python mime type at its word', () => {
    expect(editorIsPython('text/x-ipython', null)).toBe(true);
    expect(editorIsPython('text/x-python', null)).toBe(true);
  });

  it("decides a default-mime cell from its notebook's kernelspec (no language_info yet)", () => {
    expect(editorIsPython('text/plain', pythonSpecOnly)).toBe(true);
    expect(
      editorIsPython(
        'text/plain',
        notebook({ kernelspec: { name: 'python3' } })
      )
    ).toBe(true);
    expect(
      editorIsPython(
        'text/plain',
        notebook({ kernelspec: { name: 'ir', language: 'R' } })
      )
    ).toBe(false);
    // A notebook that records nothing is checked, as the gate checks it.
    expect(editorIsPython('text/plain', notebook({}))).toBe(true);
  });

  it('leaves other languages and plain files alone', () => {
    expect(editorIsPython('text/x-rsrc', pythonSpecOnly)).toBe(false);
    expect(editorIsPython('text/x-ipythongfm', pythonSpecOnly)).toBe(false);
    expect(editorIsPython('text/plain', null)).toBe(false);
  });
});
