/**
 * Mend 81: a `cd`/`pushd`/`popd` in a pipeline's stage before its last runs in a subshell of
 * its own (bash, dash) and moves nothing; the last stage's may run in the shell itself
 * (lastpipe) and stays unknown. The lines of testdata/pipeline-cd-lines.json, read here as
 * tests/deps/test_mend81_pipeline_cd.py reads them on the kernel side.
 */
import lines from './testdata/pipeline-cd-lines.json';
import { shellLineRules } from '../testing/shellRules';

describe('a cd in a pipeline stage', () => {
  it.each(lines.cases.map(c => [c.line, c] as const))(
    '%s',
    (_name, { line, rules }) => {
      expect(shellLineRules(line, lines.sub_requirements)).toEqual(rules);
    }
  );
});
