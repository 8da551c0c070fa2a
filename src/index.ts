import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { policyPlugin } from './policy';
import { statusPlugin } from './status';

const plugins: JupyterFrontEndPlugin<any>[] = [policyPlugin, statusPlugin];

export default plugins;
