/**
 * Rules for Python calls. Each dangerous API is listed once, by the dotted path Python
 * resolves it to (aliases and re-bindings are already resolved by the caller), with the check
 * that decides whether a given call is unsafe and the fix that makes it safe.
 */
import type { SyntaxNode } from '@lezer/common';
import {
  constString,
  dictEntries,
  identifier,
  literalTruth,
  sequenceElements,
  text,
  type Argument
} from './syntax';
import { isTrustedModelUrl } from './sources';
import { checkEnvAssignment } from './shell';
import {
  argument,
  keyword,
  unknownKwargs,
  type CallCheck,
  type CallSite,
  type RuleContext
} from './callsite';
import { START_RULES } from './startcalls';

export type { CallSite, RuleContext } from './callsite';

/** Keyword arguments a rule reads; also looked for in dicts passed as `**kwargs`. */
export const RULE_KEYWORDS: readonly string[] = [
  'weights_only',
  'pickle_module',
  'revision',
  'safe_mode',
  'local_files_only'
];

/** Methods whose first argument is a folder they write (a later from_pretrained reads it). */
export const FOLDER_WRITERS: readonly string[] = [
  'save_pretrained',
  'save_model'
];

/** Keyword arguments naming a folder a call writes (TrainingArguments, snapshot_download). */
export const FOLDER_KEYWORDS: readonly string[] = [
  'output_dir',
  'save_directory',
  'local_dir'
];

function flagCall(ruleId: string): CallCheck {
  return (site, ctx) =>
    ctx.out.push({ ruleId, from: site.node.from, to: site.node.to });
}

/** Fix that appends `name=value` as the last argument. */
function appendKeyword(site: CallSite, keyword: string, title: string) {
  const a = site.args;
  const empty =
    a.positional.length === 0 &&
    a.keywords.size === 0 &&
    !a.starArgs &&
    !a.starKwargs;
  const insert = empty
    ? keyword
    : a.trailingComma
      ? ` ${keyword}`
      : `, ${keyword}`;
  return { from: a.close, to: a.close, insert, title };
}

function replaceValue(kw: SyntaxNode, insert: string, title: string) {
  return { from: kw.from, to: kw.to, insert, title };
}

/**
 * torch.load and the loaders built on it. `missing` is the rule when weights_only is not
 * passed: torch.load defaults to the safe loader since torch 2.6,
 * torch.hub.load_state_dict_from_url still defaults to weights_only=False.
 */
function torchLoad(missing: string, pickleModuleIndex: number): CallCheck {
  return (site, ctx) => {
    const weightsOnly = keyword(site, 'weights_only');
    const written = argument(site, 'pickle_module', pickleModuleIndex);
    const pickleModuleSet = written
      ? written.name !== 'None'
      : keyword(site, 'pickle_module')?.isNone === false;
    const truth = weightsOnly?.truth;
    if (weightsOnly && truth === false && !weightsOnly.isNone) {
      ctx.out.push({
        ruleId: 'torch-load-weights-only-false',
        from: weightsOnly.from,
        to: weightsOnly.to,
        fix: weightsOnly.node
          ? replaceValue(weightsOnly.node, 'True', 'Use weights_only=True')
          : undefined
      });
    } else if (pickleModuleSet) {
      ctx.out.push({
        ruleId: 'torch-load-pickle-module',
        from: site.node.from,
        to: site.node.to
      });
    } else if (!weightsOnly || weightsOnly.isNone) {
      ctx.out.push({
        ruleId: missing,
        from: site.node.from,
        to: site.node.to,
        fix:
          weightsOnly || site.args.starKwargs
            ? undefined
            : appendKeyword(site, 'weights_only=True', 'Add weights_only=True')
      });
    } else if (truth === undefined) {
      // weights_only=<expression>: not provably safe.
      ctx.out.push({
        ruleId: 'torch-load-unsafe',
        from: site.node.from,
        to: site.node.to
      });
    }
  };
}

/** Loader classes yaml.load is safe with (matched by their last name). */
export const SAFE_YAML_LOADERS: ReadonlySet<string> = new Set([
  'SafeLoader',
  'CSafeLoader',
  'BaseLoader',
  'CBaseLoader'
]);

function yamlLoad(safeName: string): CallCheck {
  return (site, ctx) => {
    const loader = argument(site, 'Loader', 1);
    if (loader) {
      const path = site.resolve(loader) ?? text(site.code, loader);
      const last = path.slice(path.lastIndexOf('.') + 1);
      if (SAFE_YAML_LOADERS.has(last)) {
        return;
      }
      const loaderText = text(site.code, loader);
      ctx.out.push({
        ruleId: 'yaml-unsafe-load',
        from: site.node.from,
        to: site.node.to,
        fix: /^[A-Za-z_][\w.]*\.\w+$/.test(loaderText)
          ? replaceValue(
              loader,
              loaderText.replace(/\w+$/, 'SafeLoader'),
              'Use SafeLoader'
            )
          : undefined
      });
      return;
    }
    yamlRename(safeName)(site, ctx);
  };
}

/** yaml.unsafe_load(x) / yaml.load(x) -> yaml.safe_load(x), when the callee is `mod.name`. */
function yamlRename(safeName: string): CallCheck {
  return (site, ctx) => {
    const p = site.property;
    ctx.out.push({
      ruleId: 'yaml-unsafe-load',
      from: site.node.from,
      to: site.node.to,
      fix: p
        ? {
            from: p.from,
            to: p.to,
            insert: safeName,
            title: `Use yaml.${safeName}`
          }
        : undefined
    });
  };
}

function numpyLoad(site: CallSite, ctx: RuleContext): void {
  const allow = argument(site, 'allow_pickle', 2);
  if (!allow) {
    return;
  }
  const truth = literalTruth(site.code, allow);
  if (truth === false) {
    return;
  }
  const kw = site.args.keywords.get('allow_pickle');
  ctx.out.push({
    ruleId: 'numpy-load-allow-pickle',
    from: kw ? kw.from : allow.from,
    to: kw ? kw.to : allow.to,
    fix:
      truth === true
        ? replaceValue(allow, 'False', 'Use allow_pickle=False')
        : undefined
  });
}

/** A legacy HDF5 Keras file: by its value, or by how an f-string ends. */
const H5_PATH = /\.(?:h5|hdf5)$/i;
const H5_TEXT = /\.(?:h5|hdf5)(?:'{1,3}|"{1,3})$/i;

function kerasLoadModel(site: CallSite, ctx: RuleContext): void {
  const safeMode = argument(site, 'safe_mode', 3);
  if (safeMode && literalTruth(site.code, safeMode) === false) {
    const kw = site.args.keywords.get('safe_mode');
    ctx.out.push({
      ruleId: 'keras-unsafe-deserialization',
      from: kw ? kw.from : safeMode.from,
      to: kw ? kw.to : safeMode.to,
      fix: replaceValue(safeMode, 'True', 'Use safe_mode=True')
    });
    return;
  }
  // Legacy .h5 files are read without safe_mode: a Lambda layer's marshalled bytecode runs.
  const file = argument(site, 'filepath', 0);
  if (file) {
    const value = site.stringOf(file);
    if (
      (value !== null && H5_PATH.test(value.trim())) ||
      (value === null && H5_TEXT.test(text(site.code, file)))
    ) {
      ctx.out.push({
        ruleId: 'keras-h5-load',
        from: site.node.from,
        to: site.node.to
      });
    }
  }
}

/**
 * hydra.utils.instantiate / call build what each `_target_` names: flagged unless the config
 * is a dict written in the call (the reader sees its targets).
 */
function hydraInstantiate(site: CallSite, ctx: RuleContext): void {
  const config = argument(site, 'config', 0);
  if (config && config.name === 'DictionaryExpression') {
    return;
  }
  ctx.out.push({
    ruleId: 'hydra-instantiate-config',
    from: site.node.from,
    to: site.node.to
  });
}

/**
 * skops.io.load / loads with trusted=: fine when absent, None/False, or a written list of
 * constant type names (reviewed); anything computed trusts what the file names.
 */
function skopsLoad(site: CallSite, ctx: RuleContext): void {
  const trusted = argument(site, 'trusted', 1);
  if (
    !trusted ||
    trusted.name === 'None' ||
    literalTruth(site.code, trusted) === false
  ) {
    return;
  }
  const names = sequenceElements(trusted);
  if (names !== null && names.every(n => constString(site.code, n) !== null)) {
    return;
  }
  const kw = site.args.keywords.get('trusted');
  ctx.out.push({
    ruleId: 'skops-trusted-types',
    from: kw ? kw.from : trusted.from,
    to: kw ? kw.to : trusted.to
  });
}

/** Local directories and files are not hub downloads. */
function looksLocal(name: string): boolean {
  return /^(?:[.~/\\]|[A-Za-z]:[\\/])/.test(name) || name.split('/').length > 2;
}

/** Packaged dataset builders of `datasets` that read local or given files. */
const PACKAGED_BUILDERS = new Set([
  'csv',
  'json',
  'parquet',
  'text',
  'arrow',
  'pandas',
  'sql',
  'xml',
  'imagefolder',
  'audiofolder',
  'videofolder',
  'webdataset'
]);

/** A pinned revision is a full commit sha; branches, tags and refs/pr/N move. */
const COMMIT_SHA = /^[0-9a-f]{40}$/i;

/** Documentation placeholders (`<model-id>`, `{model}`, `path/to/model`, `your-model`). */
function isPlaceholder(name: string): boolean {
  return (
    /[<>{}]/.test(name) ||
    /(?:^|\/)path\/to\b/i.test(name) ||
    /^your[-_ ]/i.test(name) ||
    name.trim() === '' ||
    name === '...'
  );
}

/** An f-string that starts with a local path (`f"./runs/{name}"`). */
const LOCAL_FSTRING =
  /^[fFrR]{1,2}(?:'{1,3}|"{1,3})(?:\.{1,2}[\\/]|[~/\\]|[A-Za-z]:[\\/])/;

function hubDownload(nameKeyword: string): CallCheck {
  return (site, ctx) => {
    if (site.ownReceiver || unknownKwargs(site)) {
      return;
    }
    if (keyword(site, 'local_files_only')?.truth === true) {
      return;
    }
    const revision = keyword(site, 'revision');
    // A revision the analyzer cannot read (revision=args.revision) gets the benefit of doubt.
    if (revision && (revision.str === null || COMMIT_SHA.test(revision.str))) {
      return;
    }
    const name = argument(site, nameKeyword, 0);
    if (
      name &&
      (name.name === 'Ellipsis' ||
        (name.name === 'FormatString' &&
          LOCAL_FSTRING.test(text(site.code, name))))
    ) {
      return;
    }
    const literal = name ? site.stringOf(name) : null;
    if (
      literal !== null &&
      (looksLocal(literal) ||
        PACKAGED_BUILDERS.has(literal) ||
        isPlaceholder(literal) ||
        site.wasWritten(literal))
    ) {
      return;
    }
    ctx.out.push({
      ruleId: 'hf-unpinned-revision',
      from: site.node.from,
      to: site.node.to
    });
  };
}

/** evaluate.load downloads a metric script from the Hub and runs it; a local one is yours. */
function evaluateLoad(site: CallSite, ctx: RuleContext): void {
  const name = argument(site, 'path', 0);
  const literal = name ? site.stringOf(name) : null;
  if (literal !== null && looksLocal(literal)) {
    return;
  }
  ctx.out.push({
    ruleId: 'hf-evaluate-load',
    from: site.node.from,
    to: site.node.to
  });
}

function modelUrl(site: CallSite, ctx: RuleContext): void {
  const url = argument(site, 'url', 0);
  const value = url ? constString(site.code, url) : null;
  if (
    url &&
    value !== null &&
    /^[a-z]+:\/\//i.test(value) &&
    !isTrustedModelUrl(value, ctx.trusted)
  ) {
    ctx.out.push({ ruleId: 'model-untrusted-hub', from: url.from, to: url.to });
  }
}

/** os.environ.update({...}) / update(K=v), setdefault(k, v), putenv(k, v). */
function envCall(kind: 'update' | 'pair'): CallCheck {
  return (site, ctx) => {
    const { code } = site;
    const set = (
      name: string,
      value: SyntaxNode | undefined,
      from: number,
      to: number
    ) =>
      checkEnvAssignment(
        name,
        value ? constString(code, value) : null,
        from,
        to,
        ctx.trusted,
        ctx.out
      );
    if (kind === 'pair') {
      const [k, v] = site.args.positional;
      const name = k ? constString(code, k) : null;
      if (name !== null) {
        set(name, v, site.node.from, site.node.to);
      }
      return;
    }
    const dict = site.args.positional[0];
    if (dict && dict.name === 'DictionaryExpression') {
      for (const [name, value] of dictEntries(code, dict)) {
        set(name, value, site.node.from, site.node.to);
      }
    }
    site.args.keywords.forEach((kw: Argument, name: string) =>
      set(name, kw.value, kw.from, kw.to)
    );
  };
}

function table(entries: Array<[string[], CallCheck]>): Map<string, CallCheck> {
  const map = new Map<string, CallCheck>();
  for (const [names, check] of entries) {
    for (const name of names) {
      map.set(name, check);
    }
  }
  return map;
}

const each = (modules: string[], names: string[]) =>
  modules.flatMap(m => names.map(n => `${m}.${n}`));

/** Every dangerous callable by the dotted path Python resolves it to. */
export const CALL_RULES: ReadonlyMap<string, CallCheck> = table([
  [
    ['torch.load', 'torch.serialization.load'],
    torchLoad('torch-load-unsafe', 2)
  ],
  [
    ['torch.hub.load_state_dict_from_url'],
    (s, c) => {
      torchLoad('torch-load-weights-only-false', -1)(s, c);
      modelUrl(s, c);
    }
  ],
  [['torch.hub.download_url_to_file'], modelUrl],
  [['torch.hub.load'], flagCall('torch-hub-load')],
  [
    ['torch.jit.load', 'torch.jit._serialization.load'],
    flagCall('torch-jit-load')
  ],
  [
    each(
      ['torch.distributed'],
      [
        'broadcast_object_list',
        'all_gather_object',
        'gather_object',
        'scatter_object_list',
        'send_object_list',
        'recv_object_list'
      ]
    ),
    flagCall('torch-distributed-object')
  ],
  [
    each(
      ['pickle', '_pickle', 'cPickle', 'pickle5'],
      ['load', 'loads', 'Unpickler']
    ),
    flagCall('pickle-load')
  ],
  [
    each(
      ['dill'],
      ['load', 'loads', 'Unpickler', 'load_session', 'load_module']
    ),
    flagCall('dill-load')
  ],
  [each(['cloudpickle'], ['load', 'loads']), flagCall('cloudpickle-load')],
  [
    ['jsonpickle.decode', 'jsonpickle.unpickler.decode'],
    flagCall('jsonpickle-decode')
  ],
  [['shelve.open', 'shelve.DbfilenameShelf'], flagCall('shelve-open')],
  [each(['marshal'], ['load', 'loads']), flagCall('marshal-load')],
  [['joblib.load', 'sklearn.externals.joblib.load'], flagCall('joblib-load')],
  [['numpy.load'], numpyLoad],
  [['pandas.read_pickle'], flagCall('pandas-read-pickle')],
  [
    each(
      [
        'keras.models',
        'keras.saving',
        'tensorflow.keras.models',
        'tensorflow.keras.saving',
        'tf_keras.models'
      ],
      ['load_model']
    ),
    kerasLoadModel
  ],
  [
    each(
      [
        'keras.config',
        'tensorflow.keras.config',
        'keras.src.saving.serialization_lib'
      ],
      ['enable_unsafe_deserialization']
    ),
    flagCall('keras-unsafe-deserialization')
  ],
  [
    [
      'tensorflow.saved_model.load',
      'tensorflow.saved_model.loader.load',
      'tensorflow.compat.v1.saved_model.load',
      'tensorflow.compat.v1.saved_model.loader.load',
      'tensorflow.compat.v2.saved_model.load'
    ],
    flagCall('tf-saved-model-load')
  ],
  [['hydra.utils.instantiate', 'hydra.utils.call'], hydraInstantiate],
  [['skops.io.load', 'skops.io.loads'], skopsLoad],
  [['yaml.load'], yamlLoad('safe_load')],
  [['yaml.load_all'], yamlLoad('safe_load_all')],
  [['yaml.unsafe_load', 'yaml.full_load'], yamlRename('safe_load')],
  [['yaml.unsafe_load_all', 'yaml.full_load_all'], yamlRename('safe_load_all')],
  [
    ['huggingface_hub.hf_hub_download', 'huggingface_hub.snapshot_download'],
    hubDownload('repo_id')
  ],
  [['datasets.load_dataset'], hubDownload('path')],
  [['evaluate.load'], evaluateLoad],
  [['os.environ.update'], envCall('update')],
  [
    ['os.environ.setdefault', 'os.putenv', 'os.environ.__setitem__'],
    envCall('pair')
  ],
  ...START_RULES
]);

/** Rules that apply by method name whatever the object is (classes of any library). */
export const METHOD_RULES: ReadonlyMap<string, CallCheck> = new Map([
  ['from_pretrained', hubDownload('pretrained_model_name_or_path')]
]);

/** Names `from module import *` binds that the rules care about: module -> names. */
export const STAR_EXPORTS: ReadonlyMap<string, string[]> = (() => {
  const map = new Map<string, string[]>();
  for (const qname of CALL_RULES.keys()) {
    const dot = qname.lastIndexOf('.');
    const mod = qname.slice(0, dot);
    const list = map.get(mod) ?? [];
    list.push(qname.slice(dot + 1));
    map.set(mod, list);
  }
  return map;
})();

/**
 * Whether a call can match any rule, decided before its arguments are parsed (most calls in
 * a cell are print, range, model code): by callee, or by a trust_remote_code keyword.
 */
export function mayMatch(
  qname: string | null,
  property: string | null,
  mentionsTrustRemoteCode: boolean
): boolean {
  return (
    mentionsTrustRemoteCode ||
    (qname !== null && CALL_RULES.has(qname)) ||
    (property !== null && METHOD_RULES.has(property))
  );
}

export function checkCall(site: CallSite, ctx: RuleContext): void {
  if (site.qname !== null) {
    CALL_RULES.get(site.qname)?.(site, ctx);
  }
  if (site.property !== null) {
    METHOD_RULES.get(identifier(site.code, site.property))?.(site, ctx);
  }
  const trust = keyword(site, 'trust_remote_code');
  // dict(trust_remote_code=True) builds kwargs: the call that receives them is flagged.
  const buildsKwargs =
    site.callee.name === 'VariableName' &&
    text(site.code, site.callee) === 'dict' &&
    site.qname === null;
  if (trust && trust.truth !== false && !buildsKwargs) {
    ctx.out.push({
      ruleId: 'hf-trust-remote-code',
      from: trust.from,
      to: trust.to,
      fix:
        trust.truth === true && trust.node
          ? replaceValue(trust.node, 'False', 'Use trust_remote_code=False')
          : undefined
    });
  }
}
