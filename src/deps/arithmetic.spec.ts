/**
 * Red team 34 R34-5 on the static side: bash evaluates a variable's value as arithmetic, and a
 * subscript in it (`c[$(cmd)]`) runs cmd. A line using a value Warden cannot read (read from a
 * file) in an arithmetic context is refused, also where the shell text reader cannot mask the
 * line (a blank-padded `(( x ))`); ordinary arithmetic is read. The kernel's twin:
 * tests/deps/test_redteam34_arith.py.
 */
import { installProblems } from '../testing/install-problems';

const problems = (line: string): string[] => installProblems(line);

const READ = 'read -r x < n.txt; ';
const ATTACKS = [
  READ + '(( x ))',
  READ + 'for ((i=x;i<0;i++)); do :; done',
  READ + 'for ((; x; )); do break; done',
  READ + '(( 1 )); let x',
  READ + '(( 1 )); declare -i y=x',
  READ + 'declare -x -i y=x',
  READ + 'declare +x -i y=x',
  READ + 'f(){ local -a -i y=x; }; f',
  READ + "'let' x",
  READ + "declare '-i' y=x",
  READ + 'o=-i; declare $o y=x',
  READ + 'declare -ai a=(x 2)',
  'declare -i y; read -r y < n.txt',
  'read -r foo < n.txt; y=foo; x=y; echo $((x))'
];
const ORDINARY = [
  'for ((i=0;i<3;i++)); do echo $i; done',
  'for ((i = 0; i < 3; i++)); do echo hi; done',
  '(( n = 1 + 2 ))',
  '(( 1 )); echo ok',
  'x=3; (( x > 1 )) && echo big',
  'declare -i n=5',
  'declare -x -i n=5',
  'declare -ai a=(1 2 3)',
  'f(){ local -i y=3; }; f',
  'let x=1',
  'i=0; let i=i+1',
  "i=0; let 'i = i + 1'",
  'echo $((1 + 2))',
  '[[ 1 -eq 1 ]]',
  'read -r x < n.txt; declare +i y=x; echo ok',
  'N=$(nproc); echo jobs $((N-N+1))'
];

describe('arithmetic on a value Warden cannot read (R34-5)', () => {
  it.each(ATTACKS)('refuses %s', line => {
    expect(problems(line).join('\n')).toMatch(
      /arithmetic on the line evaluates/
    );
  });

  it.each(ORDINARY)('reads %s', line => {
    expect(problems(line)).toEqual([]);
  });
});
