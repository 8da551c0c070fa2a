/**
 * The analyzer as the lab server runs it (jupyterlab_warden/lab/gate/engine.py, embedded
 * V8): one pure function over strings, so the server decides with the very code and policy
 * logic the browser gate uses (analyzeCell + decideCell + the policy's decide).
 * scripts/bundle-gate.mjs bundles it for a browser-like engine (no fs, no process).
 */
import { analyzeCell, optionsFromPolicy } from '../analyzer';
import type { AnalyzerScope } from '../analyzer';
import type { IPolicyDocument } from '../contracts';
import { decideCell } from '../gate/decision';
import { decide } from '../policy/policy';

/** What the server needs to answer for one piece of code (a cell, a debugger expression). */
export interface IServerDecision {
  action: string;
  findings: {
    ruleId: string;
    action: string;
    severity: string;
    line: number;
    column: number;
    message: string;
    fix: string | null;
  }[];
  /** Findings an ignore lifted (the policy allows it): recorded with action 'allowed'. */
  ignored: {
    ruleId: string;
    action: string;
    severity: string;
    line: number;
    column: number;
    message: string;
    scope: string;
    reason: string;
  }[];
  /** The scope after this code ran, as [name, path] pairs, for the kernel's next request. */
  scope: [string, string | null][];
  complete: boolean;
}

/** `policy` is the lab's effective policy with the user's settings (PolicyStore.for_user). */
export function decideCode(
  code: string,
  scope: [string, string | null][],
  policy: IPolicyDocument
): IServerDecision {
  const reply = {
    effective: policy,
    provenance: {},
    source: 'server',
    revision: policy.revision ?? 0,
    errors: [],
    sources: []
  };
  const before: AnalyzerScope = { bindings: new Map(scope) };
  // No notebook-wide ignores: the server sees only the code, and they never change what
  // runs (src/gate/decision.ts), so a request naming some is read without them.
  const analysis = analyzeCell(code, before, optionsFromPolicy(policy));
  const decision = decideCell(
    analysis.findings,
    ruleId => decide(reply, ruleId),
    policy.ignore
  );
  return {
    action: decision.action,
    findings: decision.findings.map(({ finding, action, severity }) => ({
      ruleId: finding.ruleId,
      action,
      severity,
      line: finding.line,
      column: finding.column,
      message: finding.message,
      fix: finding.fix ? finding.fix.title : null
    })),
    ignored: (decision.ignored ?? []).map(({ finding, action, severity }) => ({
      ruleId: finding.ruleId,
      action,
      severity,
      line: finding.line,
      column: finding.column,
      message: finding.message,
      scope: finding.ignored!.scope,
      reason: finding.ignored!.reason
    })),
    scope: [...analysis.scopeAfter.bindings.entries()],
    complete: analysis.complete
  };
}

/** The entry point the server calls: JSON in, JSON out (one crossing of the engine boundary). */
export function decideJson(request: string): string {
  const { code, scope, policy } = JSON.parse(request);
  return JSON.stringify(decideCode(code, scope ?? [], policy ?? {}));
}
