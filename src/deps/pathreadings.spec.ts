/**
 * Where each installer ends a path requirement's path (R48b-7): the same table as
 * tests/deps/test_fix56_path_readings.py pins for the kernel's `path_readings.py`, whose
 * cases there are checked against the real uv and pip.
 */
import { pathReadings, pipEditable, pipLine, uvPath } from './pathreadings';

describe('path readings', () => {
  it('reads ./x;y as pip (x, a marker) and as uv and an editable (x;y)', () => {
    expect(pathReadings('./x;y')).toEqual([
      ['pip', 'x'],
      ['pip', './x;y'],
      ['uv', './x;y']
    ]);
  });

  it('ends a uv path at white space before ; and keeps it before extras', () => {
    expect(uvPath('./x [y] ; m')).toBe('./x ');
    expect(uvPath('./x; m')).toBe('./x');
    expect(uvPath('./x [y];z')).toBe('./x [y];z'); // extras only at the end
    expect(uvPath('n @ file:///W/x [y]')).toBe('file:///W/x [y]'); // none in a URL
    expect(uvPath('./x#c')).toBe('./x');
  });

  it("ends pip's marker at ; in a path, at '; ' in a URL", () => {
    expect(pipLine('file:///W/x;y')).toBe('file:///W/x;y');
    expect(pipLine('file:///W/x; m')).toBe('file:///W/x');
    expect(pipLine('n @ file:///W/x;y')).toBe('file:///W/x');
    expect(pipLine('./x [y]')).toBe('x ');
    expect(pipLine('./x[e]/')).toBe('x'); // normpath, then extras cut
    expect(pipLine('./x#c')).toBe('x#c');
    expect(pipEditable('./x;y[e]')).toBe('./x;y');
  });
  it("reads white space as each installer does: U+001C..U+001F are Python's, not uv's (R49a-4)", () => {
    const text = './d\u001c;x ;python_version>"3"';
    expect(uvPath(text)).toBe('./d\u001c;x');
    expect(pipLine(text)).toBe('d');
    expect(uvPath('./x\u0085;y')).toBe('./x'); // NEL: white space to uv (and Python)
    expect(uvPath('./x\ufeff ;y')).toBe('./x\ufeff'); // BOM: white space to JavaScript only
  });
});
