/** Public API of the static analyzer (L1): pure functions, no JupyterLab, DOM or network. */
export {
  analyzeCell,
  analyzeNotebook,
  analyzeNotebookCells,
  type CellAnalysis
} from './analyzer';
export { EMPTY_SCOPE, sameScope, type AnalyzerScope } from './scope';
export {
  STATIC_RULES,
  staticRule,
  ruleMessage,
  type Rule,
  type RuleAction
} from './catalog';
export { optionsFromPolicy, type PolicyTrustedSources } from './policy';
export {
  SEVERITIES,
  type AnalyzerOptions,
  type Finding,
  type FindingIgnore,
  type Fix,
  type Severity
} from './types';
export {
  ignoreComments,
  ignoreHonoured,
  notebookIgnores,
  DEFAULT_IGNORABLE_ACTIONS,
  type IgnorePolicy
} from './ignore';
