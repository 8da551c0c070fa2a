import { IWardenStatus, statusLabel, statusTooltip } from './status';

const healthy: IWardenStatus = {
  version: '0.1.0',
  mode: 'active',
  policy: { source: 'built-in', revision: 0, errors: [] }
};

describe('status bar wording', () => {
  it('names the mode and the policy source', () => {
    expect(statusLabel(healthy)).toBe('Warden: active · policy: built-in');
  });

  it('flags a policy problem in the label and explains it in the tooltip', () => {
    const broken = {
      ...healthy,
      policy: { ...healthy.policy, errors: ['admin.json: not JSON'] }
    };
    expect(statusLabel(broken)).toContain('policy error');
    expect(statusTooltip(broken)).toContain('admin.json: not JSON');
  });

  it('says when the server extension does not answer', () => {
    expect(statusLabel(null, '404 Not Found')).toBe('Warden: unreachable');
    expect(statusTooltip(null, '404 Not Found')).toContain('404 Not Found');
  });
});
