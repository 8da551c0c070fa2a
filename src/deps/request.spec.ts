/**
 * `redactUrl`, the one spelling of a URL in messages, events and reasons (red team 45c R45c-3:
 * an anaconda.org channel token is a path segment, `/t/<token>/`); the kernel's twin is
 * `redact_url` (tests/deps/test_fix51_channel_token.py has the same cases). Red team 46b
 * R46b-2/3: schema/vectors/redact-url.json, shared with tests/deps/test_fix52_redact.py.
 */
import redactVectors from '../../schema/vectors/redact-url.json';
import { decideInstall } from './decide';
import { COMMAND_LINE, newRequest, redactUrl } from './request';
import { shippedData } from './shipped';

const TOKEN = 'ab-0123456789abcdef0123456789abcd';

describe('redactUrl', () => {
  it.each(redactVectors.vectors.map(v => [v.text, v.shown] as const))(
    'schema/vectors/redact-url.json: %s',
    (text, shown) => {
      expect(redactUrl(text)).toBe(shown);
    }
  );

  it.each([
    [
      `https://conda.anaconda.org/t/${TOKEN}/acme`,
      'https://conda.anaconda.org/t/***/acme'
    ],
    [`https://conda.example/t/${TOKEN}`, 'https://conda.example/t/***'],
    [
      `pkg @ https://pypi.anaconda.org/t/${TOKEN}/acme/simple/pkg/pkg-1.0.tar.gz`,
      'pkg @ https://pypi.anaconda.org/t/***/acme/simple/pkg/pkg-1.0.tar.gz'
    ],
    ['https://conda.example/tt/acme/t', 'https://conda.example/tt/acme/t'] // no token
  ])('masks a path token in %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  it('keeps a channel token out of the finding, its reason included', () => {
    const request = newRequest('conda', 'conda install');
    request.sources.push({
      url: `https://conda.anaconda.org/t/${TOKEN}/acme`,
      role: 'channel',
      place: COMMAND_LINE
    });
    const findings = decideInstall(
      request,
      { schema_version: 1, revision: 1 },
      shippedData(),
      COMMAND_LINE
    );
    expect(findings.map(f => f.reason)).toEqual([
      'channel:https://conda.anaconda.org/t/***/acme'
    ]);
    expect(JSON.stringify(findings)).not.toContain(TOKEN);
  });
});
