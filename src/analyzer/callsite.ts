/**
 * A call as the rules see it (CallSite) and the reading of its arguments every rule shares:
 * by keyword or position, or from a `**kwargs` dict built above.
 */
import type { SyntaxNode } from '@lezer/common';
import type { RawFinding } from './types';
import { literalTruth, type CallArguments } from './syntax';
import type { TrustedSources } from './sources';
import type { CodeStart } from './codestarts';
import type { KeywordFact } from './values';

export interface CallSite {
  code: string;
  node: SyntaxNode;
  callee: SyntaxNode;
  /** Dotted path of the callee (`torch.load`), null when it cannot be resolved. */
  qname: string | null;
  /** The attribute name when the callee is `obj.name`, whatever obj is. */
  property: SyntaxNode | null;
  args: CallArguments;
  /** Resolve an expression to a dotted path (for Loader= and similar arguments). */
  resolve: (node: SyntaxNode) => string | null;
  /** A constant string, written out or held by a name assigned one above. */
  stringOf: (node: SyntaxNode) => string | null;
  /** What the call's `**kwargs` hold when they are dicts built above; null otherwise. */
  kwargs: Readonly<Record<string, KeywordFact>> | null;
  /** The callee is `X.method` with X a class of the project itself (values.ts OWN). */
  ownReceiver: boolean;
  /** Whether the code wrote this folder earlier (save_pretrained, output_dir=...). */
  wasWritten: (folder: string) => boolean;
}

/** A keyword's value, written in the call or known from a `**kwargs` dict built above. */
export interface KeywordView {
  /** Python truthiness when it is a literal, else undefined. */
  truth: boolean | undefined;
  isNone: boolean;
  /** The value when it is a constant string. */
  str: string | null;
  /** Range to report: the keyword as written, or the whole call for a **kwargs value. */
  from: number;
  to: number;
  /** The value's node when written in the call (fixes edit it). */
  node: SyntaxNode | null;
}

export function keyword(site: CallSite, key: string): KeywordView | undefined {
  const kw = site.args.keywords.get(key);
  if (kw) {
    return {
      truth: literalTruth(site.code, kw.value),
      isNone: kw.value.name === 'None',
      str: site.stringOf(kw.value),
      from: kw.from,
      to: kw.to,
      node: kw.value
    };
  }
  const fact = site.kwargs?.[key];
  if (fact === undefined) {
    return undefined;
  }
  const str = typeof fact === 'object' && fact !== null ? fact.s : null;
  return {
    truth:
      fact === '?'
        ? undefined
        : fact === null
          ? false
          : typeof fact === 'boolean'
            ? fact
            : str !== null && str.length > 0,
    isNone: fact === null,
    str,
    from: site.node.from,
    to: site.node.to,
    node: null
  };
}

/** `**kwargs` whose content is not known: any keyword may be set. */
export function unknownKwargs(site: CallSite): boolean {
  return site.args.starKwargs && site.kwargs === null;
}

export interface RuleContext {
  trusted: TrustedSources;
  out: RawFinding[];
  /** The literal starts the calls make (codestarts.ts). */
  starts: CodeStart[];
  /** The project's own top-level modules (AnalyzerOptions.ownModules). */
  ownModules?: ReadonlySet<string>;
}

export type CallCheck = (site: CallSite, ctx: RuleContext) => void;

/** The argument passed by keyword, or at a positional index (-1: keyword-only). */
export function argument(
  site: CallSite,
  keyword: string,
  index: number
): SyntaxNode | undefined {
  const kw = site.args.keywords.get(keyword);
  if (kw) {
    return kw.value;
  }
  return index >= 0 && !site.args.starArgs
    ? site.args.positional[index]
    : undefined;
}
