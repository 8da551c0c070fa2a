import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Clipboard, ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { IStatusBar } from '@jupyterlab/statusbar';
import { LabIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { requestWarden } from '../api/client';
import { IWardenEvent } from '../events/event';
import { IWardenEvents } from '../events/tokens';
import { probeKernel } from './probe';
import {
  adminSummary,
  badgeState,
  failingKey,
  IPostureReport,
  worstOf
} from './report';
import { ISandboxState, SandboxPanel } from './view';

const boxIcon = new LabIcon({
  name: 'jupyterlab-warden:sandbox',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><path class="jp-icon3" fill="#616161" d="M12 2 3 7v10l9 5 9-5V7l-9-5zm0 2.3 6.6 3.7L12 11.7 5.4 8 12 4.3zM5 9.7l6 3.4v6.6l-6-3.4V9.7zm8 10v-6.6l6-3.4v6.6l-6 3.4z"/></svg>'
});

export const CHECK_SANDBOX = 'warden:check-sandbox';

export const sandboxPlugin: JupyterFrontEndPlugin<void> = {
  id: 'jupyterlab-warden:sandbox',
  description:
    'Reports how well the kernel is isolated and how safely the server is set up.',
  autoStart: true,
  requires: [IWardenEvents, INotebookTracker],
  optional: [IStatusBar, ICommandPalette],
  activate: (
    app: JupyterFrontEnd,
    wardenEvents: IWardenEvents,
    notebooks: INotebookTracker,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null
  ) => {
    const state: ISandboxState = {
      kernel: null,
      kernelName: '',
      kernelError: null,
      server: null,
      serverError: null,
      failing: false,
      noted: false
    };
    // The user's "noted" outlives the page: the same failing checks do not alarm again.
    const NOTED_KEY = 'jupyterlab-warden:sandbox-noted';
    let notedInPage: string | null = null;
    const noted = () => {
      try {
        return window.localStorage.getItem(NOTED_KEY) ?? notedInPage;
      } catch {
        return notedInPage;
      }
    };
    const reported = new Set<string>();
    const badge = new Widget();
    badge.addClass('jp-WardenSandboxBadge');
    badge.node.dataset.testid = 'warden-sandbox-badge';

    const render = () => {
      const failing = failingKey([state.kernel, state.server]);
      state.failing = failing !== '';
      state.noted = state.failing && noted() === failing;
      panel.render(state);
      const badgeView = badgeState(
        state.kernel?.score,
        worstOf([state.kernel, state.server]),
        failing,
        noted()
      );
      badge.node.textContent = badgeView.text;
      badge.node.title = badgeView.title;
      badge.node.dataset.level = badgeView.level;
      badge.node.dataset.worst =
        worstOf([state.kernel, state.server]) ?? 'none';
    };

    const sendEvents = (events: IWardenEvent[]) => {
      for (const event of events) {
        // Once per finding and session: re-checks do not flood the event store.
        if (!reported.has(event.fingerprint)) {
          reported.add(event.fingerprint);
          wardenEvents.send(event);
        }
      }
    };

    const checkServer = async () => {
      try {
        const reply = await requestWarden<{ report: IPostureReport }>(
          'posture'
        );
        state.server = reply.report;
        state.serverError = null;
      } catch (reason) {
        state.serverError = String((reason as Error).message ?? reason);
      }
    };

    const checkKernel = async () => {
      const current = notebooks.currentWidget;
      const kernel = current?.sessionContext.session?.kernel;
      state.kernelName = current?.sessionContext.kernelDisplayName ?? '';
      if (!kernel) {
        state.kernel = null;
        state.kernelError = current
          ? 'No kernel is running for this notebook.'
          : 'Open a notebook to check its kernel.';
        return;
      }
      try {
        const raw = await probeKernel(kernel);
        const scored = await requestWarden<{
          report: IPostureReport;
          events: IWardenEvent[];
        }>('posture/kernel', {
          method: 'POST',
          body: JSON.stringify({ report: raw, kernel_id: kernel.id })
        });
        state.kernel = scored.report;
        state.kernelError = null;
        sendEvents(scored.events ?? []);
      } catch (reason) {
        state.kernel = null;
        state.kernelError = String((reason as Error).message ?? reason);
      }
    };

    const refresh = async () => {
      await Promise.all([checkServer(), checkKernel()]);
      render();
    };

    const panel = new SandboxPanel({
      refresh: () => void refresh(),
      note: () => {
        notedInPage = failingKey([state.kernel, state.server]);
        try {
          window.localStorage.setItem(NOTED_KEY, notedInPage);
        } catch {
          // No storage (private mode): noted for this page only.
        }
        render();
      },
      copy: () => {
        Clipboard.copyToSystem(
          adminSummary([
            {
              name: `Kernel: ${state.kernelName || 'none'}`,
              report: state.kernel
            },
            { name: 'Jupyter server', report: state.server }
          ])
        );
        Notification.info('Sandbox report copied: paste it to your admin.', {
          autoClose: 4000
        });
      }
    });
    panel.title.icon = boxIcon;
    app.shell.add(panel, 'left', { rank: 900 });
    badge.node.addEventListener('click', () =>
      app.shell.activateById(panel.id)
    );
    app.commands.addCommand(CHECK_SANDBOX, {
      label: 'Warden: Check Sandbox',
      caption: 'How this kernel is isolated and how the server is set up',
      execute: async () => {
        app.shell.activateById(panel.id);
        await refresh();
      }
    });
    palette?.addItem({ command: CHECK_SANDBOX, category: 'Warden' });

    // Probe each kernel when it starts (and restarts), and when the current notebook changes.
    const watch = (nb: NonNullable<typeof notebooks.currentWidget>) => {
      nb.sessionContext.statusChanged.connect((_, status) => {
        if (status === 'idle' && nb === notebooks.currentWidget) {
          const id = nb.sessionContext.session?.kernel?.id;
          if (id && state.kernel === null) {
            void refresh();
          }
        }
      });
      nb.sessionContext.kernelChanged.connect(() => {
        state.kernel = null;
      });
    };
    notebooks.widgetAdded.connect((_, nb) => watch(nb));
    notebooks.currentChanged.connect(() => {
      state.kernel = null;
      void refresh();
    });
    statusBar?.registerStatusItem('jupyterlab-warden:sandbox', {
      item: badge,
      align: 'left',
      rank: 902
    });
    render();
    void refresh();
  }
};
