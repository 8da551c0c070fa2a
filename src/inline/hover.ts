/**
 * The hover card of one Warden diagnostic: a heading (severity, what was found), the
 * explanation and what to do as separate blocks, and the rule id. The quick-fix button is
 * CodeMirror's own (the diagnostic's action), right below.
 */
import type { IHoverContent } from './diagnostics';

export function renderHover(doc: Document, content: IHoverContent): Node {
  const root = doc.createElement('div');
  root.className = `jp-WardenHover jp-WardenHover-${content.action}`;
  root.dataset.rule = content.ruleId;
  root.dataset.severity = content.severity;

  const heading = doc.createElement('div');
  heading.className = 'jp-WardenHover-title';
  const badge = doc.createElement('span');
  badge.className = `jp-WardenHover-badge jp-WardenSeverity-${content.severity}`;
  badge.textContent = `${content.severity} · ${content.verb}`;
  const title = doc.createElement('span');
  title.textContent = content.title;
  heading.append(badge, title);

  const why = doc.createElement('p');
  why.className = 'jp-WardenHover-why';
  why.textContent = content.explanation;
  root.append(heading, why);

  if (content.remediation) {
    const fix = doc.createElement('p');
    fix.className = 'jp-WardenHover-fix';
    const label = doc.createElement('strong');
    label.textContent = 'What to do: ';
    fix.append(label, content.remediation);
    root.appendChild(fix);
  }
  if (content.ignore) {
    const note = doc.createElement('p');
    note.className = `jp-WardenHover-ignore jp-WardenHover-ignore-${
      content.ignore.honoured ? 'honoured' : 'refused'
    }`;
    note.textContent = content.ignore.text;
    root.appendChild(note);
  }
  return root;
}
