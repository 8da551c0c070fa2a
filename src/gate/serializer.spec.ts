import { RunSerializer } from './serializer';

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>(r => (resolve = r));
  return { promise, resolve };
}

const settle = () => new Promise(resolve => setImmediate(resolve));

describe('RunSerializer', () => {
  it('starts a task only after every earlier one finished', async () => {
    const s = new RunSerializer();
    const first = deferred<string>();
    const started: string[] = [];
    const a = s.enqueue(
      async () => {
        started.push('a');
        return first.promise;
      },
      () => 'skipped'
    );
    const b = s.enqueue(
      async () => {
        started.push('b');
        return 'b';
      },
      () => 'skipped'
    );
    await settle();
    expect(started).toEqual(['a']);
    first.resolve('a');
    expect(await Promise.all([a, b])).toEqual(['a', 'b']);
    expect(started).toEqual(['a', 'b']);
  });

  it('skips the waiting tasks of a run that a task stopped', async () => {
    const s = new RunSerializer();
    const results = await Promise.all([
      s.enqueue(
        async () => 'a',
        () => 'skipped'
      ),
      s.enqueue(
        async run => {
          run.stopped = true;
          return 'b';
        },
        () => 'skipped'
      ),
      s.enqueue(
        async () => 'c',
        () => 'skipped'
      )
    ]);
    expect(results).toEqual(['a', 'b', 'skipped']);
  });

  it('starts a new run on the next turn of the event loop', async () => {
    const s = new RunSerializer();
    await s.enqueue(
      async run => {
        run.stopped = true;
        return 'a';
      },
      () => 'skipped'
    );
    await settle();
    expect(
      await s.enqueue(
        async () => 'b',
        () => 'skipped'
      )
    ).toBe('b');
  });

  it('goes on after a task that throws; the error reaches its caller only', async () => {
    const s = new RunSerializer();
    const failed = s.enqueue(
      async () => {
        throw new Error('boom');
      },
      () => 'skipped'
    );
    await expect(failed).rejects.toThrow('boom');
    await settle();
    expect(
      await s.enqueue(
        async () => 'next',
        () => 'skipped'
      )
    ).toBe('next');
  });
});
