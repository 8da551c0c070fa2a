/**
 * Installs the kernel guard into Python kernels before their first user cell, again after
 * every restart, and relays the guard's runtime events.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { Kernel, KernelMessage } from '@jupyterlab/services';

import { requestWarden } from '../api/client';
import { IWardenEvent } from '../events/event';

export const COMM_TARGET = 'jupyterlab-warden';

interface IBootstrap {
  enabled: boolean;
  source: string;
  status_variable: string;
  policy_revision: number;
}

export interface IGuardStatus {
  installed?: boolean;
  version?: string;
  mode?: string;
  install_ms?: number;
  torch_vulnerable?: boolean;
  errors?: string[];
}

/** A Python str's repr (what user_expressions return) back to its text. */
export function parsePythonStr(repr: string): string {
  const quote = repr[0];
  if ((quote !== "'" && quote !== '"') || repr[repr.length - 1] !== quote) {
    return repr;
  }
  return repr
    .slice(1, -1)
    .replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
}

export class GuardInstaller {
  private _installs = new Map<string, Promise<IGuardStatus | null>>();
  private _commKernels = new WeakSet<Kernel.IKernelConnection>();

  constructor(
    /** `recorded`: the kernel's spool took the event, so the server has it already. */
    private readonly _onEvent: (event: IWardenEvent, recorded: boolean) => void,
    private readonly _onFailure: (why: string) => void,
    // The kernel's id lets the server sign the policy update with that kernel's key.
    private readonly _fetchBootstrap = (kernelId: string) =>
      requestWarden<IBootstrap>(
        `guard/bootstrap?kernel_id=${encodeURIComponent(kernelId)}`
      )
  ) {}

  /** Status of the guard in a kernel, once installed. */
  status(kernelId: string): Promise<IGuardStatus | null> | undefined {
    return this._installs.get(kernelId);
  }

  async ready(sessionContext: ISessionContext): Promise<void> {
    // A notebook opened a moment ago may still be starting its kernel.
    await sessionContext.ready;
    const kernel = sessionContext.session?.kernel;
    if (!kernel) {
      return;
    }
    let install = this._installs.get(kernel.id);
    // A connection of its own to a kernel already guarded (the notebook closed and opened
    // again, another view of it) has no comm target yet: its install registers one and runs
    // the bootstrap, so the guard's next event opens a comm this connection sees.
    if (!install || !this._commKernels.has(kernel)) {
      install = this._install(kernel);
      this._installs.set(kernel.id, install);
      kernel.statusChanged.connect(this._onStatus, this);
    }
    await install;
  }

  private _onStatus(
    kernel: Kernel.IKernelConnection,
    status: Kernel.Status
  ): void {
    // A restarted kernel is a new process without the guard: install again before user code.
    if (status === 'restarting' || status === 'autorestarting') {
      this._installs.delete(kernel.id);
    } else if (status === 'idle' && !this._installs.has(kernel.id)) {
      this._installs.set(kernel.id, this._install(kernel));
    }
  }

  private async _install(
    kernel: Kernel.IKernelConnection
  ): Promise<IGuardStatus | null> {
    // Before the bootstrap: it tells the kernel's guard that this page listens, and the guard
    // then opens a new comm at its next event (one opened earlier never reaches this page).
    this._listen(kernel);
    const spec = await kernel.spec;
    if (spec && !/python/i.test(spec.language)) {
      return null;
    }
    let bootstrap: IBootstrap;
    try {
      bootstrap = await this._fetchBootstrap(kernel.id);
    } catch (reason) {
      this._onFailure(
        `the lab server did not send it (${(reason as Error).message ?? reason})`
      );
      return null;
    }
    if (!bootstrap.enabled) {
      return null;
    }
    const future = kernel.requestExecute({
      code: bootstrap.source,
      silent: true,
      store_history: false,
      user_expressions: { warden: bootstrap.status_variable }
    });
    const reply = (await future.done) as KernelMessage.IExecuteReplyMsg;
    const expression = (reply.content as any).user_expressions?.warden;
    if (reply.content.status !== 'ok' || expression?.status !== 'ok') {
      const why = String(
        (reply.content as any).evalue ?? expression?.evalue ?? 'unknown error'
      );
      this._onFailure(`the kernel refused it (${why})`);
      return { installed: false, errors: [why] };
    }
    try {
      return JSON.parse(
        parsePythonStr(expression.data['text/plain'])
      ) as IGuardStatus;
    } catch {
      return { installed: true };
    }
  }

  /** The guard opens a comm to report what it blocked (re-registered for each kernel). */
  private _listen(kernel: Kernel.IKernelConnection): void {
    if (this._commKernels.has(kernel)) {
      return;
    }
    this._commKernels.add(kernel);
    kernel.registerCommTarget(COMM_TARGET, comm => {
      comm.onMsg = msg => {
        const data = msg.content.data as {
          type?: string;
          event?: IWardenEvent;
          recorded?: boolean;
        };
        if (data?.type === 'event' && data.event) {
          this._onEvent(data.event, data.recorded === true);
        }
      };
    });
  }
}
