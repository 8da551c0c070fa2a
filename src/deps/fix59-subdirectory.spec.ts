/**
 * Red team 50d R50d-1 / R50d-2, static twin of tests/deps/test_fix59_subdirectory_named_path.py:
 * uv reads `name @ REF` with a scheme-less REF as the path REF (a path requirement, never a
 * URL by elimination); pip's `#subdirectory=` is joined in `localprojects.ts`.
 */
import { pathReadings, uvPath } from './pathreadings';
import { parseRequirement } from './requirements';

const place = { origin: 'command line' } as any;

describe('fix 59: named paths and subdirectory fragments', () => {
  it('a named REF is a URL only with a scheme', () => {
    const kinds: Record<string, string> = {
      'n @ ./x': 'path',
      'n@x': 'path',
      'n [e] @ /abs/x': 'path',
      'n @ file:///x': 'path',
      'n @ https://h/x.whl': 'url',
      'n @ git+https://h/r': 'vcs',
      'n @ FILE:///x': 'url'
    };
    for (const [text, kind] of Object.entries(kinds)) {
      const req = parseRequirement(text, place);
      expect([text, req.kind, req.name]).toEqual([text, kind, 'n']);
    }
  });

  it("uv's reading of a named path is the path, its fragment cut", () => {
    expect(uvPath('plain @ ./x')).toBe('./x');
    expect(uvPath('plain@x')).toBe('x');
    expect(uvPath('plain @ x#frag')).toBe('x');
    expect(uvPath('n @ file:///W/x#subdirectory=sub')).toBe(
      'file:///W/x#subdirectory=sub'
    );
    expect(pathReadings('plain @ ./x')).toEqual([
      ['pip', 'plain @ ./x'],
      ['uv', './x']
    ]);
  });
});
