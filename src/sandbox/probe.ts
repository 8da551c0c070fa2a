import { Kernel } from '@jupyterlab/services';

import { IPostureReport } from './report';

/**
 * Run the sandbox probe in a kernel without touching its namespace or history: one silent
 * execute request whose user expression returns the report as JSON text.
 */
export async function probeKernel(
  kernel: Kernel.IKernelConnection
): Promise<IPostureReport> {
  const future = kernel.requestExecute({
    code: '',
    silent: true,
    store_history: false,
    user_expressions: {
      warden_probe:
        "__import__('jupyterlab_warden.kernel.probe', fromlist=['report_json']).report_json()"
    }
  });
  const reply = await future.done;
  const expression = (reply.content as any).user_expressions?.warden_probe;
  if (!expression || expression.status !== 'ok') {
    const why = expression
      ? `${expression.ename}: ${expression.evalue}`
      : 'no reply';
    throw new Error(
      `The sandbox probe could not run in this kernel (${why}). Is jupyterlab-warden installed in the kernel's environment?`
    );
  }
  return JSON.parse(expression.data['text/plain']) as IPostureReport;
}
