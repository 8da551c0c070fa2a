import { Signal } from '@lumino/signaling';

import { SettingsReader } from './reader';

interface ISettings {
  toasts: boolean;
  refreshSeconds: number;
}

/** A fake ISettingRegistry with one plugin's settings, changeable by the test. */
function registry(composite: Partial<ISettings>) {
  const loaded = {
    composite: composite as Record<string, unknown>,
    changed: new Signal<object, void>({})
  };
  return {
    loads: [] as string[],
    loaded,
    load(id: string) {
      this.loads.push(id);
      return Promise.resolve(loaded as any);
    },
    set(values: Partial<ISettings>) {
      loaded.composite = values as Record<string, unknown>;
      loaded.changed.emit();
    }
  };
}

const DEFAULTS: ISettings = { toasts: true, refreshSeconds: 5 };

describe('SettingsReader', () => {
  it('gives the defaults until the registry answers, and without one', async () => {
    const reader = new SettingsReader(DEFAULTS);
    expect(reader.current).toEqual(DEFAULTS);
    await reader.connect(null, 'x:y');
    expect(reader.current).toEqual(DEFAULTS);
  });

  it("reads the plugin's settings, and follows their changes", async () => {
    const fake = registry({ toasts: false });
    const reader = new SettingsReader(DEFAULTS);
    const seen: ISettings[] = [];
    reader.changed.connect((_, value) => seen.push(value));
    await reader.connect(fake, 'jupyterlab-warden:inline');
    expect(fake.loads).toEqual(['jupyterlab-warden:inline']);
    expect(reader.current).toEqual({ toasts: false, refreshSeconds: 5 });
    fake.set({ refreshSeconds: 30 });
    expect(reader.current).toEqual({ toasts: true, refreshSeconds: 30 });
    expect(seen).toHaveLength(2);
  });

  it('keeps the defaults when the settings cannot be loaded', async () => {
    const warn = jest
      .spyOn(console, 'warn')
      .mockImplementation(() => undefined);
    try {
      const reader = new SettingsReader(DEFAULTS);
      await reader.connect(
        { load: () => Promise.reject(new Error('no schema')) },
        'x:y'
      );
      expect(reader.current).toEqual(DEFAULTS);
      expect(warn).toHaveBeenCalled();
    } finally {
      warn.mockRestore();
    }
  });

  it('ignores keys it does not know', () => {
    const reader = new SettingsReader(DEFAULTS);
    reader.apply({ toasts: false, other: 1 } as Partial<ISettings>);
    expect(reader.current).toEqual({ toasts: false, refreshSeconds: 5 });
  });
});
