import { cellLanguage, isPython } from './language';

function session(
  kernel: { name: string; info: Promise<any> } | null,
  specs: Record<string, { language: string }> = {},
  metadata: Record<string, any> = {}
) {
  return {
    session: kernel ? { kernel } : null,
    specsManager: { specs: { kernelspecs: specs } },
    metadata
  } as any;
}

const never = () => new Promise<any>(() => undefined);

describe('cell language', () => {
  it("learns a kernel's language from its info", async () => {
    const kernel = {
      name: 'almond',
      info: Promise.resolve({ language_info: { name: 'scala' } })
    };
    const s = session(kernel);
    expect(cellLanguage(s)).toBeUndefined();
    await kernel.info;
    await Promise.resolve();
    expect(cellLanguage(s)).toBe('scala');
  });

  it("takes the kernelspec's language until the kernel's info arrives", () => {
    const s = session({ name: 'ir', info: never() }, { ir: { language: 'R' } });
    expect(cellLanguage(s)).toBe('R');
    expect(isPython(cellLanguage(s))).toBe(false);
  });

  it('never trusts what the notebook says: a Python kernel is gated whatever it records', async () => {
    // A notebook recording R (language_info, kernelspec) run on a Python kernel: checked.
    const kernel = {
      name: 'python3',
      info: Promise.resolve({ language_info: { name: 'python' } })
    };
    const s = session(kernel, { python3: { language: 'python' } });
    expect(isPython(cellLanguage(s))).toBe(true);
    await kernel.info;
    await Promise.resolve();
    expect(cellLanguage(s)).toBe('python');
  });

  it('checks a cell when no kernel runs yet (the one that starts is not known)', () => {
    expect(cellLanguage(session(null))).toBeUndefined();
    expect(cellLanguage(undefined)).toBeUndefined();
    // A kernel whose spec is unknown too.
    expect(cellLanguage(session({ name: 'mystery', info: never() }))).toBe(
      undefined
    );
  });

  it('gates Python and unknown languages, not others', () => {
    expect(isPython('python')).toBe(true);
    expect(isPython('Python3')).toBe(true);
    expect(isPython(undefined)).toBe(true);
    expect(isPython('R')).toBe(false);
  });
});
