import { IWardenEvent } from './event';
import { EventSender } from './sender';

function ev(n: number): IWardenEvent {
  return {
    event_id: `event-${n}-xxxxxxxx`,
    time: new Date(0).toISOString(),
    kind: 'static',
    rule_id: 'pickle-load',
    severity: 'high',
    action: 'warned',
    fingerprint: '0123456789abcdef'
  };
}

describe('EventSender', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('keeps a failed batch and sends it on the retry, in order', async () => {
    const posted: string[][] = [];
    let fail = true;
    const sender = new EventSender(async batch => {
      if (fail) {
        fail = false;
        throw new Error('lab server down');
      }
      posted.push(batch.map(e => e.event_id));
    });
    jest.spyOn(console, 'warn').mockImplementation(() => undefined);
    sender.send(ev(1));
    sender.send(ev(2));
    await sender.flush();
    expect(sender.pending).toBe(2);
    await sender.flush();
    expect(posted).toEqual([['event-1-xxxxxxxx', 'event-2-xxxxxxxx']]);
    expect(sender.pending).toBe(0);
  });

  it('counts what a full queue drops and reports it with the next post', async () => {
    const reports: number[] = [];
    const sender = new EventSender(
      async (_batch, dropped) => {
        reports.push(dropped);
      },
      { maxQueue: 2 }
    );
    sender.send(ev(1));
    sender.send(ev(2));
    sender.send(ev(3));
    expect(sender.dropped).toBe(1);
    await sender.flush();
    expect(reports).toEqual([1]);
    expect(sender.dropped).toBe(0);
  });
});
