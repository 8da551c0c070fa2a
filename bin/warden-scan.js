#!/usr/bin/env node
"use strict";
var __create = Object.create;
var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __getProtoOf = Object.getPrototypeOf;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toESM = (mod, isNodeMode, target) => (target = mod != null ? __create(__getProtoOf(mod)) : {}, __copyProps(
  // If the importer is in node compatibility mode or this is not an ESM
  // file that has been converted to a CommonJS file using a Babel-
  // compatible transform (i.e. "__esModule" has not been set), then set
  // "default" to the CommonJS "module.exports" for node compatibility.
  isNodeMode || !mod || !mod.__esModule ? __defProp(target, "default", { value: mod, enumerable: true }) : target,
  mod
));

// src/cli/scan.ts
var fs2 = __toESM(require("node:fs"));
var path3 = __toESM(require("node:path"));

// node_modules/@lezer/common/dist/index.js
var DefaultBufferLength = 1024;
var nextPropID = 0;
var Range = class {
  constructor(from, to) {
    this.from = from;
    this.to = to;
  }
};
var NodeProp = class {
  /**
  Create a new node prop type.
  */
  constructor(config = {}) {
    this.id = nextPropID++;
    this.perNode = !!config.perNode;
    this.deserialize = config.deserialize || (() => {
      throw new Error("This node type doesn't define a deserialize function");
    });
    this.combine = config.combine || null;
  }
  /**
  This is meant to be used with
  [`NodeSet.extend`](#common.NodeSet.extend) or
  [`LRParser.configure`](#lr.ParserConfig.props) to compute
  prop values for each node type in the set. Takes a [match
  object](#common.NodeType^match) or function that returns undefined
  if the node type doesn't get this prop, and the prop's value if
  it does.
  */
  add(match) {
    if (this.perNode)
      throw new RangeError("Can't add per-node props to node types");
    if (typeof match != "function")
      match = NodeType.match(match);
    return (type) => {
      let result = match(type);
      return result === void 0 ? null : [this, result];
    };
  }
};
NodeProp.closedBy = new NodeProp({ deserialize: (str) => str.split(" ") });
NodeProp.openedBy = new NodeProp({ deserialize: (str) => str.split(" ") });
NodeProp.group = new NodeProp({ deserialize: (str) => str.split(" ") });
NodeProp.isolate = new NodeProp({ deserialize: (value) => {
  if (value && value != "rtl" && value != "ltr" && value != "auto")
    throw new RangeError("Invalid value for isolate: " + value);
  return value || "auto";
} });
NodeProp.contextHash = new NodeProp({ perNode: true });
NodeProp.lookAhead = new NodeProp({ perNode: true });
NodeProp.mounted = new NodeProp({ perNode: true });
var MountedTree = class {
  constructor(tree, overlay, parser2, bracketed2 = false) {
    this.tree = tree;
    this.overlay = overlay;
    this.parser = parser2;
    this.bracketed = bracketed2;
  }
  /**
  @internal
  */
  static get(tree) {
    return tree && tree.props && tree.props[NodeProp.mounted.id];
  }
};
var noProps = /* @__PURE__ */ Object.create(null);
var NodeType = class _NodeType {
  /**
  @internal
  */
  constructor(name2, props, id2, flags = 0) {
    this.name = name2;
    this.props = props;
    this.id = id2;
    this.flags = flags;
  }
  /**
  Define a node type.
  */
  static define(spec) {
    let props = spec.props && spec.props.length ? /* @__PURE__ */ Object.create(null) : noProps;
    let flags = (spec.top ? 1 : 0) | (spec.skipped ? 2 : 0) | (spec.error ? 4 : 0) | (spec.name == null ? 8 : 0);
    let type = new _NodeType(spec.name || "", props, spec.id, flags);
    if (spec.props)
      for (let src of spec.props) {
        if (!Array.isArray(src))
          src = src(type);
        if (src) {
          if (src[0].perNode)
            throw new RangeError("Can't store a per-node prop on a node type");
          props[src[0].id] = src[1];
        }
      }
    return type;
  }
  /**
  Retrieves a node prop for this type. Will return `undefined` if
  the prop isn't present on this node.
  */
  prop(prop) {
    return this.props[prop.id];
  }
  /**
  True when this is the top node of a grammar.
  */
  get isTop() {
    return (this.flags & 1) > 0;
  }
  /**
  True when this node is produced by a skip rule.
  */
  get isSkipped() {
    return (this.flags & 2) > 0;
  }
  /**
  Indicates whether this is an error node.
  */
  get isError() {
    return (this.flags & 4) > 0;
  }
  /**
  When true, this node type doesn't correspond to a user-declared
  named node, for example because it is used to cache repetition.
  */
  get isAnonymous() {
    return (this.flags & 8) > 0;
  }
  /**
  Returns true when this node's name or one of its
  [groups](#common.NodeProp^group) matches the given string.
  */
  is(name2) {
    if (typeof name2 == "string") {
      if (this.name == name2)
        return true;
      let group = this.prop(NodeProp.group);
      return group ? group.indexOf(name2) > -1 : false;
    }
    return this.id == name2;
  }
  /**
  Create a function from node types to arbitrary values by
  specifying an object whose property names are node or
  [group](#common.NodeProp^group) names. Often useful with
  [`NodeProp.add`](#common.NodeProp.add). You can put multiple
  names, separated by spaces, in a single property name to map
  multiple node names to a single value.
  */
  static match(map) {
    let direct = /* @__PURE__ */ Object.create(null);
    for (let prop in map)
      for (let name2 of prop.split(" "))
        direct[name2] = map[prop];
    return (node) => {
      for (let groups = node.prop(NodeProp.group), i = -1; i < (groups ? groups.length : 0); i++) {
        let found = direct[i < 0 ? node.name : groups[i]];
        if (found)
          return found;
      }
    };
  }
};
NodeType.none = new NodeType(
  "",
  /* @__PURE__ */ Object.create(null),
  0,
  8
  /* NodeFlag.Anonymous */
);
var NodeSet = class _NodeSet {
  /**
  Create a set with the given types. The `id` property of each
  type should correspond to its position within the array.
  */
  constructor(types) {
    this.types = types;
    for (let i = 0; i < types.length; i++)
      if (types[i].id != i)
        throw new RangeError("Node type ids should correspond to array positions when creating a node set");
  }
  /**
  Create a copy of this set with some node properties added. The
  arguments to this method can be created with
  [`NodeProp.add`](#common.NodeProp.add).
  */
  extend(...props) {
    let newTypes = [];
    for (let type of this.types) {
      let newProps = null;
      for (let source of props) {
        let add = source(type);
        if (add) {
          if (!newProps)
            newProps = Object.assign({}, type.props);
          let value = add[1], prop = add[0];
          if (prop.combine && prop.id in newProps)
            value = prop.combine(newProps[prop.id], value);
          newProps[prop.id] = value;
        }
      }
      newTypes.push(newProps ? new NodeType(type.name, newProps, type.id, type.flags) : type);
    }
    return new _NodeSet(newTypes);
  }
};
var CachedNode = /* @__PURE__ */ new WeakMap();
var CachedInnerNode = /* @__PURE__ */ new WeakMap();
var IterMode;
(function(IterMode2) {
  IterMode2[IterMode2["ExcludeBuffers"] = 1] = "ExcludeBuffers";
  IterMode2[IterMode2["IncludeAnonymous"] = 2] = "IncludeAnonymous";
  IterMode2[IterMode2["IgnoreMounts"] = 4] = "IgnoreMounts";
  IterMode2[IterMode2["IgnoreOverlays"] = 8] = "IgnoreOverlays";
  IterMode2[IterMode2["EnterBracketed"] = 16] = "EnterBracketed";
})(IterMode || (IterMode = {}));
var Tree = class _Tree {
  /**
  Construct a new tree. See also [`Tree.build`](#common.Tree^build).
  */
  constructor(type, children2, positions, length, props) {
    this.type = type;
    this.children = children2;
    this.positions = positions;
    this.length = length;
    this.props = null;
    if (props && props.length) {
      this.props = /* @__PURE__ */ Object.create(null);
      for (let [prop, value] of props)
        this.props[typeof prop == "number" ? prop : prop.id] = value;
    }
  }
  /**
  @internal
  */
  toString() {
    let mounted = MountedTree.get(this);
    if (mounted && !mounted.overlay)
      return mounted.tree.toString();
    let children2 = "";
    for (let ch of this.children) {
      let str = ch.toString();
      if (str) {
        if (children2)
          children2 += ",";
        children2 += str;
      }
    }
    return !this.type.name ? children2 : (/\W/.test(this.type.name) && !this.type.isError ? JSON.stringify(this.type.name) : this.type.name) + (children2.length ? "(" + children2 + ")" : "");
  }
  /**
  Get a [tree cursor](#common.TreeCursor) positioned at the top of
  the tree. Mode can be used to [control](#common.IterMode) which
  nodes the cursor visits.
  */
  cursor(mode = 0) {
    return new TreeCursor(this.topNode, mode);
  }
  /**
  Get a [tree cursor](#common.TreeCursor) pointing into this tree
  at the given position and side (see
  [`moveTo`](#common.TreeCursor.moveTo).
  */
  cursorAt(pos, side = 0, mode = 0) {
    let scope = CachedNode.get(this) || this.topNode;
    let cursor = new TreeCursor(scope);
    cursor.moveTo(pos, side);
    CachedNode.set(this, cursor._tree);
    return cursor;
  }
  /**
  Get a [syntax node](#common.SyntaxNode) object for the top of the
  tree.
  */
  get topNode() {
    return new TreeNode(this, 0, 0, null);
  }
  /**
  Get the [syntax node](#common.SyntaxNode) at the given position.
  If `side` is -1, this will move into nodes that end at the
  position. If 1, it'll move into nodes that start at the
  position. With 0, it'll only enter nodes that cover the position
  from both sides.
  
  Note that this will not enter
  [overlays](#common.MountedTree.overlay), and you often want
  [`resolveInner`](#common.Tree.resolveInner) instead.
  */
  resolve(pos, side = 0) {
    let node = resolveNode(CachedNode.get(this) || this.topNode, pos, side, false);
    CachedNode.set(this, node);
    return node;
  }
  /**
  Like [`resolve`](#common.Tree.resolve), but will enter
  [overlaid](#common.MountedTree.overlay) nodes, producing a syntax node
  pointing into the innermost overlaid tree at the given position
  (with parent links going through all parent structure, including
  the host trees).
  */
  resolveInner(pos, side = 0) {
    let node = resolveNode(CachedInnerNode.get(this) || this.topNode, pos, side, true);
    CachedInnerNode.set(this, node);
    return node;
  }
  /**
  In some situations, it can be useful to iterate through all
  nodes around a position, including those in overlays that don't
  directly cover the position. This method gives you an iterator
  that will produce all nodes, from small to big, around the given
  position.
  */
  resolveStack(pos, side = 0) {
    return stackIterator(this, pos, side);
  }
  /**
  Iterate over the tree and its children, calling `enter` for any
  node that touches the `from`/`to` region (if given) before
  running over such a node's children, and `leave` (if given) when
  leaving the node. When `enter` returns `false`, that node will
  not have its children iterated over (or `leave` called).
  */
  iterate(spec) {
    let { enter, leave, from = 0, to = this.length } = spec;
    let mode = spec.mode || 0, anon = (mode & IterMode.IncludeAnonymous) > 0;
    for (let c = this.cursor(mode | IterMode.IncludeAnonymous); ; ) {
      let entered = false;
      if (c.from <= to && c.to >= from && (!anon && c.type.isAnonymous || enter(c) !== false)) {
        if (c.firstChild())
          continue;
        entered = true;
      }
      for (; ; ) {
        if (entered && leave && (anon || !c.type.isAnonymous))
          leave(c);
        if (c.nextSibling())
          break;
        if (!c.parent())
          return;
        entered = true;
      }
    }
  }
  /**
  Get the value of the given [node prop](#common.NodeProp) for this
  node. Works with both per-node and per-type props.
  */
  prop(prop) {
    return !prop.perNode ? this.type.prop(prop) : this.props ? this.props[prop.id] : void 0;
  }
  /**
  Returns the node's [per-node props](#common.NodeProp.perNode) in a
  format that can be passed to the [`Tree`](#common.Tree)
  constructor.
  */
  get propValues() {
    let result = [];
    if (this.props)
      for (let id2 in this.props)
        result.push([+id2, this.props[id2]]);
    return result;
  }
  /**
  Balance the direct children of this tree, producing a copy of
  which may have children grouped into subtrees with type
  [`NodeType.none`](#common.NodeType^none).
  */
  balance(config = {}) {
    return this.children.length <= 8 ? this : balanceRange(NodeType.none, this.children, this.positions, 0, this.children.length, 0, this.length, (children2, positions, length) => new _Tree(this.type, children2, positions, length, this.propValues), config.makeTree || ((children2, positions, length) => new _Tree(NodeType.none, children2, positions, length)));
  }
  /**
  Build a tree from a postfix-ordered buffer of node information,
  or a cursor over such a buffer.
  */
  static build(data) {
    return buildTree(data);
  }
};
Tree.empty = new Tree(NodeType.none, [], [], 0);
var FlatBufferCursor = class _FlatBufferCursor {
  constructor(buffer, index) {
    this.buffer = buffer;
    this.index = index;
  }
  get id() {
    return this.buffer[this.index - 4];
  }
  get start() {
    return this.buffer[this.index - 3];
  }
  get end() {
    return this.buffer[this.index - 2];
  }
  get size() {
    return this.buffer[this.index - 1];
  }
  get pos() {
    return this.index;
  }
  next() {
    this.index -= 4;
  }
  fork() {
    return new _FlatBufferCursor(this.buffer, this.index);
  }
};
var TreeBuffer = class _TreeBuffer {
  /**
  Create a tree buffer.
  */
  constructor(buffer, length, set) {
    this.buffer = buffer;
    this.length = length;
    this.set = set;
  }
  /**
  @internal
  */
  get type() {
    return NodeType.none;
  }
  /**
  @internal
  */
  toString() {
    let result = [];
    for (let index = 0; index < this.buffer.length; ) {
      result.push(this.childString(index));
      index = this.buffer[index + 3];
    }
    return result.join(",");
  }
  /**
  @internal
  */
  childString(index) {
    let id2 = this.buffer[index], endIndex = this.buffer[index + 3];
    let type = this.set.types[id2], result = type.name;
    if (/\W/.test(result) && !type.isError)
      result = JSON.stringify(result);
    index += 4;
    if (endIndex == index)
      return result;
    let children2 = [];
    while (index < endIndex) {
      children2.push(this.childString(index));
      index = this.buffer[index + 3];
    }
    return result + "(" + children2.join(",") + ")";
  }
  /**
  @internal
  */
  findChild(startIndex, endIndex, dir, pos, side) {
    let { buffer } = this, pick = -1;
    for (let i = startIndex; i != endIndex; i = buffer[i + 3]) {
      if (checkSide(side, pos, buffer[i + 1], buffer[i + 2])) {
        pick = i;
        if (dir > 0)
          break;
      }
    }
    return pick;
  }
  /**
  @internal
  */
  slice(startI, endI, from) {
    let b = this.buffer;
    let copy = new Uint16Array(endI - startI), len = 0;
    for (let i = startI, j = 0; i < endI; ) {
      copy[j++] = b[i++];
      copy[j++] = b[i++] - from;
      let to = copy[j++] = b[i++] - from;
      copy[j++] = b[i++] - startI;
      len = Math.max(len, to);
    }
    return new _TreeBuffer(copy, len, this.set);
  }
};
function checkSide(side, pos, from, to) {
  switch (side) {
    case -2:
      return from < pos;
    case -1:
      return to >= pos && from < pos;
    case 0:
      return from < pos && to > pos;
    case 1:
      return from <= pos && to > pos;
    case 2:
      return to > pos;
    case 4:
      return true;
  }
}
function resolveNode(node, pos, side, overlays) {
  var _a;
  while (node.from == node.to || (side < 1 ? node.from >= pos : node.from > pos) || (side > -1 ? node.to <= pos : node.to < pos)) {
    let parent = !overlays && node instanceof TreeNode && node.index < 0 ? null : node.parent;
    if (!parent)
      return node;
    node = parent;
  }
  let mode = overlays ? 0 : IterMode.IgnoreOverlays;
  if (overlays)
    for (let scan = node, parent = scan.parent; parent; scan = parent, parent = scan.parent) {
      if (scan instanceof TreeNode && scan.index < 0 && ((_a = parent.enter(pos, side, mode)) === null || _a === void 0 ? void 0 : _a.from) != scan.from)
        node = parent;
    }
  for (; ; ) {
    let inner = node.enter(pos, side, mode);
    if (!inner)
      return node;
    node = inner;
  }
}
var BaseNode = class {
  cursor(mode = 0) {
    return new TreeCursor(this, mode);
  }
  getChild(type, before = null, after = null) {
    let r = getChildren(this, type, before, after);
    return r.length ? r[0] : null;
  }
  getChildren(type, before = null, after = null) {
    return getChildren(this, type, before, after);
  }
  resolve(pos, side = 0) {
    return resolveNode(this, pos, side, false);
  }
  resolveInner(pos, side = 0) {
    return resolveNode(this, pos, side, true);
  }
  matchContext(context) {
    return matchNodeContext(this.parent, context);
  }
  enterUnfinishedNodesBefore(pos) {
    let scan = this.childBefore(pos), node = this;
    while (scan) {
      let last = scan.lastChild;
      if (!last || last.to != scan.to)
        break;
      if (last.type.isError && last.from == last.to) {
        node = scan;
        scan = last.prevSibling;
      } else {
        scan = last;
      }
    }
    return node;
  }
  get node() {
    return this;
  }
  get next() {
    return this.parent;
  }
};
var TreeNode = class _TreeNode extends BaseNode {
  constructor(_tree, from, index, _parent) {
    super();
    this._tree = _tree;
    this.from = from;
    this.index = index;
    this._parent = _parent;
  }
  get type() {
    return this._tree.type;
  }
  get name() {
    return this._tree.type.name;
  }
  get to() {
    return this.from + this._tree.length;
  }
  nextChild(i, dir, pos, side, mode = 0) {
    for (let parent = this; ; ) {
      for (let { children: children2, positions } = parent._tree, e = dir > 0 ? children2.length : -1; i != e; i += dir) {
        let next = children2[i], start = positions[i] + parent.from, mounted;
        if (!(mode & IterMode.EnterBracketed && next instanceof Tree && (mounted = MountedTree.get(next)) && !mounted.overlay && mounted.bracketed && pos >= start && pos <= start + next.length) && !checkSide(side, pos, start, start + next.length))
          continue;
        if (next instanceof TreeBuffer) {
          if (mode & IterMode.ExcludeBuffers)
            continue;
          let index = next.findChild(0, next.buffer.length, dir, pos - start, side);
          if (index > -1)
            return new BufferNode(new BufferContext(parent, next, i, start), null, index);
        } else if (mode & IterMode.IncludeAnonymous || (!next.type.isAnonymous || hasChild(next))) {
          let mounted2;
          if (!(mode & IterMode.IgnoreMounts) && (mounted2 = MountedTree.get(next)) && !mounted2.overlay)
            return new _TreeNode(mounted2.tree, start, i, parent);
          let inner = new _TreeNode(next, start, i, parent);
          return mode & IterMode.IncludeAnonymous || !inner.type.isAnonymous ? inner : inner.nextChild(dir < 0 ? next.children.length - 1 : 0, dir, pos, side, mode);
        }
      }
      if (mode & IterMode.IncludeAnonymous || !parent.type.isAnonymous)
        return null;
      if (parent.index >= 0)
        i = parent.index + dir;
      else
        i = dir < 0 ? -1 : parent._parent._tree.children.length;
      parent = parent._parent;
      if (!parent)
        return null;
    }
  }
  get firstChild() {
    return this.nextChild(
      0,
      1,
      0,
      4
      /* Side.DontCare */
    );
  }
  get lastChild() {
    return this.nextChild(
      this._tree.children.length - 1,
      -1,
      0,
      4
      /* Side.DontCare */
    );
  }
  childAfter(pos) {
    return this.nextChild(
      0,
      1,
      pos,
      2
      /* Side.After */
    );
  }
  childBefore(pos) {
    return this.nextChild(
      this._tree.children.length - 1,
      -1,
      pos,
      -2
      /* Side.Before */
    );
  }
  prop(prop) {
    return this._tree.prop(prop);
  }
  enter(pos, side, mode = 0) {
    let mounted;
    if (!(mode & IterMode.IgnoreOverlays) && (mounted = MountedTree.get(this._tree)) && mounted.overlay) {
      let rPos = pos - this.from, enterBracketed = mode & IterMode.EnterBracketed && mounted.bracketed;
      for (let { from, to } of mounted.overlay) {
        if ((side > 0 || enterBracketed ? from <= rPos : from < rPos) && (side < 0 || enterBracketed ? to >= rPos : to > rPos))
          return new _TreeNode(mounted.tree, mounted.overlay[0].from + this.from, -1, this);
      }
    }
    return this.nextChild(0, 1, pos, side, mode);
  }
  nextSignificantParent() {
    let val = this;
    while (val.type.isAnonymous && val._parent)
      val = val._parent;
    return val;
  }
  get parent() {
    return this._parent ? this._parent.nextSignificantParent() : null;
  }
  get nextSibling() {
    return this._parent && this.index >= 0 ? this._parent.nextChild(
      this.index + 1,
      1,
      0,
      4
      /* Side.DontCare */
    ) : null;
  }
  get prevSibling() {
    return this._parent && this.index >= 0 ? this._parent.nextChild(
      this.index - 1,
      -1,
      0,
      4
      /* Side.DontCare */
    ) : null;
  }
  get tree() {
    return this._tree;
  }
  toTree() {
    return this._tree;
  }
  /**
  @internal
  */
  toString() {
    return this._tree.toString();
  }
};
function getChildren(node, type, before, after) {
  let cur = node.cursor(), result = [];
  if (!cur.firstChild())
    return result;
  if (before != null)
    for (let found = false; !found; ) {
      found = cur.type.is(before);
      if (!cur.nextSibling())
        return result;
    }
  for (; ; ) {
    if (after != null && cur.type.is(after))
      return result;
    if (cur.type.is(type))
      result.push(cur.node);
    if (!cur.nextSibling())
      return after == null ? result : [];
  }
}
function matchNodeContext(node, context, i = context.length - 1) {
  for (let p = node; i >= 0; p = p.parent) {
    if (!p)
      return false;
    if (!p.type.isAnonymous) {
      if (context[i] && context[i] != p.name)
        return false;
      i--;
    }
  }
  return true;
}
var BufferContext = class {
  constructor(parent, buffer, index, start) {
    this.parent = parent;
    this.buffer = buffer;
    this.index = index;
    this.start = start;
  }
};
var BufferNode = class _BufferNode extends BaseNode {
  get name() {
    return this.type.name;
  }
  get from() {
    return this.context.start + this.context.buffer.buffer[this.index + 1];
  }
  get to() {
    return this.context.start + this.context.buffer.buffer[this.index + 2];
  }
  constructor(context, _parent, index) {
    super();
    this.context = context;
    this._parent = _parent;
    this.index = index;
    this.type = context.buffer.set.types[context.buffer.buffer[index]];
  }
  child(dir, pos, side) {
    let { buffer } = this.context;
    let index = buffer.findChild(this.index + 4, buffer.buffer[this.index + 3], dir, pos - this.context.start, side);
    return index < 0 ? null : new _BufferNode(this.context, this, index);
  }
  get firstChild() {
    return this.child(
      1,
      0,
      4
      /* Side.DontCare */
    );
  }
  get lastChild() {
    return this.child(
      -1,
      0,
      4
      /* Side.DontCare */
    );
  }
  childAfter(pos) {
    return this.child(
      1,
      pos,
      2
      /* Side.After */
    );
  }
  childBefore(pos) {
    return this.child(
      -1,
      pos,
      -2
      /* Side.Before */
    );
  }
  prop(prop) {
    return this.type.prop(prop);
  }
  enter(pos, side, mode = 0) {
    if (mode & IterMode.ExcludeBuffers)
      return null;
    let { buffer } = this.context;
    let index = buffer.findChild(this.index + 4, buffer.buffer[this.index + 3], side > 0 ? 1 : -1, pos - this.context.start, side);
    return index < 0 ? null : new _BufferNode(this.context, this, index);
  }
  get parent() {
    return this._parent || this.context.parent.nextSignificantParent();
  }
  externalSibling(dir) {
    return this._parent ? null : this.context.parent.nextChild(
      this.context.index + dir,
      dir,
      0,
      4
      /* Side.DontCare */
    );
  }
  get nextSibling() {
    let { buffer } = this.context;
    let after = buffer.buffer[this.index + 3];
    if (after < (this._parent ? buffer.buffer[this._parent.index + 3] : buffer.buffer.length))
      return new _BufferNode(this.context, this._parent, after);
    return this.externalSibling(1);
  }
  get prevSibling() {
    let { buffer } = this.context;
    let parentStart = this._parent ? this._parent.index + 4 : 0;
    if (this.index == parentStart)
      return this.externalSibling(-1);
    return new _BufferNode(this.context, this._parent, buffer.findChild(
      parentStart,
      this.index,
      -1,
      0,
      4
      /* Side.DontCare */
    ));
  }
  get tree() {
    return null;
  }
  toTree() {
    let children2 = [], positions = [];
    let { buffer } = this.context;
    let startI = this.index + 4, endI = buffer.buffer[this.index + 3];
    if (endI > startI) {
      let from = buffer.buffer[this.index + 1];
      children2.push(buffer.slice(startI, endI, from));
      positions.push(0);
    }
    return new Tree(this.type, children2, positions, this.to - this.from);
  }
  /**
  @internal
  */
  toString() {
    return this.context.buffer.childString(this.index);
  }
};
function iterStack(heads) {
  if (!heads.length)
    return null;
  let pick = 0, picked = heads[0];
  for (let i = 1; i < heads.length; i++) {
    let node = heads[i];
    if (node.from > picked.from || node.to < picked.to) {
      picked = node;
      pick = i;
    }
  }
  let next = picked instanceof TreeNode && picked.index < 0 ? null : picked.parent;
  let newHeads = heads.slice();
  if (next)
    newHeads[pick] = next;
  else
    newHeads.splice(pick, 1);
  return new StackIterator(newHeads, picked);
}
var StackIterator = class {
  constructor(heads, node) {
    this.heads = heads;
    this.node = node;
  }
  get next() {
    return iterStack(this.heads);
  }
};
function stackIterator(tree, pos, side) {
  let inner = tree.resolveInner(pos, side), layers = null;
  for (let scan = inner instanceof TreeNode ? inner : inner.context.parent; scan; scan = scan.parent) {
    if (scan.index < 0) {
      let parent = scan.parent;
      (layers || (layers = [inner])).push(parent.resolve(pos, side));
      scan = parent;
    } else {
      let mount = MountedTree.get(scan.tree);
      if (mount && mount.overlay && mount.overlay[0].from <= pos && mount.overlay[mount.overlay.length - 1].to >= pos) {
        let root = new TreeNode(mount.tree, mount.overlay[0].from + scan.from, -1, scan);
        (layers || (layers = [inner])).push(resolveNode(root, pos, side, false));
      }
    }
  }
  return layers ? iterStack(layers) : inner;
}
var TreeCursor = class {
  /**
  Shorthand for `.type.name`.
  */
  get name() {
    return this.type.name;
  }
  /**
  @internal
  */
  constructor(node, mode = 0) {
    this.buffer = null;
    this.stack = [];
    this.index = 0;
    this.bufferNode = null;
    this.mode = mode & ~IterMode.EnterBracketed;
    if (node instanceof TreeNode) {
      this.yieldNode(node);
    } else {
      this._tree = node.context.parent;
      this.buffer = node.context;
      for (let n = node._parent; n; n = n._parent)
        this.stack.unshift(n.index);
      this.bufferNode = node;
      this.yieldBuf(node.index);
    }
  }
  yieldNode(node) {
    if (!node)
      return false;
    this._tree = node;
    this.type = node.type;
    this.from = node.from;
    this.to = node.to;
    return true;
  }
  yieldBuf(index, type) {
    this.index = index;
    let { start, buffer } = this.buffer;
    this.type = type || buffer.set.types[buffer.buffer[index]];
    this.from = start + buffer.buffer[index + 1];
    this.to = start + buffer.buffer[index + 2];
    return true;
  }
  /**
  @internal
  */
  yield(node) {
    if (!node)
      return false;
    if (node instanceof TreeNode) {
      this.buffer = null;
      return this.yieldNode(node);
    }
    this.buffer = node.context;
    return this.yieldBuf(node.index, node.type);
  }
  /**
  @internal
  */
  toString() {
    return this.buffer ? this.buffer.buffer.childString(this.index) : this._tree.toString();
  }
  /**
  @internal
  */
  enterChild(dir, pos, side) {
    if (!this.buffer)
      return this.yield(this._tree.nextChild(dir < 0 ? this._tree._tree.children.length - 1 : 0, dir, pos, side, this.mode));
    let { buffer } = this.buffer;
    let index = buffer.findChild(this.index + 4, buffer.buffer[this.index + 3], dir, pos - this.buffer.start, side);
    if (index < 0)
      return false;
    this.stack.push(this.index);
    return this.yieldBuf(index);
  }
  /**
  Move the cursor to this node's first child. When this returns
  false, the node has no child, and the cursor has not been moved.
  */
  firstChild() {
    return this.enterChild(
      1,
      0,
      4
      /* Side.DontCare */
    );
  }
  /**
  Move the cursor to this node's last child.
  */
  lastChild() {
    return this.enterChild(
      -1,
      0,
      4
      /* Side.DontCare */
    );
  }
  /**
  Move the cursor to the first child that ends after `pos`.
  */
  childAfter(pos) {
    return this.enterChild(
      1,
      pos,
      2
      /* Side.After */
    );
  }
  /**
  Move to the last child that starts before `pos`.
  */
  childBefore(pos) {
    return this.enterChild(
      -1,
      pos,
      -2
      /* Side.Before */
    );
  }
  /**
  Move the cursor to the child around `pos`. If side is -1 the
  child may end at that position, when 1 it may start there. This
  will also enter [overlaid](#common.MountedTree.overlay)
  [mounted](#common.NodeProp^mounted) trees unless `overlays` is
  set to false.
  */
  enter(pos, side, mode = this.mode) {
    if (!this.buffer)
      return this.yield(this._tree.enter(pos, side, mode));
    return mode & IterMode.ExcludeBuffers ? false : this.enterChild(1, pos, side);
  }
  /**
  Move to the node's parent node, if this isn't the top node.
  */
  parent() {
    if (!this.buffer)
      return this.yieldNode(this.mode & IterMode.IncludeAnonymous ? this._tree._parent : this._tree.parent);
    if (this.stack.length)
      return this.yieldBuf(this.stack.pop());
    let parent = this.mode & IterMode.IncludeAnonymous ? this.buffer.parent : this.buffer.parent.nextSignificantParent();
    this.buffer = null;
    return this.yieldNode(parent);
  }
  /**
  @internal
  */
  sibling(dir) {
    if (!this.buffer)
      return !this._tree._parent ? false : this.yield(this._tree.index < 0 ? null : this._tree._parent.nextChild(this._tree.index + dir, dir, 0, 4, this.mode));
    let { buffer } = this.buffer, d = this.stack.length - 1;
    if (dir < 0) {
      let parentStart = d < 0 ? 0 : this.stack[d] + 4;
      if (this.index != parentStart)
        return this.yieldBuf(buffer.findChild(
          parentStart,
          this.index,
          -1,
          0,
          4
          /* Side.DontCare */
        ));
    } else {
      let after = buffer.buffer[this.index + 3];
      if (after < (d < 0 ? buffer.buffer.length : buffer.buffer[this.stack[d] + 3]))
        return this.yieldBuf(after);
    }
    return d < 0 ? this.yield(this.buffer.parent.nextChild(this.buffer.index + dir, dir, 0, 4, this.mode)) : false;
  }
  /**
  Move to this node's next sibling, if any.
  */
  nextSibling() {
    return this.sibling(1);
  }
  /**
  Move to this node's previous sibling, if any.
  */
  prevSibling() {
    return this.sibling(-1);
  }
  atLastNode(dir) {
    let index, parent, { buffer } = this;
    if (buffer) {
      if (dir > 0) {
        if (this.index < buffer.buffer.buffer.length)
          return false;
      } else {
        for (let i = 0; i < this.index; i++)
          if (buffer.buffer.buffer[i + 3] < this.index)
            return false;
      }
      ({ index, parent } = buffer);
    } else {
      ({ index, _parent: parent } = this._tree);
    }
    for (; parent; { index, _parent: parent } = parent) {
      if (index > -1)
        for (let i = index + dir, e = dir < 0 ? -1 : parent._tree.children.length; i != e; i += dir) {
          let child = parent._tree.children[i];
          if (this.mode & IterMode.IncludeAnonymous || child instanceof TreeBuffer || !child.type.isAnonymous || hasChild(child))
            return false;
        }
    }
    return true;
  }
  move(dir, enter) {
    if (enter && this.enterChild(
      dir,
      0,
      4
      /* Side.DontCare */
    ))
      return true;
    for (; ; ) {
      if (this.sibling(dir))
        return true;
      if (this.atLastNode(dir) || !this.parent())
        return false;
    }
  }
  /**
  Move to the next node in a
  [pre-order](https://en.wikipedia.org/wiki/Tree_traversal#Pre-order,_NLR)
  traversal, going from a node to its first child or, if the
  current node is empty or `enter` is false, its next sibling or
  the next sibling of the first parent node that has one.
  */
  next(enter = true) {
    return this.move(1, enter);
  }
  /**
  Move to the next node in a last-to-first pre-order traversal. A
  node is followed by its last child or, if it has none, its
  previous sibling or the previous sibling of the first parent
  node that has one.
  */
  prev(enter = true) {
    return this.move(-1, enter);
  }
  /**
  Move the cursor to the innermost node that covers `pos`. If
  `side` is -1, it will enter nodes that end at `pos`. If it is 1,
  it will enter nodes that start at `pos`.
  */
  moveTo(pos, side = 0) {
    while (this.from == this.to || (side < 1 ? this.from >= pos : this.from > pos) || (side > -1 ? this.to <= pos : this.to < pos))
      if (!this.parent())
        break;
    while (this.enterChild(1, pos, side)) {
    }
    return this;
  }
  /**
  Get a [syntax node](#common.SyntaxNode) at the cursor's current
  position.
  */
  get node() {
    if (!this.buffer)
      return this._tree;
    let cache = this.bufferNode, result = null, depth = 0;
    if (cache && cache.context == this.buffer) {
      scan: for (let index = this.index, d = this.stack.length; d >= 0; ) {
        for (let c = cache; c; c = c._parent)
          if (c.index == index) {
            if (index == this.index)
              return c;
            result = c;
            depth = d + 1;
            break scan;
          }
        index = this.stack[--d];
      }
    }
    for (let i = depth; i < this.stack.length; i++)
      result = new BufferNode(this.buffer, result, this.stack[i]);
    return this.bufferNode = new BufferNode(this.buffer, result, this.index);
  }
  /**
  Get the [tree](#common.Tree) that represents the current node, if
  any. Will return null when the node is in a [tree
  buffer](#common.TreeBuffer).
  */
  get tree() {
    return this.buffer ? null : this._tree._tree;
  }
  /**
  Iterate over the current node and all its descendants, calling
  `enter` when entering a node and `leave`, if given, when leaving
  one. When `enter` returns `false`, any children of that node are
  skipped, and `leave` isn't called for it.
  */
  iterate(enter, leave) {
    for (let depth = 0; ; ) {
      let mustLeave = false;
      if (this.type.isAnonymous || enter(this) !== false) {
        if (this.firstChild()) {
          depth++;
          continue;
        }
        if (!this.type.isAnonymous)
          mustLeave = true;
      }
      for (; ; ) {
        if (mustLeave && leave)
          leave(this);
        mustLeave = this.type.isAnonymous;
        if (!depth)
          return;
        if (this.nextSibling())
          break;
        this.parent();
        depth--;
        mustLeave = true;
      }
    }
  }
  /**
  Test whether the current node matches a given context—a sequence
  of direct parent node names. Empty strings in the context array
  are treated as wildcards.
  */
  matchContext(context) {
    if (!this.buffer)
      return matchNodeContext(this.node.parent, context);
    let { buffer } = this.buffer, { types } = buffer.set;
    for (let i = context.length - 1, d = this.stack.length - 1; i >= 0; d--) {
      if (d < 0)
        return matchNodeContext(this._tree, context, i);
      let type = types[buffer.buffer[this.stack[d]]];
      if (!type.isAnonymous) {
        if (context[i] && context[i] != type.name)
          return false;
        i--;
      }
    }
    return true;
  }
};
function hasChild(tree) {
  return tree.children.some((ch) => ch instanceof TreeBuffer || !ch.type.isAnonymous || hasChild(ch));
}
function buildTree(data) {
  var _a;
  let { buffer, nodeSet, maxBufferLength = DefaultBufferLength, reused = [], minRepeatType = nodeSet.types.length } = data;
  let cursor = Array.isArray(buffer) ? new FlatBufferCursor(buffer, buffer.length) : buffer;
  let types = nodeSet.types;
  let contextHash = 0, lookAhead = 0;
  function takeNode(parentStart, minPos, children3, positions2, inRepeat, depth) {
    let { id: id2, start, end, size } = cursor;
    let lookAheadAtStart = lookAhead, contextAtStart = contextHash;
    if (size < 0) {
      cursor.next();
      if (size == -1) {
        let node2 = reused[id2];
        children3.push(node2);
        positions2.push(start - parentStart);
        return;
      } else if (size == -3) {
        contextHash = id2;
        return;
      } else if (size == -4) {
        lookAhead = id2;
        return;
      } else {
        throw new RangeError(`Unrecognized record size: ${size}`);
      }
    }
    let type = types[id2], node, buffer2;
    let startPos = start - parentStart;
    if (end - start <= maxBufferLength && (buffer2 = findBufferSize(cursor.pos - minPos, inRepeat))) {
      let data2 = new Uint16Array(buffer2.size - buffer2.skip);
      let endPos = cursor.pos - buffer2.size, index = data2.length;
      while (cursor.pos > endPos)
        index = copyToBuffer(buffer2.start, data2, index);
      node = new TreeBuffer(data2, end - buffer2.start, nodeSet);
      startPos = buffer2.start - parentStart;
    } else {
      let endPos = cursor.pos - size;
      cursor.next();
      let localChildren = [], localPositions = [];
      let localInRepeat = id2 >= minRepeatType ? id2 : -1;
      let lastGroup = 0, lastEnd = end, groupLookAhead = lookAheadAtStart;
      while (cursor.pos > endPos) {
        if (localInRepeat >= 0 && cursor.id == localInRepeat && cursor.size >= 0) {
          if (cursor.end <= lastEnd - maxBufferLength) {
            makeRepeatLeaf(localChildren, localPositions, start, lastGroup, cursor.end, lastEnd, localInRepeat, groupLookAhead, contextAtStart);
            lastGroup = localChildren.length;
            lastEnd = cursor.end;
            groupLookAhead = lookAhead;
          }
          cursor.next();
        } else if (depth > 2500) {
          takeFlatNode(start, endPos, localChildren, localPositions);
        } else {
          if (localInRepeat >= 0 && cursor.size == -1 && reused[cursor.id].type == nodeSet.types[localInRepeat]) {
            if (lastGroup < localChildren.length)
              makeRepeatLeaf(localChildren, localPositions, start, lastGroup, cursor.end, lastEnd, localInRepeat, groupLookAhead, contextAtStart);
            lastGroup = localChildren.length + 1;
            lastEnd = cursor.start;
            groupLookAhead = lookAhead;
          }
          takeNode(start, endPos, localChildren, localPositions, localInRepeat, depth + 1);
        }
      }
      if (localInRepeat >= 0 && lastGroup > 0 && lastGroup < localChildren.length)
        makeRepeatLeaf(localChildren, localPositions, start, lastGroup, start, lastEnd, localInRepeat, groupLookAhead, contextAtStart);
      localChildren.reverse();
      localPositions.reverse();
      if (localInRepeat > -1 && lastGroup > 0) {
        let make = makeBalanced(type, contextAtStart);
        node = balanceRange(type, localChildren, localPositions, 0, localChildren.length, 0, end - start, make, make);
      } else {
        node = makeTree(type, localChildren, localPositions, end - start, lookAheadAtStart - end, contextAtStart);
      }
    }
    children3.push(node);
    positions2.push(startPos);
  }
  function takeFlatNode(parentStart, minPos, children3, positions2) {
    let nodes = [];
    let nodeCount = 0, stopAt = -1;
    while (cursor.pos > minPos) {
      let { id: id2, start, end, size } = cursor;
      if (size > 4) {
        cursor.next();
      } else if (stopAt > -1 && start < stopAt) {
        break;
      } else {
        if (stopAt < 0)
          stopAt = end - maxBufferLength;
        nodes.push(id2, start, end);
        nodeCount++;
        cursor.next();
      }
    }
    if (nodeCount) {
      let buffer2 = new Uint16Array(nodeCount * 4);
      let start = nodes[nodes.length - 2];
      for (let i = nodes.length - 3, j = 0; i >= 0; i -= 3) {
        buffer2[j++] = nodes[i];
        buffer2[j++] = nodes[i + 1] - start;
        buffer2[j++] = nodes[i + 2] - start;
        buffer2[j++] = j;
      }
      children3.push(new TreeBuffer(buffer2, nodes[2] - start, nodeSet));
      positions2.push(start - parentStart);
    }
  }
  function makeBalanced(type, contextHash2) {
    return (children3, positions2, length2) => {
      let lookAhead2 = 0, lastI = children3.length - 1, last, lookAheadProp;
      if (lastI >= 0 && (last = children3[lastI]) instanceof Tree) {
        if (!lastI && last.type == type && last.length == length2)
          return last;
        if (lookAheadProp = last.prop(NodeProp.lookAhead))
          lookAhead2 = positions2[lastI] + last.length + lookAheadProp - length2;
      }
      return makeTree(type, children3, positions2, length2, lookAhead2, contextHash2);
    };
  }
  function makeRepeatLeaf(children3, positions2, base, i, from, to, type, lookAhead2, contextHash2) {
    let localChildren = [], localPositions = [];
    while (children3.length > i) {
      localChildren.push(children3.pop());
      localPositions.push(positions2.pop() + base - from);
    }
    children3.push(makeTree(nodeSet.types[type], localChildren, localPositions, to - from, lookAhead2 - to, contextHash2));
    positions2.push(from - base);
  }
  function makeTree(type, children3, positions2, length2, lookAhead2, contextHash2, props) {
    if (contextHash2) {
      let pair2 = [NodeProp.contextHash, contextHash2];
      props = props ? [pair2].concat(props) : [pair2];
    }
    if (lookAhead2 > 25) {
      let pair2 = [NodeProp.lookAhead, lookAhead2];
      props = props ? [pair2].concat(props) : [pair2];
    }
    return new Tree(type, children3, positions2, length2, props);
  }
  function findBufferSize(maxSize, inRepeat) {
    let fork = cursor.fork();
    let size = 0, start = 0, skip = 0, minStart = fork.end - maxBufferLength;
    let result = { size: 0, start: 0, skip: 0 };
    scan: for (let minPos = fork.pos - maxSize; fork.pos > minPos; ) {
      let nodeSize2 = fork.size;
      if (fork.id == inRepeat && nodeSize2 >= 0) {
        result.size = size;
        result.start = start;
        result.skip = skip;
        skip += 4;
        size += 4;
        fork.next();
        continue;
      }
      let startPos = fork.pos - nodeSize2;
      if (nodeSize2 < 0 || startPos < minPos || fork.start < minStart)
        break;
      let localSkipped = fork.id >= minRepeatType ? 4 : 0;
      let nodeStart = fork.start;
      fork.next();
      while (fork.pos > startPos) {
        if (fork.size < 0) {
          if (fork.size == -3 || fork.size == -4)
            localSkipped += 4;
          else
            break scan;
        } else if (fork.id >= minRepeatType) {
          localSkipped += 4;
        }
        fork.next();
      }
      start = nodeStart;
      size += nodeSize2;
      skip += localSkipped;
    }
    if (inRepeat < 0 || size == maxSize) {
      result.size = size;
      result.start = start;
      result.skip = skip;
    }
    return result.size > 4 ? result : void 0;
  }
  function copyToBuffer(bufferStart, buffer2, index) {
    let { id: id2, start, end, size } = cursor;
    cursor.next();
    if (size >= 0 && id2 < minRepeatType) {
      let startIndex = index;
      if (size > 4) {
        let endPos = cursor.pos - (size - 4);
        while (cursor.pos > endPos)
          index = copyToBuffer(bufferStart, buffer2, index);
      }
      buffer2[--index] = startIndex;
      buffer2[--index] = end - bufferStart;
      buffer2[--index] = start - bufferStart;
      buffer2[--index] = id2;
    } else if (size == -3) {
      contextHash = id2;
    } else if (size == -4) {
      lookAhead = id2;
    }
    return index;
  }
  let children2 = [], positions = [];
  while (cursor.pos > 0)
    takeNode(data.start || 0, data.bufferStart || 0, children2, positions, -1, 0);
  let length = (_a = data.length) !== null && _a !== void 0 ? _a : children2.length ? positions[0] + children2[0].length : 0;
  return new Tree(types[data.topID], children2.reverse(), positions.reverse(), length);
}
var nodeSizeCache = /* @__PURE__ */ new WeakMap();
function nodeSize(balanceType, node) {
  if (!balanceType.isAnonymous || node instanceof TreeBuffer || node.type != balanceType)
    return 1;
  let size = nodeSizeCache.get(node);
  if (size == null) {
    size = 1;
    for (let child of node.children) {
      if (child.type != balanceType || !(child instanceof Tree)) {
        size = 1;
        break;
      }
      size += nodeSize(balanceType, child);
    }
    nodeSizeCache.set(node, size);
  }
  return size;
}
function balanceRange(balanceType, children2, positions, from, to, start, length, mkTop, mkTree) {
  let total = 0;
  for (let i = from; i < to; i++)
    total += nodeSize(balanceType, children2[i]);
  let maxChild = Math.ceil(
    total * 1.5 / 8
    /* Balance.BranchFactor */
  );
  let localChildren = [], localPositions = [];
  function divide(children3, positions2, from2, to2, offset) {
    for (let i = from2; i < to2; ) {
      let groupFrom = i, groupStart = positions2[i], groupSize = nodeSize(balanceType, children3[i]);
      i++;
      for (; i < to2; i++) {
        let nextSize = nodeSize(balanceType, children3[i]);
        if (groupSize + nextSize >= maxChild)
          break;
        groupSize += nextSize;
      }
      if (i == groupFrom + 1) {
        if (groupSize > maxChild) {
          let only = children3[groupFrom];
          divide(only.children, only.positions, 0, only.children.length, positions2[groupFrom] + offset);
          continue;
        }
        localChildren.push(children3[groupFrom]);
      } else {
        let length2 = positions2[i - 1] + children3[i - 1].length - groupStart;
        localChildren.push(balanceRange(balanceType, children3, positions2, groupFrom, i, groupStart, length2, null, mkTree));
      }
      localPositions.push(groupStart + offset - start);
    }
  }
  divide(children2, positions, from, to, 0);
  return (mkTop || mkTree)(localChildren, localPositions, length);
}
var Parser = class {
  /**
  Start a parse, returning a [partial parse](#common.PartialParse)
  object. [`fragments`](#common.TreeFragment) can be passed in to
  make the parse incremental.
  
  By default, the entire input is parsed. You can pass `ranges`,
  which should be a sorted array of non-empty, non-overlapping
  ranges, to parse only those ranges. The tree returned in that
  case will start at `ranges[0].from`.
  */
  startParse(input, fragments, ranges) {
    if (typeof input == "string")
      input = new StringInput(input);
    ranges = !ranges ? [new Range(0, input.length)] : ranges.length ? ranges.map((r) => new Range(r.from, r.to)) : [new Range(0, 0)];
    return this.createParse(input, fragments || [], ranges);
  }
  /**
  Run a full parse, returning the resulting tree.
  */
  parse(input, fragments, ranges) {
    let parse = this.startParse(input, fragments, ranges);
    for (; ; ) {
      let done = parse.advance();
      if (done)
        return done;
    }
  }
};
var StringInput = class {
  constructor(string2) {
    this.string = string2;
  }
  get length() {
    return this.string.length;
  }
  chunk(from) {
    return this.string.slice(from);
  }
  get lineChunks() {
    return false;
  }
  read(from, to) {
    return this.string.slice(from, to);
  }
};
var stoppedInner = new NodeProp({ perNode: true });

// node_modules/@lezer/lr/dist/index.js
var Stack = class _Stack {
  /**
  @internal
  */
  constructor(p, stack, state, reducePos, pos, score, buffer, bufferBase, curContext, lookAhead = 0, parent) {
    this.p = p;
    this.stack = stack;
    this.state = state;
    this.reducePos = reducePos;
    this.pos = pos;
    this.score = score;
    this.buffer = buffer;
    this.bufferBase = bufferBase;
    this.curContext = curContext;
    this.lookAhead = lookAhead;
    this.parent = parent;
  }
  /**
  @internal
  */
  toString() {
    return `[${this.stack.filter((_, i) => i % 3 == 0).concat(this.state)}]@${this.pos}${this.score ? "!" + this.score : ""}`;
  }
  // Start an empty stack
  /**
  @internal
  */
  static start(p, state, pos = 0) {
    let cx = p.parser.context;
    return new _Stack(p, [], state, pos, pos, 0, [], 0, cx ? new StackContext(cx, cx.start) : null, 0, null);
  }
  /**
  The stack's current [context](#lr.ContextTracker) value, if
  any. Its type will depend on the context tracker's type
  parameter, or it will be `null` if there is no context
  tracker.
  */
  get context() {
    return this.curContext ? this.curContext.context : null;
  }
  // Push a state onto the stack, tracking its start position as well
  // as the buffer base at that point.
  /**
  @internal
  */
  pushState(state, start) {
    this.stack.push(this.state, start, this.bufferBase + this.buffer.length);
    this.state = state;
  }
  // Apply a reduce action
  /**
  @internal
  */
  reduce(action) {
    var _a;
    let depth = action >> 19, type = action & 65535;
    let { parser: parser2 } = this.p;
    let lookaheadRecord = this.reducePos < this.pos - 25 && this.setLookAhead(this.pos);
    let dPrec = parser2.dynamicPrecedence(type);
    if (dPrec)
      this.score += dPrec;
    if (depth == 0) {
      if (type < parser2.minRepeatTerm && this.reducePos < this.pos)
        this.reducePos = this.pos;
      this.pushState(parser2.getGoto(this.state, type, true), this.reducePos);
      if (type < parser2.minRepeatTerm)
        this.storeNode(type, this.reducePos, this.reducePos, lookaheadRecord ? 8 : 4, true);
      this.reduceContext(type, this.reducePos);
      return;
    }
    let base = this.stack.length - (depth - 1) * 3 - (action & 262144 ? 6 : 0);
    let start = base ? this.stack[base - 2] : this.p.ranges[0].from;
    if (type < parser2.minRepeatTerm && start == this.reducePos && this.reducePos < this.pos)
      this.reducePos = this.pos;
    let size = this.reducePos - start;
    if (size >= 2e3 && !((_a = this.p.parser.nodeSet.types[type]) === null || _a === void 0 ? void 0 : _a.isAnonymous)) {
      if (start == this.p.lastBigReductionStart) {
        this.p.bigReductionCount++;
        this.p.lastBigReductionSize = size;
      } else if (this.p.lastBigReductionSize < size) {
        this.p.bigReductionCount = 1;
        this.p.lastBigReductionStart = start;
        this.p.lastBigReductionSize = size;
      }
    }
    let bufferBase = base ? this.stack[base - 1] : 0, count = this.bufferBase + this.buffer.length - bufferBase;
    if (type < parser2.minRepeatTerm || action & 131072) {
      let pos = parser2.stateFlag(
        this.state,
        1
        /* StateFlag.Skipped */
      ) ? this.pos : this.reducePos;
      this.storeNode(type, start, pos, count + 4, true);
    }
    if (action & 262144) {
      this.state = this.stack[base];
    } else {
      let baseStateID = this.stack[base - 3];
      this.state = parser2.getGoto(baseStateID, type, true);
    }
    while (this.stack.length > base)
      this.stack.pop();
    this.reduceContext(type, start);
  }
  // Shift a value into the buffer
  /**
  @internal
  */
  storeNode(term, start, end, size = 4, mustSink = false) {
    if (term == 0 && (!this.stack.length || this.stack[this.stack.length - 1] < this.buffer.length + this.bufferBase)) {
      let top = this.buffer.length;
      if (top > 0 && this.buffer[top - 4] == 0 && this.buffer[top - 1] > -1) {
        if (start == end)
          return;
        if (this.buffer[top - 2] >= start) {
          this.buffer[top - 2] = end;
          return;
        }
      }
    }
    if (!mustSink || this.pos == end) {
      this.buffer.push(term, start, end, size);
    } else {
      let index = this.buffer.length;
      if (index > 0 && (this.buffer[index - 4] != 0 || this.buffer[index - 1] < 0)) {
        let mustMove = false;
        for (let scan = index; scan > 0 && this.buffer[scan - 2] > end; scan -= 4) {
          if (this.buffer[scan - 1] >= 0) {
            mustMove = true;
            break;
          }
        }
        if (mustMove)
          while (index > 0 && this.buffer[index - 2] > end) {
            this.buffer[index] = this.buffer[index - 4];
            this.buffer[index + 1] = this.buffer[index - 3];
            this.buffer[index + 2] = this.buffer[index - 2];
            this.buffer[index + 3] = this.buffer[index - 1];
            index -= 4;
            if (size > 4)
              size -= 4;
          }
      }
      this.buffer[index] = term;
      this.buffer[index + 1] = start;
      this.buffer[index + 2] = end;
      this.buffer[index + 3] = size;
    }
  }
  // Apply a shift action
  /**
  @internal
  */
  shift(action, type, start, end) {
    if (action & 131072) {
      this.pushState(action & 65535, this.pos);
    } else if ((action & 262144) == 0) {
      let nextState = action, { parser: parser2 } = this.p;
      this.pos = end;
      let skipped = parser2.stateFlag(
        nextState,
        1
        /* StateFlag.Skipped */
      );
      if (!skipped && (end > start || type <= parser2.maxNode))
        this.reducePos = end;
      this.pushState(nextState, skipped ? start : Math.min(start, this.reducePos));
      this.shiftContext(type, start);
      if (type <= parser2.maxNode)
        this.buffer.push(type, start, end, 4);
    } else {
      this.pos = end;
      this.shiftContext(type, start);
      if (type <= this.p.parser.maxNode)
        this.buffer.push(type, start, end, 4);
    }
  }
  // Apply an action
  /**
  @internal
  */
  apply(action, next, nextStart, nextEnd) {
    if (action & 65536)
      this.reduce(action);
    else
      this.shift(action, next, nextStart, nextEnd);
  }
  // Add a prebuilt (reused) node into the buffer.
  /**
  @internal
  */
  useNode(value, next, start) {
    let index = this.p.reused.length - 1;
    if (index < 0 || this.p.reused[index] != value) {
      this.p.reused.push(value);
      index++;
    }
    let end = this.reducePos = this.pos = start + value.length;
    this.pushState(next, start);
    this.buffer.push(
      index,
      start,
      end,
      -1
      /* size == -1 means this is a reused value */
    );
    if (this.curContext)
      this.updateContext(this.curContext.tracker.reuse(this.curContext.context, value, this, this.p.stream.reset(this.pos - value.length)));
  }
  // Split the stack. Due to the buffer sharing and the fact
  // that `this.stack` tends to stay quite shallow, this isn't very
  // expensive.
  /**
  @internal
  */
  split() {
    let parent = this;
    let off = parent.buffer.length;
    if (off && parent.buffer[off - 4] == 0)
      off -= 4;
    while (off > 0 && parent.buffer[off - 2] > parent.reducePos)
      off -= 4;
    let buffer = parent.buffer.slice(off), base = parent.bufferBase + off;
    while (parent && base == parent.bufferBase)
      parent = parent.parent;
    return new _Stack(this.p, this.stack.slice(), this.state, this.reducePos, this.pos, this.score, buffer, base, this.curContext, this.lookAhead, parent);
  }
  // Try to recover from an error by 'deleting' (ignoring) one token.
  /**
  @internal
  */
  recoverByDelete(next, nextEnd) {
    let isNode = next <= this.p.parser.maxNode;
    if (isNode)
      this.storeNode(next, this.pos, nextEnd, 4);
    this.storeNode(0, this.pos, nextEnd, isNode ? 8 : 4);
    this.pos = this.reducePos = nextEnd;
    this.score -= 190;
  }
  /**
  Check if the given term would be able to be shifted (optionally
  after some reductions) on this stack. This can be useful for
  external tokenizers that want to make sure they only provide a
  given token when it applies.
  */
  canShift(term) {
    for (let sim = new SimulatedStack(this); ; ) {
      let action = this.p.parser.stateSlot(
        sim.state,
        4
        /* ParseState.DefaultReduce */
      ) || this.p.parser.hasAction(sim.state, term);
      if (action == 0)
        return false;
      if ((action & 65536) == 0)
        return true;
      sim.reduce(action);
    }
  }
  // Apply up to Recover.MaxNext recovery actions that conceptually
  // inserts some missing token or rule.
  /**
  @internal
  */
  recoverByInsert(next) {
    if (this.stack.length >= 300)
      return [];
    let nextStates = this.p.parser.nextStates(this.state);
    if (nextStates.length > 4 << 1 || this.stack.length >= 120) {
      let best = [];
      for (let i = 0, s; i < nextStates.length; i += 2) {
        if ((s = nextStates[i + 1]) != this.state && this.p.parser.hasAction(s, next))
          best.push(nextStates[i], s);
      }
      if (this.stack.length < 120)
        for (let i = 0; best.length < 4 << 1 && i < nextStates.length; i += 2) {
          let s = nextStates[i + 1];
          if (!best.some((v, i2) => i2 & 1 && v == s))
            best.push(nextStates[i], s);
        }
      nextStates = best;
    }
    let result = [];
    for (let i = 0; i < nextStates.length && result.length < 4; i += 2) {
      let s = nextStates[i + 1];
      if (s == this.state)
        continue;
      let stack = this.split();
      stack.pushState(s, this.pos);
      stack.storeNode(0, stack.pos, stack.pos, 4, true);
      stack.shiftContext(nextStates[i], this.pos);
      stack.reducePos = this.pos;
      stack.score -= 200;
      result.push(stack);
    }
    return result;
  }
  // Force a reduce, if possible. Return false if that can't
  // be done.
  /**
  @internal
  */
  forceReduce() {
    let { parser: parser2 } = this.p;
    let reduce = parser2.stateSlot(
      this.state,
      5
      /* ParseState.ForcedReduce */
    );
    if ((reduce & 65536) == 0)
      return false;
    if (!parser2.validAction(this.state, reduce)) {
      let depth = reduce >> 19, term = reduce & 65535;
      let target = this.stack.length - depth * 3;
      if (target < 0 || parser2.getGoto(this.stack[target], term, false) < 0) {
        let backup = this.findForcedReduction();
        if (backup == null)
          return false;
        reduce = backup;
      }
      this.storeNode(0, this.pos, this.pos, 4, true);
      this.score -= 100;
    }
    this.reducePos = this.pos;
    this.reduce(reduce);
    return true;
  }
  /**
  Try to scan through the automaton to find some kind of reduction
  that can be applied. Used when the regular ForcedReduce field
  isn't a valid action. @internal
  */
  findForcedReduction() {
    let { parser: parser2 } = this.p, seen = [];
    let explore = (state, depth) => {
      if (seen.includes(state))
        return;
      seen.push(state);
      return parser2.allActions(state, (action) => {
        if (action & (262144 | 131072)) ;
        else if (action & 65536) {
          let rDepth = (action >> 19) - depth;
          if (rDepth > 1) {
            let term = action & 65535, target = this.stack.length - rDepth * 3;
            if (target >= 0 && parser2.getGoto(this.stack[target], term, false) >= 0)
              return rDepth << 19 | 65536 | term;
          }
        } else {
          let found = explore(action, depth + 1);
          if (found != null)
            return found;
        }
      });
    };
    return explore(this.state, 0);
  }
  /**
  @internal
  */
  forceAll() {
    while (!this.p.parser.stateFlag(
      this.state,
      2
      /* StateFlag.Accepting */
    )) {
      if (!this.forceReduce()) {
        this.storeNode(0, this.pos, this.pos, 4, true);
        break;
      }
    }
    return this;
  }
  /**
  Check whether this state has no further actions (assumed to be a direct descendant of the
  top state, since any other states must be able to continue
  somehow). @internal
  */
  get deadEnd() {
    if (this.stack.length != 3)
      return false;
    let { parser: parser2 } = this.p;
    return parser2.data[parser2.stateSlot(
      this.state,
      1
      /* ParseState.Actions */
    )] == 65535 && !parser2.stateSlot(
      this.state,
      4
      /* ParseState.DefaultReduce */
    );
  }
  /**
  Restart the stack (put it back in its start state). Only safe
  when this.stack.length == 3 (state is directly below the top
  state). @internal
  */
  restart() {
    this.storeNode(0, this.pos, this.pos, 4, true);
    this.state = this.stack[0];
    this.stack.length = 0;
  }
  /**
  @internal
  */
  sameState(other) {
    if (this.state != other.state || this.stack.length != other.stack.length)
      return false;
    for (let i = 0; i < this.stack.length; i += 3)
      if (this.stack[i] != other.stack[i])
        return false;
    return true;
  }
  /**
  Get the parser used by this stack.
  */
  get parser() {
    return this.p.parser;
  }
  /**
  Test whether a given dialect (by numeric ID, as exported from
  the terms file) is enabled.
  */
  dialectEnabled(dialectID) {
    return this.p.parser.dialect.flags[dialectID];
  }
  shiftContext(term, start) {
    if (this.curContext)
      this.updateContext(this.curContext.tracker.shift(this.curContext.context, term, this, this.p.stream.reset(start)));
  }
  reduceContext(term, start) {
    if (this.curContext)
      this.updateContext(this.curContext.tracker.reduce(this.curContext.context, term, this, this.p.stream.reset(start)));
  }
  /**
  @internal
  */
  emitContext() {
    let last = this.buffer.length - 1;
    if (last < 0 || this.buffer[last] != -3)
      this.storeNode(this.curContext.hash, this.reducePos, this.reducePos, -3, true);
  }
  /**
  @internal
  */
  emitLookAhead() {
    let last = this.buffer.length - 1;
    if (last < 0 || this.buffer[last] != -4)
      this.buffer.push(this.lookAhead, this.pos, this.pos, -4);
  }
  updateContext(context) {
    if (context != this.curContext.context) {
      let newCx = new StackContext(this.curContext.tracker, context);
      if (newCx.hash != this.curContext.hash)
        this.emitContext();
      this.curContext = newCx;
    }
  }
  /**
  @internal
  */
  setLookAhead(lookAhead) {
    if (lookAhead <= this.lookAhead)
      return false;
    this.emitLookAhead();
    this.lookAhead = lookAhead;
    return true;
  }
  /**
  @internal
  */
  close() {
    if (this.curContext && this.curContext.tracker.strict)
      this.emitContext();
    if (this.lookAhead > 0)
      this.emitLookAhead();
  }
};
var StackContext = class {
  constructor(tracker, context) {
    this.tracker = tracker;
    this.context = context;
    this.hash = tracker.strict ? tracker.hash(context) : 0;
  }
};
var SimulatedStack = class {
  constructor(start) {
    this.start = start;
    this.state = start.state;
    this.stack = start.stack;
    this.base = this.stack.length;
  }
  reduce(action) {
    let term = action & 65535, depth = action >> 19;
    if (depth == 0) {
      if (this.stack == this.start.stack)
        this.stack = this.stack.slice();
      this.stack.push(this.state, 0, 0);
      this.base += 3;
    } else {
      this.base -= (depth - 1) * 3;
    }
    let goto = this.start.p.parser.getGoto(this.stack[this.base - 3], term, true);
    this.state = goto;
  }
};
var StackBufferCursor = class _StackBufferCursor {
  constructor(stack, pos, index) {
    this.stack = stack;
    this.pos = pos;
    this.index = index;
    this.buffer = stack.buffer;
    if (this.index == 0)
      this.maybeNext();
  }
  static create(stack, pos = stack.bufferBase + stack.buffer.length) {
    return new _StackBufferCursor(stack, pos, pos - stack.bufferBase);
  }
  maybeNext() {
    let next = this.stack.parent;
    if (next != null) {
      this.index = this.stack.bufferBase - next.bufferBase;
      this.stack = next;
      this.buffer = next.buffer;
    }
  }
  get id() {
    return this.buffer[this.index - 4];
  }
  get start() {
    return this.buffer[this.index - 3];
  }
  get end() {
    return this.buffer[this.index - 2];
  }
  get size() {
    return this.buffer[this.index - 1];
  }
  next() {
    this.index -= 4;
    this.pos -= 4;
    if (this.index == 0)
      this.maybeNext();
  }
  fork() {
    return new _StackBufferCursor(this.stack, this.pos, this.index);
  }
};
function decodeArray(input, Type = Uint16Array) {
  if (typeof input != "string")
    return input;
  let array = null;
  for (let pos = 0, out = 0; pos < input.length; ) {
    let value = 0;
    for (; ; ) {
      let next = input.charCodeAt(pos++), stop = false;
      if (next == 126) {
        value = 65535;
        break;
      }
      if (next >= 92)
        next--;
      if (next >= 34)
        next--;
      let digit = next - 32;
      if (digit >= 46) {
        digit -= 46;
        stop = true;
      }
      value += digit;
      if (stop)
        break;
      value *= 46;
    }
    if (array)
      array[out++] = value;
    else
      array = new Type(value);
  }
  return array;
}
var CachedToken = class {
  constructor() {
    this.start = -1;
    this.value = -1;
    this.end = -1;
    this.extended = -1;
    this.lookAhead = 0;
    this.mask = 0;
    this.context = 0;
  }
};
var nullToken = new CachedToken();
var InputStream = class {
  /**
  @internal
  */
  constructor(input, ranges) {
    this.input = input;
    this.ranges = ranges;
    this.chunk = "";
    this.chunkOff = 0;
    this.chunk2 = "";
    this.chunk2Pos = 0;
    this.next = -1;
    this.token = nullToken;
    this.rangeIndex = 0;
    this.pos = this.chunkPos = ranges[0].from;
    this.range = ranges[0];
    this.end = ranges[ranges.length - 1].to;
    this.readNext();
  }
  /**
  @internal
  */
  resolveOffset(offset, assoc) {
    let range = this.range, index = this.rangeIndex;
    let pos = this.pos + offset;
    while (pos < range.from) {
      if (!index)
        return null;
      let next = this.ranges[--index];
      pos -= range.from - next.to;
      range = next;
    }
    while (assoc < 0 ? pos > range.to : pos >= range.to) {
      if (index == this.ranges.length - 1)
        return null;
      let next = this.ranges[++index];
      pos += next.from - range.to;
      range = next;
    }
    return pos;
  }
  /**
  @internal
  */
  clipPos(pos) {
    if (pos >= this.range.from && pos < this.range.to)
      return pos;
    for (let range of this.ranges)
      if (range.to > pos)
        return Math.max(pos, range.from);
    return this.end;
  }
  /**
  Look at a code unit near the stream position. `.peek(0)` equals
  `.next`, `.peek(-1)` gives you the previous character, and so
  on.
  
  Note that looking around during tokenizing creates dependencies
  on potentially far-away content, which may reduce the
  effectiveness incremental parsing—when looking forward—or even
  cause invalid reparses when looking backward more than 25 code
  units, since the library does not track lookbehind.
  */
  peek(offset) {
    let idx = this.chunkOff + offset, pos, result;
    if (idx >= 0 && idx < this.chunk.length) {
      pos = this.pos + offset;
      result = this.chunk.charCodeAt(idx);
    } else {
      let resolved = this.resolveOffset(offset, 1);
      if (resolved == null)
        return -1;
      pos = resolved;
      if (pos >= this.chunk2Pos && pos < this.chunk2Pos + this.chunk2.length) {
        result = this.chunk2.charCodeAt(pos - this.chunk2Pos);
      } else {
        let i = this.rangeIndex, range = this.range;
        while (range.to <= pos)
          range = this.ranges[++i];
        this.chunk2 = this.input.chunk(this.chunk2Pos = pos);
        if (pos + this.chunk2.length > range.to)
          this.chunk2 = this.chunk2.slice(0, range.to - pos);
        result = this.chunk2.charCodeAt(0);
      }
    }
    if (pos >= this.token.lookAhead)
      this.token.lookAhead = pos + 1;
    return result;
  }
  /**
  Accept a token. By default, the end of the token is set to the
  current stream position, but you can pass an offset (relative to
  the stream position) to change that.
  */
  acceptToken(token, endOffset = 0) {
    let end = endOffset ? this.resolveOffset(endOffset, -1) : this.pos;
    if (end == null || end < this.token.start)
      throw new RangeError("Token end out of bounds");
    this.token.value = token;
    this.token.end = end;
  }
  /**
  Accept a token ending at a specific given position.
  */
  acceptTokenTo(token, endPos) {
    this.token.value = token;
    this.token.end = endPos;
  }
  getChunk() {
    if (this.pos >= this.chunk2Pos && this.pos < this.chunk2Pos + this.chunk2.length) {
      let { chunk, chunkPos } = this;
      this.chunk = this.chunk2;
      this.chunkPos = this.chunk2Pos;
      this.chunk2 = chunk;
      this.chunk2Pos = chunkPos;
      this.chunkOff = this.pos - this.chunkPos;
    } else {
      this.chunk2 = this.chunk;
      this.chunk2Pos = this.chunkPos;
      let nextChunk = this.input.chunk(this.pos);
      let end = this.pos + nextChunk.length;
      this.chunk = end > this.range.to ? nextChunk.slice(0, this.range.to - this.pos) : nextChunk;
      this.chunkPos = this.pos;
      this.chunkOff = 0;
    }
  }
  readNext() {
    if (this.chunkOff >= this.chunk.length) {
      this.getChunk();
      if (this.chunkOff == this.chunk.length)
        return this.next = -1;
    }
    return this.next = this.chunk.charCodeAt(this.chunkOff);
  }
  /**
  Move the stream forward N (defaults to 1) code units. Returns
  the new value of [`next`](#lr.InputStream.next).
  */
  advance(n = 1) {
    this.chunkOff += n;
    while (this.pos + n >= this.range.to) {
      if (this.rangeIndex == this.ranges.length - 1)
        return this.setDone();
      n -= this.range.to - this.pos;
      this.range = this.ranges[++this.rangeIndex];
      this.pos = this.range.from;
    }
    this.pos += n;
    if (this.pos >= this.token.lookAhead)
      this.token.lookAhead = this.pos + 1;
    return this.readNext();
  }
  setDone() {
    this.pos = this.chunkPos = this.end;
    this.range = this.ranges[this.rangeIndex = this.ranges.length - 1];
    this.chunk = "";
    return this.next = -1;
  }
  /**
  @internal
  */
  reset(pos, token) {
    if (token) {
      this.token = token;
      token.start = pos;
      token.lookAhead = pos + 1;
      token.value = token.extended = -1;
    } else {
      this.token = nullToken;
    }
    if (this.pos != pos) {
      this.pos = pos;
      if (pos == this.end) {
        this.setDone();
        return this;
      }
      while (pos < this.range.from)
        this.range = this.ranges[--this.rangeIndex];
      while (pos >= this.range.to)
        this.range = this.ranges[++this.rangeIndex];
      if (pos >= this.chunkPos && pos < this.chunkPos + this.chunk.length) {
        this.chunkOff = pos - this.chunkPos;
      } else {
        this.chunk = "";
        this.chunkOff = 0;
      }
      this.readNext();
    }
    return this;
  }
  /**
  @internal
  */
  read(from, to) {
    if (from >= this.chunkPos && to <= this.chunkPos + this.chunk.length)
      return this.chunk.slice(from - this.chunkPos, to - this.chunkPos);
    if (from >= this.chunk2Pos && to <= this.chunk2Pos + this.chunk2.length)
      return this.chunk2.slice(from - this.chunk2Pos, to - this.chunk2Pos);
    if (from >= this.range.from && to <= this.range.to)
      return this.input.read(from, to);
    let result = "";
    for (let r of this.ranges) {
      if (r.from >= to)
        break;
      if (r.to > from)
        result += this.input.read(Math.max(r.from, from), Math.min(r.to, to));
    }
    return result;
  }
};
var TokenGroup = class {
  constructor(data, id2) {
    this.data = data;
    this.id = id2;
  }
  token(input, stack) {
    let { parser: parser2 } = stack.p;
    readToken(this.data, input, stack, this.id, parser2.data, parser2.tokenPrecTable);
  }
};
TokenGroup.prototype.contextual = TokenGroup.prototype.fallback = TokenGroup.prototype.extend = false;
var LocalTokenGroup = class {
  constructor(data, precTable, elseToken) {
    this.precTable = precTable;
    this.elseToken = elseToken;
    this.data = typeof data == "string" ? decodeArray(data) : data;
  }
  token(input, stack) {
    let start = input.pos, skipped = 0;
    for (; ; ) {
      let atEof = input.next < 0, nextPos = input.resolveOffset(1, 1);
      readToken(this.data, input, stack, 0, this.data, this.precTable);
      if (input.token.value > -1)
        break;
      if (this.elseToken == null)
        return;
      if (!atEof)
        skipped++;
      if (nextPos == null)
        break;
      input.reset(nextPos, input.token);
    }
    if (skipped) {
      input.reset(start, input.token);
      input.acceptToken(this.elseToken, skipped);
    }
  }
};
LocalTokenGroup.prototype.contextual = TokenGroup.prototype.fallback = TokenGroup.prototype.extend = false;
var ExternalTokenizer = class {
  /**
  Create a tokenizer. The first argument is the function that,
  given an input stream, scans for the types of tokens it
  recognizes at the stream's position, and calls
  [`acceptToken`](#lr.InputStream.acceptToken) when it finds
  one.
  */
  constructor(token, options = {}) {
    this.token = token;
    this.contextual = !!options.contextual;
    this.fallback = !!options.fallback;
    this.extend = !!options.extend;
  }
};
function readToken(data, input, stack, group, precTable, precOffset) {
  let state = 0, groupMask = 1 << group, { dialect } = stack.p.parser;
  scan: for (; ; ) {
    if ((groupMask & data[state]) == 0)
      break;
    let accEnd = data[state + 1];
    for (let i = state + 3; i < accEnd; i += 2)
      if ((data[i + 1] & groupMask) > 0) {
        let term = data[i];
        if (dialect.allows(term) && (input.token.value == -1 || input.token.value == term || overrides(term, input.token.value, precTable, precOffset))) {
          input.acceptToken(term);
          break;
        }
      }
    let next = input.next, low = 0, high = data[state + 2];
    if (input.next < 0 && high > low && data[accEnd + high * 3 - 3] == 65535) {
      state = data[accEnd + high * 3 - 1];
      continue scan;
    }
    for (; low < high; ) {
      let mid = low + high >> 1;
      let index = accEnd + mid + (mid << 1);
      let from = data[index], to = data[index + 1] || 65536;
      if (next < from)
        high = mid;
      else if (next >= to)
        low = mid + 1;
      else {
        state = data[index + 2];
        input.advance();
        continue scan;
      }
    }
    break;
  }
}
function findOffset(data, start, term) {
  for (let i = start, next; (next = data[i]) != 65535; i++)
    if (next == term)
      return i - start;
  return -1;
}
function overrides(token, prev, tableData, tableOffset) {
  let iPrev = findOffset(tableData, tableOffset, prev);
  return iPrev < 0 || findOffset(tableData, tableOffset, token) < iPrev;
}
var verbose = typeof process != "undefined" && process.env && /\bparse\b/.test(process.env.LOG);
var stackIDs = null;
function cutAt(tree, pos, side) {
  let cursor = tree.cursor(IterMode.IncludeAnonymous);
  cursor.moveTo(pos);
  for (; ; ) {
    if (!(side < 0 ? cursor.childBefore(pos) : cursor.childAfter(pos)))
      for (; ; ) {
        if ((side < 0 ? cursor.to < pos : cursor.from > pos) && !cursor.type.isError)
          return side < 0 ? Math.max(0, Math.min(
            cursor.to - 1,
            pos - 25
            /* Lookahead.Margin */
          )) : Math.min(tree.length, Math.max(
            cursor.from + 1,
            pos + 25
            /* Lookahead.Margin */
          ));
        if (side < 0 ? cursor.prevSibling() : cursor.nextSibling())
          break;
        if (!cursor.parent())
          return side < 0 ? 0 : tree.length;
      }
  }
}
var FragmentCursor = class {
  constructor(fragments, minRepeat) {
    this.fragments = fragments;
    this.minRepeat = minRepeat;
    this.i = 0;
    this.fragment = null;
    this.safeFrom = -1;
    this.safeTo = -1;
    this.trees = [];
    this.start = [];
    this.index = [];
    this.lastRepeat = null;
    this.lastRepeatPos = -1;
    this.nextFragment();
  }
  nextFragment() {
    let fr = this.fragment = this.i == this.fragments.length ? null : this.fragments[this.i++];
    if (fr) {
      this.safeFrom = fr.openStart ? cutAt(fr.tree, fr.from + fr.offset, 1) - fr.offset : fr.from;
      this.safeTo = fr.openEnd ? cutAt(fr.tree, fr.to + fr.offset, -1) - fr.offset : fr.to;
      while (this.trees.length) {
        this.trees.pop();
        this.start.pop();
        this.index.pop();
      }
      this.trees.push(fr.tree);
      this.start.push(-fr.offset);
      this.index.push(0);
      this.nextStart = this.safeFrom;
    } else {
      this.nextStart = 1e9;
    }
  }
  // `pos` must be >= any previously given `pos` for this cursor
  nodeAt(pos) {
    if (pos < this.nextStart)
      return null;
    while (this.fragment && this.safeTo <= pos)
      this.nextFragment();
    if (!this.fragment)
      return null;
    for (; ; ) {
      let last = this.trees.length - 1;
      if (last < 0) {
        this.nextFragment();
        return null;
      }
      if (pos < this.safeFrom)
        return null;
      let top = this.trees[last], index = this.index[last];
      if (index == top.children.length) {
        this.trees.pop();
        this.start.pop();
        this.index.pop();
        continue;
      }
      let next = top.children[index];
      let start = this.start[last] + top.positions[index];
      if (start > pos) {
        this.nextStart = start;
        return null;
      }
      if (next instanceof Tree) {
        let storeRepeat = start > this.lastRepeatPos && next.type.id >= this.minRepeat;
        if (start == pos || storeRepeat) {
          let end = start + next.length, lookahead;
          if (start >= this.safeFrom && end <= this.safeTo && (!(lookahead = next.prop(NodeProp.lookAhead)) || end + lookahead < this.fragment.to)) {
            if (storeRepeat) {
              this.lastRepeat = next;
              this.lastRepeatPos = start;
            }
            if (start == pos)
              return next;
          }
        }
        this.index[last]++;
        if (start + next.length >= Math.max(this.safeFrom, pos)) {
          this.trees.push(next);
          this.start.push(start);
          this.index.push(0);
        }
      } else {
        this.index[last]++;
        this.nextStart = start + next.length;
      }
    }
  }
};
var TokenCache = class {
  constructor(parser2, stream) {
    this.stream = stream;
    this.tokens = [];
    this.mainToken = null;
    this.actions = [];
    this.tokens = parser2.tokenizers.map((_) => new CachedToken());
  }
  getActions(stack) {
    let actionIndex = 0;
    let main = null;
    let { parser: parser2 } = stack.p, { tokenizers } = parser2;
    let mask = parser2.stateSlot(
      stack.state,
      3
      /* ParseState.TokenizerMask */
    );
    let context = stack.curContext ? stack.curContext.hash : 0;
    let lookAhead = 0;
    for (let i = 0; i < tokenizers.length; i++) {
      if ((1 << i & mask) == 0)
        continue;
      let tokenizer = tokenizers[i], token = this.tokens[i];
      if (main && !tokenizer.fallback)
        continue;
      if (tokenizer.contextual || token.start != stack.pos || token.mask != mask || token.context != context) {
        this.updateCachedToken(token, tokenizer, stack);
        token.mask = mask;
        token.context = context;
      }
      if (token.lookAhead > token.end + 25)
        lookAhead = Math.max(token.lookAhead, lookAhead);
      if (token.value != 0) {
        let startIndex = actionIndex;
        if (token.extended > -1)
          actionIndex = this.addActions(stack, token.extended, token.end, actionIndex);
        actionIndex = this.addActions(stack, token.value, token.end, actionIndex);
        if (!tokenizer.extend) {
          main = token;
          if (actionIndex > startIndex)
            break;
        }
      }
    }
    while (this.actions.length > actionIndex)
      this.actions.pop();
    if (lookAhead)
      stack.setLookAhead(lookAhead);
    if (!main && stack.pos == this.stream.end) {
      main = new CachedToken();
      main.value = stack.p.parser.eofTerm;
      main.start = main.end = stack.pos;
      actionIndex = this.addActions(stack, main.value, main.end, actionIndex);
    }
    this.mainToken = main;
    return this.actions;
  }
  getMainToken(stack) {
    if (this.mainToken)
      return this.mainToken;
    let main = new CachedToken(), { pos, p } = stack;
    main.start = pos;
    main.end = Math.min(pos + 1, p.stream.end);
    main.value = pos == p.stream.end ? p.parser.eofTerm : 0;
    return main;
  }
  updateCachedToken(token, tokenizer, stack) {
    let start = this.stream.clipPos(stack.pos);
    tokenizer.token(this.stream.reset(start, token), stack);
    if (token.value > -1) {
      let { parser: parser2 } = stack.p;
      for (let i = 0; i < parser2.specialized.length; i++)
        if (parser2.specialized[i] == token.value) {
          let result = parser2.specializers[i](this.stream.read(token.start, token.end), stack);
          if (result >= 0 && stack.p.parser.dialect.allows(result >> 1)) {
            if ((result & 1) == 0)
              token.value = result >> 1;
            else
              token.extended = result >> 1;
            break;
          }
        }
    } else {
      token.value = 0;
      token.end = this.stream.clipPos(start + 1);
    }
  }
  putAction(action, token, end, index) {
    for (let i = 0; i < index; i += 3)
      if (this.actions[i] == action)
        return index;
    this.actions[index++] = action;
    this.actions[index++] = token;
    this.actions[index++] = end;
    return index;
  }
  addActions(stack, token, end, index) {
    let { state } = stack, { parser: parser2 } = stack.p, { data } = parser2;
    for (let set = 0; set < 2; set++) {
      for (let i = parser2.stateSlot(
        state,
        set ? 2 : 1
        /* ParseState.Actions */
      ); ; i += 3) {
        if (data[i] == 65535) {
          if (data[i + 1] == 1) {
            i = pair(data, i + 2);
          } else {
            if (index == 0 && data[i + 1] == 2)
              index = this.putAction(pair(data, i + 2), token, end, index);
            break;
          }
        }
        if (data[i] == token)
          index = this.putAction(pair(data, i + 1), token, end, index);
      }
    }
    return index;
  }
};
var Parse = class {
  constructor(parser2, input, fragments, ranges) {
    this.parser = parser2;
    this.input = input;
    this.ranges = ranges;
    this.recovering = 0;
    this.nextStackID = 9812;
    this.minStackPos = 0;
    this.reused = [];
    this.stoppedAt = null;
    this.lastBigReductionStart = -1;
    this.lastBigReductionSize = 0;
    this.bigReductionCount = 0;
    this.stream = new InputStream(input, ranges);
    this.tokens = new TokenCache(parser2, this.stream);
    this.topTerm = parser2.top[1];
    let { from } = ranges[0];
    this.stacks = [Stack.start(this, parser2.top[0], from)];
    this.fragments = fragments.length && this.stream.end - from > parser2.bufferLength * 4 ? new FragmentCursor(fragments, parser2.minRepeatTerm) : null;
  }
  get parsedPos() {
    return this.minStackPos;
  }
  // Move the parser forward. This will process all parse stacks at
  // `this.pos` and try to advance them to a further position. If no
  // stack for such a position is found, it'll start error-recovery.
  //
  // When the parse is finished, this will return a syntax tree. When
  // not, it returns `null`.
  advance() {
    let stacks = this.stacks, pos = this.minStackPos;
    let newStacks = this.stacks = [];
    let stopped, stoppedTokens;
    if (this.bigReductionCount > 300 && stacks.length == 1) {
      let [s] = stacks;
      while (s.forceReduce() && s.stack.length && s.stack[s.stack.length - 2] >= this.lastBigReductionStart) {
      }
      this.bigReductionCount = this.lastBigReductionSize = 0;
    }
    for (let i = 0; i < stacks.length; i++) {
      let stack = stacks[i];
      for (; ; ) {
        this.tokens.mainToken = null;
        if (stack.pos > pos) {
          newStacks.push(stack);
        } else if (this.advanceStack(stack, newStacks, stacks)) {
          continue;
        } else {
          if (!stopped) {
            stopped = [];
            stoppedTokens = [];
          }
          stopped.push(stack);
          let tok = this.tokens.getMainToken(stack);
          stoppedTokens.push(tok.value, tok.end);
        }
        break;
      }
    }
    if (!newStacks.length) {
      let finished = stopped && findFinished(stopped);
      if (finished) {
        if (verbose)
          console.log("Finish with " + this.stackID(finished));
        return this.stackToTree(finished);
      }
      if (this.parser.strict) {
        if (verbose && stopped)
          console.log("Stuck with token " + (this.tokens.mainToken ? this.parser.getName(this.tokens.mainToken.value) : "none"));
        throw new SyntaxError("No parse at " + pos);
      }
      if (!this.recovering)
        this.recovering = 5;
    }
    if (this.recovering && stopped) {
      let finished = this.stoppedAt != null && stopped[0].pos > this.stoppedAt ? stopped[0] : this.runRecovery(stopped, stoppedTokens, newStacks);
      if (finished) {
        if (verbose)
          console.log("Force-finish " + this.stackID(finished));
        return this.stackToTree(finished.forceAll());
      }
    }
    if (this.recovering) {
      let maxRemaining = this.recovering == 1 ? 1 : this.recovering * 3;
      if (newStacks.length > maxRemaining) {
        newStacks.sort((a, b) => b.score - a.score);
        while (newStacks.length > maxRemaining)
          newStacks.pop();
      }
      if (newStacks.some((s) => s.reducePos > pos))
        this.recovering--;
    } else if (newStacks.length > 1) {
      outer: for (let i = 0; i < newStacks.length - 1; i++) {
        let stack = newStacks[i];
        for (let j = i + 1; j < newStacks.length; j++) {
          let other = newStacks[j];
          if (stack.sameState(other) || stack.buffer.length > 500 && other.buffer.length > 500) {
            if ((stack.score - other.score || stack.buffer.length - other.buffer.length) > 0) {
              newStacks.splice(j--, 1);
            } else {
              newStacks.splice(i--, 1);
              continue outer;
            }
          }
        }
      }
      if (newStacks.length > 12) {
        newStacks.sort((a, b) => b.score - a.score);
        newStacks.splice(
          12,
          newStacks.length - 12
          /* Rec.MaxStackCount */
        );
      }
    }
    this.minStackPos = newStacks[0].pos;
    for (let i = 1; i < newStacks.length; i++)
      if (newStacks[i].pos < this.minStackPos)
        this.minStackPos = newStacks[i].pos;
    return null;
  }
  stopAt(pos) {
    if (this.stoppedAt != null && this.stoppedAt < pos)
      throw new RangeError("Can't move stoppedAt forward");
    this.stoppedAt = pos;
  }
  // See if a given tree, or a descendant right at its start, can be
  // reused in the given stack.
  tryReuse(stack, start, tree, repeatOnly) {
    if (!tree)
      return null;
    let strictCx = stack.curContext && stack.curContext.tracker.strict, cxHash = strictCx ? stack.curContext.hash : 0;
    for (; tree; ) {
      let match = this.parser.nodeSet.types[tree.type.id] != tree.type ? -1 : this.parser.getGoto(stack.state, tree.type.id);
      if (match > -1 && tree.length && (!strictCx || (tree.prop(NodeProp.contextHash) || 0) == cxHash)) {
        stack.useNode(tree, match, start);
        return tree;
      }
      if (tree.children.length == 0 || tree.positions[0] > 0)
        break;
      let inner = tree.children[0];
      if (inner instanceof Tree && (!repeatOnly || inner.type.id >= this.parser.minRepeatTerm))
        tree = inner;
      else
        break;
    }
    return null;
  }
  // Returns an updated version of the given stack, or null if the
  // stack can't advance normally. When `split` and `stacks` are
  // given, stacks split off by ambiguous operations will be pushed to
  // `split`, or added to `stacks` if they move `pos` forward.
  advanceStack(stack, stacks, split) {
    let start = stack.pos, { parser: parser2 } = this;
    let base = verbose ? this.stackID(stack) + " -> " : "";
    if (this.stoppedAt != null && start > this.stoppedAt)
      return stack.forceReduce() ? stack : null;
    if (this.fragments) {
      let reused = stack.reducePos < start && stack.buffer.length && stack.buffer[stack.buffer.length - 2] <= stack.reducePos && this.fragments.lastRepeatPos == stack.reducePos && this.tryReuse(stack, stack.reducePos, this.fragments.lastRepeat, true) || this.tryReuse(stack, start, this.fragments.nodeAt(start), false);
      if (reused) {
        if (verbose)
          console.log(base + this.stackID(stack) + ` (via reuse of ${parser2.getName(reused.type.id)})`);
        return true;
      }
    }
    let defaultReduce = parser2.stateSlot(
      stack.state,
      4
      /* ParseState.DefaultReduce */
    );
    if (defaultReduce > 0) {
      stack.reduce(defaultReduce);
      if (verbose)
        console.log(base + this.stackID(stack) + ` (via always-reduce ${parser2.getName(
          defaultReduce & 65535
          /* Action.ValueMask */
        )})`);
      return true;
    }
    if (stack.stack.length >= 8400) {
      while (stack.stack.length > 6e3 && stack.forceReduce()) {
      }
    }
    let actions = this.tokens.getActions(stack);
    for (let i = 0; i < actions.length; ) {
      let action = actions[i++], term = actions[i++], end = actions[i++];
      let last = i == actions.length || !split;
      let localStack = last ? stack : stack.split();
      let main = this.tokens.mainToken;
      localStack.apply(action, term, main ? main.start : localStack.pos, end);
      if (verbose)
        console.log(base + this.stackID(localStack) + ` (via ${(action & 65536) == 0 ? "shift" : `reduce of ${parser2.getName(
          action & 65535
          /* Action.ValueMask */
        )}`} for ${parser2.getName(term)} @ ${start}${localStack == stack ? "" : ", split"})`);
      if (last)
        return true;
      else if (localStack.pos > start)
        stacks.push(localStack);
      else
        split.push(localStack);
    }
    return false;
  }
  // Advance a given stack forward as far as it will go. Returns the
  // (possibly updated) stack if it got stuck, or null if it moved
  // forward and was given to `pushStackDedup`.
  advanceFully(stack, newStacks) {
    let pos = stack.pos;
    for (; ; ) {
      if (!this.advanceStack(stack, null, null))
        return false;
      if (stack.pos > pos) {
        pushStackDedup(stack, newStacks);
        return true;
      }
    }
  }
  runRecovery(stacks, tokens, newStacks) {
    let finished = null, restarted = false;
    for (let i = 0; i < stacks.length; i++) {
      let stack = stacks[i], token = tokens[i << 1], tokenEnd = tokens[(i << 1) + 1];
      let base = verbose ? this.stackID(stack) + " -> " : "";
      if (stack.deadEnd) {
        if (restarted)
          continue;
        restarted = true;
        stack.restart();
        if (verbose)
          console.log(base + this.stackID(stack) + " (restarted)");
        let done = this.advanceFully(stack, newStacks);
        if (done)
          continue;
      }
      let force = stack.split(), forceBase = base;
      for (let j = 0; j < 10 && force.forceReduce(); j++) {
        if (verbose)
          console.log(forceBase + this.stackID(force) + " (via force-reduce)");
        let done = this.advanceFully(force, newStacks);
        if (done)
          break;
        if (verbose)
          forceBase = this.stackID(force) + " -> ";
      }
      for (let insert of stack.recoverByInsert(token)) {
        if (verbose)
          console.log(base + this.stackID(insert) + " (via recover-insert)");
        this.advanceFully(insert, newStacks);
      }
      if (this.stream.end > stack.pos) {
        if (tokenEnd == stack.pos) {
          tokenEnd++;
          token = 0;
        }
        stack.recoverByDelete(token, tokenEnd);
        if (verbose)
          console.log(base + this.stackID(stack) + ` (via recover-delete ${this.parser.getName(token)})`);
        pushStackDedup(stack, newStacks);
      } else if (!finished || finished.score < force.score) {
        finished = force;
      }
    }
    return finished;
  }
  // Convert the stack's buffer to a syntax tree.
  stackToTree(stack) {
    stack.close();
    return Tree.build({
      buffer: StackBufferCursor.create(stack),
      nodeSet: this.parser.nodeSet,
      topID: this.topTerm,
      maxBufferLength: this.parser.bufferLength,
      reused: this.reused,
      start: this.ranges[0].from,
      length: stack.pos - this.ranges[0].from,
      minRepeatType: this.parser.minRepeatTerm
    });
  }
  stackID(stack) {
    let id2 = (stackIDs || (stackIDs = /* @__PURE__ */ new WeakMap())).get(stack);
    if (!id2)
      stackIDs.set(stack, id2 = String.fromCodePoint(this.nextStackID++));
    return id2 + stack;
  }
};
function pushStackDedup(stack, newStacks) {
  for (let i = 0; i < newStacks.length; i++) {
    let other = newStacks[i];
    if (other.pos == stack.pos && other.sameState(stack)) {
      if (newStacks[i].score < stack.score)
        newStacks[i] = stack;
      return;
    }
  }
  newStacks.push(stack);
}
var Dialect = class {
  constructor(source, flags, disabled) {
    this.source = source;
    this.flags = flags;
    this.disabled = disabled;
  }
  allows(term) {
    return !this.disabled || this.disabled[term] == 0;
  }
};
var id = (x) => x;
var ContextTracker = class {
  /**
  Define a context tracker.
  */
  constructor(spec) {
    this.start = spec.start;
    this.shift = spec.shift || id;
    this.reduce = spec.reduce || id;
    this.reuse = spec.reuse || id;
    this.hash = spec.hash || (() => 0);
    this.strict = spec.strict !== false;
  }
};
var LRParser = class _LRParser extends Parser {
  /**
  @internal
  */
  constructor(spec) {
    super();
    this.wrappers = [];
    if (spec.version != 14)
      throw new RangeError(`Parser version (${spec.version}) doesn't match runtime version (${14})`);
    let nodeNames = spec.nodeNames.split(" ");
    this.minRepeatTerm = nodeNames.length;
    for (let i = 0; i < spec.repeatNodeCount; i++)
      nodeNames.push("");
    let topTerms = Object.keys(spec.topRules).map((r) => spec.topRules[r][1]);
    let nodeProps = [];
    for (let i = 0; i < nodeNames.length; i++)
      nodeProps.push([]);
    function setProp(nodeID, prop, value) {
      nodeProps[nodeID].push([prop, prop.deserialize(String(value))]);
    }
    if (spec.nodeProps)
      for (let propSpec of spec.nodeProps) {
        let prop = propSpec[0];
        if (typeof prop == "string")
          prop = NodeProp[prop];
        for (let i = 1; i < propSpec.length; ) {
          let next = propSpec[i++];
          if (next >= 0) {
            setProp(next, prop, propSpec[i++]);
          } else {
            let value = propSpec[i + -next];
            for (let j = -next; j > 0; j--)
              setProp(propSpec[i++], prop, value);
            i++;
          }
        }
      }
    this.nodeSet = new NodeSet(nodeNames.map((name2, i) => NodeType.define({
      name: i >= this.minRepeatTerm ? void 0 : name2,
      id: i,
      props: nodeProps[i],
      top: topTerms.indexOf(i) > -1,
      error: i == 0,
      skipped: spec.skippedNodes && spec.skippedNodes.indexOf(i) > -1
    })));
    if (spec.propSources)
      this.nodeSet = this.nodeSet.extend(...spec.propSources);
    this.strict = false;
    this.bufferLength = DefaultBufferLength;
    let tokenArray = decodeArray(spec.tokenData);
    this.context = spec.context;
    this.specializerSpecs = spec.specialized || [];
    this.specialized = new Uint16Array(this.specializerSpecs.length);
    for (let i = 0; i < this.specializerSpecs.length; i++)
      this.specialized[i] = this.specializerSpecs[i].term;
    this.specializers = this.specializerSpecs.map(getSpecializer);
    this.states = decodeArray(spec.states, Uint32Array);
    this.data = decodeArray(spec.stateData);
    this.goto = decodeArray(spec.goto);
    this.maxTerm = spec.maxTerm;
    this.tokenizers = spec.tokenizers.map((value) => typeof value == "number" ? new TokenGroup(tokenArray, value) : value);
    this.topRules = spec.topRules;
    this.dialects = spec.dialects || {};
    this.dynamicPrecedences = spec.dynamicPrecedences || null;
    this.tokenPrecTable = spec.tokenPrec;
    this.termNames = spec.termNames || null;
    this.maxNode = this.nodeSet.types.length - 1;
    this.dialect = this.parseDialect();
    this.top = this.topRules[Object.keys(this.topRules)[0]];
  }
  createParse(input, fragments, ranges) {
    let parse = new Parse(this, input, fragments, ranges);
    for (let w of this.wrappers)
      parse = w(parse, input, fragments, ranges);
    return parse;
  }
  /**
  Get a goto table entry @internal
  */
  getGoto(state, term, loose = false) {
    let table2 = this.goto;
    if (term >= table2[0])
      return -1;
    for (let pos = table2[term + 1]; ; ) {
      let groupTag = table2[pos++], last = groupTag & 1;
      let target = table2[pos++];
      if (last && loose)
        return target;
      for (let end = pos + (groupTag >> 1); pos < end; pos++)
        if (table2[pos] == state)
          return target;
      if (last)
        return -1;
    }
  }
  /**
  Check if this state has an action for a given terminal @internal
  */
  hasAction(state, terminal) {
    let data = this.data;
    for (let set = 0; set < 2; set++) {
      for (let i = this.stateSlot(
        state,
        set ? 2 : 1
        /* ParseState.Actions */
      ), next; ; i += 3) {
        if ((next = data[i]) == 65535) {
          if (data[i + 1] == 1)
            next = data[i = pair(data, i + 2)];
          else if (data[i + 1] == 2)
            return pair(data, i + 2);
          else
            break;
        }
        if (next == terminal || next == 0)
          return pair(data, i + 1);
      }
    }
    return 0;
  }
  /**
  @internal
  */
  stateSlot(state, slot) {
    return this.states[state * 6 + slot];
  }
  /**
  @internal
  */
  stateFlag(state, flag) {
    return (this.stateSlot(
      state,
      0
      /* ParseState.Flags */
    ) & flag) > 0;
  }
  /**
  @internal
  */
  validAction(state, action) {
    return !!this.allActions(state, (a) => a == action ? true : null);
  }
  /**
  @internal
  */
  allActions(state, action) {
    let deflt = this.stateSlot(
      state,
      4
      /* ParseState.DefaultReduce */
    );
    let result = deflt ? action(deflt) : void 0;
    for (let i = this.stateSlot(
      state,
      1
      /* ParseState.Actions */
    ); result == null; i += 3) {
      if (this.data[i] == 65535) {
        if (this.data[i + 1] == 1)
          i = pair(this.data, i + 2);
        else
          break;
      }
      result = action(pair(this.data, i + 1));
    }
    return result;
  }
  /**
  Get the states that can follow this one through shift actions or
  goto jumps. @internal
  */
  nextStates(state) {
    let result = [];
    for (let i = this.stateSlot(
      state,
      1
      /* ParseState.Actions */
    ); ; i += 3) {
      if (this.data[i] == 65535) {
        if (this.data[i + 1] == 1)
          i = pair(this.data, i + 2);
        else
          break;
      }
      if ((this.data[i + 2] & 65536 >> 16) == 0) {
        let value = this.data[i + 1];
        if (!result.some((v, i2) => i2 & 1 && v == value))
          result.push(this.data[i], value);
      }
    }
    return result;
  }
  /**
  Configure the parser. Returns a new parser instance that has the
  given settings modified. Settings not provided in `config` are
  kept from the original parser.
  */
  configure(config) {
    let copy = Object.assign(Object.create(_LRParser.prototype), this);
    if (config.props)
      copy.nodeSet = this.nodeSet.extend(...config.props);
    if (config.top) {
      let info = this.topRules[config.top];
      if (!info)
        throw new RangeError(`Invalid top rule name ${config.top}`);
      copy.top = info;
    }
    if (config.tokenizers)
      copy.tokenizers = this.tokenizers.map((t2) => {
        let found = config.tokenizers.find((r) => r.from == t2);
        return found ? found.to : t2;
      });
    if (config.specializers) {
      copy.specializers = this.specializers.slice();
      copy.specializerSpecs = this.specializerSpecs.map((s, i) => {
        let found = config.specializers.find((r) => r.from == s.external);
        if (!found)
          return s;
        let spec = Object.assign(Object.assign({}, s), { external: found.to });
        copy.specializers[i] = getSpecializer(spec);
        return spec;
      });
    }
    if (config.contextTracker)
      copy.context = config.contextTracker;
    if (config.dialect)
      copy.dialect = this.parseDialect(config.dialect);
    if (config.strict != null)
      copy.strict = config.strict;
    if (config.wrap)
      copy.wrappers = copy.wrappers.concat(config.wrap);
    if (config.bufferLength != null)
      copy.bufferLength = config.bufferLength;
    return copy;
  }
  /**
  Tells you whether any [parse wrappers](#lr.ParserConfig.wrap)
  are registered for this parser.
  */
  hasWrappers() {
    return this.wrappers.length > 0;
  }
  /**
  Returns the name associated with a given term. This will only
  work for all terms when the parser was generated with the
  `--names` option. By default, only the names of tagged terms are
  stored.
  */
  getName(term) {
    return this.termNames ? this.termNames[term] : String(term <= this.maxNode && this.nodeSet.types[term].name || term);
  }
  /**
  The eof term id is always allocated directly after the node
  types. @internal
  */
  get eofTerm() {
    return this.maxNode + 1;
  }
  /**
  The type of top node produced by the parser.
  */
  get topNode() {
    return this.nodeSet.types[this.top[1]];
  }
  /**
  @internal
  */
  dynamicPrecedence(term) {
    let prec = this.dynamicPrecedences;
    return prec == null ? 0 : prec[term] || 0;
  }
  /**
  @internal
  */
  parseDialect(dialect) {
    let values = Object.keys(this.dialects), flags = values.map(() => false);
    if (dialect)
      for (let part of dialect.split(" ")) {
        let id2 = values.indexOf(part);
        if (id2 >= 0)
          flags[id2] = true;
      }
    let disabled = null;
    for (let i = 0; i < values.length; i++)
      if (!flags[i]) {
        for (let j = this.dialects[values[i]], id2; (id2 = this.data[j++]) != 65535; )
          (disabled || (disabled = new Uint8Array(this.maxTerm + 1)))[id2] = 1;
      }
    return new Dialect(dialect, flags, disabled);
  }
  /**
  Used by the output of the parser generator. Not available to
  user code. @hide
  */
  static deserialize(spec) {
    return new _LRParser(spec);
  }
};
function pair(data, off) {
  return data[off] | data[off + 1] << 16;
}
function findFinished(stacks) {
  let best = null;
  for (let stack of stacks) {
    let stopped = stack.p.stoppedAt;
    if ((stack.pos == stack.p.stream.end || stopped != null && stack.pos > stopped) && stack.p.parser.stateFlag(
      stack.state,
      2
      /* StateFlag.Accepting */
    ) && (!best || best.score < stack.score))
      best = stack;
  }
  return best;
}
function getSpecializer(spec) {
  if (spec.external) {
    let mask = spec.extend ? 1 : 0;
    return (value, stack) => spec.external(value, stack) << 1 | mask;
  }
  return spec.get;
}

// node_modules/@lezer/highlight/dist/index.js
var nextTagID = 0;
var Tag = class _Tag {
  /**
  @internal
  */
  constructor(name2, set, base, modified) {
    this.name = name2;
    this.set = set;
    this.base = base;
    this.modified = modified;
    this.id = nextTagID++;
  }
  toString() {
    let { name: name2 } = this;
    for (let mod of this.modified)
      if (mod.name)
        name2 = `${mod.name}(${name2})`;
    return name2;
  }
  static define(nameOrParent, parent) {
    let name2 = typeof nameOrParent == "string" ? nameOrParent : "?";
    if (nameOrParent instanceof _Tag)
      parent = nameOrParent;
    if (parent === null || parent === void 0 ? void 0 : parent.base)
      throw new Error("Can not derive from a modified tag");
    let tag = new _Tag(name2, [], null, []);
    tag.set.push(tag);
    if (parent)
      for (let t2 of parent.set)
        tag.set.push(t2);
    return tag;
  }
  /**
  Define a tag _modifier_, which is a function that, given a tag,
  will return a tag that is a subtag of the original. Applying the
  same modifier to a twice tag will return the same value (`m1(t1)
  == m1(t1)`) and applying multiple modifiers will, regardless or
  order, produce the same tag (`m1(m2(t1)) == m2(m1(t1))`).
  
  When multiple modifiers are applied to a given base tag, each
  smaller set of modifiers is registered as a parent, so that for
  example `m1(m2(m3(t1)))` is a subtype of `m1(m2(t1))`,
  `m1(m3(t1)`, and so on.
  */
  static defineModifier(name2) {
    let mod = new Modifier(name2);
    return (tag) => {
      if (tag.modified.indexOf(mod) > -1)
        return tag;
      return Modifier.get(tag.base || tag, tag.modified.concat(mod).sort((a, b) => a.id - b.id));
    };
  }
};
var nextModifierID = 0;
var Modifier = class _Modifier {
  constructor(name2) {
    this.name = name2;
    this.instances = [];
    this.id = nextModifierID++;
  }
  static get(base, mods) {
    if (!mods.length)
      return base;
    let exists = mods[0].instances.find((t2) => t2.base == base && sameArray(mods, t2.modified));
    if (exists)
      return exists;
    let set = [], tag = new Tag(base.name, set, base, mods);
    for (let m of mods)
      m.instances.push(tag);
    let configs = powerSet(mods);
    for (let parent of base.set)
      if (!parent.modified.length)
        for (let config of configs)
          set.push(_Modifier.get(parent, config));
    return tag;
  }
};
function sameArray(a, b) {
  return a.length == b.length && a.every((x, i) => x == b[i]);
}
function powerSet(array) {
  let sets = [[]];
  for (let i = 0; i < array.length; i++) {
    for (let j = 0, e = sets.length; j < e; j++) {
      sets.push(sets[j].concat(array[i]));
    }
  }
  return sets.sort((a, b) => b.length - a.length);
}
function styleTags(spec) {
  let byName = /* @__PURE__ */ Object.create(null);
  for (let prop in spec) {
    let tags2 = spec[prop];
    if (!Array.isArray(tags2))
      tags2 = [tags2];
    for (let part of prop.split(" "))
      if (part) {
        let pieces = [], mode = 2, rest = part;
        for (let pos = 0; ; ) {
          if (rest == "..." && pos > 0 && pos + 3 == part.length) {
            mode = 1;
            break;
          }
          let m = /^"(?:[^"\\]|\\.)*?"|[^\/!]+/.exec(rest);
          if (!m)
            throw new RangeError("Invalid path: " + part);
          pieces.push(m[0] == "*" ? "" : m[0][0] == '"' ? JSON.parse(m[0]) : m[0]);
          pos += m[0].length;
          if (pos == part.length)
            break;
          let next = part[pos++];
          if (pos == part.length && next == "!") {
            mode = 0;
            break;
          }
          if (next != "/")
            throw new RangeError("Invalid path: " + part);
          rest = part.slice(pos);
        }
        let last = pieces.length - 1, inner = pieces[last];
        if (!inner)
          throw new RangeError("Invalid path: " + part);
        let rule = new Rule(tags2, mode, last > 0 ? pieces.slice(0, last) : null);
        byName[inner] = rule.sort(byName[inner]);
      }
  }
  return ruleNodeProp.add(byName);
}
var ruleNodeProp = new NodeProp({
  combine(a, b) {
    let cur, root, take;
    while (a || b) {
      if (!a || b && a.depth <= b.depth) {
        take = b;
        b = b.next;
      } else {
        take = a;
        a = a.next;
      }
      if (cur && cur.mode == take.mode && !take.context && !cur.context)
        continue;
      let copy = new Rule(take.tags, take.mode, take.context);
      if (cur)
        cur.next = copy;
      else
        root = copy;
      cur = copy;
    }
    return root;
  }
});
var Rule = class {
  constructor(tags2, mode, context, next) {
    this.tags = tags2;
    this.mode = mode;
    this.context = context;
    this.next = next;
  }
  get opaque() {
    return this.mode == 0;
  }
  get inherit() {
    return this.mode == 1;
  }
  sort(other) {
    if (!other || other.depth < this.depth) {
      this.next = other;
      return this;
    }
    other.next = this.sort(other.next);
    return other;
  }
  get depth() {
    return this.context ? this.context.length : 0;
  }
};
Rule.empty = new Rule([], 2, null);
function tagHighlighter(tags2, options) {
  let map = /* @__PURE__ */ Object.create(null);
  for (let style of tags2) {
    if (!Array.isArray(style.tag))
      map[style.tag.id] = style.class;
    else
      for (let tag of style.tag)
        map[tag.id] = style.class;
  }
  let { scope, all = null } = options || {};
  return {
    style: (tags3) => {
      let cls = all;
      for (let tag of tags3) {
        for (let sub of tag.set) {
          let tagClass = map[sub.id];
          if (tagClass) {
            cls = cls ? cls + " " + tagClass : tagClass;
            break;
          }
        }
      }
      return cls;
    },
    scope
  };
}
var t = Tag.define;
var comment = t();
var name = t();
var typeName = t(name);
var propertyName = t(name);
var literal = t();
var string = t(literal);
var number = t(literal);
var content = t();
var heading = t(content);
var keyword = t();
var operator = t();
var punctuation = t();
var bracket = t(punctuation);
var meta = t();
var tags = {
  /**
  A comment.
  */
  comment,
  /**
  A line [comment](#highlight.tags.comment).
  */
  lineComment: t(comment),
  /**
  A block [comment](#highlight.tags.comment).
  */
  blockComment: t(comment),
  /**
  A documentation [comment](#highlight.tags.comment).
  */
  docComment: t(comment),
  /**
  Any kind of identifier.
  */
  name,
  /**
  The [name](#highlight.tags.name) of a variable.
  */
  variableName: t(name),
  /**
  A type [name](#highlight.tags.name).
  */
  typeName,
  /**
  A tag name (subtag of [`typeName`](#highlight.tags.typeName)).
  */
  tagName: t(typeName),
  /**
  A property or field [name](#highlight.tags.name).
  */
  propertyName,
  /**
  An attribute name (subtag of [`propertyName`](#highlight.tags.propertyName)).
  */
  attributeName: t(propertyName),
  /**
  The [name](#highlight.tags.name) of a class.
  */
  className: t(name),
  /**
  A label [name](#highlight.tags.name).
  */
  labelName: t(name),
  /**
  A namespace [name](#highlight.tags.name).
  */
  namespace: t(name),
  /**
  The [name](#highlight.tags.name) of a macro.
  */
  macroName: t(name),
  /**
  A literal value.
  */
  literal,
  /**
  A string [literal](#highlight.tags.literal).
  */
  string,
  /**
  A documentation [string](#highlight.tags.string).
  */
  docString: t(string),
  /**
  A character literal (subtag of [string](#highlight.tags.string)).
  */
  character: t(string),
  /**
  An attribute value (subtag of [string](#highlight.tags.string)).
  */
  attributeValue: t(string),
  /**
  A number [literal](#highlight.tags.literal).
  */
  number,
  /**
  An integer [number](#highlight.tags.number) literal.
  */
  integer: t(number),
  /**
  A floating-point [number](#highlight.tags.number) literal.
  */
  float: t(number),
  /**
  A boolean [literal](#highlight.tags.literal).
  */
  bool: t(literal),
  /**
  Regular expression [literal](#highlight.tags.literal).
  */
  regexp: t(literal),
  /**
  An escape [literal](#highlight.tags.literal), for example a
  backslash escape in a string.
  */
  escape: t(literal),
  /**
  A color [literal](#highlight.tags.literal).
  */
  color: t(literal),
  /**
  A URL [literal](#highlight.tags.literal).
  */
  url: t(literal),
  /**
  A language keyword.
  */
  keyword,
  /**
  The [keyword](#highlight.tags.keyword) for the self or this
  object.
  */
  self: t(keyword),
  /**
  The [keyword](#highlight.tags.keyword) for null.
  */
  null: t(keyword),
  /**
  A [keyword](#highlight.tags.keyword) denoting some atomic value.
  */
  atom: t(keyword),
  /**
  A [keyword](#highlight.tags.keyword) that represents a unit.
  */
  unit: t(keyword),
  /**
  A modifier [keyword](#highlight.tags.keyword).
  */
  modifier: t(keyword),
  /**
  A [keyword](#highlight.tags.keyword) that acts as an operator.
  */
  operatorKeyword: t(keyword),
  /**
  A control-flow related [keyword](#highlight.tags.keyword).
  */
  controlKeyword: t(keyword),
  /**
  A [keyword](#highlight.tags.keyword) that defines something.
  */
  definitionKeyword: t(keyword),
  /**
  A [keyword](#highlight.tags.keyword) related to defining or
  interfacing with modules.
  */
  moduleKeyword: t(keyword),
  /**
  An operator.
  */
  operator,
  /**
  An [operator](#highlight.tags.operator) that dereferences something.
  */
  derefOperator: t(operator),
  /**
  Arithmetic-related [operator](#highlight.tags.operator).
  */
  arithmeticOperator: t(operator),
  /**
  Logical [operator](#highlight.tags.operator).
  */
  logicOperator: t(operator),
  /**
  Bit [operator](#highlight.tags.operator).
  */
  bitwiseOperator: t(operator),
  /**
  Comparison [operator](#highlight.tags.operator).
  */
  compareOperator: t(operator),
  /**
  [Operator](#highlight.tags.operator) that updates its operand.
  */
  updateOperator: t(operator),
  /**
  [Operator](#highlight.tags.operator) that defines something.
  */
  definitionOperator: t(operator),
  /**
  Type-related [operator](#highlight.tags.operator).
  */
  typeOperator: t(operator),
  /**
  Control-flow [operator](#highlight.tags.operator).
  */
  controlOperator: t(operator),
  /**
  Program or markup punctuation.
  */
  punctuation,
  /**
  [Punctuation](#highlight.tags.punctuation) that separates
  things.
  */
  separator: t(punctuation),
  /**
  Bracket-style [punctuation](#highlight.tags.punctuation).
  */
  bracket,
  /**
  Angle [brackets](#highlight.tags.bracket) (usually `<` and `>`
  tokens).
  */
  angleBracket: t(bracket),
  /**
  Square [brackets](#highlight.tags.bracket) (usually `[` and `]`
  tokens).
  */
  squareBracket: t(bracket),
  /**
  Parentheses (usually `(` and `)` tokens). Subtag of
  [bracket](#highlight.tags.bracket).
  */
  paren: t(bracket),
  /**
  Braces (usually `{` and `}` tokens). Subtag of
  [bracket](#highlight.tags.bracket).
  */
  brace: t(bracket),
  /**
  Content, for example plain text in XML or markup documents.
  */
  content,
  /**
  [Content](#highlight.tags.content) that represents a heading.
  */
  heading,
  /**
  A level 1 [heading](#highlight.tags.heading).
  */
  heading1: t(heading),
  /**
  A level 2 [heading](#highlight.tags.heading).
  */
  heading2: t(heading),
  /**
  A level 3 [heading](#highlight.tags.heading).
  */
  heading3: t(heading),
  /**
  A level 4 [heading](#highlight.tags.heading).
  */
  heading4: t(heading),
  /**
  A level 5 [heading](#highlight.tags.heading).
  */
  heading5: t(heading),
  /**
  A level 6 [heading](#highlight.tags.heading).
  */
  heading6: t(heading),
  /**
  A prose [content](#highlight.tags.content) separator (such as a horizontal rule).
  */
  contentSeparator: t(content),
  /**
  [Content](#highlight.tags.content) that represents a list.
  */
  list: t(content),
  /**
  [Content](#highlight.tags.content) that represents a quote.
  */
  quote: t(content),
  /**
  [Content](#highlight.tags.content) that is emphasized.
  */
  emphasis: t(content),
  /**
  [Content](#highlight.tags.content) that is styled strong.
  */
  strong: t(content),
  /**
  [Content](#highlight.tags.content) that is part of a link.
  */
  link: t(content),
  /**
  [Content](#highlight.tags.content) that is styled as code or
  monospace.
  */
  monospace: t(content),
  /**
  [Content](#highlight.tags.content) that has a strike-through
  style.
  */
  strikethrough: t(content),
  /**
  Inserted text in a change-tracking format.
  */
  inserted: t(),
  /**
  Deleted text.
  */
  deleted: t(),
  /**
  Changed text.
  */
  changed: t(),
  /**
  An invalid or unsyntactic element.
  */
  invalid: t(),
  /**
  Metadata or meta-instruction.
  */
  meta,
  /**
  [Metadata](#highlight.tags.meta) that applies to the entire
  document.
  */
  documentMeta: t(meta),
  /**
  [Metadata](#highlight.tags.meta) that annotates or adds
  attributes to a given syntactic element.
  */
  annotation: t(meta),
  /**
  Processing instruction or preprocessor directive. Subtag of
  [meta](#highlight.tags.meta).
  */
  processingInstruction: t(meta),
  /**
  [Modifier](#highlight.Tag^defineModifier) that indicates that a
  given element is being defined. Expected to be used with the
  various [name](#highlight.tags.name) tags.
  */
  definition: Tag.defineModifier("definition"),
  /**
  [Modifier](#highlight.Tag^defineModifier) that indicates that
  something is constant. Mostly expected to be used with
  [variable names](#highlight.tags.variableName).
  */
  constant: Tag.defineModifier("constant"),
  /**
  [Modifier](#highlight.Tag^defineModifier) used to indicate that
  a [variable](#highlight.tags.variableName) or [property
  name](#highlight.tags.propertyName) is being called or defined
  as a function.
  */
  function: Tag.defineModifier("function"),
  /**
  [Modifier](#highlight.Tag^defineModifier) that can be applied to
  [names](#highlight.tags.name) to indicate that they belong to
  the language's standard environment.
  */
  standard: Tag.defineModifier("standard"),
  /**
  [Modifier](#highlight.Tag^defineModifier) that indicates a given
  [names](#highlight.tags.name) is local to some scope.
  */
  local: Tag.defineModifier("local"),
  /**
  A generic variant [modifier](#highlight.Tag^defineModifier) that
  can be used to tag language-specific alternative variants of
  some common tag. It is recommended for themes to define special
  forms of at least the [string](#highlight.tags.string) and
  [variable name](#highlight.tags.variableName) tags, since those
  come up a lot.
  */
  special: Tag.defineModifier("special")
};
for (let name2 in tags) {
  let val = tags[name2];
  if (val instanceof Tag)
    val.name = name2;
}
var classHighlighter = tagHighlighter([
  { tag: tags.link, class: "tok-link" },
  { tag: tags.heading, class: "tok-heading" },
  { tag: tags.emphasis, class: "tok-emphasis" },
  { tag: tags.strong, class: "tok-strong" },
  { tag: tags.keyword, class: "tok-keyword" },
  { tag: tags.atom, class: "tok-atom" },
  { tag: tags.bool, class: "tok-bool" },
  { tag: tags.url, class: "tok-url" },
  { tag: tags.labelName, class: "tok-labelName" },
  { tag: tags.inserted, class: "tok-inserted" },
  { tag: tags.deleted, class: "tok-deleted" },
  { tag: tags.literal, class: "tok-literal" },
  { tag: tags.string, class: "tok-string" },
  { tag: tags.number, class: "tok-number" },
  { tag: [tags.regexp, tags.escape, tags.special(tags.string)], class: "tok-string2" },
  { tag: tags.variableName, class: "tok-variableName" },
  { tag: tags.local(tags.variableName), class: "tok-variableName tok-local" },
  { tag: tags.definition(tags.variableName), class: "tok-variableName tok-definition" },
  { tag: tags.special(tags.variableName), class: "tok-variableName2" },
  { tag: tags.definition(tags.propertyName), class: "tok-propertyName tok-definition" },
  { tag: tags.typeName, class: "tok-typeName" },
  { tag: tags.namespace, class: "tok-namespace" },
  { tag: tags.className, class: "tok-className" },
  { tag: tags.macroName, class: "tok-macroName" },
  { tag: tags.propertyName, class: "tok-propertyName" },
  { tag: tags.operator, class: "tok-operator" },
  { tag: tags.comment, class: "tok-comment" },
  { tag: tags.meta, class: "tok-meta" },
  { tag: tags.invalid, class: "tok-invalid" },
  { tag: tags.punctuation, class: "tok-punctuation" }
]);

// node_modules/@lezer/python/dist/index.js
var printKeyword = 1;
var indent = 194;
var dedent = 195;
var newline$1 = 196;
var blankLineStart = 197;
var newlineBracketed = 198;
var eof = 199;
var stringContent = 200;
var Escape = 2;
var replacementStart = 3;
var stringEnd = 201;
var ParenL = 24;
var ParenthesizedExpression = 25;
var TupleExpression = 49;
var ComprehensionExpression = 50;
var BracketL = 55;
var ArrayExpression = 56;
var ArrayComprehensionExpression = 57;
var BraceL = 59;
var DictionaryExpression = 60;
var DictionaryComprehensionExpression = 61;
var SetExpression = 62;
var SetComprehensionExpression = 63;
var ArgList = 65;
var subscript = 238;
var String$1 = 71;
var stringStart = 241;
var stringStartD = 242;
var stringStartL = 243;
var stringStartLD = 244;
var stringStartR = 245;
var stringStartRD = 246;
var stringStartRL = 247;
var stringStartRLD = 248;
var FormatString = 72;
var stringStartF = 249;
var stringStartFD = 250;
var stringStartFL = 251;
var stringStartFLD = 252;
var stringStartFR = 253;
var stringStartFRD = 254;
var stringStartFRL = 255;
var stringStartFRLD = 256;
var FormatReplacement = 73;
var nestedFormatReplacement = 77;
var importList = 263;
var TypeParamList = 112;
var ParamList = 130;
var SequencePattern = 151;
var MappingPattern = 152;
var PatternArgList = 155;
var newline = 10;
var carriageReturn = 13;
var space = 32;
var tab = 9;
var hash = 35;
var parenOpen = 40;
var dot = 46;
var braceOpen = 123;
var braceClose = 125;
var singleQuote = 39;
var doubleQuote = 34;
var backslash = 92;
var letter_o = 111;
var letter_x = 120;
var letter_N = 78;
var letter_u = 117;
var letter_U = 85;
var bracketed = /* @__PURE__ */ new Set([
  ParenthesizedExpression,
  TupleExpression,
  ComprehensionExpression,
  importList,
  ArgList,
  ParamList,
  ArrayExpression,
  ArrayComprehensionExpression,
  subscript,
  SetExpression,
  SetComprehensionExpression,
  FormatString,
  FormatReplacement,
  nestedFormatReplacement,
  DictionaryExpression,
  DictionaryComprehensionExpression,
  SequencePattern,
  MappingPattern,
  PatternArgList,
  TypeParamList
]);
function isLineBreak(ch) {
  return ch == newline || ch == carriageReturn;
}
function isHex(ch) {
  return ch >= 48 && ch <= 57 || ch >= 65 && ch <= 70 || ch >= 97 && ch <= 102;
}
var newlines = new ExternalTokenizer((input, stack) => {
  let prev;
  if (input.next < 0) {
    input.acceptToken(eof);
  } else if (stack.context.flags & cx_Bracketed) {
    if (isLineBreak(input.next)) input.acceptToken(newlineBracketed, 1);
  } else if (((prev = input.peek(-1)) < 0 || isLineBreak(prev)) && stack.canShift(blankLineStart)) {
    let spaces = 0;
    while (input.next == space || input.next == tab) {
      input.advance();
      spaces++;
    }
    if (input.next == newline || input.next == carriageReturn || input.next == hash)
      input.acceptToken(blankLineStart, -spaces);
  } else if (isLineBreak(input.next)) {
    input.acceptToken(newline$1, 1);
  }
}, { contextual: true });
var indentation = new ExternalTokenizer((input, stack) => {
  let context = stack.context;
  if (context.flags) return;
  let prev = input.peek(-1);
  if (prev == newline || prev == carriageReturn) {
    let depth = 0, chars = 0;
    for (; ; ) {
      if (input.next == space) depth++;
      else if (input.next == tab) depth += 8 - depth % 8;
      else break;
      input.advance();
      chars++;
    }
    if (depth != context.indent && input.next != newline && input.next != carriageReturn && input.next != hash) {
      if (depth < context.indent) input.acceptToken(dedent, -chars);
      else input.acceptToken(indent);
    }
  }
});
var cx_Bracketed = 1;
var cx_String = 2;
var cx_DoubleQuote = 4;
var cx_Long = 8;
var cx_Raw = 16;
var cx_Format = 32;
function Context(parent, indent2, flags) {
  this.parent = parent;
  this.indent = indent2;
  this.flags = flags;
  this.hash = (parent ? parent.hash + parent.hash << 8 : 0) + indent2 + (indent2 << 4) + flags + (flags << 6);
}
var topIndent = new Context(null, 0, 0);
function countIndent(space2) {
  let depth = 0;
  for (let i = 0; i < space2.length; i++)
    depth += space2.charCodeAt(i) == tab ? 8 - depth % 8 : 1;
  return depth;
}
var stringFlags = new Map([
  [stringStart, 0],
  [stringStartD, cx_DoubleQuote],
  [stringStartL, cx_Long],
  [stringStartLD, cx_Long | cx_DoubleQuote],
  [stringStartR, cx_Raw],
  [stringStartRD, cx_Raw | cx_DoubleQuote],
  [stringStartRL, cx_Raw | cx_Long],
  [stringStartRLD, cx_Raw | cx_Long | cx_DoubleQuote],
  [stringStartF, cx_Format],
  [stringStartFD, cx_Format | cx_DoubleQuote],
  [stringStartFL, cx_Format | cx_Long],
  [stringStartFLD, cx_Format | cx_Long | cx_DoubleQuote],
  [stringStartFR, cx_Format | cx_Raw],
  [stringStartFRD, cx_Format | cx_Raw | cx_DoubleQuote],
  [stringStartFRL, cx_Format | cx_Raw | cx_Long],
  [stringStartFRLD, cx_Format | cx_Raw | cx_Long | cx_DoubleQuote]
].map(([term, flags]) => [term, flags | cx_String]));
var trackIndent = new ContextTracker({
  start: topIndent,
  reduce(context, term, _, input) {
    if (context.flags & cx_Bracketed && bracketed.has(term) || (term == String$1 || term == FormatString) && context.flags & cx_String)
      return context.parent;
    return context;
  },
  shift(context, term, stack, input) {
    if (term == indent)
      return new Context(context, countIndent(input.read(input.pos, stack.pos)), 0);
    if (term == dedent)
      return context.parent;
    if (term == ParenL || term == BracketL || term == BraceL || term == replacementStart)
      return new Context(context, 0, cx_Bracketed);
    if (stringFlags.has(term))
      return new Context(context, 0, stringFlags.get(term) | context.flags & cx_Bracketed);
    return context;
  },
  hash(context) {
    return context.hash;
  }
});
var legacyPrint = new ExternalTokenizer((input) => {
  for (let i = 0; i < 5; i++) {
    if (input.next != "print".charCodeAt(i)) return;
    input.advance();
  }
  if (/\w/.test(String.fromCharCode(input.next))) return;
  for (let off = 0; ; off++) {
    let next = input.peek(off);
    if (next == space || next == tab) continue;
    if (next != parenOpen && next != dot && next != newline && next != carriageReturn && next != hash)
      input.acceptToken(printKeyword);
    return;
  }
});
var strings = new ExternalTokenizer((input, stack) => {
  let { flags } = stack.context;
  let quote = flags & cx_DoubleQuote ? doubleQuote : singleQuote;
  let long = (flags & cx_Long) > 0;
  let escapes = !(flags & cx_Raw);
  let format = (flags & cx_Format) > 0;
  let start = input.pos;
  for (; ; ) {
    if (input.next < 0) {
      break;
    } else if (format && input.next == braceOpen) {
      if (input.peek(1) == braceOpen) {
        input.advance(2);
      } else {
        if (input.pos == start) {
          input.acceptToken(replacementStart, 1);
          return;
        }
        break;
      }
    } else if (escapes && input.next == backslash) {
      if (input.pos == start) {
        input.advance();
        let escaped = input.next;
        if (escaped >= 0) {
          input.advance();
          skipEscape(input, escaped);
        }
        input.acceptToken(Escape);
        return;
      }
      break;
    } else if (input.next == backslash && !escapes && input.peek(1) > -1) {
      input.advance(2);
    } else if (input.next == quote && (!long || input.peek(1) == quote && input.peek(2) == quote)) {
      if (input.pos == start) {
        input.acceptToken(stringEnd, long ? 3 : 1);
        return;
      }
      break;
    } else if (input.next == newline) {
      if (long) {
        input.advance();
      } else if (input.pos == start) {
        input.acceptToken(stringEnd);
        return;
      }
      break;
    } else {
      input.advance();
    }
  }
  if (input.pos > start) input.acceptToken(stringContent);
});
function skipEscape(input, ch) {
  if (ch == letter_o) {
    for (let i = 0; i < 2 && input.next >= 48 && input.next <= 55; i++) input.advance();
  } else if (ch == letter_x) {
    for (let i = 0; i < 2 && isHex(input.next); i++) input.advance();
  } else if (ch == letter_u) {
    for (let i = 0; i < 4 && isHex(input.next); i++) input.advance();
  } else if (ch == letter_U) {
    for (let i = 0; i < 8 && isHex(input.next); i++) input.advance();
  } else if (ch == letter_N) {
    if (input.next == braceOpen) {
      input.advance();
      while (input.next >= 0 && input.next != braceClose && input.next != singleQuote && input.next != doubleQuote && input.next != newline) input.advance();
      if (input.next == braceClose) input.advance();
    }
  }
}
var pythonHighlighting = styleTags({
  'async "*" "**" FormatConversion FormatSpec': tags.modifier,
  "for while if elif else try except finally return raise break continue with pass assert await yield match case": tags.controlKeyword,
  "in not and or is del": tags.operatorKeyword,
  "from def class global nonlocal lambda": tags.definitionKeyword,
  import: tags.moduleKeyword,
  "with as print": tags.keyword,
  Boolean: tags.bool,
  None: tags.null,
  VariableName: tags.variableName,
  "CallExpression/VariableName": tags.function(tags.variableName),
  "FunctionDefinition/VariableName": tags.function(tags.definition(tags.variableName)),
  "ClassDefinition/VariableName": tags.definition(tags.className),
  PropertyName: tags.propertyName,
  "CallExpression/MemberExpression/PropertyName": tags.function(tags.propertyName),
  Comment: tags.lineComment,
  Number: tags.number,
  String: tags.string,
  FormatString: tags.special(tags.string),
  Escape: tags.escape,
  UpdateOp: tags.updateOperator,
  "ArithOp!": tags.arithmeticOperator,
  BitOp: tags.bitwiseOperator,
  CompareOp: tags.compareOperator,
  AssignOp: tags.definitionOperator,
  Ellipsis: tags.punctuation,
  At: tags.meta,
  "( )": tags.paren,
  "[ ]": tags.squareBracket,
  "{ }": tags.brace,
  ".": tags.derefOperator,
  ", ;": tags.separator
});
var spec_identifier = { __proto__: null, await: 44, or: 54, and: 56, in: 60, not: 62, is: 64, if: 70, else: 72, lambda: 76, yield: 94, from: 96, async: 102, for: 104, None: 162, True: 164, False: 164, del: 178, pass: 182, break: 186, continue: 190, return: 194, raise: 202, import: 206, as: 208, global: 212, nonlocal: 214, assert: 218, type: 223, elif: 236, while: 240, try: 246, except: 248, finally: 250, with: 254, def: 258, class: 268, match: 279, case: 285 };
var parser = LRParser.deserialize({
  version: 14,
  states: "##jQ`QeOOP$}OSOOO&WQtO'#HUOOQS'#Co'#CoOOQS'#Cp'#CpO'vQdO'#CnO*UQtO'#HTOOQS'#HU'#HUOOQS'#DU'#DUOOQS'#HT'#HTO*rQdO'#D_O+VQdO'#DfO+gQdO'#DjO+zOWO'#DuO,VOWO'#DvO.[QtO'#GuOOQS'#Gu'#GuO'vQdO'#GtO0ZQtO'#GtOOQS'#Eb'#EbO0rQdO'#EcOOQS'#Gs'#GsO0|QdO'#GrOOQV'#Gr'#GrO1XQdO'#FYOOQS'#G^'#G^O1^QdO'#FXOOQV'#IS'#ISOOQV'#Gq'#GqOOQV'#Fq'#FqQ`QeOOO'vQdO'#CqO1lQdO'#C}O1sQdO'#DRO2RQdO'#HYO2cQtO'#EVO'vQdO'#EWOOQS'#EY'#EYOOQS'#E['#E[OOQS'#E^'#E^O2wQdO'#E`O3_QdO'#EdO3rQdO'#EfO3zQtO'#EfO1XQdO'#EiO0rQdO'#ElO1XQdO'#EnO0rQdO'#EtO0rQdO'#EwO4VQdO'#EyO4^QdO'#FOO4iQdO'#EzO0rQdO'#FOO1XQdO'#FQO1XQdO'#FVO4nQdO'#F[P4uOdO'#GpPOOO)CBd)CBdOOQS'#Ce'#CeOOQS'#Cf'#CfOOQS'#Cg'#CgOOQS'#Ch'#ChOOQS'#Ci'#CiOOQS'#Cj'#CjOOQS'#Cl'#ClO'vQdO,59OO'vQdO,59OO'vQdO,59OO'vQdO,59OO'vQdO,59OO'vQdO,59OO5TQdO'#DoOOQS,5:Y,5:YO5hQdO'#HdOOQS,5:],5:]O5uQ!fO,5:]O5zQtO,59YO1lQdO,59bO1lQdO,59bO1lQdO,59bO8jQdO,59bO8oQdO,59bO8vQdO,59jO8}QdO'#HTO:TQdO'#HSOOQS'#HS'#HSOOQS'#D['#D[O:lQdO,59aO'vQdO,59aO:zQdO,59aOOQS,59y,59yO;PQdO,5:RO'vQdO,5:ROOQS,5:Q,5:QO;_QdO,5:QO;dQdO,5:XO'vQdO,5:XO'vQdO,5:VOOQS,5:U,5:UO;uQdO,5:UO;zQdO,5:WOOOW'#Fy'#FyO<POWO,5:aOOQS,5:a,5:aO<[QdO'#HwOOOW'#Dw'#DwOOOW'#Fz'#FzO<lOWO,5:bOOQS,5:b,5:bOOQS'#F}'#F}O<zQtO,5:iO?lQtO,5=`O@VQ#xO,5=`O@vQtO,5=`OOQS,5:},5:}OA_QeO'#GWOBqQdO,5;^OOQV,5=^,5=^OB|QtO'#IPOCkQdO,5;tOOQS-E:[-E:[OOQV,5;s,5;sO4dQdO'#FQOOQV-E9o-E9oOCsQtO,59]OEzQtO,59iOFeQdO'#HVOFpQdO'#HVO1XQdO'#HVOF{QdO'#DTOGTQdO,59mOGYQdO'#HZO'vQdO'#HZO0rQdO,5=tOOQS,5=t,5=tO0rQdO'#EROOQS'#ES'#ESOGwQdO'#GPOHXQdO,58|OHXQdO,58|O*xQdO,5:oOHgQtO'#H]OOQS,5:r,5:rOOQS,5:z,5:zOHzQdO,5;OOI]QdO'#IOO1XQdO'#H}OOQS,5;Q,5;QOOQS'#GT'#GTOIqQtO,5;QOJPQdO,5;QOJUQdO'#IQOOQS,5;T,5;TOJdQdO'#H|OOQS,5;W,5;WOJuQdO,5;YO4iQdO,5;`O4iQdO,5;cOJ}QtO'#ITO'vQdO'#ITOKXQdO,5;eO4VQdO,5;eO0rQdO,5;jO1XQdO,5;lOK^QeO'#EuOLjQgO,5;fO!!kQdO'#IUO4iQdO,5;jO!!vQdO,5;lO!#OQdO,5;qO!#ZQtO,5;vO'vQdO,5;vPOOO,5=[,5=[P!#bOSO,5=[P!#jOdO,5=[O!&bQtO1G.jO!&iQtO1G.jO!)YQtO1G.jO!)dQtO1G.jO!+}QtO1G.jO!,bQtO1G.jO!,uQdO'#HcO!-TQtO'#GuO0rQdO'#HcO!-_QdO'#HbOOQS,5:Z,5:ZO!-gQdO,5:ZO!-lQdO'#HeO!-wQdO'#HeO!.[QdO,5>OOOQS'#Ds'#DsOOQS1G/w1G/wOOQS1G.|1G.|O!/[QtO1G.|O!/cQtO1G.|O1lQdO1G.|O!0OQdO1G/UOOQS'#DZ'#DZO0rQdO,59tOOQS1G.{1G.{O!0VQdO1G/eO!0gQdO1G/eO!0oQdO1G/fO'vQdO'#H[O!0tQdO'#H[O!0yQtO1G.{O!1ZQdO,59iO!2aQdO,5=zO!2qQdO,5=zO!2yQdO1G/mO!3OQtO1G/mOOQS1G/l1G/lO!3`QdO,5=uO!4VQdO,5=uO0rQdO1G/qO!4tQdO1G/sO!4yQtO1G/sO!5ZQtO1G/qOOQS1G/p1G/pOOQS1G/r1G/rOOOW-E9w-E9wOOQS1G/{1G/{O!5kQdO'#HxO0rQdO'#HxO!5|QdO,5>cOOOW-E9x-E9xOOQS1G/|1G/|OOQS-E9{-E9{O!6[Q#xO1G2zO!6{QtO1G2zO'vQdO,5<jOOQS,5<j,5<jOOQS-E9|-E9|OOQS,5<r,5<rOOQS-E:U-E:UOOQV1G0x1G0xO1XQdO'#GRO!7dQtO,5>kOOQS1G1`1G1`O!8RQdO1G1`OOQS'#DV'#DVO0rQdO,5=qOOQS,5=q,5=qO!8WQdO'#FrO!8cQdO,59oO!8kQdO1G/XO!8uQtO,5=uOOQS1G3`1G3`OOQS,5:m,5:mO!9fQdO'#GtOOQS,5<k,5<kOOQS-E9}-E9}O!9wQdO1G.hOOQS1G0Z1G0ZO!:VQdO,5=wO!:gQdO,5=wO0rQdO1G0jO0rQdO1G0jO!:xQdO,5>jO!;ZQdO,5>jO1XQdO,5>jO!;lQdO,5>iOOQS-E:R-E:RO!;qQdO1G0lO!;|QdO1G0lO!<RQdO,5>lO!<aQdO,5>lO!<oQdO,5>hO!=VQdO,5>hO!=hQdO'#EpO0rQdO1G0tO!=sQdO1G0tO!=xQgO1G0zO!AvQgO1G0}O!EqQdO,5>oO!E{QdO,5>oO!FTQtO,5>oO0rQdO1G1PO!F_QdO1G1PO4iQdO1G1UO!!vQdO1G1WOOQV,5;a,5;aO!FdQfO,5;aO!FiQgO1G1QO!JjQdO'#GZO4iQdO1G1QO4iQdO1G1QO!JzQdO,5>pO!KXQdO,5>pO1XQdO,5>pOOQV1G1U1G1UO!KaQdO'#FSO!KrQ!fO1G1WO!KzQdO1G1WOOQV1G1]1G1]O4iQdO1G1]O!LPQdO1G1]O!LXQdO'#F^OOQV1G1b1G1bO!#ZQtO1G1bPOOO1G2v1G2vP!L^OSO1G2vOOQS,5=},5=}OOQS'#Dp'#DpO0rQdO,5=}O!LfQdO,5=|O!LyQdO,5=|OOQS1G/u1G/uO!MRQdO,5>PO!McQdO,5>PO!MkQdO,5>PO!NOQdO,5>PO!N`QdO,5>POOQS1G3j1G3jOOQS7+$h7+$hO!8kQdO7+$pO#!RQdO1G.|O#!YQdO1G.|OOQS1G/`1G/`OOQS,5<`,5<`O'vQdO,5<`OOQS7+%P7+%PO#!aQdO7+%POOQS-E9r-E9rOOQS7+%Q7+%QO#!qQdO,5=vO'vQdO,5=vOOQS7+$g7+$gO#!vQdO7+%PO##OQdO7+%QO##TQdO1G3fOOQS7+%X7+%XO##eQdO1G3fO##mQdO7+%XOOQS,5<_,5<_O'vQdO,5<_O##rQdO1G3aOOQS-E9q-E9qO#$iQdO7+%]OOQS7+%_7+%_O#$wQdO1G3aO#%fQdO7+%_O#%kQdO1G3gO#%{QdO1G3gO#&TQdO7+%]O#&YQdO,5>dO#&sQdO,5>dO#&sQdO,5>dOOQS'#Dx'#DxO#'UO&jO'#DzO#'aO`O'#HyOOOW1G3}1G3}O#'fQdO1G3}O#'nQdO1G3}O#'yQ#xO7+(fO#(jQtO1G2UP#)TQdO'#GOOOQS,5<m,5<mOOQS-E:P-E:POOQS7+&z7+&zOOQS1G3]1G3]OOQS,5<^,5<^OOQS-E9p-E9pOOQS7+$s7+$sO#)bQdO,5=`O#){QdO,5=`O#*^QtO,5<aO#*qQdO1G3cOOQS-E9s-E9sOOQS7+&U7+&UO#+RQdO7+&UO#+aQdO,5<nO#+uQdO1G4UOOQS-E:Q-E:QO#,WQdO1G4UOOQS1G4T1G4TOOQS7+&W7+&WO#,iQdO7+&WOOQS,5<p,5<pO#,tQdO1G4WOOQS-E:S-E:SOOQS,5<l,5<lO#-SQdO1G4SOOQS-E:O-E:OO1XQdO'#EqO#-jQdO'#EqO#-uQdO'#IRO#-}QdO,5;[OOQS7+&`7+&`O0rQdO7+&`O#.SQgO7+&fO!JmQdO'#GXO4iQdO7+&fO4iQdO7+&iO#2QQtO,5<tO'vQdO,5<tO#2[QdO1G4ZOOQS-E:W-E:WO#2fQdO1G4ZO4iQdO7+&kO0rQdO7+&kOOQV7+&p7+&pO!KrQ!fO7+&rO!KzQdO7+&rO`QeO1G0{OOQV-E:X-E:XO4iQdO7+&lO4iQdO7+&lOOQV,5<u,5<uO#2nQdO,5<uO!JmQdO,5<uOOQV7+&l7+&lO#2yQgO7+&lO#6tQdO,5<vO#7PQdO1G4[OOQS-E:Y-E:YO#7^QdO1G4[O#7fQdO'#IWO#7tQdO'#IWO1XQdO'#IWOOQS'#IW'#IWO#8PQdO'#IVOOQS,5;n,5;nO#8XQdO,5;nO0rQdO'#FUOOQV7+&r7+&rO4iQdO7+&rOOQV7+&w7+&wO4iQdO7+&wO#8^QfO,5;xOOQV7+&|7+&|POOO7+(b7+(bO#8cQdO1G3iOOQS,5<c,5<cO#8qQdO1G3hOOQS-E9u-E9uO#9UQdO,5<dO#9aQdO,5<dO#9tQdO1G3kOOQS-E9v-E9vO#:UQdO1G3kO#:^QdO1G3kO#:nQdO1G3kO#:UQdO1G3kOOQS<<H[<<H[O#:yQtO1G1zOOQS<<Hk<<HkP#;WQdO'#FtO8vQdO1G3bO#;eQdO1G3bO#;jQdO<<HkOOQS<<Hl<<HlO#;zQdO7+)QOOQS<<Hs<<HsO#<[QtO1G1yP#<{QdO'#FsO#=YQdO7+)RO#=jQdO7+)RO#=rQdO<<HwO#=wQdO7+({OOQS<<Hy<<HyO#>nQdO,5<bO'vQdO,5<bOOQS-E9t-E9tOOQS<<Hw<<HwOOQS,5<g,5<gO0rQdO,5<gO#>sQdO1G4OOOQS-E9y-E9yO#?^QdO1G4OO<[QdO'#H{OOOO'#D{'#D{OOOO'#F|'#F|O#?oO&jO,5:fOOOW,5>e,5>eOOOW7+)i7+)iO#?zQdO7+)iO#@SQdO1G2zO#@mQdO1G2zP'vQdO'#FuO0rQdO<<IpO1XQdO1G2YP1XQdO'#GSO#AOQdO7+)pO#AaQdO7+)pOOQS<<Ir<<IrP1XQdO'#GUP0rQdO'#GQOOQS,5;],5;]O#ArQdO,5>mO#BQQdO,5>mOOQS1G0v1G0vOOQS<<Iz<<IzOOQV-E:V-E:VO4iQdO<<JQOOQV,5<s,5<sO4iQdO,5<sOOQV<<JQ<<JQOOQV<<JT<<JTO#BYQtO1G2`P#BdQdO'#GYO#BkQdO7+)uO#BuQgO<<JVO4iQdO<<JVOOQV<<J^<<J^O4iQdO<<J^O!KrQ!fO<<J^O#FpQgO7+&gOOQV<<JW<<JWO#FzQgO<<JWOOQV1G2a1G2aO1XQdO1G2aO#JuQdO1G2aO4iQdO<<JWO1XQdO1G2bP0rQdO'#G[O#KQQdO7+)vO#K_QdO7+)vOOQS'#FT'#FTO0rQdO,5>rO#KgQdO,5>rO#KrQdO,5>rO#K}QdO,5>qO#L`QdO,5>qOOQS1G1Y1G1YOOQS,5;p,5;pOOQV<<Jc<<JcO#LhQdO1G1dOOQS7+)T7+)TP#LmQdO'#FwO#L}QdO1G2OO#MbQdO1G2OO#MrQdO1G2OP#M}QdO'#FxO#N[QdO7+)VO#NlQdO7+)VO#NlQdO7+)VO#NtQdO7+)VO$ UQdO7+(|O8vQdO7+(|OOQSAN>VAN>VO$ oQdO<<LmOOQSAN>cAN>cO0rQdO1G1|O$!PQtO1G1|P$!ZQdO'#FvOOQS1G2R1G2RP$!hQdO'#F{O$!uQdO7+)jO$#`QdO,5>gOOOO-E9z-E9zOOOW<<MT<<MTO$#nQdO7+(fOOQSAN?[AN?[OOQS7+'t7+'tO$$XQdO<<M[OOQS,5<q,5<qO$$jQdO1G4XOOQS-E:T-E:TOOQVAN?lAN?lOOQV1G2_1G2_O4iQdOAN?qO$$xQgOAN?qOOQVAN?xAN?xO4iQdOAN?xOOQV<<JR<<JRO4iQdOAN?rO4iQdO7+'{OOQV7+'{7+'{O1XQdO7+'{OOQVAN?rAN?rOOQS7+'|7+'|O$(sQdO<<MbOOQS1G4^1G4^O0rQdO1G4^OOQS,5<w,5<wO$)QQdO1G4]OOQS-E:Z-E:ZOOQU'#G_'#G_O$)cQfO7+'OO$)nQdO'#F_O$*uQdO7+'jO$+VQdO7+'jOOQS7+'j7+'jO$+bQdO<<LqO$+rQdO<<LqO$+rQdO<<LqO$+zQdO'#H^OOQS<<Lh<<LhO$,UQdO<<LhOOQS7+'h7+'hOOQS'#D|'#D|OOOO1G4R1G4RO$,oQdO1G4RO$,wQdO1G4RP!=hQdO'#GVOOQVG25]G25]O4iQdOG25]OOQVG25dG25dOOQVG25^G25^OOQV<<Kg<<KgO4iQdO<<KgOOQS7+)x7+)xP$-SQdO'#G]OOQU-E:]-E:]OOQV<<Jj<<JjO$-vQtO'#FaOOQS'#Fc'#FcO$.WQdO'#FbO$.xQdO'#FbOOQS'#Fb'#FbO$.}QdO'#IYO$)nQdO'#FiO$)nQdO'#FiO$/fQdO'#FjO$)nQdO'#FkO$/mQdO'#IZOOQS'#IZ'#IZO$0[QdO,5;yOOQS<<KU<<KUO$0dQdO<<KUO$0tQdOANB]O$1UQdOANB]O$1^QdO'#H_OOQS'#H_'#H_O1sQdO'#DcO$1wQdO,5=xOOQSANBSANBSOOOO7+)m7+)mO$2`QdO7+)mOOQVLD*wLD*wOOQVANARANARO5uQ!fO'#GaO$2hQtO,5<SO$)nQdO'#FmOOQS,5<W,5<WOOQS'#Fd'#FdO$3YQdO,5;|O$3_QdO,5;|OOQS'#Fg'#FgO$)nQdO'#G`O$4PQdO,5<QO$4kQdO,5>tO$4{QdO,5>tO1XQdO,5<PO$5^QdO,5<TO$5cQdO,5<TO$)nQdO'#I[O$5hQdO'#I[O$5mQdO,5<UOOQS,5<V,5<VO0rQdO'#FpOOQU1G1e1G1eO4iQdO1G1eOOQSAN@pAN@pO$5rQdOG27wO$6SQdO,59}OOQS1G3d1G3dOOOO<<MX<<MXOOQS,5<{,5<{OOQS-E:_-E:_O$6XQtO'#FaO$6`QdO'#I]O$6nQdO'#I]O$6vQdO,5<XOOQS1G1h1G1hO$6{QdO1G1hO$7QQdO,5<zOOQS-E:^-E:^O$7lQdO,5=OO$8TQdO1G4`OOQS-E:b-E:bOOQS1G1k1G1kOOQS1G1o1G1oO$8eQdO,5>vO$)nQdO,5>vOOQS1G1p1G1pOOQS,5<[,5<[OOQU7+'P7+'PO$+zQdO1G/iO$)nQdO,5<YO$8sQdO,5>wO$8zQdO,5>wOOQS1G1s1G1sOOQS7+'S7+'SP$)nQdO'#GdO$9SQdO1G4bO$9^QdO1G4bO$9fQdO1G4bOOQS7+%T7+%TO$9tQdO1G1tO$:SQtO'#FaO$:ZQdO,5<}OOQS,5<},5<}O$:iQdO1G4cOOQS-E:a-E:aO$)nQdO,5<|O$:pQdO,5<|O$:uQdO7+)|OOQS-E:`-E:`O$;PQdO7+)|O$)nQdO,5<ZP$)nQdO'#GcO$;XQdO1G2hO$)nQdO1G2hP$;gQdO'#GbO$;nQdO<<MhO$;xQdO1G1uO$<WQdO7+(SO8vQdO'#C}O8vQdO,59bO8vQdO,59bO8vQdO,59bO$<fQtO,5=`O8vQdO1G.|O0rQdO1G/XO0rQdO7+$pP$<yQdO'#GOO'vQdO'#GtO$=WQdO,59bO$=]QdO,59bO$=dQdO,59mO$=iQdO1G/UO1sQdO'#DRO8vQdO,59j",
  stateData: "$>S~O%cOS%^OSSOS%]PQ~OPdOVaOfoOhYOopOs!POvqO!PrO!Q{O!T!SO!U!RO!XZO!][O!h`O!r`O!s`O!t`O!{tO!}uO#PvO#RwO#TxO#XyO#ZzO#^|O#_|O#a}O#c!OO#l!QO#o!TO#s!UO#u!VO#z!WO#}hO$P!XO%oRO%pRO%tSO%uWO&Z]O&[]O&]]O&^]O&_]O&`]O&a]O&b]O&c^O&d^O&e^O&f^O&g^O&h^O&i^O&j^O~O%]!YO~OV!aO_!aOa!bOh!iO!X!kO!f!mO%j![O%k!]O%l!^O%m!_O%n!_O%o!`O%p!`O%q!aO%r!aO%s!aO~Ok%xXl%xXm%xXn%xXo%xXp%xXs%xXz%xX{%xX!x%xX#g%xX%[%xX%_%xX%z%xXg%xX!T%xX!U%xX%{%xX!W%xX![%xX!Q%xX#[%xXt%xX!m%xX~P%SOfoOhYO!XZO!][O!h`O!r`O!s`O!t`O%oRO%pRO%tSO%uWO&Z]O&[]O&]]O&^]O&_]O&`]O&a]O&b]O&c^O&d^O&e^O&f^O&g^O&h^O&i^O&j^O~Oz%wX{%wX#g%wX%[%wX%_%wX%z%wX~Ok!pOl!qOm!oOn!oOo!rOp!sOs!tO!x%wX~P)pOV!zOg!|Oo0cOv0qO!PrO~P'vOV#OOo0cOv0qO!W#PO~P'vOV#SOa#TOo0cOv0qO![#UO~P'vOQ#XO%`#XO%a#ZO~OQ#^OR#[O%`#^O%a#`O~OV%iX_%iXa%iXh%iXk%iXl%iXm%iXn%iXo%iXp%iXs%iXz%iX!X%iX!f%iX%j%iX%k%iX%l%iX%m%iX%n%iX%o%iX%p%iX%q%iX%r%iX%s%iXg%iX!T%iX!U%iX~O&Z]O&[]O&]]O&^]O&_]O&`]O&a]O&b]O&c^O&d^O&e^O&f^O&g^O&h^O&i^O&j^O{%iX!x%iX#g%iX%[%iX%_%iX%z%iX%{%iX!W%iX![%iX!Q%iX#[%iXt%iX!m%iX~P,eOz#dO{%hX!x%hX#g%hX%[%hX%_%hX%z%hX~Oo0cOv0qO~P'vO#g#gO%[#iO%_#iO~O%uWO~O!T#nO#u!VO#z!WO#}hO~OopO~P'vOV#sOa#tO%uWO{wP~OV#xOo0cOv0qO!Q#yO~P'vO{#{O!x$QO%z#|O#g!yX%[!yX%_!yX~OV#xOo0cOv0qO#g#SX%[#SX%_#SX~P'vOo0cOv0qO#g#WX%[#WX%_#WX~P'vOh$WO%uWO~O!f$YO!r$YO%uWO~OV$eO~P'vO!U$gO#s$hO#u$iO~O{$jO~OV$qO~P'vOS$sO%[$rO%_$rO%c$tO~OV$}Oa$}Og%POo0cOv0qO~P'vOo0cOv0qO{%SO~P'vO&Y%UO~Oa!bOh!iO!X!kO!f!mOVba_bakbalbambanbaobapbasbazba{ba!xba#gba%[ba%_ba%jba%kba%lba%mba%nba%oba%pba%qba%rba%sba%zbagba!Tba!Uba%{ba!Wba![ba!Qba#[batba!mba~On%ZO~Oo%ZO~P'vOo0cO~P'vOk0eOl0fOm0dOn0dOo0mOp0nOs0rOg%wX!T%wX!U%wX%{%wX!W%wX![%wX!Q%wX#[%wX!m%wX~P)pO%{%]Og%vXz%vX!T%vX!U%vX!W%vX{%vX~Og%_Oz%`O!T%dO!U%cO~Og%_O~Oz%gO!T%dO!U%cO!W&SX~O!W%kO~Oz%lO{%nO!T%dO!U%cO![%}X~O![%rO~O![%sO~OQ#XO%`#XO%a%uO~OV%wOo0cOv0qO!PrO~P'vOQ#^OR#[O%`#^O%a%zO~OV!qa_!qaa!qah!qak!qal!qam!qan!qao!qap!qas!qaz!qa{!qa!X!qa!f!qa!x!qa#g!qa%[!qa%_!qa%j!qa%k!qa%l!qa%m!qa%n!qa%o!qa%p!qa%q!qa%r!qa%s!qa%z!qag!qa!T!qa!U!qa%{!qa!W!qa![!qa!Q!qa#[!qat!qa!m!qa~P#yOz%|O{%ha!x%ha#g%ha%[%ha%_%ha%z%ha~P%SOV&OOopOvqO{%ha!x%ha#g%ha%[%ha%_%ha%z%ha~P'vOz%|O{%ha!x%ha#g%ha%[%ha%_%ha%z%ha~OPdOVaOopOvqO!PrO!Q{O!{tO!}uO#PvO#RwO#TxO#XyO#ZzO#^|O#_|O#a}O#c!OO#g$zX%[$zX%_$zX~P'vO#g#gO%[&TO%_&TO~O!f&UOh&sX%[&sXz&sX#[&sX#g&sX%_&sX#Z&sXg&sX~Oh!iO%[&WO~Okealeameaneaoeapeaseazea{ea!xea#gea%[ea%_ea%zeagea!Tea!Uea%{ea!Wea![ea!Qea#[eatea!mea~P%SOsqazqa{qa#gqa%[qa%_qa%zqa~Ok!pOl!qOm!oOn!oOo!rOp!sO!xqa~PEcO%z&YOz%yX{%yX~O%uWOz%yX{%yX~Oz&]O{wX~O{&_O~Oz%lO#g%}X%[%}X%_%}Xg%}X{%}X![%}X!m%}X%z%}X~OV0lOo0cOv0qO!PrO~P'vO%z#|O#gUa%[Ua%_Ua~Oz&hO#g&PX%[&PX%_&PXn&PX~P%SOz&kO!Q&jO#g#Wa%[#Wa%_#Wa~Oz&lO#[&nO#g&rX%[&rX%_&rXg&rX~O!f$YO!r$YO#Z&qO%uWO~O#Z&qO~Oz&sO#g&tX%[&tX%_&tX~Oz&uO#g&pX%[&pX%_&pX{&pX~O!X&wO%z&xO~Oz&|On&wX~P%SOn'PO~OPdOVaOopOvqO!PrO!Q{O!{tO!}uO#PvO#RwO#TxO#XyO#ZzO#^|O#_|O#a}O#c!OO%['UO~P'vOt'YO#p'WO#q'XOP#naV#naf#nah#nao#nas#nav#na!P#na!Q#na!T#na!U#na!X#na!]#na!h#na!r#na!s#na!t#na!{#na!}#na#P#na#R#na#T#na#X#na#Z#na#^#na#_#na#a#na#c#na#l#na#o#na#s#na#u#na#z#na#}#na$P#na%X#na%o#na%p#na%t#na%u#na&Z#na&[#na&]#na&^#na&_#na&`#na&a#na&b#na&c#na&d#na&e#na&f#na&g#na&h#na&i#na&j#na%Z#na%_#na~Oz'ZO#[']O{&xX~Oh'_O!X&wO~Oh!iO{$jO!X&wO~O{'eO~P%SO%['hO%_'hO~OS'iO%['hO%_'hO~OV!aO_!aOa!bOh!iO!X!kO!f!mO%l!^O%m!_O%n!_O%o!`O%p!`O%q!aO%r!aO%s!aOkWilWimWinWioWipWisWizWi{Wi!xWi#gWi%[Wi%_Wi%jWi%zWigWi!TWi!UWi%{Wi!WWi![Wi!QWi#[WitWi!mWi~O%k!]O~P!#uO%kWi~P!#uOV!aO_!aOa!bOh!iO!X!kO!f!mO%o!`O%p!`O%q!aO%r!aO%s!aOkWilWimWinWioWipWisWizWi{Wi!xWi#gWi%[Wi%_Wi%jWi%kWi%lWi%zWigWi!TWi!UWi%{Wi!WWi![Wi!QWi#[WitWi!mWi~O%m!_O%n!_O~P!&pO%mWi%nWi~P!&pOa!bOh!iO!X!kO!f!mOkWilWimWinWioWipWisWizWi{Wi!xWi#gWi%[Wi%_Wi%jWi%kWi%lWi%mWi%nWi%oWi%pWi%zWigWi!TWi!UWi%{Wi!WWi![Wi!QWi#[WitWi!mWi~OV!aO_!aO%q!aO%r!aO%s!aO~P!)nOVWi_Wi%qWi%rWi%sWi~P!)nO!T%dO!U%cOg&VXz&VX~O%z'kO%{'kO~P,eOz'mOg&UX~Og'oO~Oz'pO{'rO!W&XX~Oo0cOv0qOz'pO{'sO!W&XX~P'vO!W'uO~Om!oOn!oOo!rOp!sOkjisjizji{ji!xji#gji%[ji%_ji%zji~Ol!qO~P!.aOlji~P!.aOk0eOl0fOm0dOn0dOo0mOp0nO~Ot'wO~P!/jOV'|Og'}Oo0cOv0qO~P'vOg'}Oz(OO~Og(QO~O!U(SO~Og(TOz(OO!T%dO!U%cO~P%SOk0eOl0fOm0dOn0dOo0mOp0nOgqa!Tqa!Uqa%{qa!Wqa![qa!Qqa#[qatqa!mqa~PEcOV'|Oo0cOv0qO!W&Sa~P'vOz(WO!W&Sa~O!W(XO~Oz(WO!T%dO!U%cO!W&Sa~P%SOV(]Oo0cOv0qO![%}a#g%}a%[%}a%_%}ag%}a{%}a!m%}a%z%}a~P'vOz(^O![%}a#g%}a%[%}a%_%}ag%}a{%}a!m%}a%z%}a~O![(aO~Oz(^O!T%dO!U%cO![%}a~P%SOz(dO!T%dO!U%cO![&Ta~P%SOz(gO{&lX![&lX!m&lX%z&lX~O{(kO![(mO!m(nO%z(jO~OV&OOopOvqO{%hi!x%hi#g%hi%[%hi%_%hi%z%hi~P'vOz(pO{%hi!x%hi#g%hi%[%hi%_%hi%z%hi~O!f&UOh&sa%[&saz&sa#[&sa#g&sa%_&sa#Z&sag&sa~O%[(uO~OV#sOa#tO%uWO~Oz&]O{wa~OopOvqO~P'vOz(^O#g%}a%[%}a%_%}ag%}a{%}a![%}a!m%}a%z%}a~P%SOz(zO#g%hX%[%hX%_%hX%z%hX~O%z#|O#gUi%[Ui%_Ui~O#g&Pa%[&Pa%_&Pan&Pa~P'vOz(}O#g&Pa%[&Pa%_&Pan&Pa~O%uWO#g&ra%[&ra%_&rag&ra~Oz)SO#g&ra%[&ra%_&rag&ra~Og)VO~OV)WOh$WO%uWO~O#Z)XO~O%uWO#g&ta%[&ta%_&ta~Oz)ZO#g&ta%[&ta%_&ta~Oo0cOv0qO#g&pa%[&pa%_&pa{&pa~P'vOz)^O#g&pa%[&pa%_&pa{&pa~OV)`Oa)`O%uWO~O%z)eO~Ot)hO#j)gOP#hiV#hif#hih#hio#his#hiv#hi!P#hi!Q#hi!T#hi!U#hi!X#hi!]#hi!h#hi!r#hi!s#hi!t#hi!{#hi!}#hi#P#hi#R#hi#T#hi#X#hi#Z#hi#^#hi#_#hi#a#hi#c#hi#l#hi#o#hi#s#hi#u#hi#z#hi#}#hi$P#hi%X#hi%o#hi%p#hi%t#hi%u#hi&Z#hi&[#hi&]#hi&^#hi&_#hi&`#hi&a#hi&b#hi&c#hi&d#hi&e#hi&f#hi&g#hi&h#hi&i#hi&j#hi%Z#hi%_#hi~Ot)iOP#kiV#kif#kih#kio#kis#kiv#ki!P#ki!Q#ki!T#ki!U#ki!X#ki!]#ki!h#ki!r#ki!s#ki!t#ki!{#ki!}#ki#P#ki#R#ki#T#ki#X#ki#Z#ki#^#ki#_#ki#a#ki#c#ki#l#ki#o#ki#s#ki#u#ki#z#ki#}#ki$P#ki%X#ki%o#ki%p#ki%t#ki%u#ki&Z#ki&[#ki&]#ki&^#ki&_#ki&`#ki&a#ki&b#ki&c#ki&d#ki&e#ki&f#ki&g#ki&h#ki&i#ki&j#ki%Z#ki%_#ki~OV)kOn&wa~P'vOz)lOn&wa~Oz)lOn&wa~P%SOn)pO~O%Y)tO~Ot)wO#p'WO#q)vOP#niV#nif#nih#nio#nis#niv#ni!P#ni!Q#ni!T#ni!U#ni!X#ni!]#ni!h#ni!r#ni!s#ni!t#ni!{#ni!}#ni#P#ni#R#ni#T#ni#X#ni#Z#ni#^#ni#_#ni#a#ni#c#ni#l#ni#o#ni#s#ni#u#ni#z#ni#}#ni$P#ni%X#ni%o#ni%p#ni%t#ni%u#ni&Z#ni&[#ni&]#ni&^#ni&_#ni&`#ni&a#ni&b#ni&c#ni&d#ni&e#ni&f#ni&g#ni&h#ni&i#ni&j#ni%Z#ni%_#ni~OV)zOo0cOv0qO{$jO~P'vOo0cOv0qO{&xa~P'vOz*OO{&xa~OV*SOa*TOg*WO%q*UO%uWO~O{$jO&{*YO~Oh'_O~Oh!iO{$jO~O%[*_O~O%[*aO%_*aO~OV$}Oa$}Oo0cOv0qOg&Ua~P'vOz*dOg&Ua~Oo0cOv0qO{*gO!W&Xa~P'vOz*hO!W&Xa~Oo0cOv0qOz*hO{*kO!W&Xa~P'vOo0cOv0qOz*hO!W&Xa~P'vOz*hO{*kO!W&Xa~Om0dOn0dOo0mOp0nOgjikjisjizji!Tji!Uji%{ji!Wji{ji![ji#gji%[ji%_ji!Qji#[jitji!mji%zji~Ol0fO~P!NkOlji~P!NkOV'|Og*pOo0cOv0qO~P'vOn*rO~Og*pOz*tO~Og*uO~OV'|Oo0cOv0qO!W&Si~P'vOz*vO!W&Si~O!W*wO~OV(]Oo0cOv0qO![%}i#g%}i%[%}i%_%}ig%}i{%}i!m%}i%z%}i~P'vOz*zO!T%dO!U%cO![&Ti~Oz*}O![%}i#g%}i%[%}i%_%}ig%}i{%}i!m%}i%z%}i~O![+OO~Oa+QOo0cOv0qO![&Ti~P'vOz*zO![&Ti~O![+SO~OV+UOo0cOv0qO{&la![&la!m&la%z&la~P'vOz+VO{&la![&la!m&la%z&la~O!]+YO&n+[O![!nX~O![+^O~O{(kO![+_O~O{(kO![+_O!m+`O~OV&OOopOvqO{%hq!x%hq#g%hq%[%hq%_%hq%z%hq~P'vOz$ri{$ri!x$ri#g$ri%[$ri%_$ri%z$ri~P%SOV&OOopOvqO~P'vOV&OOo0cOv0qO#g%ha%[%ha%_%ha%z%ha~P'vOz+aO#g%ha%[%ha%_%ha%z%ha~Oz$ia#g$ia%[$ia%_$ian$ia~P%SO#g&Pi%[&Pi%_&Pin&Pi~P'vOz+dO#g#Wq%[#Wq%_#Wq~O#[+eOz$va#g$va%[$va%_$vag$va~O%uWO#g&ri%[&ri%_&rig&ri~Oz+gO#g&ri%[&ri%_&rig&ri~OV+iOh$WO%uWO~O%uWO#g&ti%[&ti%_&ti~Oo0cOv0qO#g&pi%[&pi%_&pi{&pi~P'vO{#{Oz#eX!W#eX~Oz+mO!W&uX~O!W+oO~Ot+rO#j)gOP#hqV#hqf#hqh#hqo#hqs#hqv#hq!P#hq!Q#hq!T#hq!U#hq!X#hq!]#hq!h#hq!r#hq!s#hq!t#hq!{#hq!}#hq#P#hq#R#hq#T#hq#X#hq#Z#hq#^#hq#_#hq#a#hq#c#hq#l#hq#o#hq#s#hq#u#hq#z#hq#}#hq$P#hq%X#hq%o#hq%p#hq%t#hq%u#hq&Z#hq&[#hq&]#hq&^#hq&_#hq&`#hq&a#hq&b#hq&c#hq&d#hq&e#hq&f#hq&g#hq&h#hq&i#hq&j#hq%Z#hq%_#hq~On$|az$|a~P%SOV)kOn&wi~P'vOz+yOn&wi~Oz,TO{$jO#[,TO~O#q,VOP#nqV#nqf#nqh#nqo#nqs#nqv#nq!P#nq!Q#nq!T#nq!U#nq!X#nq!]#nq!h#nq!r#nq!s#nq!t#nq!{#nq!}#nq#P#nq#R#nq#T#nq#X#nq#Z#nq#^#nq#_#nq#a#nq#c#nq#l#nq#o#nq#s#nq#u#nq#z#nq#}#nq$P#nq%X#nq%o#nq%p#nq%t#nq%u#nq&Z#nq&[#nq&]#nq&^#nq&_#nq&`#nq&a#nq&b#nq&c#nq&d#nq&e#nq&f#nq&g#nq&h#nq&i#nq&j#nq%Z#nq%_#nq~O#[,WOz%Oa{%Oa~Oo0cOv0qO{&xi~P'vOz,YO{&xi~O{#{O%z,[Og&zXz&zX~O%uWOg&zXz&zX~Oz,`Og&yX~Og,bO~O%Y,eO~O!T%dO!U%cOg&Viz&Vi~OV$}Oa$}Oo0cOv0qOg&Ui~P'vO{,hOz$la!W$la~Oo0cOv0qO{,iOz$la!W$la~P'vOo0cOv0qO{*gO!W&Xi~P'vOz,lO!W&Xi~Oo0cOv0qOz,lO!W&Xi~P'vOz,lO{,oO!W&Xi~Og$hiz$hi!W$hi~P%SOV'|Oo0cOv0qO~P'vOn,qO~OV'|Og,rOo0cOv0qO~P'vOV'|Oo0cOv0qO!W&Sq~P'vOz$gi![$gi#g$gi%[$gi%_$gig$gi{$gi!m$gi%z$gi~P%SOV(]Oo0cOv0qO~P'vOa+QOo0cOv0qO![&Tq~P'vOz,sO![&Tq~O![,tO~OV(]Oo0cOv0qO![%}q#g%}q%[%}q%_%}qg%}q{%}q!m%}q%z%}q~P'vO{,uO~OV+UOo0cOv0qO{&li![&li!m&li%z&li~P'vOz,zO{&li![&li!m&li%z&li~O!]+YO&n+[O![!na~O{(kO![,}O~OV&OOo0cOv0qO#g%hi%[%hi%_%hi%z%hi~P'vOz-OO#g%hi%[%hi%_%hi%z%hi~O%uWO#g&rq%[&rq%_&rqg&rq~Oz-RO#g&rq%[&rq%_&rqg&rq~OV)`Oa)`O%uWO!W&ua~Oz-TO!W&ua~On$|iz$|i~P%SOV)kO~P'vOV)kOn&wq~P'vOt-XOP#myV#myf#myh#myo#mys#myv#my!P#my!Q#my!T#my!U#my!X#my!]#my!h#my!r#my!s#my!t#my!{#my!}#my#P#my#R#my#T#my#X#my#Z#my#^#my#_#my#a#my#c#my#l#my#o#my#s#my#u#my#z#my#}#my$P#my%X#my%o#my%p#my%t#my%u#my&Z#my&[#my&]#my&^#my&_#my&`#my&a#my&b#my&c#my&d#my&e#my&f#my&g#my&h#my&i#my&j#my%Z#my%_#my~O%Z-]O%_-]O~P`O#q-^OP#nyV#nyf#nyh#nyo#nys#nyv#ny!P#ny!Q#ny!T#ny!U#ny!X#ny!]#ny!h#ny!r#ny!s#ny!t#ny!{#ny!}#ny#P#ny#R#ny#T#ny#X#ny#Z#ny#^#ny#_#ny#a#ny#c#ny#l#ny#o#ny#s#ny#u#ny#z#ny#}#ny$P#ny%X#ny%o#ny%p#ny%t#ny%u#ny&Z#ny&[#ny&]#ny&^#ny&_#ny&`#ny&a#ny&b#ny&c#ny&d#ny&e#ny&f#ny&g#ny&h#ny&i#ny&j#ny%Z#ny%_#ny~Oz-aO{$jO#[-aO~Oo0cOv0qO{&xq~P'vOz-dO{&xq~O%z,[Og&zaz&za~O{#{Og&zaz&za~OV*SOa*TO%q*UO%uWOg&ya~Oz-hOg&ya~O$S-lO~OV$}Oa$}Oo0cOv0qO~P'vOo0cOv0qO{-mOz$li!W$li~P'vOo0cOv0qOz$li!W$li~P'vO{-mOz$li!W$li~Oo0cOv0qO{*gO~P'vOo0cOv0qO{*gO!W&Xq~P'vOz-pO!W&Xq~Oo0cOv0qOz-pO!W&Xq~P'vOs-sO!T%dO!U%cOg&Oq!W&Oq![&Oqz&Oq~P!/jOa+QOo0cOv0qO![&Ty~P'vOz$ji![$ji~P%SOa+QOo0cOv0qO~P'vOV+UOo0cOv0qO~P'vOV+UOo0cOv0qO{&lq![&lq!m&lq%z&lq~P'vO{(kO![-xO!m-yO%z-wO~OV&OOo0cOv0qO#g%hq%[%hq%_%hq%z%hq~P'vO%uWO#g&ry%[&ry%_&ryg&ry~OV)`Oa)`O%uWO!W&ui~Ot-}OP#m!RV#m!Rf#m!Rh#m!Ro#m!Rs#m!Rv#m!R!P#m!R!Q#m!R!T#m!R!U#m!R!X#m!R!]#m!R!h#m!R!r#m!R!s#m!R!t#m!R!{#m!R!}#m!R#P#m!R#R#m!R#T#m!R#X#m!R#Z#m!R#^#m!R#_#m!R#a#m!R#c#m!R#l#m!R#o#m!R#s#m!R#u#m!R#z#m!R#}#m!R$P#m!R%X#m!R%o#m!R%p#m!R%t#m!R%u#m!R&Z#m!R&[#m!R&]#m!R&^#m!R&_#m!R&`#m!R&a#m!R&b#m!R&c#m!R&d#m!R&e#m!R&f#m!R&g#m!R&h#m!R&i#m!R&j#m!R%Z#m!R%_#m!R~Oo0cOv0qO{&xy~P'vOV*SOa*TO%q*UO%uWOg&yi~O$S-lO%Z.VO%_.VO~OV.aOh._O!X.^O!].`O!h.YO!s.[O!t.[O%p.XO%uWO&Z]O&[]O&]]O&^]O&_]O&`]O&a]O&b]O~Oo0cOv0qOz$lq!W$lq~P'vO{.fOz$lq!W$lq~Oo0cOv0qO{*gO!W&Xy~P'vOz.gO!W&Xy~Oo0cOv.kO~P'vOs-sO!T%dO!U%cOg&Oy!W&Oy![&Oyz&Oy~P!/jO{(kO![.nO~O{(kO![.nO!m.oO~OV*SOa*TO%q*UO%uWO~Oh.tO!f.rOz$TX#[$TX%j$TXg$TX~Os$TX{$TX!W$TX![$TX~P$-bO%o.vO%p.vOs$UXz$UX{$UX#[$UX%j$UX!W$UXg$UX![$UX~O!h.xO~Oz.|O#[/OO%j.yOs&|X{&|X!W&|Xg&|X~Oa/RO~P$)zOh.tOs&}Xz&}X{&}X#[&}X%j&}X!W&}Xg&}X![&}X~Os/VO{$jO~Oo0cOv0qOz$ly!W$ly~P'vOo0cOv0qO{*gO!W&X!R~P'vOz/ZO!W&X!R~Og&RXs&RX!T&RX!U&RX!W&RX![&RXz&RX~P!/jOs-sO!T%dO!U%cOg&Qa!W&Qa![&Qaz&Qa~O{(kO![/^O~O!f.rOh$[as$[az$[a{$[a#[$[a%j$[a!W$[ag$[a![$[a~O!h/eO~O%o.vO%p.vOs$Uaz$Ua{$Ua#[$Ua%j$Ua!W$Uag$Ua![$Ua~O%j.yOs$Yaz$Ya{$Ya#[$Ya!W$Yag$Ya![$Ya~Os&|a{&|a!W&|ag&|a~P$)nOz/jOs&|a{&|a!W&|ag&|a~O!W/mO~Og/mO~O{/oO~O![/pO~Oo0cOv0qO{*gO!W&X!Z~P'vO{/sO~O%z/tO~P$-bOz/uO#[/OO%j.yOg'PX~Oz/uOg'PX~Og/wO~O!h/xO~O#[/OOs%Saz%Sa{%Sa%j%Sa!W%Sag%Sa![%Sa~O#[/OO%j.yOs%Waz%Wa{%Wa!W%Wag%Wa~Os&|i{&|i!W&|ig&|i~P$)nOz/zO#[/OO%j.yO!['Oa~Og'Pa~P$)nOz0SOg'Pa~Oa0UO!['Oi~P$)zOz0WO!['Oi~Oz0WO#[/OO%j.yO!['Oi~O#[/OO%j.yOg$biz$bi~O%z0ZO~P$-bO#[/OO%j.yOg%Vaz%Va~Og'Pi~P$)nO{0^O~Oa0UO!['Oq~P$)zOz0`O!['Oq~O#[/OO%j.yOz%Ui![%Ui~Oa0UO~P$)zOa0UO!['Oy~P$)zO#[/OO%j.yOg$ciz$ci~O#[/OO%j.yOz%Uq![%Uq~Oz+aO#g%ha%[%ha%_%ha%z%ha~P%SOV&OOo0cOv0qO~P'vOn0hO~Oo0hO~P'vO{0iO~Ot0jO~P!/jO&]&Z&j&h&i&g&f&d&e&c&b&`&a&_&^&[%u~",
  goto: "!=j'QPPPPPP'RP'Z*s+[+t,_,y-fP.SP'Z.r.r'ZPPP'Z2[PPPPPP2[5PPP5PP7b7k=sPP=v>h>kPP'Z'ZPP>zPP'Z'ZPP'Z'Z'Z'Z'Z?O?w'ZP?zP@QDXGuGyPG|HWH['ZPPPH_Hk'RP'R'RP'RP'RP'RP'RP'R'R'RP'RPP'RPP'RP'RPHqH}IVPI^IdPI^PI^I^PPPI^PKrPK{LVL]KrPI^LfPI^PLmLsPLwM]MzNeLwLwNkNxLwLwLwLw! ^! d! g! l! o! y!!P!!]!!o!!u!#P!#V!#s!#y!$P!$Z!$a!$g!$y!%T!%Z!%a!%k!%q!%w!%}!&T!&Z!&e!&k!&u!&{!'U!'[!'k!'s!'}!(UPPPPPPPPPPP!([!(_!(e!(n!(x!)TPPPPPPPPPPPP!-u!/Z!3^!6oPP!6w!7W!7a!8Y!8P!8c!8i!8l!8o!8r!8z!9jPPPPPPPPPPPPPPPPP!9m!9q!9wP!:]!:a!:m!:v!;S!;j!;m!;p!;v!;|!<S!<VP!<_!<h!=d!=g]eOn#g$j)t,P'}`OTYZ[adnoprtxy}!P!Q!R!U!X!c!d!e!f!g!h!i!k!o!p!q!s!t!z#O#S#T#[#d#g#x#y#{#}$Q$e$g$h$j$q$}%S%Z%^%`%c%g%l%n%w%|&O&Z&_&h&j&k&u&x&|'P'W'Z'l'm'p'r's'w'|(O(S(W(](^(d(g(p(r(z(})^)e)g)k)l)p)t)z*O*Y*d*g*h*k*q*r*t*v*y*z*}+Q+U+V+Y+a+c+d+k+x+y,P,X,Y,],g,h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0l0n0r{!cQ#c#p$R$d$p%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g}!dQ#c#p$R$d$p$u%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g!P!eQ#c#p$R$d$p$u$v%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g!R!fQ#c#p$R$d$p$u$v$w%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g!T!gQ#c#p$R$d$p$u$v$w$x%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g!V!hQ#c#p$R$d$p$u$v$w$x$y%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g!Z!hQ!n#c#p$R$d$p$u$v$w$x$y$z%e%j%p%q&`'O'g(q(|)j*o*x+w,v0g'}TOTYZ[adnoprtxy}!P!Q!R!U!X!c!d!e!f!g!h!i!k!o!p!q!s!t!z#O#S#T#[#d#g#x#y#{#}$Q$e$g$h$j$q$}%S%Z%^%`%c%g%l%n%w%|&O&Z&_&h&j&k&u&x&|'P'W'Z'l'm'p'r's'w'|(O(S(W(](^(d(g(p(r(z(})^)e)g)k)l)p)t)z*O*Y*d*g*h*k*q*r*t*v*y*z*}+Q+U+V+Y+a+c+d+k+x+y,P,X,Y,],g,h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0l0n0r&eVOYZ[dnprxy}!P!Q!U!i!k!o!p!q!s!t#[#d#g#y#{#}$Q$h$j$}%S%Z%^%`%g%l%n%w%|&Z&_&j&k&u&x'P'W'Z'l'm'p'r's'w(O(W(^(d(g(p(r(z)^)e)g)p)t)z*O*Y*d*g*h*k*q*r*t*v*y*z*}+U+V+Y+a+d+k,P,X,Y,],g,h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0n0r%oXOYZ[dnrxy}!P!Q!U!i!k#[#d#g#y#{#}$Q$h$j$}%S%^%`%g%l%n%w%|&Z&_&j&k&u&x'P'W'Z'l'm'p'r's'w(O(W(^(d(g(p(r(z)^)e)g)p)t)z*O*Y*d*g*h*k*q*t*v*y*z*}+U+V+Y+a+d+k,P,X,Y,],g,h,i,k,l,o,s,u,w,y,z-O-d-f-m-p.f.g/V/Z0i0j0kQ#vqQ/[.kR0o0q't`OTYZ[adnoprtxy}!P!Q!R!U!X!c!d!e!f!g!h!k!o!p!q!s!t!z#O#S#T#[#d#g#x#y#{#}$Q$e$g$h$j$q$}%S%Z%^%`%c%g%l%n%w%|&O&Z&_&h&j&k&u&x&|'P'W'Z'l'p'r's'w'|(O(S(W(](^(d(g(p(r(z(})^)e)g)k)l)p)t)z*O*Y*g*h*k*q*r*t*v*y*z*}+Q+U+V+Y+a+c+d+k+x+y,P,X,Y,],h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0l0n0rh#jhz{$W$Z&l&q)S)X+f+g-RW#rq&].k0qQ$]|Q$a!OQ$n!VQ$o!WW$|!i'm*d,gS&[#s#tQ'S$iQ(s&UQ)U&nU)Y&s)Z+jW)a&w+m-T-{Q*Q']W*R'_,`-h.TQ+l)`S,_*S*TQ-Q+eQ-_,TQ-c,WQ.R-al.W-l.^._.a.z.|/R/j/o/t/y0U0Z0^Q/S.`Q/a.tQ/l/OU0P/u0S0[X0V/z0W0_0`R&Z#r!_!wYZ!P!Q!k%S%`%g'p'r's(O(W)g*g*h*k*q*t*v,h,i,k,l,o-m-p.f.g/ZR%^!vQ!{YQ%x#[Q&d#}Q&g$QR,{+YT.j-s/s!Y!jQ!n#c#p$R$d$p$u$v$w$x$y$z%e%j%p%q&`'O'g(q(|)j*o*x+w,v0gQ&X#kQ'c$oR*^'dR'l$|Q%V!mR/_.r'|_OTYZ[adnoprtxy}!P!Q!R!U!X!c!d!e!f!g!h!i!k!o!p!q!s!t!z#O#S#T#[#d#g#x#y#{#}$Q$e$g$h$j$q$}%S%Z%^%`%c%g%l%n%w%|&O&Z&_&h&j&k&u&x&|'P'W'Z'l'm'p'r's'w'|(O(S(W(](^(d(g(p(r(z(})^)e)g)k)l)p)t)z*O*Y*d*g*h*k*q*r*t*v*y*z*}+Q+U+V+Y+a+c+d+k+x+y,P,X,Y,],g,h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0l0n0rS#a_#b!P.[-l.^._.`.a.t.z.|/R/j/o/t/u/y/z0S0U0W0Z0[0^0_0`'|_OTYZ[adnoprtxy}!P!Q!R!U!X!c!d!e!f!g!h!i!k!o!p!q!s!t!z#O#S#T#[#d#g#x#y#{#}$Q$e$g$h$j$q$}%S%Z%^%`%c%g%l%n%w%|&O&Z&_&h&j&k&u&x&|'P'W'Z'l'm'p'r's'w'|(O(S(W(](^(d(g(p(r(z(})^)e)g)k)l)p)t)z*O*Y*d*g*h*k*q*r*t*v*y*z*}+Q+U+V+Y+a+c+d+k+x+y,P,X,Y,],g,h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0l0n0rT#a_#bT#^^#_R(o%xa(l%x(n(o+`,{-y-z.oT+[(k+]R-z,{Q$PsQ+l)aQ,^*RR-e,_X#}s$O$P&fQ&y$aQ'a$nQ'd$oR)s'SQ)b&wV-S+m-T-{ZgOn$j)t,PXkOn)t,PQ$k!TQ&z$bQ&{$cQ'^$mQ'b$oQ)q'RQ)x'WQ){'XQ)|'YQ*Z'`S*]'c'dQ+s)gQ+u)hQ+v)iQ+z)oS+|)r*[Q,Q)vQ,R)wS,S)y)zQ,d*^Q-V+rQ-W+tQ-Y+{S-Z+},OQ-`,UQ-b,VQ-|-XQ.O-[Q.P-^Q.Q-_Q.p-}Q.q.RQ/W.dR/r/XWkOn)t,PR#mjQ'`$nS)r'S'aR,O)sQ,]*RR-f,^Q*['`Q+})rR-[,OZiOjn)t,PQ'f$pR*`'gT-j,e-ku.c-l.^._.a.t.z.|/R/j/o/t/u/y0S0U0Z0[0^t.c-l.^._.a.t.z.|/R/j/o/t/u/y0S0U0Z0[0^Q/S.`X0V/z0W0_0`!P.Z-l.^._.`.a.t.z.|/R/j/o/t/u/y/z0S0U0W0Z0[0^0_0`Q.w.YR/f.xg.z.].{/b/i/n/|0O0Q0]0a0bu.b-l.^._.a.t.z.|/R/j/o/t/u/y0S0U0Z0[0^X.u.W.b/a0PR/c.tV0R/u0S0[R/X.dQnOS#on,PR,P)tQ&^#uR(x&^S%m#R#wS(_%m(bT(b%p&`Q%a!yQ%h!}W(P%a%h(U(YQ(U%eR(Y%jQ&i$RR)O&iQ(e%qQ*{(`T+R(e*{Q'n%OR*e'nS'q%R%SY*i'q*j,m-q.hU*j'r's'tU,m*k*l*mS-q,n,oR.h-rQ#Y]R%t#YQ#_^R%y#_Q(h%vS+W(h+XR+X(iQ+](kR,|+]Q#b_R%{#bQ#ebQ%}#cW&Q#e%}({+bQ({&cR+b0gQ$OsS&e$O&fR&f$PQ&v$_R)_&vQ&V#jR(t&VQ&m$VS)T&m+hR+h)UQ$Z{R&p$ZQ&t$]R)[&tQ+n)bR-U+nQ#hfR&S#hQ)f&zR+q)fQ&}$dS)m&})nR)n'OQ'V$kR)u'VQ'[$lS*P'[,ZR,Z*QQ,a*VR-i,aWjOn)t,PR#ljQ-k,eR.U-kd.{.]/b/i/n/|0O0Q0]0a0bR/h.{U.s.W/a0PR/`.sQ/{/nS0X/{0YR0Y/|S/v/b/cR0T/vQ.}.]R/k.}R!ZPXmOn)t,PWlOn)t,PR'T$jYfOn$j)t,PR&R#g[sOn#g$j)t,PR&d#}&dQOYZ[dnprxy}!P!Q!U!i!k!o!p!q!s!t#[#d#g#y#{#}$Q$h$j$}%S%Z%^%`%g%l%n%w%|&Z&_&j&k&u&x'P'W'Z'l'm'p'r's'w(O(W(^(d(g(p(r(z)^)e)g)p)t)z*O*Y*d*g*h*k*q*r*t*v*y*z*}+U+V+Y+a+d+k,P,X,Y,],g,h,i,k,l,o,q,s,u,w,y,z-O-d-f-m-p-s.f.g/V/Z/s0c0d0e0f0h0i0j0k0n0rQ!nTQ#caQ#poU$Rt%c(SS$d!R$gQ$p!XQ$u!cQ$v!dQ$w!eQ$x!fQ$y!gQ$z!hQ%e!zQ%j#OQ%p#SQ%q#TQ&`#xQ'O$eQ'g$qQ(q&OU(|&h(}+cW)j&|)l+x+yQ*o'|Q*x(]Q+w)kQ,v+QR0g0lQ!yYQ!}ZQ$b!PQ$c!QQ%R!kQ't%S^'{%`%g(O(W*q*t*v^*f'p*h,k,l-p.g/ZQ*l'rQ*m'sQ+t)gQ,j*gQ,n*kQ-n,hQ-o,iQ-r,oQ.e-mR/Y.f[bOn#g$j)t,P!^!vYZ!P!Q!k%S%`%g'p'r's(O(W)g*g*h*k*q*t*v,h,i,k,l,o-m-p.f.g/ZQ#R[Q#fdS#wrxQ$UyW$_}$Q'P)pS$l!U$hW${!i'm*d,gS%v#[+Y`&P#d%|(p(r(z+a-O0kQ&a#yQ&b#{Q&c#}Q'j$}Q'z%^W([%l(^*y*}Q(`%nQ(i%wQ(v&ZS(y&_0iQ)P&jQ)Q&kU)]&u)^+kQ)d&xQ)y'WY)}'Z*O,X,Y-dQ*b'lS*n'w0jW+P(d*z,s,wW+T(g+V,y,zQ+p)eQ,U)zQ,c*YQ,x+UQ-P+dQ-e,]Q-v,uQ.S-fR/q/VhUOn#d#g$j%|&_'w(p(r)t,P%U!uYZ[drxy}!P!Q!U!i!k#[#y#{#}$Q$h$}%S%^%`%g%l%n%w&Z&j&k&u&x'P'W'Z'l'm'p'r's(O(W(^(d(g(z)^)e)g)p)z*O*Y*d*g*h*k*q*t*v*y*z*}+U+V+Y+a+d+k,X,Y,],g,h,i,k,l,o,s,u,w,y,z-O-d-f-m-p.f.g/V/Z0i0j0kQ#qpW%W!o!s0d0nQ%X!pQ%Y!qQ%[!tQ%f0cS'v%Z0hQ'x0eQ'y0fQ,p*rQ-u,qS.i-s/sR0p0rU#uq.k0qR(w&][cOn#g$j)t,PZ!xY#[#}$Q+YQ#W[Q#zrR$TxQ%b!yQ%i!}Q%o#RQ'j${Q(V%eQ(Z%jQ(c%pQ(f%qQ*|(`Q,f*bQ-t,pQ.m-uR/].lQ$StQ(R%cR*s(SQ.l-sR/}/sR#QZR#V[R%Q!iQ%O!iV*c'm*d,g!Z!lQ!n#c#p$R$d$p$u$v$w$x$y$z%e%j%p%q&`'O'g(q(|)j*o*x+w,v0gR%T!kT#]^#_Q%x#[R,{+YQ(m%xS+_(n(oQ,}+`Q-x,{S.n-y-zR/^.oT+Z(k+]Q$`}Q&g$QQ)o'PR+{)pQ$XzQ)W&qR+i)XQ$XzQ&o$WQ)W&qR+i)XQ#khW$Vz$W&q)XQ$[{Q&r$ZZ)R&l)S+f+g-RR$^|R)c&wXlOn)t,PQ$f!RR'Q$gQ$m!UR'R$hR*X'_Q*V'_V-g,`-h.TQ.d-lQ/P.^R/Q._U.]-l.^._Q/U.aQ/b.tQ/g.zU/i.|/j/yQ/n/RQ/|/oQ0O/tU0Q/u0S0[Q0]0UQ0a0ZR0b0^R/T.`R/d.t",
  nodeNames: "\u26A0 print Escape { Comment Script AssignStatement * BinaryExpression BitOp BitOp BitOp BitOp ArithOp ArithOp @ ArithOp ** UnaryExpression ArithOp BitOp AwaitExpression await ) ( ParenthesizedExpression BinaryExpression or and CompareOp in not is UnaryExpression ConditionalExpression if else LambdaExpression lambda ParamList VariableName AssignOp , : NamedExpression AssignOp YieldExpression yield from TupleExpression ComprehensionExpression async for LambdaExpression ] [ ArrayExpression ArrayComprehensionExpression } { DictionaryExpression DictionaryComprehensionExpression SetExpression SetComprehensionExpression CallExpression ArgList AssignOp MemberExpression . PropertyName Number String FormatString FormatReplacement FormatSelfDoc FormatConversion FormatSpec FormatReplacement FormatSelfDoc ContinuedString Ellipsis None Boolean TypeDef AssignOp UpdateStatement UpdateOp ExpressionStatement DeleteStatement del PassStatement pass BreakStatement break ContinueStatement continue ReturnStatement return YieldStatement PrintStatement RaiseStatement raise ImportStatement import as ScopeStatement global nonlocal AssertStatement assert TypeDefinition type TypeParamList TypeParam StatementGroup ; IfStatement Body elif WhileStatement while ForStatement TryStatement try except finally WithStatement with FunctionDefinition def ParamList AssignOp TypeDef ClassDefinition class DecoratedStatement Decorator At MatchStatement match MatchBody MatchClause case CapturePattern LiteralPattern ArithOp ArithOp AsPattern OrPattern LogicOp AttributePattern SequencePattern MappingPattern StarPattern ClassPattern PatternArgList KeywordPattern KeywordPattern Guard",
  maxTerm: 277,
  context: trackIndent,
  nodeProps: [
    ["isolate", -5, 4, 71, 72, 73, 77, ""],
    ["group", -15, 6, 85, 87, 88, 90, 92, 94, 96, 98, 99, 100, 102, 105, 108, 110, "Statement Statement", -22, 8, 18, 21, 25, 40, 49, 50, 56, 57, 60, 61, 62, 63, 64, 67, 70, 71, 72, 79, 80, 81, 82, "Expression", -10, 114, 116, 119, 121, 122, 126, 128, 133, 135, 138, "Statement", -9, 143, 144, 147, 148, 150, 151, 152, 153, 154, "Pattern"],
    ["openedBy", 23, "(", 54, "[", 58, "{"],
    ["closedBy", 24, ")", 55, "]", 59, "}"]
  ],
  propSources: [pythonHighlighting],
  skippedNodes: [0, 4],
  repeatNodeCount: 34,
  tokenData: "!2|~R!`OX%TXY%oY[%T[]%o]p%Tpq%oqr'ars)Yst*xtu%Tuv,dvw-hwx.Uxy/tyz0[z{0r{|2S|}2p}!O3W!O!P4_!P!Q:Z!Q!R;k!R![>_![!]Do!]!^Es!^!_FZ!_!`Gk!`!aHX!a!b%T!b!cIf!c!dJU!d!eK^!e!hJU!h!i!#f!i!tJU!t!u!,|!u!wJU!w!x!.t!x!}JU!}#O!0S#O#P&o#P#Q!0j#Q#R!1Q#R#SJU#S#T%T#T#UJU#U#VK^#V#YJU#Y#Z!#f#Z#fJU#f#g!,|#g#iJU#i#j!.t#j#oJU#o#p!1n#p#q!1s#q#r!2a#r#s!2f#s$g%T$g;'SJU;'S;=`KW<%lOJU`%YT&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%T`%lP;=`<%l%To%v]&n`%c_OX%TXY%oY[%T[]%o]p%Tpq%oq#O%T#O#P&o#P#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%To&tX&n`OY%TYZ%oZ]%T]^%o^#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tc'f[&n`O!_%T!_!`([!`#T%T#T#U(r#U#f%T#f#g(r#g#h(r#h#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tc(cTmR&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tc(yT!mR&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk)aV&n`&[ZOr%Trs)vs#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk){V&n`Or%Trs*bs#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk*iT&n`&^ZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%To+PZS_&n`OY*xYZ%TZ]*x]^%T^#o*x#o#p+r#p#q*x#q#r+r#r;'S*x;'S;=`,^<%lO*x_+wTS_OY+rZ]+r^;'S+r;'S;=`,W<%lO+r_,ZP;=`<%l+ro,aP;=`<%l*xj,kV%rQ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tj-XT!xY&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tj-oV%lQ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk.]V&n`&ZZOw%Twx.rx#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk.wV&n`Ow%Twx/^x#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk/eT&n`&]ZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk/{ThZ&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tc0cTgR&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk0yXVZ&n`Oz%Tz{1f{!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk1mVaR&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk2ZV%oZ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tc2wTzR&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%To3_W%pZ&n`O!_%T!_!`-Q!`!a3w!a#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Td4OT&{S&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk4fX!fQ&n`O!O%T!O!P5R!P!Q%T!Q![6T![#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk5WV&n`O!O%T!O!P5m!P#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk5tT!rZ&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti6[a!hX&n`O!Q%T!Q![6T![!g%T!g!h7a!h!l%T!l!m9s!m#R%T#R#S6T#S#X%T#X#Y7a#Y#^%T#^#_9s#_#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti7fZ&n`O{%T{|8X|}%T}!O8X!O!Q%T!Q![8s![#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti8^V&n`O!Q%T!Q![8s![#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti8z]!hX&n`O!Q%T!Q![8s![!l%T!l!m9s!m#R%T#R#S8s#S#^%T#^#_9s#_#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti9zT!hX&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk:bX%qR&n`O!P%T!P!Q:}!Q!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tj;UV%sQ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti;ro!hX&n`O!O%T!O!P=s!P!Q%T!Q![>_![!d%T!d!e?q!e!g%T!g!h7a!h!l%T!l!m9s!m!q%T!q!rA]!r!z%T!z!{Bq!{#R%T#R#S>_#S#U%T#U#V?q#V#X%T#X#Y7a#Y#^%T#^#_9s#_#c%T#c#dA]#d#l%T#l#mBq#m#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti=xV&n`O!Q%T!Q![6T![#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti>fc!hX&n`O!O%T!O!P=s!P!Q%T!Q![>_![!g%T!g!h7a!h!l%T!l!m9s!m#R%T#R#S>_#S#X%T#X#Y7a#Y#^%T#^#_9s#_#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti?vY&n`O!Q%T!Q!R@f!R!S@f!S#R%T#R#S@f#S#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Ti@mY!hX&n`O!Q%T!Q!R@f!R!S@f!S#R%T#R#S@f#S#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TiAbX&n`O!Q%T!Q!YA}!Y#R%T#R#SA}#S#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TiBUX!hX&n`O!Q%T!Q!YA}!Y#R%T#R#SA}#S#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TiBv]&n`O!Q%T!Q![Co![!c%T!c!iCo!i#R%T#R#SCo#S#T%T#T#ZCo#Z#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TiCv]!hX&n`O!Q%T!Q![Co![!c%T!c!iCo!i#R%T#R#SCo#S#T%T#T#ZCo#Z#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%ToDvV{_&n`O!_%T!_!`E]!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TcEdT%{R&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TkEzT#gZ&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TkFbXmR&n`O!^%T!^!_F}!_!`([!`!a([!a#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TjGUV%mQ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TkGrV%zZ&n`O!_%T!_!`([!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TkH`WmR&n`O!_%T!_!`([!`!aHx!a#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TjIPV%nQ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TkIoV_Q#}P&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%ToJ_]&n`&YS%uZO!Q%T!Q![JU![!c%T!c!}JU!}#R%T#R#SJU#S#T%T#T#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUoKZP;=`<%lJUoKge&n`&YS%uZOr%Trs)Ysw%Twx.Ux!Q%T!Q![JU![!c%T!c!tJU!t!uLx!u!}JU!}#R%T#R#SJU#S#T%T#T#fJU#f#gLx#g#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUoMRa&n`&YS%uZOr%TrsNWsw%Twx! vx!Q%T!Q![JU![!c%T!c!}JU!}#R%T#R#SJU#S#T%T#T#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUkN_V&n`&`ZOr%TrsNts#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%TkNyV&n`Or%Trs! `s#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk! gT&n`&bZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk! }V&n`&_ZOw%Twx!!dx#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!!iV&n`Ow%Twx!#Ox#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!#VT&n`&aZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%To!#oe&n`&YS%uZOr%Trs!%Qsw%Twx!&px!Q%T!Q![JU![!c%T!c!tJU!t!u!(`!u!}JU!}#R%T#R#SJU#S#T%T#T#fJU#f#g!(`#g#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUk!%XV&n`&dZOr%Trs!%ns#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!%sV&n`Or%Trs!&Ys#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!&aT&n`&fZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!&wV&n`&cZOw%Twx!'^x#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!'cV&n`Ow%Twx!'xx#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!(PT&n`&eZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%To!(ia&n`&YS%uZOr%Trs!)nsw%Twx!+^x!Q%T!Q![JU![!c%T!c!}JU!}#R%T#R#SJU#S#T%T#T#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUk!)uV&n`&hZOr%Trs!*[s#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!*aV&n`Or%Trs!*vs#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!*}T&n`&jZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!+eV&n`&gZOw%Twx!+zx#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!,PV&n`Ow%Twx!,fx#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tk!,mT&n`&iZO#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%To!-Vi&n`&YS%uZOr%TrsNWsw%Twx! vx!Q%T!Q![JU![!c%T!c!dJU!d!eLx!e!hJU!h!i!(`!i!}JU!}#R%T#R#SJU#S#T%T#T#UJU#U#VLx#V#YJU#Y#Z!(`#Z#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUo!.}a&n`&YS%uZOr%Trs)Ysw%Twx.Ux!Q%T!Q![JU![!c%T!c!}JU!}#R%T#R#SJU#S#T%T#T#oJU#p#q%T#r$g%T$g;'SJU;'S;=`KW<%lOJUk!0ZT!XZ&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tc!0qT!WR&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%Tj!1XV%kQ&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%T~!1sO!]~k!1zV%jR&n`O!_%T!_!`-Q!`#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%T~!2fO![~i!2mT%tX&n`O#o%T#p#q%T#r;'S%T;'S;=`%i<%lO%T",
  tokenizers: [legacyPrint, indentation, newlines, strings, 0, 1, 2, 3, 4],
  topRules: { "Script": [0, 5] },
  specialized: [{ term: 221, get: (value) => spec_identifier[value] || -1 }],
  tokenPrec: 7668
});

// schema/rules.json
var rules_default = {
  catalog_version: 1,
  rules: [
    {
      id: "torch-load-unsafe",
      title: "torch.load without weights_only=True",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "torch.load unpickles the file. Without a literal weights_only=True the call is only safe on torch >= 2.6 and only while nobody sets TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD; on older torch a crafted checkpoint runs any code on your machine the moment it is loaded.",
      remediation: "Pass weights_only=True explicitly, or store and load weights as safetensors with safetensors.torch.load_file.",
      references: {
        cwe: [
          "CWE-502"
        ],
        cve: [
          "CVE-2025-32434"
        ]
      }
    },
    {
      id: "torch-load-weights-only-false",
      title: "torch.load with weights_only=False",
      layer: "static",
      severity: "critical",
      action: "confirm",
      explanation: "weights_only=False turns off torch's restricted unpickler: the checkpoint may name any Python callable and torch calls it while loading, so a malicious model file takes over the kernel. torch.hub.load_state_dict_from_url defaults to weights_only=False.",
      remediation: "Use weights_only=True and load only tensors and plain containers; if the file really needs custom classes, allow exactly those with torch.serialization.add_safe_globals, or convert the model to safetensors once in a sandbox.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "torch-load-pickle-module",
      title: "torch.load with a custom pickle_module",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "Passing pickle_module makes torch use that module's full unpickler instead of the weights-only one (torch even refuses weights_only=True with it), so the file can run code while it loads.",
      remediation: "Drop pickle_module and pass weights_only=True; load safetensors files with safetensors.torch.load_file.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "torch-force-no-weights-only",
      title: "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD is set",
      layer: "static",
      severity: "critical",
      action: "confirm",
      explanation: "This environment variable makes every torch.load that does not pass weights_only itself unpickle with the full pickle machinery, in this process and in every child process, silently undoing torch's safe default.",
      remediation: "Do not set it. Pass weights_only=False only at the one call that loads a file you trust, after checking its sha256.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "pickle-load",
      title: "pickle load of data that may be untrusted",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "pickle.load, pickle.loads and pickle.Unpickler (also _pickle and cPickle) run whatever the data tells them to: a pickle can call os.system or any other function while it is read.",
      remediation: "Load only pickles you created yourself. For data use JSON, Parquet, numpy .npy without pickles or safetensors; for models use safetensors or the framework's weights-only loader.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "dill-load",
      title: "dill load",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "dill is pickle with more types: dill.load, dill.loads and dill.Unpickler run code embedded in the data, including whole serialised functions.",
      remediation: "Load only files you created yourself; exchange data as JSON, Parquet or safetensors instead.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "cloudpickle-load",
      title: "cloudpickle load",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "cloudpickle.load and cloudpickle.loads are pickle loads; cloudpickle payloads carry whole functions and run code when read.",
      remediation: "Load only payloads produced by your own processes over an authenticated channel; use a data format (JSON, Parquet, safetensors) for anything shared.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "jsonpickle-decode",
      title: "jsonpickle.decode",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "jsonpickle.decode rebuilds arbitrary Python objects described in the JSON, including calls to their reduce functions, so crafted JSON can run code.",
      remediation: "Use json.loads and build your objects explicitly, or a schema library such as pydantic.",
      references: {
        cwe: [
          "CWE-502"
        ],
        cve: [
          "CVE-2020-22083"
        ]
      }
    },
    {
      id: "shelve-open",
      title: "shelve.open",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "A shelf stores its values as pickles: reading a key from a shelf file someone else wrote unpickles it and can run code.",
      remediation: "Open only shelves your own code created; for shared data use sqlite3 with plain values or JSON.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "marshal-load",
      title: "marshal load",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "marshal.load and marshal.loads build code objects and are documented as unsafe for untrusted data: malformed input can crash the interpreter and loaded code objects are a step to running code.",
      remediation: "Do not read marshal data from others; use JSON or another data-only format.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "joblib-load",
      title: "joblib.load",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "joblib.load is pickle underneath (scikit-learn models are usually shared this way): a crafted .joblib or .pkl file runs code when loaded.",
      remediation: "Load only models you trained or whose sha256 you verified; prefer skops.io with trusted types, ONNX or safetensors for shared models.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "numpy-load-allow-pickle",
      title: "numpy.load with allow_pickle enabled",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "With allow_pickle true, numpy.load unpickles object arrays found in .npy/.npz files, so a crafted array file runs code.",
      remediation: "Keep the default allow_pickle=False and store numeric arrays only; save object data as JSON or Parquet.",
      references: {
        cwe: [
          "CWE-502"
        ],
        cve: [
          "CVE-2019-6446"
        ]
      }
    },
    {
      id: "pandas-read-pickle",
      title: "pandas.read_pickle",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "pandas.read_pickle is pickle.load: a crafted file runs code when read. pandas documents it as unsafe for untrusted data.",
      remediation: "Exchange data frames as Parquet (read_parquet), Feather or CSV.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "keras-unsafe-deserialization",
      title: "Keras model loading with safe_mode=False",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "safe_mode=False (or keras.config.enable_unsafe_deserialization()) lets a .keras file deserialise Lambda layers, i.e. arbitrary Python bytecode that runs when the model is loaded or called.",
      remediation: "Keep safe_mode=True (the default) and rebuild Lambda layers as registered custom layers in your own code.",
      references: {
        cwe: [
          "CWE-502",
          "CWE-94"
        ],
        cve: [
          "CVE-2024-3660",
          "CVE-2025-1550"
        ]
      }
    },
    {
      id: "tf-saved-model-load",
      title: "tf.saved_model.load of a model from elsewhere",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "A SavedModel is a TensorFlow program: its graph can read and write files and run any TensorFlow op when it is loaded and called. TensorFlow's security guide says to treat models as code.",
      remediation: "Load SavedModels only from sources you trust and verify their checksum; run untrusted models in a sandbox without credentials or network.",
      references: {
        cwe: [
          "CWE-94"
        ]
      }
    },
    {
      id: "yaml-unsafe-load",
      title: "yaml.load without a safe loader",
      layer: "static",
      severity: "high",
      action: "warn",
      explanation: "yaml.load with the default, full or unsafe loader (and yaml.unsafe_load / full_load) builds Python objects named in the document, which lets a YAML config run code.",
      remediation: "Use yaml.safe_load (or Loader=yaml.SafeLoader).",
      references: {
        cwe: [
          "CWE-502"
        ],
        cve: [
          "CVE-2017-18342",
          "CVE-2020-1747",
          "CVE-2020-14343"
        ]
      }
    },
    {
      id: "torch-hub-load",
      title: "torch.hub.load runs code from a repository",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "torch.hub.load downloads a GitHub repository and executes its hubconf.py in your kernel; whoever controls that repository (or the branch you did not pin) runs code on your machine.",
      remediation: "Pin a reviewed commit ('owner/repo:<sha>'), keep trust_repo at its default, or vendor the model code and load the weights with weights_only=True or safetensors.",
      references: {
        cwe: [
          "CWE-94",
          "CWE-829"
        ]
      }
    },
    {
      id: "hf-trust-remote-code",
      title: "trust_remote_code=True on a Hugging Face loader",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "trust_remote_code=True downloads Python files from the model or dataset repository and imports them into your kernel: the repository's owner runs code on your machine, now and on every future revision.",
      remediation: "Use a model class built into transformers, or review the remote code and pin the reviewed commit with revision='<sha>'.",
      references: {
        cwe: [
          "CWE-94",
          "CWE-829"
        ]
      }
    },
    {
      id: "hf-unpinned-revision",
      title: "Model or dataset download without a pinned revision",
      layer: "static",
      severity: "low",
      action: "warn",
      explanation: "from_pretrained, hf_hub_download, snapshot_download and load_dataset fetch the repository's current main branch: a later push (or a compromised account) changes what you load without any change in your code.",
      remediation: "Pass revision='<commit sha>' of the version you reviewed.",
      references: {
        cwe: [
          "CWE-494",
          "CWE-829"
        ]
      }
    },
    {
      id: "torch-distributed-object",
      title: "torch.distributed *_object collective",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "broadcast_object_list, all_gather_object, gather_object, scatter_object_list, send_object_list and recv_object_list pickle objects between ranks: any peer in the process group can run code in this process.",
      remediation: "Exchange tensors with the tensor collectives (broadcast, all_gather) and use these functions only inside a process group where every rank is trusted.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "model-untrusted-hub",
      title: "Model downloaded from a host that is not a trusted hub",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "The model or checkpoint URL points to a host that is not in your organisation's trusted model hubs (or uses plain http), so nobody vouches for what is loaded.",
      remediation: "Download models from a trusted hub over https, or ask your admin to add the host to trusted_sources.model_hubs.",
      references: {
        cwe: [
          "CWE-494",
          "CWE-829"
        ]
      }
    },
    {
      id: "pip-http-index",
      title: "pip installs over plain http",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "An index, find-links or package URL over plain http can be altered by anyone on the network path, who then chooses the code pip installs and runs.",
      remediation: "Use https URLs of your organisation's trusted package index.",
      references: {
        cwe: [
          "CWE-319",
          "CWE-494"
        ]
      }
    },
    {
      id: "pip-untrusted-index",
      title: "pip uses a package index that is not trusted",
      layer: "static",
      severity: "medium",
      action: "warn",
      explanation: "--index-url, --extra-index-url or --find-links point pip at an index your organisation has not approved; with --extra-index-url pip picks the highest version from any index, the dependency-confusion attack.",
      remediation: "Install from the trusted indexes in your policy (trusted_sources.package_indexes) or ask your admin to add this one.",
      references: {
        cwe: [
          "CWE-829",
          "CWE-427"
        ]
      }
    },
    {
      id: "pip-trusted-host",
      title: "pip --trusted-host disables TLS checks",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "--trusted-host tells pip to accept that host over plain http or with an invalid certificate, so a network attacker can serve any package.",
      remediation: "Remove --trusted-host and fix the certificate instead (pip --cert with your CA bundle).",
      references: {
        cwe: [
          "CWE-295"
        ]
      }
    },
    {
      id: "pip-git-http",
      title: "pip installs from a VCS URL over plain http",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "git+http:// (and hg/svn/bzr over http) fetches source code without transport security; anyone on the path can change the code pip then builds and runs.",
      remediation: "Use git+https:// and pin a commit: pip install 'pkg @ git+https://host/repo@<sha>'.",
      references: {
        cwe: [
          "CWE-319",
          "CWE-494"
        ]
      }
    },
    {
      id: "shell-pipe-to-interpreter",
      title: "Downloaded script piped into a shell or interpreter",
      layer: "static",
      severity: "high",
      action: "confirm",
      explanation: "curl ... | sh (or wget -O- ... | bash, bash <(curl ...)) runs whatever the server sends at that moment, unreviewed, with your rights; a truncated download can even run half a command.",
      remediation: "Download the script to a file, check its checksum or signature, read it, then run it; better, install the tool with your package manager.",
      references: {
        cwe: [
          "CWE-494"
        ]
      }
    },
    {
      id: "pickle-blocked-global",
      title: "Pickle refers to a dangerous global",
      layer: "runtime",
      severity: "critical",
      action: "block",
      explanation: "While unpickling, the data asked Python to import a function that can run commands, execute code or reach the network. That is how malicious model files take over a kernel.",
      remediation: "Do not load this file. Get the model from a trusted source in a safe format (safetensors), or ask your admin to list its sha256 as a trusted artifact if it is known to be good.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "model-file-dangerous-globals",
      title: "Model file would import dangerous globals",
      layer: "runtime",
      severity: "critical",
      action: "block",
      explanation: "Before loading, the kernel guard read the file's pickle opcodes (without running them) and found imports of functions that run commands, execute code or reach the network. Loading it would hand control of the kernel to whoever made the file.",
      remediation: "Do not load this file. Run python -m jupyterlab_warden.scan on it to see every global it names, get the model in safetensors format from a trusted source, or ask your admin to list its sha256 under trusted_artifacts if it is known to be good.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "torch-weights-only-disabled",
      title: "torch.load called with weights_only=False",
      layer: "runtime",
      severity: "high",
      action: "warn",
      explanation: "weights_only=False (or a custom pickle_module) makes torch.load unpickle any object the file asks for. The kernel guard still refuses dangerous globals, but the file is no longer restricted to tensors.",
      remediation: "Call torch.load(path, weights_only=True), allow extra classes with torch.serialization.add_safe_globals([...]), or use safetensors.torch.load_file. If the file is known to be good, ask your admin to trust its sha256.",
      references: {
        cwe: [
          "CWE-502"
        ]
      }
    },
    {
      id: "torch-weights-only-bypassable",
      title: "torch version whose weights_only=True is bypassable",
      layer: "runtime",
      severity: "high",
      action: "warn",
      explanation: "On torch 2.5.1 and older, torch.load(weights_only=True) can still run code from a crafted file (CVE-2025-32434), so weights_only is no protection there. The kernel guard refuses files that are not plainly safe when this rule blocks.",
      remediation: "Upgrade torch to 2.6 or newer (pip install -U torch); until then load only files whose sha256 your admin trusts.",
      references: {
        cwe: [
          "CWE-502"
        ],
        cve: [
          "CVE-2025-32434"
        ]
      }
    },
    {
      id: "kernel-runs-as-root",
      title: "Kernel runs as root",
      layer: "sandbox",
      severity: "high",
      action: "warn",
      explanation: "Code in this kernel, including a payload hidden in a model file, runs with full root rights inside its container or host.",
      remediation: "Run the kernel as an unprivileged user (Dockerfile USER, Kubernetes securityContext.runAsNonRoot: true).",
      references: {
        cwe: [
          "CWE-250"
        ]
      }
    },
    {
      id: "sandbox-no-container",
      title: "Kernel is not isolated in a container",
      layer: "sandbox",
      severity: "low",
      action: "warn",
      explanation: "No container runtime was detected around this kernel. Code it runs (including a payload hidden in a model file) reaches everything your user account reaches on this machine: your home directory, SSH keys, cloud credentials and other running programs.",
      remediation: "Run kernels in a container or a sandboxed kernel provisioner (e.g. JupyterHub with DockerSpawner or KubeSpawner, or Enterprise Gateway with container kernels) so that a compromised kernel only reaches its own workspace.",
      references: {
        cwe: [
          "CWE-653"
        ]
      }
    },
    {
      id: "sandbox-dangerous-capabilities",
      title: "Kernel holds Linux capabilities beyond a container default",
      layer: "sandbox",
      severity: "high",
      action: "warn",
      explanation: "The kernel process holds Linux capabilities that Docker does not grant by default (for example SYS_ADMIN, SYS_PTRACE, SYS_MODULE, DAC_READ_SEARCH, NET_ADMIN). Several of them are enough on their own to escape a container or read other processes' memory.",
      remediation: 'Drop the extra capabilities: docker run --cap-drop=ALL (add back only what is needed) instead of --cap-add; in Kubernetes set securityContext.capabilities.drop: ["ALL"] and never add SYS_ADMIN, SYS_PTRACE, SYS_MODULE or DAC_READ_SEARCH; run the kernel as a non-root user so it has no effective capabilities.',
      references: {
        cwe: [
          "CWE-250",
          "CWE-269"
        ]
      }
    },
    {
      id: "sandbox-privileged-container",
      title: "Kernel runs in a privileged container",
      layer: "sandbox",
      severity: "critical",
      action: "warn",
      explanation: "The capability bounding set is complete, which is what docker run --privileged (or Kubernetes privileged: true) gives. A privileged container can mount the host's disks, load kernel modules and take over the host.",
      remediation: "Remove --privileged from docker run / the compose file, or set securityContext.privileged: false and allowPrivilegeEscalation: false in the Kubernetes pod spec; grant single devices or capabilities explicitly if something really needs them.",
      references: {
        cwe: [
          "CWE-250"
        ]
      }
    },
    {
      id: "sandbox-seccomp-disabled",
      title: "No seccomp filter on the kernel process",
      layer: "sandbox",
      severity: "medium",
      action: "warn",
      explanation: "Seccomp is off, so every system call is reachable, including the ones (keyctl, unshare, mount, bpf, userfaultfd) that most container-escape and kernel exploits rely on.",
      remediation: "Remove --security-opt seccomp=unconfined so Docker's default profile applies; in Kubernetes set securityContext.seccompProfile.type: RuntimeDefault (or a Localhost profile).",
      references: {
        cwe: [
          "CWE-693"
        ]
      }
    },
    {
      id: "sandbox-no-new-privs-unset",
      title: "no_new_privs is not set",
      layer: "sandbox",
      severity: "low",
      action: "warn",
      explanation: "Without no_new_privs, a program the kernel starts can gain privileges through setuid binaries or file capabilities (sudo, su, ping), turning a non-root payload into a root one.",
      remediation: "docker run --security-opt no-new-privileges:true; in Kubernetes set securityContext.allowPrivilegeEscalation: false.",
      references: {
        cwe: [
          "CWE-269"
        ]
      }
    },
    {
      id: "sandbox-no-lsm-profile",
      title: "No AppArmor or SELinux confinement",
      layer: "sandbox",
      severity: "medium",
      action: "warn",
      explanation: "The kernel process is not confined by an enforcing AppArmor profile or SELinux domain, so nothing beyond file permissions stops it from writing to /proc and /sys knobs or mounting filesystems when it has the capability.",
      remediation: "Run on a host with AppArmor or SELinux enabled and keep the runtime default profile (do not pass --security-opt apparmor=unconfined or label=disable); in Kubernetes set securityContext.appArmorProfile.type: RuntimeDefault or seLinuxOptions with a container_t type.",
      references: {
        cwe: [
          "CWE-693"
        ]
      }
    },
    {
      id: "sandbox-no-user-namespace",
      title: "Root in the kernel is root on the host",
      layer: "sandbox",
      severity: "medium",
      action: "warn",
      explanation: "The kernel runs as uid 0 without a user namespace: its uid 0 is the host's uid 0. Any escape from the container, or any host file it can see, is handled with full root rights.",
      remediation: "Enable user-namespace remapping (dockerd --userns-remap=default, rootless Docker or Podman) or set hostUsers: false in the Kubernetes pod spec; better, run the kernel as a non-root user.",
      references: {
        cwe: [
          "CWE-250"
        ]
      }
    },
    {
      id: "sandbox-host-pid-namespace",
      title: "Kernel shares the host's PID namespace",
      layer: "sandbox",
      severity: "high",
      action: "warn",
      explanation: "The kernel can see the host's processes (kthreadd is visible as PID 2). With enough rights it can signal or ptrace them and read their environment, which often holds credentials.",
      remediation: "Remove --pid=host from docker run; in Kubernetes remove hostPID: true from the pod spec.",
      references: {
        cwe: [
          "CWE-668"
        ]
      }
    },
    {
      id: "sandbox-host-network-namespace",
      title: "Kernel shares the host's network namespace",
      layer: "sandbox",
      severity: "medium",
      action: "warn",
      explanation: "Host network interfaces (container bridges, veth pairs or physical NICs) are visible, so the kernel shares the host's network: it can reach services bound to the host's localhost, including other Jupyter servers and cloud metadata proxies.",
      remediation: "Remove --network=host from docker run; in Kubernetes remove hostNetwork: true from the pod spec, and use a NetworkPolicy to limit egress.",
      references: {
        cwe: [
          "CWE-668"
        ]
      }
    },
    {
      id: "sandbox-runtime-socket",
      title: "Container runtime socket writable from the kernel",
      layer: "sandbox",
      severity: "critical",
      action: "warn",
      explanation: "A Docker, containerd, CRI-O or Podman API socket is present and writable. Whoever can write to it can start a privileged container that mounts the host's root filesystem: this is full control of the host.",
      remediation: "Do not mount /var/run/docker.sock (or containerd.sock, crio.sock, podman.sock) into notebook containers; remove the -v /var/run/docker.sock:... bind or the hostPath volume. If builds are needed, use a rootless builder (BuildKit rootless, kaniko) instead.",
      references: {
        cwe: [
          "CWE-250",
          "CWE-668"
        ]
      }
    },
    {
      id: "sandbox-sensitive-host-mount",
      title: "Sensitive host path mounted into the kernel's container",
      layer: "sandbox",
      severity: "high",
      action: "warn",
      explanation: "A host directory such as /, /etc, /root, /var/lib/docker, /var/lib/kubelet or /proc is bind-mounted into the container. Reading or writing it can expose host credentials or change the host.",
      remediation: "Remove the bind mount (docker run -v /host/path:..., Kubernetes hostPath volume); mount only the project's data directory, read-only where possible (:ro, readOnly: true).",
      references: {
        cwe: [
          "CWE-668",
          "CWE-552"
        ]
      }
    },
    {
      id: "sandbox-cgroup-release-agent",
      title: "Writable cgroup v1 release_agent",
      layer: "sandbox",
      severity: "critical",
      action: "warn",
      explanation: "A cgroup v1 hierarchy with a writable release_agent is mounted. Writing a command path there makes the host kernel run that command as root on the host when the cgroup empties (the classic container escape, CVE-2022-0492).",
      remediation: "Do not run privileged containers and keep /sys/fs/cgroup mounted read-only (Docker's default); prefer hosts with cgroup v2 (systemd.unified_cgroup_hierarchy=1), which has no release_agent, and a kernel with the CVE-2022-0492 fix.",
      references: {
        cwe: [
          "CWE-269"
        ],
        cve: [
          "CVE-2022-0492"
        ]
      }
    },
    {
      id: "sandbox-writable-rootfs",
      title: "System files of the kernel's root filesystem are writable",
      layer: "sandbox",
      severity: "low",
      action: "warn",
      explanation: "The root filesystem is mounted read-write and the kernel can write to system locations (/, /usr or /etc). A payload can replace libraries or tools that later run with other users' rights, and survive restarts of the kernel.",
      remediation: "docker run --read-only with a tmpfs for /tmp and a volume for the work directory; in Kubernetes set securityContext.readOnlyRootFilesystem: true; run the kernel as a non-root user.",
      references: {
        cwe: [
          "CWE-732"
        ]
      }
    },
    {
      id: "sandbox-no-memory-limit",
      title: "No memory limit on the kernel",
      layer: "sandbox",
      severity: "medium",
      action: "warn",
      explanation: "No cgroup memory limit below the machine's memory applies to this kernel, so one notebook (or a decompression bomb in a model file) can exhaust the memory of every user on the host.",
      remediation: "docker run --memory=<size>; in Kubernetes set resources.limits.memory; in JupyterHub set c.Spawner.mem_limit.",
      references: {
        cwe: [
          "CWE-770"
        ]
      }
    },
    {
      id: "sandbox-no-pids-limit",
      title: "No process-count limit on the kernel",
      layer: "sandbox",
      severity: "low",
      action: "warn",
      explanation: "No cgroup pids limit applies, so a fork bomb started from a notebook can exhaust the host's process table and take down other users' work.",
      remediation: "docker run --pids-limit=<n>; in Kubernetes set the kubelet's podPidsLimit (--pod-max-pids); with systemd set TasksMax= on the unit that runs the server.",
      references: {
        cwe: [
          "CWE-770"
        ]
      }
    },
    {
      id: "sandbox-k8s-service-account-token",
      title: "Kubernetes service-account token readable",
      layer: "sandbox",
      severity: "high",
      action: "warn",
      explanation: "The pod's Kubernetes service-account token is mounted and readable by the kernel. Code in the kernel can call the Kubernetes API with the pod's rights, which are often broader than expected.",
      remediation: "Set automountServiceAccountToken: false on the pod spec or its service account (Zero to JupyterHub: singleuser.serviceAccountName with no token automount), or bind the service account to a role with no permissions.",
      references: {
        cwe: [
          "CWE-522"
        ]
      }
    },
    {
      id: "sandbox-secrets-in-environment",
      title: "Credentials visible in the kernel's environment",
      layer: "sandbox",
      severity: "medium",
      action: "warn",
      explanation: "Environment variables whose names mark them as credentials (cloud keys, API tokens, passwords) are set in the kernel. Any code running there, including a malicious model file, can read and send them. Only the names are reported, never the values.",
      remediation: "Do not pass long-lived credentials through the server's environment (jupyter_server hands its whole environment to kernels); use short-lived, narrowly scoped credentials from a secret manager or workload identity (IRSA, GKE Workload Identity), and unset them in c.KernelManager / kernel.json env where not needed.",
      references: {
        cwe: [
          "CWE-522",
          "CWE-526"
        ]
      }
    },
    {
      id: "sandbox-jupyter-token-readable",
      title: "Jupyter server or kernel credentials readable from the kernel",
      layer: "sandbox",
      severity: "high",
      action: "warn",
      explanation: "The kernel can read a Jupyter authentication token: JUPYTER_TOKEN or a JupyterHub API token in its environment, a server's runtime file (jpserver-*.json) or another kernel's connection file (kernel-*.json with its signing key). With it, code can drive the Jupyter REST API or other kernels as you, outside of any notebook. Only names and paths are reported.",
      remediation: "Pass the server token via a file readable only by the server (c.IdentityProvider.token from JUPYTER_TOKEN_FILE, then unset JUPYTER_TOKEN before starting kernels); keep the Jupyter runtime directory private to its user (chmod 700 ~/.local/share/jupyter/runtime); never share one home directory between users.",
      references: {
        cwe: [
          "CWE-522",
          "CWE-526"
        ]
      }
    },
    {
      id: "sandbox-old-linux-kernel",
      title: "Host Linux kernel is old",
      layer: "sandbox",
      severity: "low",
      action: "warn",
      explanation: "The Linux kernel is older than the oldest long-term kernel line still maintained upstream (5.10). Container isolation rests entirely on the host kernel; old kernels carry known escape bugs (for example Dirty Pipe, CVE-2022-0847) unless the distribution backported the fixes.",
      remediation: "Update the host (node image) to a maintained kernel: an upstream longterm line >= 5.10 or your distribution's current supported kernel, and reboot.",
      references: {
        cwe: [
          "CWE-1104"
        ],
        cve: [
          "CVE-2022-0847"
        ]
      }
    },
    {
      id: "server-no-auth",
      title: "Jupyter server has authentication disabled",
      layer: "server",
      severity: "critical",
      action: "warn",
      explanation: "Anyone who can reach the server can run code in it.",
      remediation: "Set a token or password (remove c.IdentityProvider.token = '' and c.ServerApp.password = ''), or run behind JupyterHub.",
      references: {
        cwe: [
          "CWE-306"
        ]
      }
    },
    {
      id: "central-policy-rejected",
      title: "Central policy refused by the lab server",
      layer: "server",
      severity: "high",
      action: "block",
      explanation: "The lab server fetched a policy from the central service that it cannot trust: the signature does not verify, the signing key is unknown, it is older than a policy already accepted (a replay), it has expired, it is scoped to someone else or it breaks the policy schema. The lab keeps using its last good policy.",
      remediation: "Check that c.Warden.central_public_keys holds central's current signing key (GET /api/v1/keys on central) and that nothing between the lab and central alters answers; if central's keys were rotated, add the new key id to the lab's config.",
      references: {
        cwe: [
          "CWE-347",
          "CWE-294"
        ]
      }
    },
    {
      id: "server-unauthenticated-access",
      title: "Endpoints without an auth rule are reachable from the network",
      layer: "server",
      severity: "medium",
      action: "warn",
      explanation: "ServerApp.allow_unauthenticated_access is True (jupyter_server's default) while the server accepts remote connections: any handler from an extension that forgot @web.authenticated answers anyone on the network.",
      remediation: "Set c.ServerApp.allow_unauthenticated_access = False (or JUPYTER_SERVER_ALLOW_UNAUTHENTICATED_ACCESS=false) so every endpoint requires login unless explicitly marked @allow_unauthenticated.",
      references: {
        cwe: [
          "CWE-306"
        ]
      }
    },
    {
      id: "server-public-without-tls",
      title: "Server listens on all interfaces without TLS",
      layer: "server",
      severity: "high",
      action: "warn",
      explanation: "The server listens on every network interface (ServerApp.ip is '', '*', 0.0.0.0 or ::, or a non-loopback address) and serves plain HTTP: tokens, cookies and notebook contents cross the network in clear text.",
      remediation: "Bind to localhost (c.ServerApp.ip = '127.0.0.1') and reach the server through SSH tunnelling or JupyterHub, or serve TLS (c.ServerApp.certfile and c.ServerApp.keyfile), or put it behind a TLS-terminating reverse proxy that is the only thing able to reach it.",
      references: {
        cwe: [
          "CWE-319"
        ]
      }
    },
    {
      id: "server-remote-access-allowed",
      title: "Host-header check disabled (remote access allowed)",
      layer: "server",
      severity: "medium",
      action: "warn",
      explanation: "ServerApp.allow_remote_access is True (jupyter_server turns it on by itself when ip is not a loopback address): the server no longer rejects requests whose Host header is not local, which is the protection against DNS-rebinding attacks from web pages.",
      remediation: "Bind to loopback (c.ServerApp.ip = '127.0.0.1') or set c.ServerApp.allow_remote_access = False and list the public names you serve in c.ServerApp.local_hostnames.",
      references: {
        cwe: [
          "CWE-350"
        ]
      }
    },
    {
      id: "server-cors-wildcard",
      title: "CORS allows any origin",
      layer: "server",
      severity: "high",
      action: "warn",
      explanation: "ServerApp.allow_origin is '*' (or the Access-Control-Allow-Origin header is set to '*'), or ServerApp.allow_origin_pat matches arbitrary origins: any web page a user visits can call this server's API from the browser and, with a token or cookie, run code.",
      remediation: "Remove c.ServerApp.allow_origin = '*'; list exact origins in c.ServerApp.allow_origin or anchor c.ServerApp.allow_origin_pat (e.g. r'^https://lab\\.example\\.org$'), and leave c.ServerApp.allow_credentials = False unless a listed origin needs it.",
      references: {
        cwe: [
          "CWE-942",
          "CWE-346"
        ]
      }
    },
    {
      id: "server-xsrf-disabled",
      title: "XSRF protection disabled",
      layer: "server",
      severity: "high",
      action: "warn",
      explanation: "ServerApp.disable_check_xsrf is True: a page on another site can make a logged-in user's browser send state-changing requests (create a terminal, run code in a kernel) to this server.",
      remediation: "Remove c.ServerApp.disable_check_xsrf = True (and tornado_settings {'xsrf_cookies': False}); clients that are not browsers should authenticate with an Authorization: token header instead.",
      references: {
        cwe: [
          "CWE-352"
        ]
      }
    },
    {
      id: "server-runs-as-root",
      title: "Jupyter server runs as root",
      layer: "server",
      severity: "high",
      action: "warn",
      explanation: "The server process runs with uid 0 (allowed by ServerApp.allow_root), so kernels and terminals it starts are root too and a single compromised notebook owns the machine or container.",
      remediation: "Run the server as an unprivileged user (Dockerfile USER jovyan, Kubernetes runAsNonRoot: true, a systemd unit with User=) and remove --allow-root / c.ServerApp.allow_root = True.",
      references: {
        cwe: [
          "CWE-250"
        ]
      }
    },
    {
      id: "server-vulnerable-jupyter-package",
      title: "Installed Jupyter package has a known advisory",
      layer: "server",
      severity: "high",
      action: "warn",
      explanation: "An installed Jupyter package is older than the release that fixes a published security advisory (listed with its GHSA id in the evidence).",
      remediation: "Upgrade the listed packages to at least the fixed version shown (pip install -U 'jupyter_server>=X' ...) in the environment that runs the server, then restart the server.",
      references: {
        cwe: [
          "CWE-1395"
        ],
        ghsa: [
          "GHSA-r726-vmfq-j9j3",
          "GHSA-5789-5fc7-67v3",
          "GHSA-fcw5-x6j4-ccmp",
          "GHSA-c3mw-737p-c7g2",
          "GHSA-44cc-43rp-5947",
          "GHSA-9q39-rmj3-p4r2",
          "GHSA-pppj-hq3g-57pj",
          "GHSA-gx64-gj6p-pc4c",
          "GHSA-4qhp-652w-c22x",
          "GHSA-33p9-3p43-82vq"
        ]
      }
    }
  ]
};

// src/analyzer/catalog.ts
var ALL_RULES = rules_default.rules;
var STATIC_RULES = ALL_RULES.filter(
  (r) => r.layer === "static"
);
var BY_ID = new Map(STATIC_RULES.map((r) => [r.id, r]));
function staticRule(id2) {
  const rule = BY_ID.get(id2);
  if (!rule) {
    throw new Error(`rule ${id2} is not a static rule of schema/rules.json`);
  }
  return rule;
}
var MESSAGES = /* @__PURE__ */ new Map();
function ruleMessage(rule) {
  let message = MESSAGES.get(rule.id);
  if (message === void 0) {
    message = `${rule.title}. ${rule.explanation} Instead: ${rule.remediation}`;
    MESSAGES.set(rule.id, message);
  }
  return message;
}

// src/analyzer/ipython.ts
var SHELL_CELL_MAGICS = /* @__PURE__ */ new Set(["bash", "sh", "zsh", "system"]);
var SCRIPT_SHELLS = /* @__PURE__ */ new Set(["bash", "sh", "zsh", "dash", "ksh"]);
var PYTHON_CELL_MAGICS = /* @__PURE__ */ new Set([
  "time",
  "timeit",
  "capture",
  "prun",
  "debug",
  "memit",
  "mprun",
  "pypy"
]);
var SHELL_LINE_MAGICS = /* @__PURE__ */ new Set(["sx", "system"]);
var PACKAGE_LINE_MAGICS = /* @__PURE__ */ new Set(["pip", "conda", "mamba", "uv"]);
var ENV_LINE_MAGICS = /* @__PURE__ */ new Set(["env", "set_env"]);
var PYTHON_LINE_MAGICS = /* @__PURE__ */ new Set([
  "time",
  "timeit",
  "prun",
  "memit",
  "debug"
]);
var MAGIC_NAME = /%([A-Za-z_][A-Za-z0-9_]*)/y;
var ASSIGN_MAGIC = /[A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*\s*=\s*(?=[!%])/y;
var HELP_LINE = /^(?:\?{1,2}[\w.*]+(?:\(\))?\?{0,2}|[\w.*]+(?:\(\))?\?{1,2})$/;
var MAGIC_OPTIONS = /(?:\s*-[A-Za-z]+(?:\s+\d+)?)*\s*/y;
var IPYTHON_CHARS = /[%!?]/;
function maskIPython(code) {
  if (!IPYTHON_CHARS.test(code)) {
    return { python: code, shell: [] };
  }
  const edits = [];
  const shell = [];
  let start = 0;
  const first = firstCodeLine(code);
  if (first >= 0 && code.startsWith("%%", first)) {
    const lineEnd = endOfLine(code, first);
    const words = code.slice(first + 2, lineEnd).trim().split(/\s+/);
    const name2 = words[0] ?? "";
    const bodyStart = Math.min(lineEnd + 1, code.length);
    const isShell = SHELL_CELL_MAGICS.has(name2) || name2 === "script" && SCRIPT_SHELLS.has(words[1] ?? "");
    if (!PYTHON_CELL_MAGICS.has(name2)) {
      if (isShell) {
        shell.push({
          kind: "shell",
          text: code.slice(bodyStart),
          offset: bodyStart
        });
      }
      return { python: blankOut(code, 0, code.length), shell };
    }
    edits.push({ from: first, to: lineEnd, kind: "blank" });
    start = bodyStart;
  }
  scanLines(code, start, edits, shell);
  return { python: applyEdits(code, edits), shell };
}
function firstCodeLine(code) {
  const m = /\S/.exec(code);
  return m ? m.index : -1;
}
function endOfLine(code, pos) {
  const nl = code.indexOf("\n", pos);
  return nl < 0 ? code.length : nl;
}
function scanLines(code, start, edits, shell) {
  let depth = 0;
  let triple = null;
  let continued = false;
  let lineStart = start;
  while (lineStart <= code.length) {
    const lineEnd = endOfLine(code, lineStart);
    let scanFrom = lineStart;
    if (depth === 0 && triple === null && !continued) {
      const handled = maskStatementLine(code, lineStart, lineEnd, edits, shell);
      if (handled === true) {
        lineStart = lineEnd + 1;
        continue;
      }
      if (typeof handled === "number") {
        scanFrom = handled;
      }
    }
    continued = false;
    let p = scanFrom;
    while (p < lineEnd) {
      if (triple !== null) {
        const close = findTripleEnd(code, p, lineEnd, triple);
        if (close < 0) {
          p = lineEnd;
          break;
        }
        triple = null;
        p = close;
        continue;
      }
      const c = code[p];
      if (c === "#") {
        break;
      } else if (c === '"' || c === "'") {
        if (code.startsWith(c + c + c, p)) {
          triple = c + c + c;
          p += 3;
        } else {
          p = skipShortString(code, p + 1, lineEnd, c);
        }
        continue;
      } else if (c === "(" || c === "[" || c === "{") {
        depth++;
      } else if (c === ")" || c === "]" || c === "}") {
        depth = depth > 0 ? depth - 1 : 0;
      } else if (c === "\\" && isLineEndAfter(code, p + 1, lineEnd)) {
        continued = true;
      }
      p++;
    }
    lineStart = lineEnd + 1;
  }
}
function isLineEndAfter(code, p, lineEnd) {
  return p >= lineEnd || p + 1 === lineEnd && code[p] === "\r";
}
function findTripleEnd(code, p, lineEnd, triple) {
  while (p < lineEnd) {
    if (code[p] === "\\") {
      p += 2;
    } else if (code.startsWith(triple, p)) {
      return p + 3;
    } else {
      p++;
    }
  }
  return -1;
}
function skipShortString(code, p, lineEnd, quote) {
  while (p < lineEnd) {
    const c = code[p];
    if (c === "\\") {
      p += 2;
    } else if (c === quote) {
      return p + 1;
    } else {
      p++;
    }
  }
  return lineEnd;
}
function maskStatementLine(code, lineStart, lineEnd, edits, shell) {
  let i = lineStart;
  while (i < lineEnd && (code[i] === " " || code[i] === "	")) {
    i++;
  }
  if (i >= lineEnd) {
    return false;
  }
  const c = code[i];
  if (c === "!") {
    const textStart = code[i + 1] === "!" ? i + 2 : i + 1;
    shell.push({
      kind: "shell",
      text: code.slice(textStart, lineEnd),
      offset: textStart
    });
    edits.push({ from: i, to: lineEnd, kind: "stmt" });
    return true;
  }
  if (c === "%") {
    return maskMagic(code, i, lineEnd, edits, shell, true);
  }
  ASSIGN_MAGIC.lastIndex = i;
  const assign = ASSIGN_MAGIC.exec(code);
  if (assign && i + assign[0].length < lineEnd) {
    const j = i + assign[0].length;
    if (code[j] === "!") {
      shell.push({
        kind: "shell",
        text: code.slice(j + 1, lineEnd),
        offset: j + 1
      });
      edits.push({ from: j, to: lineEnd, kind: "stmt" });
      return true;
    }
    return maskMagic(code, j, lineEnd, edits, shell, false);
  }
  const trimmed = code.slice(i, lineEnd).trimEnd();
  if ((trimmed.endsWith("?") || trimmed.startsWith("?")) && HELP_LINE.test(trimmed)) {
    edits.push({ from: i, to: lineEnd, kind: "stmt" });
    return true;
  }
  return false;
}
function maskMagic(code, i, lineEnd, edits, shell, statement) {
  MAGIC_NAME.lastIndex = i;
  const m = code[i + 1] === "%" ? null : MAGIC_NAME.exec(code);
  const name2 = m ? m[1] : "";
  const argsStart = m ? i + m[0].length : lineEnd;
  if (PACKAGE_LINE_MAGICS.has(name2)) {
    shell.push({
      kind: "shell",
      text: code.slice(i + 1, lineEnd),
      offset: i + 1
    });
  } else if (SHELL_LINE_MAGICS.has(name2)) {
    shell.push({
      kind: "shell",
      text: code.slice(argsStart, lineEnd),
      offset: argsStart
    });
  } else if (ENV_LINE_MAGICS.has(name2)) {
    shell.push({
      kind: "env",
      text: code.slice(argsStart, lineEnd),
      offset: argsStart
    });
  } else if (statement && PYTHON_LINE_MAGICS.has(name2)) {
    MAGIC_OPTIONS.lastIndex = argsStart;
    const opts = MAGIC_OPTIONS.exec(code);
    const pyStart = Math.min(argsStart + (opts ? opts[0].length : 0), lineEnd);
    if (pyStart - i >= 2) {
      edits.push({ from: i, to: pyStart, kind: "semi" });
      return pyStart;
    }
  }
  edits.push({ from: i, to: lineEnd, kind: "stmt" });
  return true;
}
function blankOut(code, from, to) {
  return code.slice(0, from) + code.slice(from, to).replace(/[^\n\r]/g, " ") + code.slice(to);
}
function applyEdits(code, edits) {
  if (edits.length === 0) {
    return code;
  }
  const parts = [];
  let pos = 0;
  for (const e of edits) {
    parts.push(code.slice(pos, e.from));
    const len = e.to - e.from;
    const body = code.slice(e.from, e.to).replace(/[^\n\r]/g, " ");
    if (e.kind === "stmt" && len > 0) {
      parts.push("0" + body.slice(1));
    } else if (e.kind === "semi" && len > 1) {
      parts.push("0;" + body.slice(2));
    } else {
      parts.push(body);
    }
    pos = e.to;
  }
  parts.push(code.slice(pos));
  return parts.join("");
}

// src/analyzer/positions.ts
var LineIndex = class {
  constructor(text2) {
    this.starts = [0];
    for (let i = text2.indexOf("\n"); i >= 0; i = text2.indexOf("\n", i + 1)) {
      this.starts.push(i + 1);
    }
  }
  /** 1-based line and column of an offset (columns count UTF-16 code units). */
  position(offset) {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (this.starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return { line: lo + 1, column: offset - this.starts[lo] + 1 };
  }
};

// src/analyzer/syntax.ts
function children(node) {
  const out = [];
  for (let c = node.firstChild; c !== null; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}
function nextCode(node) {
  let n = node ? node.nextSibling : null;
  while (n !== null && n.name === "Comment") {
    n = n.nextSibling;
  }
  return n;
}
function text(code, node) {
  return code.slice(node.from, node.to);
}
var NON_ASCII = /[\u0080-\uffff]/;
function identifier(code, node) {
  const t2 = code.slice(node.from, node.to);
  return NON_ASCII.test(t2) ? t2.normalize("NFKC") : t2;
}
function parseArguments(code, argList) {
  const args = {
    positional: [],
    keywords: /* @__PURE__ */ new Map(),
    starArgs: false,
    starKwargs: false,
    close: -1,
    trailingComma: false
  };
  let group = [];
  const flush = () => {
    if (group.length > 0) {
      addArgument(code, group, args);
    }
    group = [];
  };
  for (let c = argList.firstChild; c !== null; c = c.nextSibling) {
    const n = c.name;
    if (n === "(" || n === "Comment") {
      continue;
    } else if (n === ")") {
      args.trailingComma = group.length === 0 && args.positional.length + args.keywords.size > 0;
      flush();
      args.close = c.from;
    } else if (n === ",") {
      flush();
    } else {
      group.push(c);
    }
  }
  flush();
  return args;
}
function addArgument(code, group, args) {
  const first = group[0];
  const last = group[group.length - 1];
  if (first.name === "\u26A0") {
    return;
  }
  if (first.name === "*") {
    args.starArgs = true;
  } else if (first.name === "**") {
    const value = group[1];
    if (value && value.name === "DictionaryExpression") {
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
    }
  } else if (group.length >= 3 && first.name === "VariableName" && group[1].name === "AssignOp") {
    const name2 = text(code, first);
    args.keywords.set(name2, {
      name: name2,
      from: first.from,
      to: last.to,
      value: group[2]
    });
  } else {
    args.positional.push(first);
  }
}
function dictEntries(code, dict) {
  const out = [];
  const parts = children(dict);
  for (let i = 0; i + 2 < parts.length; i++) {
    if (parts[i + 1].name === ":") {
      const key = constString(code, parts[i]);
      if (key !== null) {
        out.push([key, parts[i + 2]]);
      }
      i += 2;
    }
  }
  return out;
}
function sequenceElements(node) {
  if (node.name !== "ArrayExpression" && node.name !== "TupleExpression") {
    return null;
  }
  return children(node).filter(
    (c) => !["[", "]", "(", ")", ","].includes(c.name)
  );
}
function constString(code, node, depth = 0) {
  if (depth > 50) {
    return null;
  }
  switch (node.name) {
    case "String":
      return decodeString(text(code, node));
    case "ContinuedString": {
      let s = "";
      for (let c = node.firstChild; c !== null; c = c.nextSibling) {
        const part = constString(code, c, depth + 1);
        if (part === null) {
          return null;
        }
        s += part;
      }
      return s;
    }
    case "ParenthesizedExpression": {
      const inner = nextCode(node.firstChild);
      return inner ? constString(code, inner, depth + 1) : null;
    }
    case "BinaryExpression": {
      const [a, op, b] = children(node);
      if (!a || !op || !b || text(code, op) !== "+") {
        return null;
      }
      const left = constString(code, a, depth + 1);
      const right = left === null ? null : constString(code, b, depth + 1);
      return left === null || right === null ? null : left + right;
    }
    default:
      return null;
  }
}
var ESCAPES = {
  n: "\n",
  t: "	",
  r: "\r",
  "0": "\0"
};
function decodeString(raw) {
  const m = /^([rRbBuU]{0,2})('''|"""|'|")/.exec(raw);
  if (!m) {
    return null;
  }
  const quote = m[2];
  if (!raw.endsWith(quote) || raw.length < m[0].length + quote.length) {
    return null;
  }
  const body = raw.slice(m[0].length, raw.length - quote.length);
  if (/[rR]/.test(m[1])) {
    return body;
  }
  return body.replace(
    /\\(.)/gs,
    (_, ch) => ESCAPES[ch] ?? (ch === "\n" ? "" : ch)
  );
}
function literalTruth(code, node) {
  switch (node.name) {
    case "Boolean":
      return text(code, node) === "True";
    case "None":
      return false;
    case "Number": {
      const v = Number(
        text(code, node).replace(/_/g, "").replace(/[jJlL]$/, "")
      );
      return Number.isNaN(v) ? true : v !== 0;
    }
    case "ParenthesizedExpression": {
      const inner = nextCode(node.firstChild);
      return inner ? literalTruth(code, inner) : void 0;
    }
    default: {
      const s = constString(code, node);
      return s === null ? void 0 : s.length > 0;
    }
  }
}

// src/analyzer/sources.ts
var DEFAULT_TRUSTED_INDEXES = [
  "https://pypi.org/simple",
  "https://files.pythonhosted.org"
];
var DEFAULT_TRUSTED_MODEL_HUBS = ["huggingface.co"];
var INDEX_CACHE = /* @__PURE__ */ new WeakMap();
var HUB_CACHE = /* @__PURE__ */ new WeakMap();
function normalized(cache, list, normalize) {
  let done = cache.get(list);
  if (done === void 0) {
    done = list.map(normalize);
    cache.set(list, done);
  }
  return done;
}
var normalizeHost = (h) => h.toLowerCase().replace(/^[a-z]+:\/\//, "").replace(/\/.*$/, "");
function trustedSources(options) {
  return {
    indexes: normalized(
      INDEX_CACHE,
      options.trustedIndexes ?? DEFAULT_TRUSTED_INDEXES,
      normalizeUrl
    ),
    hubs: normalized(
      HUB_CACHE,
      options.trustedModelHubs ?? DEFAULT_TRUSTED_MODEL_HUBS,
      normalizeHost
    )
  };
}
function normalizeUrl(url) {
  const m = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/(?:[^@/]*@)?([^/?#]*)(.*)$/.exec(
    url.trim()
  );
  if (!m) {
    return url.trim().replace(/\/+$/, "");
  }
  return `${m[1].toLowerCase()}://${m[2].toLowerCase()}${m[3]}`.replace(
    /\/+$/,
    ""
  );
}
function isPlainHttp(url) {
  return /^http:\/\//i.test(url.trim());
}
function isTrustedIndex(url, trusted) {
  const u = normalizeUrl(url);
  return trusted.indexes.some((t2) => u === t2 || u.startsWith(t2 + "/"));
}
function urlHost(url) {
  const m = /^https?:\/\/(?:[^@/]*@)?([^/?#:]+)/i.exec(url.trim());
  return m ? m[1].toLowerCase() : null;
}
function isTrustedModelUrl(url, trusted) {
  const host = urlHost(url);
  if (host === null || isPlainHttp(url)) {
    return false;
  }
  return trusted.hubs.some((h) => host === h || host.endsWith("." + h));
}

// src/analyzer/shell.ts
var TORCH_FORCE_VAR = "TORCH_FORCE_NO_WEIGHTS_ONLY_LOAD";
var TORCH_TRUE_VALUES = /* @__PURE__ */ new Set(["1", "y", "yes", "true"]);
var DOWNLOADERS = /* @__PURE__ */ new Set(["curl", "wget", "fetch", "aria2c"]);
var INTERPRETER = /^(?:(?:ba|z|da|k|fi|c|tc)?sh|python[0-9.]*|perl|ruby|node|php|source|\.)$/;
var PREFIX_COMMANDS = /* @__PURE__ */ new Set([
  "sudo",
  "env",
  "command",
  "exec",
  "nohup",
  "time",
  "xargs"
]);
var INDEX_OPTIONS = /* @__PURE__ */ new Set([
  "--index-url",
  "-i",
  "--extra-index-url",
  "--find-links",
  "-f"
]);
var VCS_HTTP = /(?:^|@)\s*(?:git|hg|svn|bzr)\+http:\/\//i;
var SUBSTITUTED_DOWNLOAD = /(?:<\(|\$\(|`)\s*(?:curl|wget)\b/;
var INTERPRETER_WORD = /(?:^|[\s;&|(])(?:(?:ba|z|da|k)?sh|python[0-9.]*|source|eval|\.)\s/;
function analyzeShell(text2, offset, trusted, out) {
  for (const pipeline of parsePipelines(text2, offset)) {
    checkPipeToInterpreter(pipeline, out);
    for (const command of pipeline) {
      checkCommand(command, trusted, out);
    }
  }
  checkSubstitutedDownload(text2, offset, out);
}
function analyzeEnvMagic(text2, offset, trusted, out) {
  const m = /^(\s*)([A-Za-z_]\w*)(?:\s*=\s*|\s+)(.*?)\s*(?:\s#.*)?$/.exec(text2);
  if (m) {
    const from = offset + m[1].length;
    checkEnvAssignment(
      m[2],
      unquote(m[3]),
      from,
      offset + m[1].length + m[2].length + text2.slice(m[1].length + m[2].length).replace(/\s+#.*$/, "").trimEnd().length,
      trusted,
      out
    );
  }
}
function checkEnvAssignment(name2, value, from, to, trusted, out) {
  if (name2 === TORCH_FORCE_VAR) {
    if (value === null || TORCH_TRUE_VALUES.has(value.trim().toLowerCase()) || value.startsWith("$")) {
      out.push({ ruleId: "torch-force-no-weights-only", from, to });
    }
  } else if (value !== null && (name2 === "PIP_INDEX_URL" || name2 === "PIP_EXTRA_INDEX_URL" || name2 === "PIP_FIND_LINKS")) {
    checkIndexUrl(value, from, to, trusted, out);
  } else if (name2 === "PIP_TRUSTED_HOST") {
    out.push({ ruleId: "pip-trusted-host", from, to });
  } else if (name2 === "HF_ENDPOINT" && value !== null && !isTrustedModelUrl(value, trusted)) {
    out.push({ ruleId: "model-untrusted-hub", from, to });
  }
}
function checkPipeToInterpreter(pipeline, out) {
  let downloader = -1;
  pipeline.forEach((command, i) => {
    const word = commandWord(command);
    if (word === null) {
      return;
    }
    const name2 = basename(word.value);
    if (DOWNLOADERS.has(name2) && downloader < 0) {
      downloader = i;
    } else if (downloader >= 0 && INTERPRETER.test(name2)) {
      const first = pipeline[downloader][0];
      const last = command[command.length - 1];
      out.push({
        ruleId: "shell-pipe-to-interpreter",
        from: first.from,
        to: last.to
      });
      downloader = -1;
    }
  });
}
function checkSubstitutedDownload(text2, offset, out) {
  const m = SUBSTITUTED_DOWNLOAD.exec(text2);
  if (!m) {
    return;
  }
  const lineStart = text2.lastIndexOf("\n", m.index) + 1;
  const nl = text2.indexOf("\n", m.index);
  const lineEnd = nl < 0 ? text2.length : nl;
  if (INTERPRETER_WORD.test(" " + text2.slice(lineStart, m.index))) {
    const lead = text2.slice(lineStart, lineEnd).search(/\S/);
    out.push({
      ruleId: "shell-pipe-to-interpreter",
      from: offset + lineStart + Math.max(lead, 0),
      to: offset + text2.slice(0, lineEnd).trimEnd().length
    });
  }
}
function checkCommand(command, trusted, out) {
  let i = 0;
  while (i < command.length) {
    const t2 = command[i];
    const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(t2.value);
    if (assign) {
      checkEnvAssignment(assign[1], assign[2], t2.from, t2.to, trusted, out);
      i++;
    } else if (PREFIX_COMMANDS.has(basename(t2.value)) || i > 0 && t2.value.startsWith("-") && isPrefix(command[i - 1])) {
      i++;
    } else {
      break;
    }
  }
  if (i >= command.length) {
    return;
  }
  const word = basename(command[i].value);
  if (word === "export" || word === "declare" || word === "set") {
    for (const t2 of command.slice(i + 1)) {
      const assign = /^([A-Za-z_]\w*)=(.*)$/s.exec(t2.value);
      if (assign) {
        checkEnvAssignment(assign[1], assign[2], t2.from, t2.to, trusted, out);
      }
    }
    return;
  }
  const pipArgs = pipArguments(command, i);
  if (pipArgs) {
    checkPip(pipArgs, trusted, out);
  }
}
function isPrefix(t2) {
  return PREFIX_COMMANDS.has(basename(t2.value));
}
function pipArguments(command, i) {
  const word = basename(command[i].value);
  if (/^pip[0-9.]*$/.test(word)) {
    return command.slice(i + 1);
  }
  if (word === "uv" && command[i + 1]?.value === "pip") {
    return command.slice(i + 2);
  }
  if (/^python[0-9.]*$/.test(word)) {
    for (let j = i + 1; j + 1 < command.length; j++) {
      if (command[j].value === "-m" && /^pip[0-9.]*$/.test(command[j + 1].value)) {
        return command.slice(j + 2);
      }
    }
  }
  return null;
}
function checkPip(args, trusted, out) {
  for (let j = 0; j < args.length; j++) {
    const t2 = args[j];
    const v = t2.value;
    const eq = v.indexOf("=");
    const option = v.startsWith("--") && eq > 0 ? v.slice(0, eq) : v;
    if (INDEX_OPTIONS.has(option)) {
      const inline = option !== v;
      const valueToken = inline ? { value: v.slice(eq + 1), from: t2.from, to: t2.to } : args[j + 1];
      if (!inline) {
        j++;
      }
      if (valueToken) {
        checkIndexUrl(
          valueToken.value,
          valueToken.from,
          valueToken.to,
          trusted,
          out
        );
      }
    } else if (/^-[if]\S+/.test(v) && !v.startsWith("--")) {
      checkIndexUrl(v.slice(2), t2.from, t2.to, trusted, out);
    } else if (option === "--trusted-host") {
      const end = option === v && args[j + 1] ? args[++j].to : t2.to;
      out.push({ ruleId: "pip-trusted-host", from: t2.from, to: end });
    } else if (VCS_HTTP.test(v)) {
      out.push({ ruleId: "pip-git-http", from: t2.from, to: t2.to });
    } else if (isPlainHttp(v)) {
      out.push({ ruleId: "pip-http-index", from: t2.from, to: t2.to });
    }
  }
}
function checkIndexUrl(url, from, to, trusted, out) {
  if (isPlainHttp(url)) {
    out.push({ ruleId: "pip-http-index", from, to });
  } else if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url) && !/^file:/i.test(url) && !isTrustedIndex(url, trusted)) {
    out.push({ ruleId: "pip-untrusted-index", from, to });
  }
}
function commandWord(command) {
  for (const t2 of command) {
    if (/^[A-Za-z_]\w*=/.test(t2.value) || PREFIX_COMMANDS.has(basename(t2.value)) || t2.value.startsWith("-")) {
      continue;
    }
    return t2;
  }
  return null;
}
function basename(word) {
  const slash = word.lastIndexOf("/");
  return slash >= 0 ? word.slice(slash + 1) : word;
}
function unquote(value) {
  const v = value.trim();
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
    return v.slice(1, -1);
  }
  return v;
}
function parsePipelines(text2, offset) {
  const pipelines = [];
  let pipeline = [];
  let command = [];
  let word = "";
  let wordFrom = -1;
  const endWord = (end) => {
    if (wordFrom >= 0) {
      command.push({ value: word, from: offset + wordFrom, to: offset + end });
    }
    word = "";
    wordFrom = -1;
  };
  const endCommand = () => {
    if (command.length > 0) {
      pipeline.push(command);
    }
    command = [];
  };
  const endPipeline = () => {
    endCommand();
    if (pipeline.length > 0) {
      pipelines.push(pipeline);
    }
    pipeline = [];
  };
  let p = 0;
  while (p < text2.length) {
    const c = text2[p];
    if (c === "\\" && text2[p + 1] === "\n") {
      endWord(p);
      p += 2;
    } else if (c === "\\") {
      if (wordFrom < 0) {
        wordFrom = p;
      }
      word += text2[p + 1] ?? "";
      p += 2;
    } else if (c === "'" || c === '"') {
      if (wordFrom < 0) {
        wordFrom = p;
      }
      let q = p + 1;
      while (q < text2.length && text2[q] !== c) {
        if (c === '"' && text2[q] === "\\" && q + 1 < text2.length) {
          q++;
        }
        word += text2[q];
        q++;
      }
      p = q + 1;
    } else if (c === " " || c === "	" || c === "\r") {
      endWord(p);
      p++;
    } else if (c === "#" && wordFrom < 0) {
      const nl = text2.indexOf("\n", p);
      p = nl < 0 ? text2.length : nl;
    } else if (c === "\n" || c === ";" || c === "&" || c === "|" && text2[p + 1] === "|") {
      endWord(p);
      endPipeline();
      p += (c === "&" || c === "|") && text2[p + 1] === c ? 2 : 1;
    } else if (c === "|") {
      endWord(p);
      endCommand();
      p++;
    } else {
      if (wordFrom < 0) {
        wordFrom = p;
      }
      word += c;
      p++;
    }
  }
  endWord(text2.length);
  endPipeline();
  return pipelines;
}

// src/analyzer/callrules.ts
function argument(site, keyword2, index) {
  const kw = site.args.keywords.get(keyword2);
  if (kw) {
    return kw.value;
  }
  return index >= 0 && !site.args.starArgs ? site.args.positional[index] : void 0;
}
function flagCall(ruleId) {
  return (site, ctx) => ctx.out.push({ ruleId, from: site.node.from, to: site.node.to });
}
function appendKeyword(site, keyword2, title) {
  const a = site.args;
  const empty = a.positional.length === 0 && a.keywords.size === 0 && !a.starArgs && !a.starKwargs;
  const insert = empty ? keyword2 : a.trailingComma ? ` ${keyword2}` : `, ${keyword2}`;
  return { from: a.close, to: a.close, insert, title };
}
function replaceValue(kw, insert, title) {
  return { from: kw.from, to: kw.to, insert, title };
}
function torchLoad(missing, pickleModuleIndex) {
  return (site, ctx) => {
    const { code } = site;
    const weightsOnly = site.args.keywords.get("weights_only");
    const pickleModule = argument(site, "pickle_module", pickleModuleIndex);
    const truth = weightsOnly ? literalTruth(code, weightsOnly.value) : void 0;
    if (weightsOnly && truth === false && weightsOnly.value.name !== "None") {
      ctx.out.push({
        ruleId: "torch-load-weights-only-false",
        from: weightsOnly.from,
        to: weightsOnly.to,
        fix: replaceValue(weightsOnly.value, "True", "Use weights_only=True")
      });
    } else if (pickleModule && pickleModule.name !== "None") {
      ctx.out.push({
        ruleId: "torch-load-pickle-module",
        from: site.node.from,
        to: site.node.to
      });
    } else if (!weightsOnly || weightsOnly.value.name === "None") {
      ctx.out.push({
        ruleId: missing,
        from: site.node.from,
        to: site.node.to,
        fix: weightsOnly || site.args.starKwargs ? void 0 : appendKeyword(site, "weights_only=True", "Add weights_only=True")
      });
    } else if (truth === void 0) {
      ctx.out.push({
        ruleId: "torch-load-unsafe",
        from: site.node.from,
        to: site.node.to
      });
    }
  };
}
var SAFE_YAML_LOADERS = /* @__PURE__ */ new Set([
  "SafeLoader",
  "CSafeLoader",
  "BaseLoader",
  "CBaseLoader"
]);
function yamlLoad(safeName) {
  return (site, ctx) => {
    const loader = argument(site, "Loader", 1);
    if (loader) {
      const path4 = site.resolve(loader) ?? text(site.code, loader);
      const last = path4.slice(path4.lastIndexOf(".") + 1);
      if (SAFE_YAML_LOADERS.has(last)) {
        return;
      }
      const loaderText = text(site.code, loader);
      ctx.out.push({
        ruleId: "yaml-unsafe-load",
        from: site.node.from,
        to: site.node.to,
        fix: /^[A-Za-z_][\w.]*\.\w+$/.test(loaderText) ? replaceValue(
          loader,
          loaderText.replace(/\w+$/, "SafeLoader"),
          "Use SafeLoader"
        ) : void 0
      });
      return;
    }
    yamlRename(safeName)(site, ctx);
  };
}
function yamlRename(safeName) {
  return (site, ctx) => {
    const p = site.property;
    ctx.out.push({
      ruleId: "yaml-unsafe-load",
      from: site.node.from,
      to: site.node.to,
      fix: p ? {
        from: p.from,
        to: p.to,
        insert: safeName,
        title: `Use yaml.${safeName}`
      } : void 0
    });
  };
}
function numpyLoad(site, ctx) {
  const allow = argument(site, "allow_pickle", 2);
  if (!allow) {
    return;
  }
  const truth = literalTruth(site.code, allow);
  if (truth === false) {
    return;
  }
  const kw = site.args.keywords.get("allow_pickle");
  ctx.out.push({
    ruleId: "numpy-load-allow-pickle",
    from: kw ? kw.from : allow.from,
    to: kw ? kw.to : allow.to,
    fix: truth === true ? replaceValue(allow, "False", "Use allow_pickle=False") : void 0
  });
}
function kerasLoadModel(site, ctx) {
  const safeMode = argument(site, "safe_mode", 3);
  if (safeMode && literalTruth(site.code, safeMode) === false) {
    const kw = site.args.keywords.get("safe_mode");
    ctx.out.push({
      ruleId: "keras-unsafe-deserialization",
      from: kw ? kw.from : safeMode.from,
      to: kw ? kw.to : safeMode.to,
      fix: replaceValue(safeMode, "True", "Use safe_mode=True")
    });
  }
}
function looksLocal(name2) {
  return /^(?:[.~/\\]|[A-Za-z]:[\\/])/.test(name2) || name2.split("/").length > 2;
}
var PACKAGED_BUILDERS = /* @__PURE__ */ new Set([
  "csv",
  "json",
  "parquet",
  "text",
  "arrow",
  "pandas",
  "sql",
  "xml",
  "imagefolder",
  "audiofolder",
  "videofolder",
  "webdataset"
]);
function hubDownload(nameKeyword) {
  return (site, ctx) => {
    if (site.args.starKwargs) {
      return;
    }
    const revision = site.args.keywords.get("revision");
    if (revision) {
      const value = constString(site.code, revision.value);
      if (value !== "main" && value !== "master") {
        return;
      }
    }
    const name2 = argument(site, nameKeyword, 0);
    const literal2 = name2 ? constString(site.code, name2) : null;
    if (literal2 !== null && (looksLocal(literal2) || PACKAGED_BUILDERS.has(literal2))) {
      return;
    }
    ctx.out.push({
      ruleId: "hf-unpinned-revision",
      from: site.node.from,
      to: site.node.to
    });
  };
}
function modelUrl(site, ctx) {
  const url = argument(site, "url", 0);
  const value = url ? constString(site.code, url) : null;
  if (url && value !== null && /^[a-z]+:\/\//i.test(value) && !isTrustedModelUrl(value, ctx.trusted)) {
    ctx.out.push({ ruleId: "model-untrusted-hub", from: url.from, to: url.to });
  }
}
function envCall(kind) {
  return (site, ctx) => {
    const { code } = site;
    const set = (name2, value, from, to) => checkEnvAssignment(
      name2,
      value ? constString(code, value) : null,
      from,
      to,
      ctx.trusted,
      ctx.out
    );
    if (kind === "pair") {
      const [k, v] = site.args.positional;
      const name2 = k ? constString(code, k) : null;
      if (name2 !== null) {
        set(name2, v, site.node.from, site.node.to);
      }
      return;
    }
    const dict = site.args.positional[0];
    if (dict && dict.name === "DictionaryExpression") {
      for (const [name2, value] of dictEntries(code, dict)) {
        set(name2, value, site.node.from, site.node.to);
      }
    }
    site.args.keywords.forEach(
      (kw, name2) => set(name2, kw.value, kw.from, kw.to)
    );
  };
}
function shellCommand(site, ctx) {
  const cmd = argument(site, "args", 0) ?? argument(site, "cmd", 0) ?? argument(site, "command", 0);
  if (!cmd) {
    return;
  }
  let line = constString(site.code, cmd);
  const elements = line === null ? sequenceElements(cmd) : null;
  if (elements) {
    line = elements.map((e, i) => {
      const s = constString(site.code, e);
      return s === null ? i === 0 ? "python" : "ARG" : /\s/.test(s) ? `'${s}'` : s;
    }).join(" ");
  }
  if (line === null) {
    return;
  }
  const found = [];
  analyzeShell(line, 0, ctx.trusted, found);
  for (const f of found) {
    ctx.out.push({ ruleId: f.ruleId, from: cmd.from, to: cmd.to });
  }
}
function table(entries) {
  const map = /* @__PURE__ */ new Map();
  for (const [names, check] of entries) {
    for (const name2 of names) {
      map.set(name2, check);
    }
  }
  return map;
}
var each = (modules, names) => modules.flatMap((m) => names.map((n) => `${m}.${n}`));
var CALL_RULES = table([
  [
    ["torch.load", "torch.serialization.load"],
    torchLoad("torch-load-unsafe", 2)
  ],
  [
    ["torch.hub.load_state_dict_from_url"],
    (s, c) => {
      torchLoad("torch-load-weights-only-false", -1)(s, c);
      modelUrl(s, c);
    }
  ],
  [["torch.hub.download_url_to_file"], modelUrl],
  [["torch.hub.load"], flagCall("torch-hub-load")],
  [
    each(
      ["torch.distributed"],
      [
        "broadcast_object_list",
        "all_gather_object",
        "gather_object",
        "scatter_object_list",
        "send_object_list",
        "recv_object_list"
      ]
    ),
    flagCall("torch-distributed-object")
  ],
  [
    each(
      ["pickle", "_pickle", "cPickle", "pickle5"],
      ["load", "loads", "Unpickler"]
    ),
    flagCall("pickle-load")
  ],
  [
    each(
      ["dill"],
      ["load", "loads", "Unpickler", "load_session", "load_module"]
    ),
    flagCall("dill-load")
  ],
  [each(["cloudpickle"], ["load", "loads"]), flagCall("cloudpickle-load")],
  [
    ["jsonpickle.decode", "jsonpickle.unpickler.decode"],
    flagCall("jsonpickle-decode")
  ],
  [["shelve.open", "shelve.DbfilenameShelf"], flagCall("shelve-open")],
  [each(["marshal"], ["load", "loads"]), flagCall("marshal-load")],
  [["joblib.load", "sklearn.externals.joblib.load"], flagCall("joblib-load")],
  [["numpy.load"], numpyLoad],
  [["pandas.read_pickle"], flagCall("pandas-read-pickle")],
  [
    each(
      [
        "keras.models",
        "keras.saving",
        "tensorflow.keras.models",
        "tensorflow.keras.saving",
        "tf_keras.models"
      ],
      ["load_model"]
    ),
    kerasLoadModel
  ],
  [
    each(
      [
        "keras.config",
        "tensorflow.keras.config",
        "keras.src.saving.serialization_lib"
      ],
      ["enable_unsafe_deserialization"]
    ),
    flagCall("keras-unsafe-deserialization")
  ],
  [
    [
      "tensorflow.saved_model.load",
      "tensorflow.saved_model.loader.load",
      "tensorflow.compat.v1.saved_model.load",
      "tensorflow.compat.v1.saved_model.loader.load",
      "tensorflow.compat.v2.saved_model.load"
    ],
    flagCall("tf-saved-model-load")
  ],
  [["yaml.load"], yamlLoad("safe_load")],
  [["yaml.load_all"], yamlLoad("safe_load_all")],
  [["yaml.unsafe_load", "yaml.full_load"], yamlRename("safe_load")],
  [["yaml.unsafe_load_all", "yaml.full_load_all"], yamlRename("safe_load_all")],
  [
    ["huggingface_hub.hf_hub_download", "huggingface_hub.snapshot_download"],
    hubDownload("repo_id")
  ],
  [["datasets.load_dataset"], hubDownload("path")],
  [["os.environ.update"], envCall("update")],
  [
    ["os.environ.setdefault", "os.putenv", "os.environ.__setitem__"],
    envCall("pair")
  ],
  [
    [
      "os.system",
      "os.popen",
      "subprocess.run",
      "subprocess.call",
      "subprocess.check_call",
      "subprocess.check_output",
      "subprocess.Popen",
      "subprocess.getoutput",
      "subprocess.getstatusoutput"
    ],
    shellCommand
  ]
]);
var METHOD_RULES = /* @__PURE__ */ new Map([
  ["from_pretrained", hubDownload("pretrained_model_name_or_path")]
]);
var STAR_EXPORTS = (() => {
  const map = /* @__PURE__ */ new Map();
  for (const qname of CALL_RULES.keys()) {
    const dot2 = qname.lastIndexOf(".");
    const mod = qname.slice(0, dot2);
    const list = map.get(mod) ?? [];
    list.push(qname.slice(dot2 + 1));
    map.set(mod, list);
  }
  return map;
})();
function mayMatch(qname, property, mentionsTrustRemoteCode) {
  return mentionsTrustRemoteCode || qname !== null && CALL_RULES.has(qname) || property !== null && METHOD_RULES.has(property);
}
function checkCall(site, ctx) {
  if (site.qname !== null) {
    CALL_RULES.get(site.qname)?.(site, ctx);
  }
  if (site.property !== null) {
    METHOD_RULES.get(identifier(site.code, site.property))?.(site, ctx);
  }
  const trust = site.args.keywords.get("trust_remote_code");
  if (trust && literalTruth(site.code, trust.value) !== false) {
    ctx.out.push({
      ruleId: "hf-trust-remote-code",
      from: trust.from,
      to: trust.to,
      fix: literalTruth(site.code, trust.value) === true ? replaceValue(trust.value, "False", "Use trust_remote_code=False") : void 0
    });
  }
}

// src/analyzer/paths.ts
var IMPORT_FUNCTIONS = /* @__PURE__ */ new Set([
  "__import__",
  "builtins.__import__",
  "importlib.__import__"
]);
var IMPORT_MODULE = "importlib.import_module";
var GETATTR = "getattr";
var CODE_RUNNERS = /* @__PURE__ */ new Set([
  "exec",
  "eval",
  "builtins.exec",
  "builtins.eval"
]);
var SYS_MODULES = "sys.modules";
var OS_ENVIRON = "os.environ";
var RESOLVER_PATHS = [
  ...IMPORT_FUNCTIONS,
  IMPORT_MODULE,
  GETATTR,
  ...CODE_RUNNERS,
  SYS_MODULES,
  OS_ENVIRON
];

// src/analyzer/python.ts
var MAX_DEPTH = 400;
var MAX_NESTED_CODE = 3;
var PythonPass = class _PythonPass {
  constructor(code, ctx, nesting = 0) {
    this.code = code;
    this.ctx = ctx;
    this.nesting = nesting;
    this.mentionsTrustRemoteCode = code.includes("trust_remote_code");
  }
  run(tree, scope) {
    this.walkChildren(tree.topNode, scope, 0);
  }
  walkChildren(node, scope, depth) {
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      this.walk(c, scope, depth + 1);
    }
  }
  walk(node, scope, depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    switch (node.name) {
      case "ImportStatement":
        this.importStatement(node, scope);
        return;
      case "AssignStatement":
        this.assignStatement(node, scope, depth);
        return;
      case "CallExpression":
        this.callExpression(node, scope, depth);
        return;
      case "FunctionDefinition":
        this.functionDefinition(node, scope, depth);
        return;
      case "LambdaExpression":
        this.lambdaExpression(node, scope, depth);
        return;
      case "ClassDefinition":
        this.classDefinition(node, scope, depth);
        return;
      case "NamedExpression":
        this.namedExpression(node, scope, depth);
        return;
      case "ForStatement":
      case "WithStatement":
      case "TryStatement":
      case "DeleteStatement":
        this.bindingStatement(node, scope, depth);
        return;
      case "String":
      case "Comment":
      case "Number":
      case "VariableName":
      case "PropertyName":
        return;
      default:
        this.walkChildren(node, scope, depth);
    }
  }
  /** The dotted path an expression denotes (`t.load` -> `torch.load`), or null. */
  resolve(node, scope, depth = 0) {
    if (depth > 60) {
      return null;
    }
    switch (node.name) {
      case "VariableName":
        return scope.resolve(identifier(this.code, node));
      case "MemberExpression": {
        const obj = node.firstChild;
        const op = nextCode(obj);
        if (!obj || !op) {
          return null;
        }
        const base = this.resolve(obj, scope, depth + 1);
        if (base === null) {
          return null;
        }
        if (op.name === ".") {
          const prop = nextCode(op);
          return prop && prop.name === "PropertyName" ? `${base}.${identifier(this.code, prop)}` : null;
        }
        const key = nextCode(op);
        if (base === SYS_MODULES && op.name === "[" && key) {
          return constString(this.code, key);
        }
        return null;
      }
      case "CallExpression":
        return this.resolveCallResult(node, scope, depth);
      case "ParenthesizedExpression": {
        const inner = nextCode(node.firstChild);
        return inner ? this.resolve(inner, scope, depth + 1) : null;
      }
      default:
        return null;
    }
  }
  /** `__import__('x')`, `importlib.import_module('x')`, `getattr(obj, 'name')`. */
  resolveCallResult(node, scope, depth) {
    const callee = node.firstChild;
    const argList = nextCode(callee);
    if (!callee || !argList || argList.name !== "ArgList") {
      return null;
    }
    const fn = this.resolve(callee, scope, depth + 1);
    if (fn === null) {
      return null;
    }
    const args = parseArguments(this.code, argList);
    const first = args.keywords.get("name")?.value ?? args.positional[0];
    if (IMPORT_FUNCTIONS.has(fn)) {
      const name2 = first ? constString(this.code, first) : null;
      if (name2 === null) {
        return null;
      }
      const fromlist = args.keywords.get("fromlist")?.value ?? args.positional[3];
      return fromlist ? name2 : name2.split(".")[0];
    }
    if (fn === IMPORT_MODULE) {
      return first ? constString(this.code, first) : null;
    }
    if (fn === GETATTR && args.positional.length >= 2) {
      const base = this.resolve(args.positional[0], scope, depth + 1);
      const attr = constString(this.code, args.positional[1]);
      return base !== null && attr !== null ? `${base}.${attr}` : null;
    }
    return null;
  }
  importStatement(node, scope) {
    const parts = [];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      parts.push(c);
    }
    if (parts.length === 0) {
      return;
    }
    if (parts[0].name === "from") {
      let i = 1;
      let relative = false;
      const modParts = [];
      for (; i < parts.length && parts[i].name !== "import"; i++) {
        if (parts[i].name === "VariableName") {
          modParts.push(identifier(this.code, parts[i]));
        } else if (modParts.length === 0) {
          relative = true;
        }
      }
      const mod = relative ? null : modParts.join(".");
      for (i++; i < parts.length; i++) {
        const p = parts[i];
        if (p.name === "*" || p.name === "\u26A0" && text(this.code, p) === "*") {
          for (const name2 of mod && STAR_EXPORTS.get(mod) || []) {
            scope.bind(name2, `${mod}.${name2}`);
          }
        } else if (p.name === "VariableName") {
          const name2 = identifier(this.code, p);
          let local = name2;
          if (parts[i + 1]?.name === "as" && parts[i + 2]?.name === "VariableName") {
            local = identifier(this.code, parts[i + 2]);
            i += 2;
          }
          scope.bind(local, mod ? `${mod}.${name2}` : null);
        }
      }
      return;
    }
    let dotted = [];
    for (let i = 1; i <= parts.length; i++) {
      const p = parts[i];
      if (p && p.name === "VariableName") {
        dotted.push(identifier(this.code, p));
      } else if (p && p.name === "as") {
        const alias = parts[i + 1];
        if (alias && alias.name === "VariableName" && dotted.length > 0) {
          scope.bind(identifier(this.code, alias), dotted.join("."));
        }
        dotted = [];
        i++;
      } else if (!p || p.name === ",") {
        if (dotted.length > 0) {
          scope.bind(dotted[0], dotted[0]);
        }
        dotted = [];
      }
    }
  }
  assignStatement(node, scope, depth) {
    const segments = [[]];
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === "AssignOp") {
        segments.push([]);
      } else if (c.name !== "TypeDef") {
        segments[segments.length - 1].push(c);
      }
    }
    const value = segments[segments.length - 1];
    for (const v of value) {
      this.walk(v, scope, depth + 1);
    }
    if (segments.length < 2) {
      return;
    }
    const valueExprs = value.filter((v) => v.name !== ",");
    for (const target of segments.slice(0, -1)) {
      const names = target.filter((t2) => t2.name !== ",");
      for (const t2 of names) {
        if (t2.name !== "VariableName") {
          this.walk(t2, scope, depth + 1);
        }
      }
      if (names.length === 1 && valueExprs.length === 1) {
        this.bindTarget(names[0], valueExprs[0], scope);
      } else if (names.length === valueExprs.length) {
        names.forEach((t2, i) => this.bindTarget(t2, valueExprs[i], scope));
      } else {
        names.forEach((t2) => this.bindTarget(t2, null, scope));
      }
    }
  }
  bindTarget(target, value, scope) {
    if (target.name === "VariableName") {
      scope.bind(
        identifier(this.code, target),
        value ? this.resolve(value, scope) : null
      );
      return;
    }
    const obj = target.firstChild;
    const open = nextCode(obj);
    const key = nextCode(open);
    if (target.name === "MemberExpression" && obj && open?.name === "[" && key) {
      if (this.resolve(obj, scope) === OS_ENVIRON) {
        const name2 = constString(this.code, key);
        if (name2 !== null) {
          checkEnvAssignment(
            name2,
            value ? constString(this.code, value) : null,
            target.from,
            value ? value.to : target.to,
            this.ctx.trusted,
            this.ctx.out
          );
        }
      }
    }
  }
  callExpression(node, scope, depth) {
    const callee = node.firstChild;
    const argList = nextCode(callee);
    this.walkChildren(node, scope, depth);
    if (!callee || !argList || argList.name !== "ArgList") {
      return;
    }
    const qname = this.resolve(callee, scope);
    const property = callee.name === "MemberExpression" && callee.lastChild?.name === "PropertyName" ? callee.lastChild : null;
    const runsCode = qname !== null && CODE_RUNNERS.has(qname);
    if (!runsCode && !mayMatch(
      qname,
      property && identifier(this.code, property),
      this.mentionsTrustRemoteCode && this.code.slice(argList.from, argList.to).includes("trust_remote_code")
    )) {
      return;
    }
    const args = parseArguments(this.code, argList);
    if (args.close < 0) {
      return;
    }
    if (runsCode) {
      this.codeString(args.positional[0], scope);
    }
    checkCall(
      {
        code: this.code,
        node,
        callee,
        qname,
        property,
        args,
        resolve: (n) => this.resolve(n, scope)
      },
      this.ctx
    );
  }
  /** exec("import pickle; pickle.loads(b)"): findings inside point at the string argument. */
  codeString(arg, scope) {
    const source = arg ? constString(this.code, arg) : null;
    if (!arg || source === null || this.nesting >= MAX_NESTED_CODE) {
      return;
    }
    const inner = [];
    new _PythonPass(
      source,
      { trusted: this.ctx.trusted, out: inner },
      this.nesting + 1
    ).run(parser.parse(source), scope.child());
    for (const f of inner) {
      this.ctx.out.push({ ruleId: f.ruleId, from: arg.from, to: arg.to });
    }
  }
  functionDefinition(node, scope, depth) {
    const inner = scope.child();
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === "VariableName") {
        scope.bind(identifier(this.code, c), null);
      } else if (c.name === "ParamList") {
        this.parameters(c, scope, inner, depth);
      } else if (c.name === "Body") {
        this.walkChildren(c, inner, depth);
      } else {
        this.walk(c, scope, depth + 1);
      }
    }
  }
  lambdaExpression(node, scope, depth) {
    const inner = scope.child();
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === "ParamList") {
        this.parameters(c, scope, inner, depth);
      } else {
        this.walk(c, inner, depth + 1);
      }
    }
  }
  /** Parameter names shadow outer names inside; default values are evaluated outside. */
  parameters(list, outer, inner, depth) {
    let expectName = true;
    for (let c = list.firstChild; c !== null; c = c.nextSibling) {
      const n = c.name;
      if (n === "(" || n === "," || n === "*" || n === "**" || n === "/") {
        expectName = true;
      } else if (n === "VariableName" && expectName) {
        inner.bind(identifier(this.code, c), null);
        expectName = false;
      } else if (n !== "TypeDef" && n !== "AssignOp") {
        this.walk(c, outer, depth + 1);
        expectName = false;
      }
    }
  }
  classDefinition(node, scope, depth) {
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      if (c.name === "VariableName") {
        scope.bind(identifier(this.code, c), null);
      } else if (c.name === "Body") {
        this.walkChildren(c, scope.child(), depth);
      } else {
        this.walk(c, scope, depth + 1);
      }
    }
  }
  namedExpression(node, scope, depth) {
    const target = node.firstChild;
    const value = node.lastChild;
    if (value && value !== target) {
      this.walk(value, scope, depth + 1);
    }
    if (target && target.name === "VariableName") {
      scope.bind(
        identifier(this.code, target),
        value && value !== target ? this.resolve(value, scope) : null
      );
    }
  }
  /** for/with/except/del: the names they bind (loop targets, `as` names) become unknown. */
  bindingStatement(node, scope, depth) {
    let binding = node.name === "ForStatement" || node.name === "DeleteStatement";
    for (let c = node.firstChild; c !== null; c = c.nextSibling) {
      const n = c.name;
      if (n === "as") {
        binding = true;
        continue;
      }
      if (n === "in" || n === "Body" || n === ":") {
        binding = false;
      }
      if (binding && n === "VariableName") {
        scope.bind(identifier(this.code, c), null);
        if (node.name === "WithStatement" || node.name === "TryStatement") {
          binding = false;
        }
      } else if (n === "Body") {
        this.walkChildren(c, scope, depth);
      } else {
        this.walk(c, scope, depth + 1);
      }
    }
  }
};

// src/analyzer/statements.ts
var LF = 10;
var CR = 13;
var HASH = 35;
var BACKSLASH = 92;
var SQUOTE = 39;
var DQUOTE = 34;
var BRACE_OPEN = 123;
var BRACE_CLOSE = 125;
var COLON = 58;
var AT = 64;
var BRACKET = 0;
var FIELD = 1;
var SPEC = 2;
var STRING = 3;
var F_DOUBLE = 1;
var F_LONG = 2;
var F_RAW = 4;
var F_FORMAT = 8;
var IN_CODE = 1;
var IN_STRING = 2;
var IN_SPEC = 4;
var SPECIAL = (() => {
  const table2 = new Uint8Array(128);
  const mark = (chars, bit) => {
    for (const c of chars) {
      table2[c.charCodeAt(0)] |= bit;
    }
  };
  mark(`
\r#\\'"()[]{}:`, IN_CODE);
  mark(`
\\'"{`, IN_STRING);
  mark("{}", IN_SPEC);
  return table2;
})();
function skipPlain(code, i, bit) {
  const n = code.length;
  for (; i < n; i++) {
    const ch = code.charCodeAt(i);
    if (ch < 128 && SPECIAL[ch] & bit) {
      return i;
    }
  }
  return n;
}
var CONTINUATION = /(?:else|elif|except|finally)(?![\w\u00a1-\uffff])/y;
function isContinuation(code, i, ch) {
  if (ch !== 101 && ch !== 102) {
    return false;
  }
  CONTINUATION.lastIndex = i;
  return CONTINUATION.test(code);
}
function isIdentChar(ch) {
  return ch >= 97 && ch <= 122 || ch >= 65 && ch <= 90 || ch === 95 || ch >= 48 && ch <= 57 || ch >= 161;
}
function canStartStatement(ch) {
  return isIdentChar(ch) && ch !== 65279 || ch === SQUOTE || ch === DQUOTE || ch === 40 || // (
  ch === 91 || // [
  ch === BRACE_OPEN || ch === AT || ch === 45 || // -
  ch === 43 || // +
  ch === 126 || // ~
  ch === 42 || // *
  ch === 46;
}
function stringFlags2(code, quote) {
  let start = quote;
  while (start > 0 && quote - start < 3 && isIdentChar(code.charCodeAt(start - 1))) {
    start--;
  }
  let flags = code.charCodeAt(quote) === DQUOTE ? F_DOUBLE : 0;
  if (start < quote && (start === 0 || !isIdentChar(code.charCodeAt(start - 1)))) {
    switch (code.slice(start, quote).toLowerCase()) {
      case "r":
      case "br":
      case "rb":
        flags |= F_RAW;
        break;
      case "f":
        flags |= F_FORMAT;
        break;
      case "fr":
      case "rf":
        flags |= F_FORMAT | F_RAW;
        break;
    }
  }
  return flags;
}
function scanStatements(code) {
  const statements = [];
  const comments = [];
  const n = code.length;
  let from = 0;
  const kinds = [];
  const flags = [];
  let depth = 0;
  let afterDecorator = false;
  let continued = false;
  let lineBegin = 0;
  let lineStart = true;
  let i = 0;
  while (i < n) {
    if (lineStart) {
      lineStart = false;
      const j = skipBlanks(code, i);
      const ch2 = code.charCodeAt(j);
      if (j < n && ch2 !== LF && ch2 !== CR && ch2 !== HASH) {
        if (j === i && i > 0 && !afterDecorator && canStartStatement(ch2) && !isContinuation(code, i, ch2)) {
          statements.push({ from, to: i });
          from = i;
        }
        afterDecorator = ch2 === AT;
      }
    }
    const kind = depth === 0 ? BRACKET : kinds[depth - 1];
    if (kind === STRING) {
      i = skipPlain(code, i, IN_STRING);
      if (i >= n) {
        break;
      }
      const f = flags[depth - 1];
      const ch2 = code.charCodeAt(i);
      if (ch2 === BACKSLASH) {
        i = escapeEnd(code, i, f);
      } else if (ch2 === (f & F_DOUBLE ? DQUOTE : SQUOTE)) {
        if (!(f & F_LONG)) {
          depth--;
          i++;
        } else if (code.charCodeAt(i + 1) === ch2 && code.charCodeAt(i + 2) === ch2) {
          depth--;
          i += 3;
        } else {
          i++;
        }
      } else if (ch2 === LF && !(f & F_LONG)) {
        depth--;
      } else if (ch2 === BRACE_OPEN && f & F_FORMAT) {
        if (code.charCodeAt(i + 1) === BRACE_OPEN) {
          i += 2;
        } else {
          kinds[depth] = FIELD;
          flags[depth++] = 0;
          i++;
        }
      } else {
        i++;
      }
      continue;
    }
    if (kind === SPEC) {
      i = skipPlain(code, i, IN_SPEC);
      if (i >= n) {
        break;
      }
      if (code.charCodeAt(i) === BRACE_OPEN) {
        kinds[depth] = FIELD;
        flags[depth++] = 0;
      } else {
        depth -= 2;
      }
      i++;
      continue;
    }
    i = skipPlain(code, i, IN_CODE);
    if (i >= n) {
      break;
    }
    const ch = code.charCodeAt(i);
    switch (ch) {
      case LF:
      case CR: {
        const afterStringCR = ch === LF && i > 0 && code.charCodeAt(i - 1) === CR;
        const lineEnd = i;
        i += ch === CR && code.charCodeAt(i + 1) === LF ? 2 : 1;
        if (depth > 0 || afterStringCR) {
          break;
        }
        const blank = continued && isBlankLine(code, lineBegin, lineEnd);
        lineBegin = i;
        if (!blank) {
          continued = false;
          lineStart = true;
        }
        break;
      }
      case HASH: {
        const start = i;
        while (i < n && code.charCodeAt(i) !== LF && code.charCodeAt(i) !== CR) {
          i++;
        }
        comments.push(start, i);
        break;
      }
      case BACKSLASH: {
        const next = code.charCodeAt(i + 1);
        i += next === CR && code.charCodeAt(i + 2) === LF ? 3 : 2;
        if (depth === 0 && (next === LF || next === CR)) {
          continued = true;
          lineBegin = i;
        }
        break;
      }
      case SQUOTE:
      case DQUOTE: {
        let f = stringFlags2(code, i);
        if (code.charCodeAt(i + 1) === ch && code.charCodeAt(i + 2) === ch) {
          f |= F_LONG;
          i += 3;
        } else {
          i++;
        }
        kinds[depth] = STRING;
        flags[depth++] = f;
        break;
      }
      case 40:
      // (
      case 91:
      // [
      case BRACE_OPEN:
        kinds[depth] = BRACKET;
        flags[depth++] = ch;
        i++;
        break;
      case 41:
      // )
      case 93:
      // ]
      case BRACE_CLOSE:
        if (depth > 0 && (kind === BRACKET && flags[depth - 1] === (ch === 41 ? 40 : ch - 2) || kind === FIELD && ch === BRACE_CLOSE)) {
          depth--;
        }
        i++;
        break;
      case COLON:
        if (depth > 0 && kind === FIELD) {
          kinds[depth] = SPEC;
          flags[depth++] = 0;
        }
        i++;
        break;
      default:
        i++;
    }
  }
  statements.push({ from, to: n });
  return { statements, comments };
}
function skipBlanks(code, i) {
  for (; ; ) {
    const ch = code.charCodeAt(i);
    if (ch !== 32 && ch !== 9 && ch !== 12) {
      return i;
    }
    i++;
  }
}
function isBlankLine(code, from, to) {
  const j = skipBlanks(code, from);
  return j >= to || code.charCodeAt(j) === HASH;
}
function escapeEnd(code, i, f) {
  if (i + 1 >= code.length) {
    return i + 1;
  }
  if (!(f & F_RAW) && code.charCodeAt(i + 1) === 78 && code.charCodeAt(i + 2) === BRACE_OPEN) {
    let j = i + 3;
    for (; j < code.length; j++) {
      const c = code.charCodeAt(j);
      if (c === BRACE_CLOSE) {
        return j + 1;
      }
      if (c === SQUOTE || c === DQUOTE || c === LF) {
        return j;
      }
    }
    return j;
  }
  return i + 2;
}

// src/analyzer/relevance.ts
var RELEVANT_PREFIXES = (() => {
  const set = /* @__PURE__ */ new Set();
  for (const path4 of [...CALL_RULES.keys(), ...RESOLVER_PATHS]) {
    for (let dot2 = path4.indexOf("."); dot2 > 0; dot2 = path4.indexOf(".", dot2 + 1)) {
      set.add(path4.slice(0, dot2));
    }
    set.add(path4);
  }
  return set;
})();
function isRelevantPath(path4) {
  return RELEVANT_PREFIXES.has(path4) || SAFE_YAML_LOADERS.has(path4.slice(path4.lastIndexOf(".") + 1));
}
function relevantOrNull(path4) {
  return path4 !== null && isRelevantPath(path4) ? path4 : null;
}
var TRIGGER_WORDS = [
  "import",
  "trust_remote_code",
  ...METHOD_RULES.keys()
];
var NON_ASCII_RUN = /[\u0080-\uffff]+/g;
var ASCII_NAME_CHAR = /[A-Za-z0-9_]/;
var SPACE = 32;
var TAB = 9;
var DOT = 46;
var RelevanceFilter = class {
  constructor(code, scan, scope) {
    this.code = code;
    this.scan = scan;
    this.scope = scope;
    this.nextTrigger = 0;
    this.nextName = 0;
    /**
     * Names the cell's own plain imports bind (`import pickle as pkl`, `from torch import
     * load`), with the paths they bind: statements after the import are judged with them, so a
     * cell that imports and uses an alias is analysed in one pass.
     */
    this.imported = /* @__PURE__ */ new Map();
    const found = [];
    for (const w of TRIGGER_WORDS) {
      for (let i = code.indexOf(w); i >= 0; i = code.indexOf(w, i + w.length)) {
        found.push(i);
      }
    }
    NON_ASCII_RUN.lastIndex = 0;
    for (let m = NON_ASCII_RUN.exec(code); m !== null; m = NON_ASCII_RUN.exec(code)) {
      if (ASCII_NAME_CHAR.test(m[0].normalize("NFKC"))) {
        found.push(m.index);
      }
    }
    this.triggers = found.sort((a, b) => a - b);
    this.lookedFor = new Set(scope.resolvedNames());
    this.names = nameOccurrences(code, this.lookedFor, scan.comments);
  }
  /** Call for the statements in text order. */
  mayMatter(statement) {
    const { code, triggers, names } = this;
    while (this.nextTrigger < triggers.length && triggers[this.nextTrigger] < statement.from) {
      this.nextTrigger++;
    }
    while (this.nextName < names.length && names[this.nextName] < statement.from) {
      this.nextName += 2;
    }
    const imported = plainImport(code, statement);
    if (imported !== null) {
      const changed = imported.map(([name2, path4]) => [
        name2,
        relevantOrNull(path4)
      ]).filter(([name2, path4]) => path4 !== this.resolve(name2));
      this.assume(changed, statement.to);
      return changed.length > 0;
    }
    if (this.nextTrigger < triggers.length && triggers[this.nextTrigger] < statement.to) {
      return true;
    }
    for (let k = this.nextName; k < names.length && names[k] < statement.to; k += 2) {
      const path4 = this.resolve(code.slice(names[k], names[k + 1]));
      if (path4 !== null && chainIsRelevant(code, names[k + 1], path4)) {
        return true;
      }
    }
    return false;
  }
  resolve(name2) {
    const own = this.imported.get(name2);
    return own !== void 0 ? own : this.scope.resolve(name2);
  }
  /** Judge the statements after `from` with these bindings. */
  assume(bindings, from) {
    const added = [];
    for (const [name2, path4] of bindings) {
      if (path4 !== null && !this.lookedFor.has(name2)) {
        this.lookedFor.add(name2);
        added.push(name2);
      }
      this.imported.set(name2, path4);
    }
    if (added.length > 0) {
      const more = nameOccurrences(this.code, added, this.scan.comments, from);
      this.names = mergePairs(this.names.slice(this.nextName), more);
      this.nextName = 0;
    }
  }
};
function chainIsRelevant(code, from, base) {
  let path4 = base;
  let i = from;
  for (; ; ) {
    i = skipBlanks(code, i);
    if (code.charCodeAt(i) !== DOT || code.charCodeAt(i + 1) === DOT) {
      break;
    }
    const start = skipBlanks(code, i + 1);
    let end = start;
    while (end < code.length && isIdentChar(code.charCodeAt(end))) {
      end++;
    }
    if (end === start) {
      break;
    }
    path4 = `${path4}.${code.slice(start, end)}`;
    i = end;
  }
  return isRelevantPath(path4);
}
function statementsUsing(code, scan, names) {
  const found = nameOccurrences(code, names, scan.comments);
  let k = 0;
  return scan.statements.map((s) => {
    while (k < found.length && found[k] < s.from) {
      k += 2;
    }
    return k < found.length && found[k] < s.to;
  });
}
function mergePairs(a, b) {
  const out = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || i < a.length && a[i] <= b[j]) {
      out.push(a[i], a[i + 1]);
      i += 2;
    } else {
      out.push(b[j], b[j + 1]);
      j += 2;
    }
  }
  return out;
}
var PATTERNS = /* @__PURE__ */ new Map();
var MAX_PATTERNS = 64;
function namesPattern(names) {
  const list = [...names];
  if (list.length === 0) {
    return null;
  }
  const key = list.join(" ");
  let pattern = PATTERNS.get(key);
  if (pattern === void 0) {
    if (PATTERNS.size >= MAX_PATTERNS) {
      PATTERNS.clear();
    }
    const alternatives = list.map(
      (n) => n.replace(/[^\w\u00a1-\uffff]/g, (c) => `\\${c}`)
    );
    pattern = new RegExp(
      `(?<![\\w\\u00a1-\\uffff])(?:${alternatives.join("|")})(?![\\w\\u00a1-\\uffff])`,
      "g"
    );
    PATTERNS.set(key, pattern);
  }
  return pattern;
}
function nameOccurrences(code, names, comments, from = 0) {
  const out = [];
  const pattern = namesPattern(names);
  if (pattern === null) {
    return out;
  }
  pattern.lastIndex = from;
  let c = 0;
  for (let m = pattern.exec(code); m !== null; m = pattern.exec(code)) {
    const start = m.index;
    while (c < comments.length && comments[c + 1] <= start) {
      c += 2;
    }
    if (c < comments.length && comments[c] <= start || isAttributeName(code, start)) {
      continue;
    }
    out.push(start, start + m[0].length);
  }
  return out;
}
function isAttributeName(code, start) {
  let j = start - 1;
  while (j >= 0 && (code.charCodeAt(j) === SPACE || code.charCodeAt(j) === TAB)) {
    j--;
  }
  if (j < 1 || code.charCodeAt(j) !== DOT) {
    return false;
  }
  j--;
  while (j >= 0 && (code.charCodeAt(j) === SPACE || code.charCodeAt(j) === TAB)) {
    j--;
  }
  if (j < 0) {
    return false;
  }
  const before = code.charCodeAt(j);
  return isIdentChar(before) && before !== DOT || before === 41 || before === 93 || before === 125 || before === 39 || before === 34;
}
var NAME = "[A-Za-z_][A-Za-z0-9_]*";
var DOTTED = `${NAME}(?:\\.${NAME})*`;
var AS = `(?:[ \\t]+as[ \\t]+${NAME})?`;
var TAIL = "[ \\t]*(?:#[^\\n\\r]*)?(?:(?:\\r\\n?|\\n)[ \\t]*(?:#[^\\n\\r]*)?)*";
var PLAIN_IMPORT = new RegExp(
  `import[ \\t]+(${DOTTED}${AS}(?:[ \\t]*,[ \\t]*${DOTTED}${AS})*)${TAIL}`,
  "y"
);
var PLAIN_FROM_IMPORT = new RegExp(
  `from[ \\t]+(${DOTTED})[ \\t]+import[ \\t]+(${NAME}${AS}(?:[ \\t]*,[ \\t]*${NAME}${AS})*)${TAIL}`,
  "y"
);
var AS_SEPARATOR = /[ \t]+as[ \t]+/;
var KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" ")
);
function plainImport(code, statement) {
  const first = code.charCodeAt(statement.from);
  const pattern = first === 105 ? PLAIN_IMPORT : first === 102 ? PLAIN_FROM_IMPORT : null;
  if (pattern === null) {
    return null;
  }
  pattern.lastIndex = statement.from;
  const m = pattern.exec(code);
  if (m === null || pattern.lastIndex !== statement.to) {
    return null;
  }
  const out = [];
  const module2 = pattern === PLAIN_FROM_IMPORT ? m[1] : null;
  for (const part of (module2 === null ? m[1] : m[2]).split(",")) {
    const [name2, alias] = part.trim().split(AS_SEPARATOR);
    if (KEYWORDS.has(name2) || alias !== void 0 && KEYWORDS.has(alias)) {
      return null;
    }
    if (module2 !== null) {
      out.push([alias ?? name2, `${module2}.${name2}`]);
    } else if (alias !== void 0) {
      out.push([alias, name2]);
    } else {
      const top = name2.split(".")[0];
      out.push([top, top]);
    }
  }
  if (module2 !== null && module2.split(".").some((w) => KEYWORDS.has(w))) {
    return null;
  }
  return out;
}

// src/analyzer/scope.ts
var EMPTY_SCOPE = { bindings: /* @__PURE__ */ new Map() };
var IMPLICIT_NAMES = /* @__PURE__ */ new Map([
  ["__import__", "__import__"],
  ["getattr", "getattr"],
  ["exec", "exec"],
  ["eval", "eval"],
  ["torch", "torch"],
  ["pickle", "pickle"],
  ["_pickle", "_pickle"],
  ["cPickle", "cPickle"],
  ["dill", "dill"],
  ["cloudpickle", "cloudpickle"],
  ["jsonpickle", "jsonpickle"],
  ["shelve", "shelve"],
  ["marshal", "marshal"],
  ["joblib", "joblib"],
  ["numpy", "numpy"],
  ["np", "numpy"],
  ["pandas", "pandas"],
  ["pd", "pandas"],
  ["yaml", "yaml"],
  ["keras", "keras"],
  ["tensorflow", "tensorflow"],
  ["tf", "tensorflow"],
  ["importlib", "importlib"],
  ["os", "os"],
  ["sys", "sys"],
  ["subprocess", "subprocess"]
]);
var Scope = class _Scope {
  constructor(parent, before) {
    this.parent = parent;
    this.before = before;
    this.bindings = new Map(before ?? []);
    this.rebound = parent === null ? /* @__PURE__ */ new Set() : null;
  }
  static fromSnapshot(snapshot) {
    return new _Scope(null, snapshot.bindings);
  }
  child() {
    return new _Scope(this, null);
  }
  bind(name2, path4) {
    const target = relevantOrNull(path4);
    if (this.parent === null) {
      if (target !== this.resolveBefore(name2)) {
        this.rebound?.add(name2);
      }
      if (target === (IMPLICIT_NAMES.get(name2) ?? null)) {
        this.bindings.delete(name2);
      } else {
        this.bindings.set(name2, target);
      }
      return;
    }
    if (target === null && !this.bindings.has(name2) && this.resolve(name2) === null) {
      return;
    }
    this.bindings.set(name2, target);
  }
  /** The dotted path a name refers to, or null when unknown or not a module member. */
  resolve(name2) {
    const own = this.bindings.get(name2);
    if (own !== void 0) {
      return own;
    }
    if (this.parent !== null) {
      return this.parent.resolve(name2);
    }
    return IMPLICIT_NAMES.get(name2) ?? null;
  }
  /** Names that resolve to a path at module level (the relevance filter looks for them). */
  *resolvedNames() {
    for (const name2 of IMPLICIT_NAMES.keys()) {
      if (!this.bindings.has(name2)) {
        yield name2;
      }
    }
    for (const [name2, path4] of this.bindings) {
      if (path4 !== null) {
        yield name2;
      }
    }
  }
  resolveBefore(name2) {
    const before = this.before?.get(name2);
    return before !== void 0 ? before : IMPLICIT_NAMES.get(name2) ?? null;
  }
  snapshot() {
    return { bindings: new Map(this.bindings) };
  }
};

// src/analyzer/joined.ts
var JoinedText = class {
  /**
   * `pieces` are [from, to) ranges of `original`, in order and not overlapping. Each piece
   * but the last must end a line (top-level statements do), so every piece starts at
   * column 0 of the joined text as it did in the original.
   */
  constructor(original, pieces) {
    /** Start of each piece in the joined text, and in the original one. */
    this.joinedStarts = [];
    this.originalStarts = [];
    const parts = [];
    let length = 0;
    for (const p of pieces) {
      this.joinedStarts.push(length);
      this.originalStarts.push(p.from);
      parts.push(original.slice(p.from, p.to));
      length += p.to - p.from;
    }
    this.text = parts.join("");
  }
  /**
   * The original offset of a joined offset. An offset where one piece ends and the next
   * begins is the end of the first when `isEnd` (a range's end), the start of the next
   * otherwise.
   */
  original(offset, isEnd) {
    const starts = this.joinedStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = lo + hi + 1 >> 1;
      if (isEnd ? starts[mid] < offset : starts[mid] <= offset) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    return this.originalStarts[lo] + (offset - starts[lo]);
  }
};

// src/analyzer/analyzer.ts
function analyzeCell(code, scopeBefore = EMPTY_SCOPE, options = {}) {
  const trusted = trustedSources(options);
  const raw = [];
  const masked = options.ipython === false ? { python: code, shell: [] } : maskIPython(code);
  for (const part of masked.shell) {
    if (part.kind === "env") {
      analyzeEnvMagic(part.text, part.offset, trusted, raw);
    } else {
      analyzeShell(part.text, part.offset, trusted, raw);
    }
  }
  const python = analyzePython(masked.python, scopeBefore, trusted, options);
  return {
    findings: toFindings(code, raw.concat(python.raw)),
    complete: python.analyzedTo >= masked.python.length,
    analyzedTo: Math.min(python.analyzedTo, code.length),
    scopeAfter: python.scope.snapshot()
  };
}
var MAX_REFINEMENTS = 1;
function analyzePython(code, scopeBefore, trusted, options) {
  const deadline = options.parseBudgetMs === void 0 ? void 0 : performance.now() + options.parseBudgetMs;
  const budget = () => deadline === void 0 ? void 0 : Math.max(0, deadline - performance.now());
  if (options.exhaustive) {
    return runPass(code, null, scopeBefore, trusted, budget());
  }
  const scan = scanStatements(code);
  const { statements } = scan;
  const filter = new RelevanceFilter(
    code,
    scan,
    Scope.fromSnapshot(scopeBefore)
  );
  const selected = statements.map((s) => filter.mayMatter(s));
  for (let round = 0; ; round++) {
    const pieces = statements.filter((_, k) => selected[k]);
    const result = runPass(
      code,
      pieces.length === statements.length ? null : pieces,
      scopeBefore,
      trusted,
      budget()
    );
    let more = false;
    const rebound = result.scope.rebound;
    if (rebound !== null && rebound.size > 0) {
      statementsUsing(code, scan, rebound).forEach((uses, k) => {
        if (uses && !selected[k]) {
          selected[k] = more = true;
        }
      });
    }
    if (!more) {
      return result;
    }
    if (round + 1 >= MAX_REFINEMENTS) {
      selected.fill(true);
    }
  }
}
function runPass(code, pieces, scopeBefore, trusted, budgetMs) {
  const scope = Scope.fromSnapshot(scopeBefore);
  const raw = [];
  if (pieces !== null && pieces.length === 0) {
    return { raw, scope, analyzedTo: code.length };
  }
  const joined = pieces === null ? null : new JoinedText(code, pieces);
  const text2 = joined === null ? code : joined.text;
  const tree = parseWithinBudget(text2, budgetMs);
  new PythonPass(text2, { trusted, out: raw }).run(tree, scope);
  if (joined === null) {
    return { raw, scope, analyzedTo: tree.length };
  }
  for (const r of raw) {
    r.from = joined.original(r.from, false);
    r.to = joined.original(r.to, true);
    if (r.fix) {
      r.fix.from = joined.original(r.fix.from, false);
      r.fix.to = joined.original(r.fix.to, true);
    }
  }
  return {
    raw,
    scope,
    analyzedTo: tree.length >= text2.length ? code.length : joined.original(tree.length, true)
  };
}
function parseWithinBudget(code, budgetMs) {
  if (budgetMs === void 0 || !(budgetMs < Infinity)) {
    return parser.parse(code);
  }
  const parse = parser.startParse(code);
  const deadline = performance.now() + budgetMs;
  for (; ; ) {
    const tree = parse.advance();
    if (tree) {
      return tree;
    }
    if (parse.stoppedAt === null && performance.now() > deadline) {
      parse.stopAt(parse.parsedPos);
    }
  }
}
function analyzeNotebook(cells, options = {}) {
  let scope = EMPTY_SCOPE;
  return cells.map((code) => {
    const result = analyzeCell(code, scope, options);
    scope = result.scopeAfter;
    return result.findings;
  });
}
function toFindings(code, raw) {
  if (raw.length === 0) {
    return [];
  }
  const lines = new LineIndex(code);
  const seen = /* @__PURE__ */ new Set();
  const findings = [];
  raw.sort(
    (a, b) => a.from - b.from || a.to - b.to || a.ruleId.localeCompare(b.ruleId)
  );
  for (const r of raw) {
    const key = `${r.ruleId}:${r.from}:${r.to}`;
    if (seen.has(key)) {
      continue;
    }
    seen.add(key);
    const rule = staticRule(r.ruleId);
    const start = lines.position(r.from);
    const end = lines.position(r.to);
    const finding = {
      ruleId: r.ruleId,
      severity: rule.severity,
      message: ruleMessage(rule),
      from: r.from,
      to: r.to,
      line: start.line,
      column: start.column,
      endLine: end.line,
      endColumn: end.column
    };
    if (r.fix) {
      finding.fix = r.fix;
    }
    findings.push(finding);
  }
  return findings;
}

// src/analyzer/policy.ts
function optionsFromPolicy(policy) {
  const sources = policy?.trusted_sources ?? {};
  const options = {};
  if (sources.package_indexes) {
    options.trustedIndexes = sources.package_indexes;
  }
  if (sources.model_hubs) {
    options.trustedModelHubs = sources.model_hubs;
  }
  return options;
}

// src/analyzer/types.ts
var SEVERITIES = [
  "info",
  "low",
  "medium",
  "high",
  "critical"
];

// src/cli/args.ts
var import_node_util = require("node:util");
var USAGE = `usage: warden-scan [--format text|json|sarif] [--min-severity info|low|medium|high|critical]
                   [--policy POLICY.json] [--trusted-index URL]... [--trusted-hub HOST]...
                   PATH...

Scans .py and .ipynb files (folders recursively) for unsafe model and data loading.
Exit status: 0 nothing at or above --min-severity (default: low), 1 findings, 2 usage error
or a file that could not be read or parsed (the other files are still scanned).`;
var UsageError = class extends Error {
};
function parseScanArguments(argv) {
  let parsed;
  try {
    parsed = (0, import_node_util.parseArgs)({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        format: { type: "string", short: "f", default: "text" },
        "min-severity": { type: "string", default: "low" },
        policy: { type: "string" },
        "trusted-index": { type: "string", multiple: true, default: [] },
        "trusted-hub": { type: "string", multiple: true, default: [] },
        help: { type: "boolean", short: "h", default: false }
      }
    });
  } catch (e) {
    throw new UsageError(e.message);
  }
  const v = parsed.values;
  if (v.help) {
    return "help";
  }
  const format = v.format;
  if (format !== "text" && format !== "json" && format !== "sarif") {
    throw new UsageError(
      `--format must be text, json or sarif, not '${format}'`
    );
  }
  const minSeverity = v["min-severity"];
  if (!SEVERITIES.includes(minSeverity)) {
    throw new UsageError(
      `--min-severity must be one of ${SEVERITIES.join(", ")}, not '${minSeverity}'`
    );
  }
  if (parsed.positionals.length === 0) {
    throw new UsageError("no PATH given");
  }
  return {
    format,
    minSeverity,
    paths: parsed.positionals,
    policyFile: v.policy,
    trustedIndexes: v["trusted-index"],
    trustedHubs: v["trusted-hub"]
  };
}

// src/cli/inputs.ts
var fs = __toESM(require("node:fs"));
var path = __toESM(require("node:path"));
var InputError = class extends Error {
  constructor(path4, message) {
    super(`${path4}: ${message}`);
    this.path = path4;
  }
};
var SKIPPED_DIRS = /* @__PURE__ */ new Set(["node_modules", "__pycache__", "site-packages"]);
var SCANNED = /\.(py|ipynb)$/i;
function collectFiles(paths, errors) {
  const files = [];
  const seenDirs = /* @__PURE__ */ new Set();
  const visit = (p, explicit) => {
    let stat;
    try {
      stat = fs.statSync(p);
    } catch (e) {
      errors.push(new InputError(p, describe(e)));
      return;
    }
    if (stat.isDirectory()) {
      let real;
      try {
        real = fs.realpathSync(p);
      } catch {
        real = p;
      }
      if (seenDirs.has(real)) {
        return;
      }
      seenDirs.add(real);
      let entries;
      try {
        entries = fs.readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
      } catch (e) {
        errors.push(new InputError(p, describe(e)));
        return;
      }
      for (const entry of entries) {
        const name2 = entry.name;
        if (name2.startsWith(".") || SKIPPED_DIRS.has(name2)) {
          continue;
        }
        const child = path.join(p, name2);
        if (entry.isFile()) {
          if (SCANNED.test(name2)) {
            files.push(child);
          }
        } else if (entry.isDirectory() || entry.isSymbolicLink() && isDir(child)) {
          visit(child, false);
        } else if (entry.isSymbolicLink() && SCANNED.test(name2)) {
          visit(child, false);
        }
      }
    } else if (explicit || SCANNED.test(p)) {
      files.push(p);
    }
  };
  for (const p of paths) {
    visit(p, true);
  }
  return files;
}
function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
function describe(e) {
  const err = e;
  if (err.code === "ENOENT") {
    return "no such file or directory";
  }
  if (err.code === "EACCES") {
    return "permission denied";
  }
  return err.message ?? String(e);
}
function readSource(p) {
  let text2;
  try {
    text2 = fs.readFileSync(p, "utf8");
  } catch (e) {
    throw new InputError(p, describe(e));
  }
  if (!/\.ipynb$/i.test(p)) {
    return { path: p, kind: "python", units: [text2], language: "python" };
  }
  return { path: p, kind: "notebook", ...parseNotebook(p, text2) };
}
function parseNotebook(p, text2) {
  let nb;
  try {
    nb = JSON.parse(text2);
  } catch (e) {
    throw new InputError(
      p,
      `not a valid notebook: invalid JSON (${e.message})`
    );
  }
  if (typeof nb !== "object" || nb === null || !Array.isArray(nb.cells)) {
    throw new InputError(
      p,
      'not a valid notebook: no "cells" list (only nbformat 4 is supported)'
    );
  }
  const cells = nb.cells;
  const code = [];
  cells.forEach((cell, i) => {
    if (typeof cell !== "object" || cell === null) {
      throw new InputError(
        p,
        `not a valid notebook: cell ${i} is not an object`
      );
    }
    const c = cell;
    if (c.cell_type !== "code") {
      return;
    }
    if (typeof c.source === "string") {
      code.push(c.source);
    } else if (Array.isArray(c.source) && c.source.every((s) => typeof s === "string")) {
      code.push(c.source.join(""));
    } else {
      throw new InputError(
        p,
        `not a valid notebook: cell ${i} has no source text`
      );
    }
  });
  const meta2 = nb.metadata;
  const lang = meta2?.language_info?.name ?? meta2?.kernelspec?.language;
  return {
    units: code,
    language: typeof lang === "string" ? lang.toLowerCase() : null
  };
}

// src/cli/report.ts
function renderJson(report) {
  const findings = report.findings.map(({ path: path4, cell, finding: f }) => ({
    ruleId: f.ruleId,
    severity: f.severity,
    path: path4,
    cell,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message
  }));
  return JSON.stringify({ findings }, null, 2) + "\n";
}
function renderText(report) {
  const lines = report.findings.map(({ path: path4, cell, finding: f }) => {
    const rule = staticRule(f.ruleId);
    const where = cell === null ? path4 : `${path4} [cell ${cell}]`;
    return `${where}:${f.line}:${f.column}: ${f.severity} ${f.ruleId}: ${rule.title}. ${rule.remediation}`;
  });
  const counts = /* @__PURE__ */ new Map();
  for (const { finding } of report.findings) {
    counts.set(finding.severity, (counts.get(finding.severity) ?? 0) + 1);
  }
  const bySeverity = [...SEVERITIES].reverse().filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${s}`).join(", ");
  const n = report.findings.length;
  lines.push(
    `${n} finding${n === 1 ? "" : "s"}${n ? ` (${bySeverity})` : ""} in ${report.filesScanned} file${report.filesScanned === 1 ? "" : "s"}`
  );
  return lines.join("\n") + "\n";
}

// src/cli/sarif.ts
var path2 = __toESM(require("node:path"));
var import_node_url = require("node:url");
var CELL_ADDRESSING = `For .ipynb artifacts, region lines and columns are 1-based within the source of one code cell; result.properties.cell is that cell's 0-based index among the notebook's code cells, also given as a logicalLocation of kind "notebookCell" named "<uri>#cell=<index>". For .py artifacts regions are file positions.`;
var LEVEL = {
  critical: "error",
  high: "error",
  medium: "warning",
  low: "note",
  info: "note"
};
var SECURITY_SEVERITY = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "0.0"
};
function artifactUri(p) {
  if (path2.isAbsolute(p)) {
    return (0, import_node_url.pathToFileURL)(p).href;
  }
  return p.split(path2.sep).map(encodeURIComponent).join("/");
}
function renderSarif(report, version) {
  const ruleIndex = new Map(STATIC_RULES.map((r, i) => [r.id, i]));
  const rules = STATIC_RULES.map((r) => ({
    id: r.id,
    name: r.id.split("-").map((w) => w[0].toUpperCase() + w.slice(1)).join(""),
    shortDescription: { text: r.title },
    fullDescription: { text: r.explanation },
    help: { text: r.remediation },
    defaultConfiguration: { level: LEVEL[r.severity] },
    properties: {
      tags: [
        "security",
        ...r.references.cwe ?? [],
        ...r.references.cve ?? []
      ],
      severity: r.severity,
      action: r.action,
      "security-severity": SECURITY_SEVERITY[r.severity]
    }
  }));
  const results = report.findings.map(({ path: p, cell, finding: f }) => {
    const uri = artifactUri(p);
    const location = {
      physicalLocation: {
        artifactLocation: path2.isAbsolute(p) ? { uri } : { uri, uriBaseId: "SRCROOT" },
        region: {
          startLine: f.line,
          startColumn: f.column,
          endLine: f.endLine,
          endColumn: f.endColumn
        }
      }
    };
    if (cell !== null) {
      location.logicalLocations = [
        {
          name: `cell ${cell}`,
          fullyQualifiedName: `${uri}#cell=${cell}`,
          kind: "notebookCell"
        }
      ];
    }
    const result = {
      ruleId: f.ruleId,
      ruleIndex: ruleIndex.get(f.ruleId),
      level: LEVEL[f.severity],
      message: { text: f.message },
      locations: [location],
      properties: { severity: f.severity, cell }
    };
    if (f.fix && cell === null) {
      result.fixes = [
        {
          description: { text: f.fix.title },
          artifactChanges: [
            {
              artifactLocation: path2.isAbsolute(p) ? { uri } : { uri, uriBaseId: "SRCROOT" },
              replacements: [
                {
                  deletedRegion: {
                    charOffset: f.fix.from,
                    charLength: f.fix.to - f.fix.from
                  },
                  insertedContent: { text: f.fix.insert }
                }
              ]
            }
          ]
        }
      ];
    }
    return result;
  });
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "warden-scan",
            fullName: "Jupyter Warden static analyzer",
            version,
            rules
          }
        },
        originalUriBaseIds: {
          SRCROOT: { uri: (0, import_node_url.pathToFileURL)(process.cwd() + path2.sep).href }
        },
        invocations: [
          {
            executionSuccessful: report.errors.length === 0,
            toolExecutionNotifications: report.errors.map((text2) => ({
              level: "error",
              message: { text: text2 }
            }))
          }
        ],
        results,
        properties: { notebookCellAddressing: CELL_ADDRESSING }
      }
    ]
  };
  return JSON.stringify(log, null, 2) + "\n";
}

// src/cli/scan.ts
var EXIT_CLEAN = 0;
var EXIT_FINDINGS = 1;
var EXIT_ERROR = 2;
function runScan(argv, io) {
  let args;
  try {
    args = parseScanArguments(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`warden-scan: ${e.message}
${USAGE}
`);
      return EXIT_ERROR;
    }
    throw e;
  }
  if (args === "help") {
    io.stdout(USAGE + "\n");
    return EXIT_CLEAN;
  }
  let options;
  try {
    options = analyzerOptions(args);
  } catch (e) {
    io.stderr(`warden-scan: ${e.message}
`);
    return EXIT_ERROR;
  }
  const report = scanPaths(args.paths, options, args.minSeverity);
  for (const error of report.errors) {
    io.stderr(`warden-scan: ${error}
`);
  }
  if (args.format === "json") {
    io.stdout(renderJson(report));
  } else if (args.format === "sarif") {
    io.stdout(renderSarif(report, packageVersion()));
  } else {
    io.stdout(renderText(report));
  }
  if (report.errors.length > 0) {
    return EXIT_ERROR;
  }
  return report.findings.length > 0 ? EXIT_FINDINGS : EXIT_CLEAN;
}
function analyzerOptions(args) {
  let options = {};
  if (args.policyFile) {
    let policy;
    try {
      policy = JSON.parse(fs2.readFileSync(args.policyFile, "utf8"));
    } catch (e) {
      throw new Error(
        `cannot read policy ${args.policyFile}: ${e.message}`
      );
    }
    options = optionsFromPolicy(
      policy
    );
  }
  if (args.trustedIndexes.length > 0) {
    options.trustedIndexes = [
      ...options.trustedIndexes ?? [],
      ...args.trustedIndexes
    ];
  }
  if (args.trustedHubs.length > 0) {
    options.trustedModelHubs = [
      ...options.trustedModelHubs ?? [],
      ...args.trustedHubs
    ];
  }
  return options;
}
function scanPaths(paths, options, minSeverity = "info") {
  const inputErrors = [];
  const files = collectFiles(paths, inputErrors);
  const report = {
    findings: [],
    errors: inputErrors.map((e) => e.message),
    filesScanned: 0
  };
  const threshold = SEVERITIES.indexOf(minSeverity);
  for (const file of files) {
    let source;
    try {
      source = readSource(file);
    } catch (e) {
      report.errors.push(
        e instanceof InputError ? e.message : `${file}: ${e.message}`
      );
      continue;
    }
    if (source.language !== null && source.language !== "python") {
      continue;
    }
    report.filesScanned++;
    const perUnit = source.kind === "python" ? [
      analyzeCell(source.units[0], EMPTY_SCOPE, {
        ...options,
        ipython: false
      }).findings
    ] : analyzeNotebook(source.units, options);
    perUnit.forEach((findings, i) => {
      for (const finding of findings) {
        if (SEVERITIES.indexOf(finding.severity) >= threshold) {
          report.findings.push({
            path: file,
            cell: source.kind === "notebook" ? i : null,
            finding
          });
        }
      }
    });
  }
  return report;
}
function packageVersion() {
  for (let dir = __dirname, i = 0; i < 6; i++, dir = path3.dirname(dir)) {
    try {
      const pkg = JSON.parse(
        fs2.readFileSync(path3.join(dir, "package.json"), "utf8")
      );
      if (pkg.name === "jupyterlab-warden" && pkg.version) {
        return pkg.version;
      }
    } catch {
    }
  }
  return "0.0.0";
}

// src/cli/warden-scan.ts
process.stdout.on("error", (e) => {
  if (e.code !== "EPIPE") {
    throw e;
  }
  process.exit();
});
process.exitCode = runScan(process.argv.slice(2), {
  stdout: (text2) => process.stdout.write(text2),
  stderr: (text2) => process.stderr.write(text2)
});
