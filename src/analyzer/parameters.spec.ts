import { functionParameters, isParameter } from './parameters';

/** The parameters read from `code` as one statement, with the written offsets as text. */
function read(code: string) {
  const p = functionParameters(code, { from: 0, to: code.length });
  return p === null
    ? null
    : {
        names: [...p.names],
        declared: [...p.declaredAt].map(at =>
          code.slice(at, at + code.slice(at).search(/[^A-Za-z0-9_]/))
        ),
        body: code.slice(p.body)
      };
}

describe('functionParameters', () => {
  it.each([
    ['def f(a, b):\n    pass', ['a', 'b']],
    ['async def f(a):\n    pass', ['a']],
    [
      '@torch.no_grad()\n@cache\ndef f(model, loader):\n    pass',
      ['model', 'loader']
    ],
    [
      'def f(a: int = 3, *args, b=None, **kw) -> Dict[str, int]:\n    pass',
      ['a', 'args', 'b', 'kw']
    ],
    ['def f(a, /, b, *, c):\n    pass', ['a', 'b', 'c']],
    [
      'def f(\n    a,\n    b="x, y",\n    c=\'z\',\n):\n    pass',
      ['a', 'b', 'c']
    ],
    ['def f(a=model, b=f"{loader}"):\n    pass', ['a', 'b']],
    ['def f():\n    pass', []]
  ])('reads the parameters of %j', (code, names) => {
    const got = read(code)!;
    expect(got.names).toEqual(names);
    expect(got.declared).toEqual(names);
    expect(got.body).toBe('\n    pass');
  });

  it.each([
    ['a body that says global', 'def f(a):\n    global a\n    return a'],
    [
      'a body that says nonlocal',
      'def f(a):\n    def g():\n        nonlocal a\n'
    ],
    ['a lambda default', 'def f(key=lambda a, b: a):\n    pass'],
    ['brackets in the list', 'def f(a=(1, 2)):\n    pass'],
    ['a comment in the list', 'def f(a,  # the model\n      b):\n    pass'],
    ['a string over lines', 'def f(a="""x\ny"""):\n    pass'],
    ['a quote in a decorator', '@register("x")\ndef f(a):\n    pass'],
    ['a type parameter list', 'def f[T](a: T):\n    pass'],
    ['a class', 'class F(a):\n    pass'],
    ['an assignment', 'f = lambda a: a']
  ])('reads nothing from %s', (_, code) => {
    expect(read(code)).toBeNull();
  });

  it('tells a parameter and its uses from the module-level name in defaults', () => {
    const code = 'def f(model, loader=loader):\n    return loader(model)';
    const p = functionParameters(code, { from: 0, to: code.length });
    const at = (word: string, n: number) => {
      let i = -1;
      for (let k = 0; k <= n; k++) {
        i = code.indexOf(word, i + 1);
      }
      return i;
    };
    expect(isParameter(p, 'model', at('model', 0))).toBe(true);
    expect(isParameter(p, 'loader', at('loader', 0))).toBe(true);
    // loader=loader: the default is evaluated outside the function
    expect(isParameter(p, 'loader', at('loader', 1))).toBe(false);
    expect(isParameter(p, 'loader', at('loader', 2))).toBe(true);
    expect(isParameter(p, 'model', at('model', 1))).toBe(true);
    expect(isParameter(null, 'model', 6)).toBe(false);
  });

  it('reads from the statement offset, not the start of the text', () => {
    const code = 'x = 1\ndef f(a):\n    return a\n';
    const p = functionParameters(code, { from: 6, to: code.length })!;
    expect([...p.declaredAt]).toEqual([12]);
    expect(code.slice(12, 13)).toBe('a');
  });
});
