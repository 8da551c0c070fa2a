import { devCommandsWanted } from './dev';

describe('developer commands', () => {
  it('are wanted only with ?warden-dev=1', () => {
    expect(devCommandsWanted('')).toBe(false);
    expect(devCommandsWanted('?reset')).toBe(false);
    expect(devCommandsWanted('?warden-dev=0')).toBe(false);
    expect(devCommandsWanted('?warden-dev=1')).toBe(true);
    expect(devCommandsWanted('?x=2&warden-dev=1')).toBe(true);
  });
});
