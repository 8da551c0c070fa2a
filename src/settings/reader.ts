/**
 * One feature's settings, typed (the types are generated from schema/settings/): the defaults
 * until the setting registry answers, then the user's values over them. A feature reads its
 * settings here, in one place, and other features follow `changed`.
 */
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ISignal, Signal } from '@lumino/signaling';

export class SettingsReader<T extends object> {
  private _current: T;
  private _changed = new Signal<this, T>(this);

  constructor(private readonly _defaults: T) {
    this._current = { ..._defaults };
  }

  get current(): Readonly<T> {
    return this._current;
  }

  get changed(): ISignal<this, T> {
    return this._changed;
  }

  /** Follow `pluginId`'s settings; without a registry, or when loading fails, keep the defaults. */
  async connect(
    registry: Pick<ISettingRegistry, 'load'> | null,
    pluginId: string
  ): Promise<void> {
    if (!registry) {
      return;
    }
    try {
      const settings = await registry.load(pluginId);
      const apply = () => this.apply(settings.composite as Partial<T>);
      settings.changed.connect(apply);
      apply();
    } catch (reason) {
      console.warn(
        `Warden: could not read the settings of ${pluginId}`,
        reason
      );
    }
  }

  /** Take new values; a setting left unset (or null) keeps its default. */
  apply(values: Partial<T>): void {
    const next = { ...this._defaults };
    for (const key of Object.keys(this._defaults) as (keyof T)[]) {
      const value = values[key];
      if (value !== undefined && value !== null) {
        next[key] = value as T[keyof T];
      }
    }
    this._current = next;
    this._changed.emit(next);
  }
}
