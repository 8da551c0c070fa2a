import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { eventsPlugin } from './events';
import { findingsPlugin } from './findings';
import { consoleGatePlugin, gatePlugin, notebookGatePlugin } from './gate';
import { guardPlugin } from './guard';
import { inlinePlugin, inlineSettingsPlugin } from './inline';
import { notifyPlugin } from './notify';
import { panelPlugin } from './panel';
import { policyPlugin } from './policy';
import { sandboxPlugin } from './sandbox';
import { statusPlugin } from './status';

const plugins: JupyterFrontEndPlugin<any>[] = [
  policyPlugin,
  eventsPlugin,
  statusPlugin,
  notifyPlugin,
  findingsPlugin,
  guardPlugin,
  inlineSettingsPlugin,
  inlinePlugin,
  gatePlugin,
  notebookGatePlugin,
  consoleGatePlugin,
  panelPlugin,
  sandboxPlugin
];

export default plugins;
