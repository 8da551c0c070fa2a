/** The static rules as a Markdown table, for docs/static-analyzer.md (kept in sync by a test). */
import { STATIC_RULES } from './catalog';

const cell = (s: string) => s.replace(/\|/g, '\\|');

export function rulesMarkdownTable(): string {
  const lines = [
    '| id | severity | default action | what | references |',
    '| --- | --- | --- | --- | --- |'
  ];
  for (const r of STATIC_RULES) {
    const refs = [
      ...(r.references.cwe ?? []),
      ...(r.references.cve ?? [])
    ].join(', ');
    lines.push(
      `| \`${r.id}\` | ${r.severity} | ${r.action} | ${cell(r.title)} | ${refs} |`
    );
  }
  return lines.join('\n');
}
