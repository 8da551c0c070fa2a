"""What each code-carrying format family patches: (module, attribute, label, wrapper kind).

Data only, loaded at every interpreter's start; the family modules (the wrappers and what they
import) load on the first import of one of their target modules (``maker`` in ``__init__``).
"""

_SKOPS_PERSIST = "skops.io._persist"

# family module (in this package) -> its targets
FAMILIES = {
    "arrow_arrays": (
        ("pyarrow.lib", "_restore_array", "pyarrow.lib._restore_array", "arrow-restore"),
    ),
    "hf_remote_code": (
        (
            "transformers.dynamic_module_utils",
            "get_class_in_module",
            "transformers trust_remote_code",
            "hf-remote-module",
        ),
    ),
    "hf_scripts": (
        ("evaluate.loading", "import_main_class", "evaluate.load", "hf-script"),
        ("datasets.load", "import_main_class", "datasets.load_dataset", "hf-script"),
    ),
    "hydra_targets": (
        (
            "hydra._internal.instantiate._instantiate2",
            "_resolve_target",
            "hydra.utils.instantiate",
            "hydra-target",
        ),
    ),
    "jinja_templates": (
        (
            "jinja2.environment",
            "Environment.compile",
            "jinja2 template compilation",
            "jinja2-compile",
        ),
    ),
    "keras_models": (
        ("keras.src.saving.saving_lib", "load_model", "keras.saving.load_model", "keras"),
        (
            "keras.src.legacy.saving.legacy_h5_format",
            "load_model_from_hdf5",
            "keras.saving.load_model",
            "keras",
        ),
        ("keras.src.utils.python_utils", "func_load", "keras Lambda deserialization", "keras-code"),
    ),
    "onnx_models": (
        ("onnx", "load_model", "onnx.load", "onnx-file"),
        ("onnx", "load", "onnx.load", "onnx-file"),
        ("onnx.external_data_helper", "load_external_data_for_model", "onnx.load", "onnx-data"),
        ("onnx", "load_external_data_for_model", "onnx.load", "onnx-data"),
        ("onnx.external_data_helper", "load_external_data_for_tensor", "onnx.load", "onnx-tensor"),
        (
            "onnxruntime.capi.onnxruntime_inference_collection",
            "InferenceSession.__init__",
            "onnxruntime.InferenceSession",
            "ort-session",
        ),
    ),
    "skops_files": (
        (_SKOPS_PERSIST, "load", "skops.io.load", "skops-file"),
        ("skops.io", "load", "skops.io.load", "skops-file"),
        (_SKOPS_PERSIST, "loads", "skops.io.loads", "skops-bytes"),
        ("skops.io", "loads", "skops.io.loads", "skops-bytes"),
        (_SKOPS_PERSIST, "audit_tree", "skops.io.load", "skops-audit"),
        ("skops.io._audit", "audit_tree", "skops.io.load", "skops-audit"),
    ),
    "tf_savedmodels": (
        (
            "tensorflow.python.saved_model.loader_impl",
            "parse_saved_model",
            "tf.saved_model.load",
            "tf-savedmodel",
        ),
    ),
    "torch_packages": (
        (
            "torch.package.package_importer",
            "PackageImporter.__init__",
            "torch.package.PackageImporter",
            "torch-package",
        ),
    ),
    "torchscript_archives": (
        ("torch.jit._serialization", "load", "torch.jit.load", "torchscript"),
        ("torch.jit", "load", "torch.jit.load", "torchscript"),
    ),
    "yaml_documents": (
        ("yaml", "load", "yaml.load", "yaml"),
        ("yaml", "load_all", "yaml.load_all", "yaml"),
        ("yaml.constructor", "BaseConstructor.construct_document", "yaml construct", "yaml-doc"),
    ),
}

LOAD_TARGETS = tuple(target for targets in FAMILIES.values() for target in targets)
# wrapper kind -> the family module that makes it
FAMILY_OF_KIND = {target[3]: family for family, targets in FAMILIES.items() for target in targets}
# kinds whose wrapper replaces a global a pickle may name: the hook admits that global only
# when it resolves to the wrapper itself (GuardState.validated)
VALIDATING_KINDS = frozenset(("arrow-restore",))
