import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { statusPlugin } from './status';

const plugins: JupyterFrontEndPlugin<any>[] = [statusPlugin];

export default plugins;
