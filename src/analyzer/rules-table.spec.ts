import * as fs from 'node:fs';
import * as path from 'node:path';
import { rulesMarkdownTable } from './rules-table';

it('docs/static-analyzer.md lists exactly the static rules of the catalog', () => {
  const doc = fs.readFileSync(
    path.join(__dirname, '../../docs/static-analyzer.md'),
    'utf8'
  );
  const m = /<!-- rules:begin -->\n([\s\S]*?)\n<!-- rules:end -->/.exec(doc);
  expect(m).not.toBeNull();
  // After changing schema/rules.json: WARDEN_WRITE_DOCS=1 npx jest rules-table rewrites the table.
  if (process.env.WARDEN_WRITE_DOCS) {
    const file = path.join(__dirname, '../../docs/static-analyzer.md');
    fs.writeFileSync(file, doc.replace(m![1], rulesMarkdownTable()));
    return;
  }
  expect(m![1]).toBe(rulesMarkdownTable());
});
