import { Widget } from '@lumino/widgets';

import { IWardenStatus, statusLabel, statusTooltip } from './status';

/** Status bar item showing Warden's state; it only renders what it is given. */
export class WardenStatusItem extends Widget {
  constructor() {
    super();
    this.addClass('jp-WardenStatus');
    this.node.dataset.testid = 'warden-status';
    this.render(null);
  }

  render(status: IWardenStatus | null, error?: string): void {
    this.node.textContent = statusLabel(status, error);
    this.node.title = statusTooltip(status, error);
    const broken = !!error || !!status?.policy.errors.length;
    this.node.classList.toggle('jp-WardenStatus-problem', broken);
  }
}
