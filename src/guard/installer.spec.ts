import { GuardInstaller } from './installer';

jest.mock('../api/client', () => ({ requestWarden: jest.fn() }));

/** A kernel connection as the installer uses it: comm targets and execute requests. */
function connection(id: string) {
  const conn = {
    id,
    spec: Promise.resolve({ language: 'python' }),
    statusChanged: { connect: () => true },
    targets: [] as string[],
    executed: [] as string[],
    registerCommTarget(name: string) {
      conn.targets.push(name);
    },
    requestExecute(content: { code: string }) {
      conn.executed.push(content.code);
      const data = { 'text/plain': '{"installed": true}' };
      return {
        done: Promise.resolve({
          content: {
            status: 'ok',
            user_expressions: { warden: { status: 'ok', data } }
          }
        })
      };
    }
  };
  return conn;
}

function context(kernel: ReturnType<typeof connection>) {
  return { ready: Promise.resolve(), session: { kernel } } as any;
}

function installer() {
  return new GuardInstaller(
    () => undefined,
    () => undefined,
    async () => ({
      enabled: true,
      source: 'BOOTSTRAP',
      status_variable: '_warden_guard_status',
      policy_revision: 0
    })
  );
}

describe('GuardInstaller', () => {
  it('bootstraps a kernel once per connection', async () => {
    const guard = installer();
    const first = connection('k1');
    await guard.ready(context(first));
    await guard.ready(context(first));
    expect(first.targets).toEqual(['jupyterlab-warden']);
    expect(first.executed).toEqual(['BOOTSTRAP']);
  });

  it('gives a new connection to a guarded kernel its comm target and bootstrap', async () => {
    // debug72: the notebook closed and opened again connects anew to the same kernel; without
    // a target on that connection, JupyterLab dropped the guard's events (no toast).
    const guard = installer();
    const first = connection('k1');
    await guard.ready(context(first));
    const reopened = connection('k1');
    await guard.ready(context(reopened));
    await guard.ready(context(reopened));
    expect(reopened.targets).toEqual(['jupyterlab-warden']);
    expect(reopened.executed).toEqual(['BOOTSTRAP']);
    expect(first.executed).toEqual(['BOOTSTRAP']);
    expect(await guard.status('k1')).toEqual({ installed: true });
  });
});
