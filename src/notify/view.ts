/**
 * Warden's toasts through JupyterLab's Notification API: a short message, a "Details" action
 * opening the full text, and a "Show findings" action.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { Widget } from '@lumino/widgets';

import { detailsOrder, IToast, IToastItem, IToastSink } from './toasts';

/** How long a toast stays; it stays in the notification center either way. */
const AUTO_CLOSE_MS = { warning: 8000, error: 15000 };

class ToastDetails extends Widget {
  constructor(items: readonly IToastItem[]) {
    super();
    this.addClass('jp-WardenToastDetails');
    const doc = this.node.ownerDocument;
    for (const item of detailsOrder(items)) {
      const section = doc.createElement('section');
      section.dataset.rule = item.ruleId;
      const title = doc.createElement('h3');
      title.textContent = item.title;
      const meta = doc.createElement('p');
      meta.className = 'jp-WardenToastDetails-meta';
      meta.textContent = [
        `${item.severity} · ${item.outcome}`,
        item.where,
        item.time ? new Date(item.time).toLocaleTimeString() : '',
        item.ruleId
      ]
        .filter(Boolean)
        .join(' · ');
      const why = doc.createElement('p');
      why.textContent = item.explanation;
      section.append(title, meta, why);
      if (item.remediation) {
        const fix = doc.createElement('p');
        fix.className = 'jp-WardenToastDetails-fix';
        const label = doc.createElement('strong');
        label.textContent = 'What to do: ';
        fix.append(label, item.remediation);
        section.appendChild(fix);
      }
      this.node.appendChild(section);
    }
  }
}

export function showToastDetails(toast: IToast): void {
  void showDialog({
    title:
      toast.type === 'error'
        ? 'Jupyter Warden blocked'
        : 'Jupyter Warden warning',
    body: new ToastDetails(toast.items),
    buttons: [Dialog.okButton({ label: 'Close' })]
  });
}

export function notificationSink(showFindings: () => void): IToastSink {
  const options = (toast: IToast) => ({
    autoClose: AUTO_CLOSE_MS[toast.type],
    actions: [
      {
        label: 'Details',
        caption: 'The full explanation and what to do',
        callback: () => showToastDetails(toast)
      },
      {
        label: 'Show findings',
        caption: 'Open the Warden findings panel',
        displayType: 'link' as const,
        callback: showFindings
      }
    ]
  });
  return {
    show: toast => Notification.emit(toast.message, toast.type, options(toast)),
    dismiss: id => Notification.dismiss(id)
  };
}
