import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, MainAreaWidget } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';

import { requestWarden } from '../api/client';
import type { IPolicySettings } from '../contracts';
import { SettingsReader } from '../settings/reader';
import { PolicyModel } from './model';
import { IPolicyReply } from './policy';
import { IWardenPolicy } from './tokens';
import { PolicyView } from './view';

export { IWardenPolicy } from './tokens';

const PLUGIN_ID = 'jupyterlab-warden:policy';
export const SHOW_POLICY = 'warden:show-policy';

export const policyPlugin: JupyterFrontEndPlugin<IWardenPolicy> = {
  id: PLUGIN_ID,
  description: "Keeps the lab's effective Warden policy and shows it.",
  autoStart: true,
  provides: IWardenPolicy,
  optional: [ISettingRegistry, ICommandPalette, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    registry: ISettingRegistry | null,
    palette: ICommandPalette | null
  ): IWardenPolicy => {
    const model = new PolicyModel(() => requestWarden<IPolicyReply>('policy'));
    void model.refresh();

    const settings = new SettingsReader<Required<IPolicySettings>>({
      stricterRules: {},
      refreshSeconds: 5
    });
    const apply = async () => {
      const { stricterRules: rules, refreshSeconds } = settings.current;
      model.setUserRules(rules);
      model.startPolling(refreshSeconds);
      // The server applies them to the kernel guard too; it ignores anything weaker.
      try {
        await requestWarden('policy/user', {
          method: 'PUT',
          body: JSON.stringify({ rules })
        });
      } catch (reason) {
        console.warn('Warden: could not send your stricter rules', reason);
      }
    };
    model.startPolling(settings.current.refreshSeconds);
    settings.changed.connect(() => void apply());
    void settings.connect(registry, PLUGIN_ID);

    let view: MainAreaWidget<PolicyView> | null = null;
    app.commands.addCommand(SHOW_POLICY, {
      label: 'Warden: Show Effective Policy',
      execute: () => {
        if (!view || view.isDisposed) {
          view = new MainAreaWidget({ content: new PolicyView(model) });
          view.id = 'warden-policy';
          view.title.label = 'Warden Policy';
        }
        if (!view.isAttached) {
          app.shell.add(view, 'main');
        }
        app.shell.activateById(view.id);
        void model.refresh();
      }
    });
    palette?.addItem({ command: SHOW_POLICY, category: 'Warden' });
    return model;
  }
};
