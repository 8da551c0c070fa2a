import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { Token } from '@lumino/coreutils';

import type { IInlineSettings } from '../contracts';
import { SettingsReader } from '../settings/reader';

/** The inline plugin's id: schema/settings/inline.json is its settings schema. */
export const INLINE_PLUGIN_ID = 'jupyterlab-warden:inline';

export const INLINE_DEFAULTS: Required<IInlineSettings> = {
  inlineWarnings: true,
  toasts: true
};

/** How findings are shown to this user: read once, followed by the inline marks and the gate. */
export type InlineSettings = SettingsReader<Required<IInlineSettings>>;

export const IWardenInlineSettings = new Token<InlineSettings>(
  'jupyterlab-warden:IWardenInlineSettings',
  "The user's settings for how Jupyter Warden shows its findings."
);

/** Its own plugin: the gate needs these settings, and the inline plugin needs the gate's tracker. */
export const inlineSettingsPlugin: JupyterFrontEndPlugin<InlineSettings> = {
  id: 'jupyterlab-warden:inline-settings',
  description: 'Reads how the user wants Warden findings shown.',
  autoStart: true,
  provides: IWardenInlineSettings,
  optional: [ISettingRegistry],
  activate: (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null
  ): InlineSettings => {
    const reader = new SettingsReader(INLINE_DEFAULTS);
    void reader.connect(registry, INLINE_PLUGIN_ID);
    return reader;
  }
};
