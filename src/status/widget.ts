import { Widget } from '@lumino/widgets';

import {
  IPolicySummary,
  IWardenStatus,
  statusLabel,
  statusTooltip
} from './status';

/** Status bar item showing Warden's state; it only renders what it is given. */
export class WardenStatusItem extends Widget {
  constructor(onClick: () => void) {
    super();
    this.addClass('jp-WardenStatus');
    this.node.dataset.testid = 'warden-status';
    this.node.addEventListener('click', onClick);
    this.render(null, null);
  }

  render(
    status: IWardenStatus | null,
    policy: IPolicySummary | null,
    error?: string | null
  ): void {
    this.node.textContent = statusLabel(status, policy, error);
    this.node.title = statusTooltip(status, policy, error);
    const broken =
      !!error || !!policy?.errors.length || !!status?.problems?.length;
    this.node.classList.toggle('jp-WardenStatus-problem', broken);
  }
}
