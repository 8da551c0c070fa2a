"""The few TensorFlow protobuf messages the SavedModel scanner reads, declared with the
``protobuf`` library (imported on first use: the kernel guard is standard library at import)
and TensorFlow's own field numbers, so a file parses exactly as TensorFlow parses it (the last
of a repeated singular field wins, fields of a message given twice merge). Fields not declared
here are kept as unknown fields and ignored. TensorFlow itself is never imported.

Field numbers from TensorFlow 2.21's .proto files (checked against its generated descriptors):
``tensorflow/core/protobuf/saved_model.proto`` (SavedModel), ``meta_graph.proto``
(MetaGraphDef, AssetFileDef, TensorInfo), ``saver.proto`` (SaverDef),
``saved_object_graph.proto`` (SavedObjectGraph, SavedObject, SavedUserObject, SavedAsset,
SavedFunction, SavedBareConcreteFunction), ``meta_graph.proto`` also SignatureDef, CollectionDef,
``tensorflow/core/framework/graph.proto`` (GraphDef), ``node_def.proto`` (NodeDef),
``function.proto`` (FunctionDefLibrary, FunctionDef), ``op_def.proto`` (OpDef: name,
input_arg), ``attr_value.proto`` (AttrValue, ListValue, NameAttrList); and tf-keras'
``tf_keras/protobuf/saved_metadata.proto`` (SavedMetadata, SavedObject) for
``keras_metadata.pb``.
"""

_PACKAGE = "warden_tf"
_MESSAGES = None

# (message, [(field, number, type, label, message type or None)])
_O, _R = 1, 3  # optional, repeated
_STR, _BYTES, _INT32, _INT64, _MSG = 9, 12, 5, 3, 11
_SCHEMA = (
    ("SavedModel", (("meta_graphs", 2, _MSG, _R, "MetaGraphDef"),)),
    (
        "MetaGraphDef",
        (
            ("graph_def", 2, _MSG, _O, "GraphDef"),
            ("saver_def", 3, _MSG, _O, "SaverDef"),
            ("collection_def", 4, _MSG, _R, "MetaGraphDef.CollectionDefEntry"),
            ("signature_def", 5, _MSG, _R, "MetaGraphDef.SignatureDefEntry"),
            ("asset_file_def", 6, _MSG, _R, "AssetFileDef"),
            ("object_graph_def", 7, _MSG, _O, "SavedObjectGraph"),
        ),
    ),
    (
        "MetaGraphDef.CollectionDefEntry",
        (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "CollectionDef")),
    ),
    (
        "MetaGraphDef.SignatureDefEntry",
        (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "SignatureDef")),
    ),
    ("CollectionDef", (("node_list", 1, _MSG, _O, "CollectionDef.NodeList"),)),
    ("CollectionDef.NodeList", (("value", 1, _STR, _R, None),)),
    (
        "SignatureDef",
        (
            ("inputs", 1, _MSG, _R, "SignatureDef.InputsEntry"),
            ("outputs", 2, _MSG, _R, "SignatureDef.OutputsEntry"),
        ),
    ),
    (
        "SignatureDef.InputsEntry",
        (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "TensorInfo")),
    ),
    (
        "SignatureDef.OutputsEntry",
        (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "TensorInfo")),
    ),
    ("TensorInfo", (("name", 1, _STR, _O, None),)),
    (
        "AssetFileDef",
        (("tensor_info", 1, _MSG, _O, "TensorInfo"), ("filename", 2, _STR, _O, None)),
    ),
    (
        "SaverDef",
        (
            ("filename_tensor_name", 1, _STR, _O, None),
            ("save_tensor_name", 2, _STR, _O, None),
            ("restore_op_name", 3, _STR, _O, None),
        ),
    ),
    (
        "GraphDef",
        (("node", 1, _MSG, _R, "NodeDef"), ("library", 2, _MSG, _O, "FunctionDefLibrary")),
    ),
    (
        "NodeDef",
        (
            ("name", 1, _STR, _O, None),
            ("op", 2, _STR, _O, None),
            ("input", 3, _STR, _R, None),
            ("attr", 5, _MSG, _R, "NodeDef.AttrEntry"),
        ),
    ),
    ("NodeDef.AttrEntry", (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "AttrValue"))),
    (
        "AttrValue",
        (
            ("list", 1, _MSG, _O, "AttrValue.ListValue"),
            ("s", 2, _BYTES, _O, None),
            ("func", 10, _MSG, _O, "NameAttrList"),
        ),
    ),
    (
        "AttrValue.ListValue",
        (("s", 2, _BYTES, _R, None), ("func", 9, _MSG, _R, "NameAttrList")),
    ),
    (
        "NameAttrList",
        (("name", 1, _STR, _O, None), ("attr", 2, _MSG, _R, "NameAttrList.AttrEntry")),
    ),
    (
        "NameAttrList.AttrEntry",
        (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "AttrValue")),
    ),
    (
        "FunctionDefLibrary",
        (("function", 1, _MSG, _R, "FunctionDef"),),
    ),
    (
        "FunctionDef",
        (("signature", 1, _MSG, _O, "OpDef"), ("node_def", 3, _MSG, _R, "NodeDef")),
    ),
    ("OpDef", (("name", 1, _STR, _O, None), ("input_arg", 2, _MSG, _R, "OpDef.ArgDef"))),
    ("OpDef.ArgDef", (("name", 1, _STR, _O, None),)),
    (
        "SavedObjectGraph",
        (
            ("nodes", 1, _MSG, _R, "SavedObject"),
            ("concrete_functions", 2, _MSG, _R, "SavedObjectGraph.ConcreteFunctionsEntry"),
        ),
    ),
    (
        "SavedObjectGraph.ConcreteFunctionsEntry",
        (("key", 1, _STR, _O, None), ("value", 2, _MSG, _O, "SavedConcreteFunction")),
    ),
    ("SavedConcreteFunction", ()),  # only its name (the map key) is read
    (
        "SavedObject",
        (
            ("user_object", 4, _MSG, _O, "SavedUserObject"),
            ("asset", 5, _MSG, _O, "SavedAsset"),
            ("function", 6, _MSG, _O, "SavedFunction"),
            ("bare_concrete_function", 8, _MSG, _O, "SavedBareConcreteFunction"),
        ),
    ),
    ("SavedFunction", (("concrete_functions", 1, _STR, _R, None),)),
    ("SavedBareConcreteFunction", (("concrete_function_name", 1, _STR, _O, None),)),
    (
        "SavedUserObject",
        (("identifier", 1, _STR, _O, None), ("metadata", 3, _STR, _O, None)),
    ),
    ("SavedAsset", (("asset_file_def_index", 1, _INT32, _O, None),)),
    # tf_keras/protobuf/saved_metadata.proto
    ("KerasMetadata", (("nodes", 1, _MSG, _R, "KerasObject"),)),
    (
        "KerasObject",
        (
            ("node_path", 3, _STR, _O, None),
            ("identifier", 4, _STR, _O, None),
            ("metadata", 5, _STR, _O, None),
        ),
    ),
)
_MAP_ENTRIES = frozenset(
    (
        "NodeDef.AttrEntry",
        "NameAttrList.AttrEntry",
        "MetaGraphDef.CollectionDefEntry",
        "MetaGraphDef.SignatureDefEntry",
        "SignatureDef.InputsEntry",
        "SignatureDef.OutputsEntry",
        "SavedObjectGraph.ConcreteFunctionsEntry",
    )
)


def messages() -> dict:
    """Message classes by name (built once). Raises ImportError without protobuf."""
    global _MESSAGES
    if _MESSAGES is None:
        _MESSAGES = _build()
    return _MESSAGES


def _build() -> dict:
    from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

    proto = descriptor_pb2.FileDescriptorProto(
        name="warden_tf_savedmodel.proto", package=_PACKAGE, syntax="proto3"
    )
    made = {}
    for name, fields in _SCHEMA:
        parent, _, nested = name.partition(".")
        if nested:
            message = made[parent].nested_type.add(name=nested)
            if name in _MAP_ENTRIES:
                message.options.map_entry = True
        else:
            message = proto.message_type.add(name=name)
        made[name] = message
        for field, number, ftype, label, type_name in fields:
            entry = message.field.add(name=field, number=number, type=ftype, label=label)
            if type_name:
                entry.type_name = f".{_PACKAGE}.{type_name}"
    pool = descriptor_pool.DescriptorPool()
    pool.Add(proto)
    # GetMessageClass since protobuf 4.22; TF environments may hold an older one
    make = getattr(message_factory, "GetMessageClass", None)
    if make is None:
        make = message_factory.MessageFactory(pool).GetPrototype
    out = {}
    for name, _fields in _SCHEMA:
        descriptor = pool.FindMessageTypeByName(f"{_PACKAGE}.{name}")
        if name not in _MAP_ENTRIES:
            out[name] = make(descriptor)
    return out


def parse(message: str, data: bytes):
    """``message`` parsed from wire bytes; raises ValueError if they are not that message."""
    from google.protobuf.message import DecodeError

    instance = messages()[message]()
    try:
        instance.ParseFromString(bytes(data))
    except (DecodeError, RuntimeError) as exc:
        raise ValueError(f"not a {message} protobuf: {exc}") from exc
    return instance


def parse_text(message: str, text: str):
    """``message`` parsed from protobuf text format (``saved_model.pbtxt``); fields this module
    does not declare are skipped."""
    from google.protobuf import text_format

    instance = messages()[message]()
    try:
        text_format.Parse(text, instance, allow_unknown_field=True, allow_unknown_extension=True)
    except (text_format.ParseError, RuntimeError) as exc:
        raise ValueError(f"not a {message} in text format: {exc}") from exc
    return instance
