import type { Identity } from '../identity.js';

// Pure: which of the admin's named policies a caller gets.

export interface Scope {
  labs?: string[];
  groups?: string[];
  users?: string[];
}

export interface NamedPolicy {
  name: string;
  document: Record<string, unknown>;
  revision: number;
}

const nonEmpty = (a?: string[]) => Array.isArray(a) && a.length > 0;

/** A scope matches when every non-empty list names the caller; empty lists mean everyone. */
export function scopeMatches(
  scope: Scope | undefined,
  who: Pick<Identity, 'lab' | 'user' | 'groups'>
): boolean {
  if (!scope) {
    return true;
  }
  if (nonEmpty(scope.labs) && !(who.lab && scope.labs!.includes(who.lab))) {
    return false;
  }
  if (nonEmpty(scope.users) && !(who.user && scope.users!.includes(who.user))) {
    return false;
  }
  if (nonEmpty(scope.groups) && !who.groups.some(g => scope.groups!.includes(g))) {
    return false;
  }
  return true;
}

/** users (4) > groups (2) > labs (1) > everyone (0); summed when a scope names several. */
export function specificity(scope: Scope | undefined): number {
  if (!scope) {
    return 0;
  }
  return (
    (nonEmpty(scope.users) ? 4 : 0) +
    (nonEmpty(scope.groups) ? 2 : 0) +
    (nonEmpty(scope.labs) ? 1 : 0)
  );
}

export function selectPolicy(
  policies: NamedPolicy[],
  who: Pick<Identity, 'lab' | 'user' | 'groups'>
): NamedPolicy | undefined {
  let best: NamedPolicy | undefined;
  let bestScore = -1;
  for (const p of policies) {
    const scope = p.document.scope as Scope | undefined;
    if (!scopeMatches(scope, who)) {
      continue;
    }
    const score = specificity(scope);
    if (score > bestScore || (score === bestScore && p.revision > best!.revision)) {
      best = p;
      bestScore = score;
    }
  }
  return best;
}
