import {
  IPolicySummary,
  IWardenStatus,
  statusLabel,
  statusTooltip
} from './status';

const status: IWardenStatus = { version: '0.1.0', mode: 'active' };
const policy: IPolicySummary = { source: 'built-in', revision: 0, errors: [] };

describe('status bar wording', () => {
  it('names the mode and the policy source', () => {
    expect(statusLabel(status, policy)).toBe(
      'Warden: active · policy: built-in'
    );
  });

  it('flags a policy problem in the label and explains it in the tooltip', () => {
    const broken = { ...policy, errors: ['admin.json: not JSON'] };
    expect(statusLabel(status, broken)).toContain('policy error');
    expect(statusTooltip(status, broken)).toContain('admin.json: not JSON');
  });

  it('flags a problem of the event queue in the label and the tooltip', () => {
    const degraded = {
      ...status,
      problems: [
        'the event store was corrupt (…): moved to events.sqlite.corrupt-x'
      ]
    };
    expect(statusLabel(degraded, policy)).toBe(
      'Warden: active · policy: built-in · events problem'
    );
    expect(statusTooltip(degraded, policy)).toContain(
      'Problem: the event store was corrupt'
    );
  });

  it('says when the server extension does not answer', () => {
    expect(statusLabel(null, null, '404 Not Found')).toBe(
      'Warden: unreachable'
    );
    expect(statusTooltip(null, null, '404 Not Found')).toContain(
      '404 Not Found'
    );
  });

  it('waits for both the status and the policy', () => {
    expect(statusLabel(status, null)).toBe('Warden: …');
  });
});
