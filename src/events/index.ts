import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';

import { requestWarden } from '../api/client';
import { EventSender } from './sender';
import { IWardenEvents } from './tokens';

export { IWardenEvents } from './tokens';

export const eventsPlugin: JupyterFrontEndPlugin<IWardenEvents> = {
  id: 'jupyterlab-warden:events',
  description:
    'Batches Warden events to the lab server, retrying until stored.',
  autoStart: true,
  provides: IWardenEvents,
  activate: (app: JupyterFrontEnd): IWardenEvents => {
    const sender = new EventSender(async (batch, dropped) => {
      await requestWarden('events', {
        method: 'POST',
        body: JSON.stringify({ events: batch, client_dropped: dropped })
      });
    });
    window.addEventListener('beforeunload', () => void sender.flush());
    return sender;
  }
};
