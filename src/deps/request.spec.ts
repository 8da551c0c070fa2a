/**
 * `redactUrl`, the one spelling of a URL in messages, events and reasons (red team 45c R45c-3:
 * an anaconda.org channel token is a path segment, `/t/<token>/`); the kernel's twin is
 * `redact_url` (tests/deps/test_fix51_channel_token.py has the same cases). Red team 46b
 * R46b-2/3: schema/vectors/redact-url.json, shared with tests/deps/test_fix52_redact.py.
 */
import redactVectors from '../../schema/vectors/redact-url.json';
import { decideInstall } from './decide';
import { COMMAND_LINE, newRequest, redactUrl } from './request';
import { parseRequirement } from './requirements';
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

describe('a direct URL written with its token (fix54spell)', () => {
  // decided as written (the token is part of the trusted index's path), shown redacted; the
  // kernel's tests/deps/test_fix54_url_token.py
  const index = `https://dl.cloudsmith.io/${TOKEN}/acme/repo/python/simple/`;
  const url = `${index}black/black-24.10.0-py3-none-any.whl`;
  const decided = (trusted: string) => {
    const request = newRequest('pip', 'pip install');
    request.requirements.push(parseRequirement(`black @ ${url}`, COMMAND_LINE));
    const policy = {
      schema_version: 1,
      revision: 1,
      trusted_sources: { package_indexes: ['https://pypi.org/simple', trusted] }
    };
    return decideInstall(request, policy, shippedData(), COMMAND_LINE);
  };

  it('keeps the text as written for the decision and shows it redacted', () => {
    const req = parseRequirement(`black @ ${url}`, COMMAND_LINE);
    expect(req.written).toBe(`black @ ${url}`);
    expect(req.text).not.toContain(TOKEN);
  });

  it('is allowed under the trusted index its token names', () => {
    expect(decided(index)).toEqual([]);
  });

  it('is refused under another index, with no token in the finding', () => {
    const findings = decided('https://pkgs.other.example/simple/');
    expect(findings.map(f => f.ruleId)).toEqual(['install-direct-reference']);
    expect(findings[0].message).toContain('https://dl.cloudsmith.io/***/acme/');
    expect(JSON.stringify(findings)).not.toContain(TOKEN);
  });
});
