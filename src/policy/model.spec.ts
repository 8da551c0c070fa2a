import { PolicyModel } from './model';
import { IPolicyReply } from './policy';

function reply(revision: number, rules = {}): IPolicyReply {
  return {
    effective: { schema_version: 1, revision, rules },
    provenance: { [`rules/pickle-load/action`]: 'admin' },
    source: 'admin',
    revision,
    errors: [],
    sources: []
  };
}

/** A fake GET /warden/policy: answers from a queue, or fails. */
function server(...answers: (IPolicyReply | Error)[]) {
  let calls = 0;
  const fetch = async () => {
    const answer = answers[Math.min(calls++, answers.length - 1)];
    if (answer instanceof Error) {
      throw answer;
    }
    return answer;
  };
  return { fetch, calls: () => calls };
}

describe('PolicyModel', () => {
  it('is loaded once the first answer is in, or the first error', async () => {
    const states: string[] = [];
    const model = new PolicyModel(
      server(reply(5, { 'pickle-load': { action: 'block' } })).fetch
    );
    void model.loaded.then(() =>
      states.push(model.decide('pickle-load').action)
    );
    await new Promise(resolve => setImmediate(resolve));
    expect(states).toEqual([]); // nobody asked the server yet: not loaded
    await model.refresh();
    await model.loaded;
    expect(states).toEqual(['block']);

    const failing = new PolicyModel(server(new Error('503 down')).fetch);
    await failing.refresh();
    await failing.loaded; // would time out the test if an error never loaded it
    expect(failing.decide('pickle-load').decidedBy).toBe('catalog');
  });

  it('decides from catalog defaults before the server first answers', () => {
    const model = new PolicyModel(server(reply(1)).fetch);
    expect(model.reply).toBeNull();
    expect(model.decide('pickle-load')).toMatchObject({
      action: 'warn',
      decidedBy: 'catalog'
    });
  });

  it("decides from the server's policy once it answers, and tells listeners", async () => {
    const model = new PolicyModel(
      server(reply(2, { 'pickle-load': { action: 'block' } })).fetch
    );
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.refresh();
    expect(model.reply?.revision).toBe(2);
    expect(model.decide('pickle-load')).toMatchObject({
      action: 'block',
      decidedBy: 'admin'
    });
    expect(changes).toBe(1);
    // The same answer again is not a change.
    await model.refresh();
    expect(changes).toBe(1);
  });

  it('keeps the last good policy when the server fails, and reports the error', async () => {
    const model = new PolicyModel(
      server(
        reply(3, { 'pickle-load': { action: 'block' } }),
        new Error('503 down')
      ).fetch
    );
    await model.refresh();
    let changes = 0;
    model.changed.connect(() => changes++);
    await model.refresh();
    expect(model.error).toBe('503 down');
    expect(model.reply?.revision).toBe(3);
    expect(model.decide('pickle-load').action).toBe('block');
    expect(changes).toBe(1);
  });

  it("applies the user's stricter rules, never weaker ones", async () => {
    const model = new PolicyModel(server(reply(4)).fetch);
    await model.refresh();
    let changes = 0;
    model.changed.connect(() => changes++);
    model.setUserRules({
      'pickle-load': { action: 'block' },
      'torch-hub-load': { action: 'off' }
    });
    expect(changes).toBe(1);
    expect(model.decide('pickle-load')).toMatchObject({
      action: 'block',
      decidedBy: 'user'
    });
    expect(model.decide('torch-hub-load').action).toBe('confirm');
  });

  it('polls at the interval it is given, and stops', async () => {
    jest.useFakeTimers();
    try {
      const fake = server(reply(5));
      const model = new PolicyModel(fake.fetch);
      model.startPolling(2);
      jest.advanceTimersByTime(1999);
      expect(fake.calls()).toBe(0);
      jest.advanceTimersByTime(1);
      expect(fake.calls()).toBe(1);
      // A new interval replaces the old one.
      model.startPolling(10);
      jest.advanceTimersByTime(9999);
      expect(fake.calls()).toBe(1);
      jest.advanceTimersByTime(1);
      expect(fake.calls()).toBe(2);
      model.stopPolling();
      jest.advanceTimersByTime(60_000);
      expect(fake.calls()).toBe(2);
    } finally {
      jest.useRealTimers();
    }
  });
});
