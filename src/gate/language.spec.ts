import { cellLanguage, isPython } from './language';

const notebook = (metadata: Record<string, any>) => ({
  getMetadata: (key: string) => metadata[key]
});

describe('cell language', () => {
  it("takes the notebook's recorded language first", () => {
    expect(
      cellLanguage(undefined, notebook({ language_info: { name: 'R' } }))
    ).toBe('R');
    expect(
      cellLanguage(undefined, notebook({ kernelspec: { language: 'julia' } }))
    ).toBe('julia');
  });

  it("learns a console kernel's language from its info", async () => {
    const kernel = {
      info: Promise.resolve({ language_info: { name: 'scala' } })
    };
    const session = { session: { kernel } } as any;
    expect(cellLanguage(session)).toBeUndefined();
    await kernel.info;
    await Promise.resolve();
    expect(cellLanguage(session)).toBe('scala');
  });

  it('gates Python and unknown languages, not others', () => {
    expect(isPython('python')).toBe(true);
    expect(isPython('Python3')).toBe(true);
    expect(isPython(undefined)).toBe(true);
    expect(isPython('R')).toBe(false);
  });
});
