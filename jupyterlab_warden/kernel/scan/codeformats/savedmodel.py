"""TensorFlow SavedModel: the operators its graphs run, the Keras layers it rebuilds, the asset
files it reads - read with ``protobuf`` (``savedmodel_proto``), TensorFlow never imported.

A SavedModel's code is its graph: the MetaGraph's GraphDef nodes and every function of its
function library (``tf.function``s: what ``tf.saved_model.load`` makes callable, and what it
runs at load time itself - a resource's ``_initialize``, TF1's init op). Every node of every
function is judged, called or not (a loader or signature may reach any of them):

* ops that reach files, Python or the network (``DANGEROUS_OPS``: ``WriteFile``, ``ReadFile``,
  ``PyFunc``/``EagerPyFunc``, file readers and datasets, summary file writers, debugger dumps,
  RPC and tf.data service...) - dangerous; ``PrintV2`` only when it prints to a ``file://``;
* checkpoint ops (``SaveV2``, ``RestoreV2``, ``MergeV2Checkpoints``...) - every SavedModel has
  them, in the functions its ``SaverDef`` names (the loader feeds them the model's own
  ``variables/`` prefix). There they pass; anywhere else (a function a signature or another
  function can call) they write, read or delete files at a path the model chooses - dangerous;
* ``InitializeTableFromTextFile(V2)`` (a vocabulary) passes when its file name is a function
  argument or a TF1 asset tensor (the loader passes the asset's path), else dangerous;
* distributed-runtime ops (collectives, Send/Recv) - suspicious; an op TensorFlow 2.21 does not
  register (``savedmodel_ops.KNOWN_OPS``) and that is no function of the library needs a custom
  op library (native code) - suspicious;
* asset file names that leave ``assets/`` (absolute, ``..``, symlinks: ``onnxmodel.escapes``) -
  dangerous; Keras metadata (``keras_metadata.pb``, and the object graph's user-object
  metadata) is judged as a Keras config: a ``Lambda`` layer carries marshalled Python bytecode
  that tf-keras' ``load_model`` runs - dangerous.
"""

import json
import os
from collections import Counter
from typing import Dict, Iterable, List, Optional, Set, Tuple

from ..report import DANGEROUS, SUSPICIOUS, Finding
from . import keras

PB_NAMES = ("saved_model.pb", "saved_model.pbtxt")
KERAS_METADATA = "keras_metadata.pb"
NAMES = PB_NAMES + (KERAS_METADATA,)
MAX_BYTES = 512 * 1024 * 1024
MAX_FINDINGS = 200
NO_PROTOBUF = "cannot read SavedModel: protobuf missing (pip install protobuf)"

_PYTHON = "calls back into Python in the loading process"
_READS = "reads files"
_WRITES = "writes files"
_NET = "talks to the network"
DANGEROUS_OPS = {
    "PyFunc": _PYTHON,
    "PyFuncStateless": _PYTHON,
    "EagerPyFunc": _PYTHON,
    "ReadFile": "reads any file",
    "WriteFile": "writes any file",
    "MatchingFiles": "lists files",
    "ImmutableConst": "maps a file into memory",
    "FileSystemSetConfiguration": "changes file system settings",
    "RecordInput": _READS,
    "InitializeTableFromTextFile": "reads a file into a lookup table",
    "InitializeTableFromTextFileV2": "reads a file into a lookup table",
    "GenerateVocabRemapping": _READS,
    "LoadAndRemapMatrix": "reads a checkpoint",
    "DecodeProtoV2": "may read a descriptor file",
    "EncodeProto": "may read a descriptor file",
    "CreateSummaryFileWriter": "creates event files in any folder",
    "CreateSummaryDbWriter": "creates a database file",
    "CalibrationStatisticsSaver": _WRITES,
    "DatasetToTFRecord": _WRITES,
    "ExperimentalDatasetToTFRecord": _WRITES,
    "SaveDataset": _WRITES,
    "SaveDatasetV2": _WRITES,
    "DistributedSave": _WRITES,
    "DebugIdentity": "dumps tensors to files or gRPC",
    "DebugIdentityV2": "dumps tensors to files",
    "DebugIdentityV3": "dumps tensors to files or gRPC",
    "DebugNanCount": "dumps tensors to files or gRPC",
    "DebugNumericSummary": "dumps tensors to files or gRPC",
    "DebugNumericSummaryV2": "dumps tensors to files",
    "RemoteCall": "runs a function on another task",
    "DeleteRpcFutureResource": _NET,
    "RegisterDataset": _NET,
    "RegisterDatasetV2": _NET,
    # A graph or iterator state carried in a string tensor (a constant, a variable, anything
    # computed): the ops it runs are in no node or function this scan can see.
    "DatasetFromGraph": "runs a dataset graph carried in a string: its ops are not in the model",
    "DeserializeIterator": "restores an iterator from serialized state that may carry graphs",
    # `dataset.cache(path)`: cache files written and read at a path the model names
    "CacheDataset": "writes and reads cache files at a path the model names",
    "CacheDatasetV2": "writes and reads cache files at a path the model names",
    "DTensorRestoreV2": "reads a checkpoint at a path the model names",
}
for _prefix in (
    "WholeFileReader",
    "TextLineReader",
    "FixedLengthRecordReader",
    "TFRecordReader",
    "LMDBReader",
):
    DANGEROUS_OPS[_prefix] = DANGEROUS_OPS[_prefix + "V2"] = _READS
for _name in (
    "TFRecordDataset",
    "TFRecordDatasetV2",
    "FixedLengthRecordDataset",
    "FixedLengthRecordDatasetV2",
    "TextLineDataset",
    "CSVDataset",
    "CSVDatasetV2",
    "ExperimentalCSVDataset",
    "SqlDataset",
    "ExperimentalSqlDataset",
    "LMDBDataset",
    "ExperimentalLMDBDataset",
    "MatchingFilesDataset",
    "ExperimentalMatchingFilesDataset",
    "LoadDataset",
    "SnapshotDataset",
    "SnapshotDatasetV2",
    "SnapshotDatasetReader",
    "SnapshotNestedDatasetReader",
    "SnapshotChunkDataset",
    "ListSnapshotChunksDataset",
):
    DANGEROUS_OPS[_name] = "reads (or writes) files: a file dataset"
for _name in (
    "DataServiceDataset",
    "DataServiceDatasetV2",
    "DataServiceDatasetV3",
    "DataServiceDatasetV4",
    "RpcClient",
    "RpcServer",
    "RpcServerRegister",
    "RpcServerStart",
    "RpcCall",
    "RpcCheckStatus",
    "RpcGetValue",
):
    DANGEROUS_OPS[_name] = _NET
# a SummaryWriter the loading code created (tf.summary.create_file_writer) is written to
SUSPICIOUS_PREFIXES = ("Collective", "_Nccl", "Nccl", "Write")
SUSPICIOUS_OPS = frozenset(
    (
        "Send",
        "Recv",
        "_Send",
        "_Recv",
        "_HostSend",
        "_HostRecv",
        "XlaSend",
        "XlaRecv",
        "XlaSendToHost",
        "XlaRecvFromHost",
        "XlaHostCompute",
        "_XlaHostComputeMlir",
        "_XlaSendFromHost",
        "_XlaSendFromHostV2",
        "_XlaRecvAtHost",
        "_XlaRecvAtHostV2",
    )
)
# the checkpoint ops of the SaverDef's own functions (TF feeds them variables/variables)
SAVE_OPS = frozenset(("Save", "SaveV2", "SaveSlices", "MergeV2Checkpoints"))
RESTORE_OPS = frozenset(("Restore", "RestoreV2", "RestoreSlice", "DTensorRestoreV2"))
_TEXT_FILE_OPS = ("InitializeTableFromTextFile", "InitializeTableFromTextFileV2")
_PASS_THROUGH = ("Identity", "IdentityN", "StopGradient", "Snapshot")


def scan_file(path: str) -> Tuple[List[Finding], List[str]]:
    """(findings, errors) of one of ``NAMES``, judged by its name."""
    name = os.path.basename(path)
    with open(path, "rb") as fh:
        data = fh.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        return [], [f"{name} larger than {MAX_BYTES} bytes"]
    if name == KERAS_METADATA:
        return scan_keras_metadata(data)
    return scan_saved_model(data, os.path.dirname(os.path.abspath(path)), text=name.endswith("t"))


def scan_saved_model(data, folder: Optional[str], text: bool = False):
    """(findings, errors) of ``saved_model.pb`` bytes (``text``: pbtxt); ``folder`` judges
    where its asset files resolve (None: by name only)."""
    from . import savedmodel_proto

    try:
        if text:
            model = savedmodel_proto.parse_text("SavedModel", bytes(data).decode("utf-8"))
        else:
            model = savedmodel_proto.parse("SavedModel", data)
    except ImportError:
        return [], [NO_PROTOBUF]
    except (ValueError, UnicodeDecodeError, RecursionError) as exc:
        return [], [f"SavedModel unreadable: {exc}"[:500]]
    findings: List[Finding] = []
    for index, meta_graph in enumerate(model.meta_graphs):
        findings += _MetaGraph(meta_graph, f"meta_graphs[{index}]", folder).judge()
    return _dedup(findings), []


def scan_keras_metadata(data) -> Tuple[List[Finding], List[str]]:
    from . import savedmodel_proto

    try:
        metadata = savedmodel_proto.parse("KerasMetadata", data)
    except ImportError:
        return [], [NO_PROTOBUF]
    except (ValueError, RecursionError) as exc:
        return [], [f"keras_metadata.pb unreadable: {exc}"[:500]]
    findings: List[Finding] = []
    for node in metadata.nodes:
        findings += _judge_keras_json(node.metadata, f"{KERAS_METADATA}/{node.node_path[:100]}")
    return _dedup(findings), []


def _judge_keras_json(text: str, where: str) -> List[Finding]:
    if not text:
        return []
    try:
        config = json.loads(text)
    except ValueError:
        return [Finding("keras-config", where, DANGEROUS, "Keras metadata that is not JSON")]
    return list(keras.judge_config(config, where))


def _dedup(findings: Iterable[Finding]) -> List[Finding]:
    return list(dict.fromkeys(findings))[:MAX_FINDINGS]


class _MetaGraph:
    def __init__(self, meta_graph, where: str, folder: Optional[str]):
        self.mg = meta_graph
        self.where = where
        self.folder = folder
        self.library = {f.signature.name: f for f in meta_graph.graph_def.library.function}
        self.findings: List[Finding] = []

    def judge(self) -> List[Finding]:
        graph_nodes = list(self.mg.graph_def.node)
        save_roots, restore_roots = self._saver_roots(graph_nodes)
        if self._named_elsewhere() & (save_roots | restore_roots):
            # a signature or an init op (run at TF1 load) reaches into the saver's graph: its
            # checkpoint ops would run with what the model chose - no pass for them
            save_roots, restore_roots = set(), set()
        saving = self._reached(save_roots)
        restoring = self._reached(restore_roots)
        # what anything other than the saver can call: every other graph node, every function
        # the object graph exposes (a method, a resource's initializer run at load), and every
        # library function the saver does not reach (a loader may call any of them)
        others = [n for n in graph_nodes if n.name not in save_roots | restore_roots]
        other_calls = set(self._called(others)) | self._object_functions()
        other_calls |= {name for name in self.library if name not in saving | restoring}
        elsewhere = self._closure(other_calls)
        asset_tensors = {a.tensor_info.name.split(":")[0] for a in self.mg.asset_file_def}
        graph_by_name = {n.name: n for n in graph_nodes}
        for node in graph_nodes:
            in_saver = _role(node.name, save_roots, restore_roots)
            self._node(node, "graph", in_saver, graph_by_name, set(), asset_tensors)
        functions = list(self.mg.graph_def.library.function)
        names = [f.signature.name for f in functions]
        counts = Counter(names)
        for name, function in zip(names, functions):
            # a name given twice: TF refuses a different body; judge both, with no pass
            in_saver = ""
            if name not in elsewhere and counts[name] == 1:
                in_saver = _role(name, saving, restoring)
            nodes = {n.name: n for n in function.node_def}
            args = {a.name for a in function.signature.input_arg}
            for node in function.node_def:
                self._node(node, f"function {name[:100]}", in_saver, nodes, args, set())
        self._assets()
        self._user_objects()
        return self.findings

    # -- what calls what ------------------------------------------------------------------

    def _saver_roots(self, graph_nodes) -> Tuple[Set[str], Set[str]]:
        """Graph nodes the SaverDef's save tensor and restore op are made of (their inputs,
        transitively): TF feeds them the checkpoint prefix and nothing else runs them."""
        saver = self.mg.saver_def
        by_name = {n.name: n for n in graph_nodes}

        def closure(tensor: str) -> Set[str]:
            out: Set[str] = set()
            todo = [_node_name(tensor)] if tensor else []
            while todo:
                name = todo.pop()
                if name in out or name not in by_name:
                    continue
                out.add(name)
                todo.extend(_node_name(i) for i in by_name[name].input)
            return out

        return closure(saver.save_tensor_name), closure(saver.restore_op_name)

    def _named_elsewhere(self) -> Set[str]:
        """Graph nodes a signature or a collection (TF1 init and main ops) names."""
        names: Set[str] = set()
        for signature in self.mg.signature_def.values():
            for info in list(signature.inputs.values()) + list(signature.outputs.values()):
                names.add(_node_name(info.name))
        for collection in self.mg.collection_def.values():
            names.update(_node_name(v) for v in collection.node_list.value)
        return names

    def _object_functions(self) -> Set[str]:
        """Library functions the object graph makes callable (or runs while restoring)."""
        graph = self.mg.object_graph_def
        names = set(graph.concrete_functions.keys())
        for node in graph.nodes:
            names.update(node.function.concrete_functions)
            if node.bare_concrete_function.concrete_function_name:
                names.add(node.bare_concrete_function.concrete_function_name)
        return names

    def _called(self, nodes) -> Iterable[str]:
        """Library functions these nodes call: by op name, or named in a function attr."""
        for node in nodes:
            if node.op in self.library:
                yield node.op
            for value in node.attr.values():
                yield from _functions_in(value)

    def _reached(self, roots: Set[str]) -> Set[str]:
        nodes = [n for n in self.mg.graph_def.node if n.name in roots]
        return self._closure(set(self._called(nodes)))

    def _closure(self, names: Set[str]) -> Set[str]:
        seen: Set[str] = set()
        todo = [n for n in names if n in self.library]
        while todo:
            name = todo.pop()
            if name in seen:
                continue
            seen.add(name)
            todo.extend(n for n in self._called(self.library[name].node_def) if n in self.library)
        return seen

    # -- judging one node -----------------------------------------------------------------

    def _node(self, node, where: str, in_saver: str, nodes: Dict, args: Set[str], assets):
        op = node.op
        here = f"{self.where}/{where}/{node.name[:100]}"
        if op in SAVE_OPS or op in RESTORE_OPS:
            if (in_saver == "save" and op in SAVE_OPS) or (
                in_saver == "restore" and op in RESTORE_OPS
            ):
                return
            self._add(
                "tf-op",
                here,
                DANGEROUS,
                f"{op} outside the model's own checkpoint "
                "functions: writes, reads or deletes checkpoint files at any path",
            )
            return
        if op in _TEXT_FILE_OPS:
            if _from_argument(node, nodes, args, assets):
                return
            self._add(
                "tf-op",
                here,
                DANGEROUS,
                f"{op} reads a file the model names itself (not an asset the loader passes)",
            )
            return
        if op == "PrintV2":
            stream = node.attr["output_stream"].s if "output_stream" in node.attr else b""
            if stream.startswith(b"file://"):
                self._add("tf-op", here, DANGEROUS, "PrintV2 prints to a file (file://)")
            return
        reason = DANGEROUS_OPS.get(op)
        if reason is not None:
            self._add("tf-op", here, DANGEROUS, f"{op}: {reason}")
        elif op in SUSPICIOUS_OPS or op.startswith(SUSPICIOUS_PREFIXES):
            from .savedmodel_ops import KNOWN_OPS

            if op in KNOWN_OPS:  # an unknown name with such a prefix is judged below
                self._add("tf-op", here, SUSPICIOUS, f"{op}: a distributed-runtime or summary op")
                return
        if reason is None and op not in self.library:
            from .savedmodel_ops import KNOWN_OPS

            if op not in KNOWN_OPS:
                self._add(
                    "tf-custom-op",
                    here,
                    SUSPICIOUS,
                    f"op {op[:100]!r} is not TensorFlow's: needs a custom op library",
                )

    def _assets(self) -> None:
        from .onnxmodel import escapes

        assets_dir = os.path.join(self.folder, "assets") if self.folder else None
        for index, asset in enumerate(self.mg.asset_file_def):
            why = escapes(asset.filename, assets_dir)
            if why:
                self._add(
                    "tf-asset",
                    f"{self.where}/asset_file_def[{index}]",
                    DANGEROUS,
                    f"asset file {why.replace('model folder', 'assets folder')}",
                )

    def _user_objects(self) -> None:
        for index, node in enumerate(self.mg.object_graph_def.nodes):
            if node.HasField("user_object") and node.user_object.metadata:
                where = f"{self.where}/object_graph_def/nodes[{index}]"
                self.findings += _judge_keras_json(node.user_object.metadata, where)

    def _add(self, kind: str, where: str, verdict: str, detail: str) -> None:
        if len(self.findings) < MAX_FINDINGS:
            self.findings.append(Finding(kind, where, verdict, detail))


def _role(name: str, saving: Set[str], restoring: Set[str]) -> str:
    return "save" if name in saving else "restore" if name in restoring else ""


def _node_name(tensor: str) -> str:
    """The node a tensor or input reference names (``^name``, ``name:0``, ``name:out:0``)."""
    return tensor.lstrip("^").split(":")[0]


def _functions_in(value) -> Iterable[str]:
    if value.HasField("func"):
        yield value.func.name
        for inner in value.func.attr.values():
            yield from _functions_in(inner)
    if value.HasField("list"):
        for func in value.list.func:
            yield func.name
            for inner in func.attr.values():
                yield from _functions_in(inner)


def _from_argument(node, nodes: Dict, args: Set[str], assets) -> bool:
    """Whether a text-file op's file name (its 2nd input) is a function argument or an asset
    tensor, through Identity-like nodes only: what the loader passes, not what the model says."""
    if len(node.input) < 2:
        return False
    name = _node_name(node.input[1])
    for _ in range(64):
        if name in args or name in assets:
            return True
        source = nodes.get(name)
        if source is None or source.op not in _PASS_THROUGH or not source.input:
            return False
        name = _node_name(source.input[0])
    return False
