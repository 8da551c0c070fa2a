import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { findingsPlugin } from './findings';
import { consoleGatePlugin, notebookGatePlugin } from './gate';
import { guardPlugin } from './guard';
import { inlinePlugin } from './inline';
import { panelPlugin } from './panel';
import { policyPlugin } from './policy';
import { sandboxPlugin } from './sandbox';
import { statusPlugin } from './status';

const plugins: JupyterFrontEndPlugin<any>[] = [
  policyPlugin,
  statusPlugin,
  findingsPlugin,
  guardPlugin,
  inlinePlugin,
  notebookGatePlugin,
  consoleGatePlugin,
  panelPlugin,
  sandboxPlugin
];

export default plugins;
