/** Helpers over the Lezer Python tree: call arguments, constant literals, children. */
import type { SyntaxNode } from '@lezer/common';
import { decodeString, UNDECODABLE } from '../deps/pystring';

export { UNDECODABLE };

export interface Argument {
  /** Keyword name, or null for a positional argument. */
  name: string | null;
  /** The argument as written (`weights_only=False`), for ranges. */
  from: number;
  to: number;
  value: SyntaxNode;
}

export interface CallArguments {
  positional: SyntaxNode[];
  keywords: Map<string, Argument>;
  /** `*args` present: positional indexes are unreliable. */
  starArgs: boolean;
  /** `**kwargs` (other than a constant dict) present: any keyword may be set. */
  starKwargs: boolean;
  /** The expressions after `**` that are not dict literals (`kw` in `f(**kw)`). */
  starKwargsValues: SyntaxNode[];
  /** Offset of the closing parenthesis, or -1 when the call is unfinished. */
  close: number;
  /** True when the last argument is followed by a comma. */
  trailingComma: boolean;
}

export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}

/**
 * The next sibling that is not a comment: inside brackets a comment can sit anywhere
 * (`torch.load  # why` then `(p)` on the next line), and Lezer keeps it in the tree.
 */
export function nextCode(
  node: SyntaxNode | null | undefined
): SyntaxNode | null {
  let n = node ? node.nextSibling : null;
  while (n !== null && n.name === 'Comment') {
    n = n.nextSibling;
  }
  return n;
}

export function text(code: string, node: SyntaxNode): string {
  return code.slice(node.from, node.to);
}

const NON_ASCII = /[\u0080-\uffff]/;

/**
 * The text of a name as Python reads it: identifiers are NFKC-normalised (PEP 3131), so
 * `ｐｉｃｋｌｅ.ｌｏａｄｓ(b)` written in fullwidth letters is `pickle.loads(b)`.
 */
export function identifier(code: string, node: SyntaxNode): string {
  const t = code.slice(node.from, node.to);
  return NON_ASCII.test(t) ? t.normalize('NFKC') : t;
}

export function parseArguments(
  code: string,
  argList: SyntaxNode
): CallArguments {
  const args: CallArguments = {
    positional: [],
    keywords: new Map(),
    starArgs: false,
    starKwargs: false,
    starKwargsValues: [],
    close: -1,
    trailingComma: false
  };
  let group: SyntaxNode[] = [];
  const flush = () => {
    if (group.length > 0) {
      addArgument(code, group, args);
    }
    group = [];
  };
  for (let c = argList.firstChild; c !== null; c = c.nextSibling) {
    const n = c.name;
    if (n === '(' || n === 'Comment') {
      continue;
    } else if (n === ')') {
      args.trailingComma =
        group.length === 0 && args.positional.length + args.keywords.size > 0;
      flush();
      args.close = c.from;
    } else if (n === ',') {
      flush();
    } else {
      group.push(c);
    }
  }
  flush();
  return args;
}

function addArgument(
  code: string,
  group: SyntaxNode[],
  args: CallArguments
): void {
  const first = group[0];
  const last = group[group.length - 1];
  if (first.name === '⚠') {
    return;
  }
  if (first.name === '*') {
    args.starArgs = true;
  } else if (first.name === '**') {
    const value = group[1];
    if (value && value.name === 'DictionaryExpression') {
      for (const [key, entry] of dictEntries(code, value)) {
        args.keywords.set(key, {
          name: key,
          from: entry.from,
          to: entry.to,
          value: entry
        });
      }
    } else {
      args.starKwargs = true;
      if (value) {
        args.starKwargsValues.push(value);
      }
    }
  } else if (
    group.length >= 3 &&
    first.name === 'VariableName' &&
    group[1].name === 'AssignOp'
  ) {
    const name = text(code, first);
    args.keywords.set(name, {
      name,
      from: first.from,
      to: last.to,
      value: group[2]
    });
  } else {
    args.positional.push(first);
  }
}

/** Constant-string keys of a dict literal with their value nodes. */
export function dictEntries(
  code: string,
  dict: SyntaxNode
): Array<[string, SyntaxNode]> {
  const out: Array<[string, SyntaxNode]> = [];
  const parts = children(dict);
  for (let i = 0; i + 2 < parts.length; i++) {
    if (parts[i + 1].name === ':') {
      const key = constString(code, parts[i]);
      if (key !== null) {
        out.push([key, parts[i + 2]]);
      }
      i += 2;
    }
  }
  return out;
}

/** Elements of a list or tuple literal. */
export function sequenceElements(node: SyntaxNode): SyntaxNode[] | null {
  if (node.name !== 'ArrayExpression' && node.name !== 'TupleExpression') {
    return null;
  }
  return children(node).filter(
    c => !['[', ']', '(', ')', ','].includes(c.name)
  );
}

/** The value of a constant string expression ('a', 'a' 'b', 'a' + 'b', ('a')), else null. */
export function constString(
  code: string,
  node: SyntaxNode,
  depth = 0
): string | null {
  const v = literalString(code, node, depth);
  return typeof v === 'string' ? v : null;
}

/**
 * As constString, but a literal Warden cannot decode is UNDECODABLE rather than null: a
 * start reader tells "not a constant" (not its to read) from "a constant it cannot read".
 */
export function literalString(
  code: string,
  node: SyntaxNode,
  depth = 0
): string | typeof UNDECODABLE | null {
  if (depth > 50) {
    return null;
  }
  switch (node.name) {
    case 'String':
      return decodeString(text(code, node));
    case 'FormatString':
      // an f-string without a replacement field is a constant (`f'pip install x'`)
      return node.getChild('FormatReplacement') === null
        ? decodeString(text(code, node))
        : null;
    case 'ContinuedString': {
      let s = '';
      let undecodable = false;
      for (let c = node.firstChild; c !== null; c = c.nextSibling) {
        const part = literalString(code, c, depth + 1);
        if (part === null) {
          return null;
        }
        undecodable ||= part === UNDECODABLE;
        s += typeof part === 'string' ? part : '';
      }
      return undecodable ? UNDECODABLE : s;
    }
    case 'ParenthesizedExpression': {
      const inner = nextCode(node.firstChild);
      return inner ? literalString(code, inner, depth + 1) : null;
    }
    case 'BinaryExpression': {
      const [a, op, b] = children(node);
      if (!a || !op || !b || text(code, op) !== '+') {
        return null;
      }
      const left = literalString(code, a, depth + 1);
      const right = left === null ? null : literalString(code, b, depth + 1);
      if (left === null || right === null) {
        return null;
      }
      return left === UNDECODABLE || right === UNDECODABLE
        ? UNDECODABLE
        : left + right;
    }
    default:
      return null;
  }
}

/** Python truthiness of a literal: true/false, or undefined when not a literal. */
export function literalTruth(
  code: string,
  node: SyntaxNode
): boolean | undefined {
  switch (node.name) {
    case 'Boolean':
      return text(code, node) === 'True';
    case 'None':
      return false;
    case 'Number': {
      const v = Number(
        text(code, node)
          .replace(/_/g, '')
          .replace(/[jJlL]$/, '')
      );
      return Number.isNaN(v) ? true : v !== 0;
    }
    case 'ParenthesizedExpression': {
      const inner = nextCode(node.firstChild);
      return inner ? literalTruth(code, inner) : undefined;
    }
    default: {
      const s = constString(code, node);
      return s === null ? undefined : s.length > 0;
    }
  }
}

export function isNoneLiteral(node: SyntaxNode): boolean {
  return node.name === 'None';
}
