"""Chat templates for the chat-template tests: escapes from an unsandboxed Jinja2 environment
(each proves itself in chat_template_runs.py: rendered by a plain ``jinja2.Environment`` it
writes its marker file, or puts a secret from the process environment into the prompt) and
benign templates that must never be called dangerous.

``{M}`` in an escape is replaced by the marker path. The escapes are this project's own,
written against Jinja2 3.1's filters; several were missed by Warden's first judge (a blocklist
of ``_`` attributes and ``~``-built keys): ``gi_frame``, ``map(attribute=)``, keys held in
variables or made by ``|join``/``|reverse``/``|replace``/``'%c'|format``/``.lower()``,
``join(attribute=)``, ``str.format`` fields, keys taken from the file's own ``bos_token`` (one
lookup on a context function reaches its module's globals).
"""

import ast
import os
from pathlib import Path

SECRET_ENV = "WARDEN_TEST_TEMPLATE_SECRET"
SECRET = "s3cr3t-4e1f"
# the bos token of the GGUF file in the "bos_keys" escape (llama-cpp-python passes the model's
# bos/eos tokens to the template; the file chooses them)
BOS_KEYS = (
    "__class__,__base__,__subclasses__,__name__,_module,__builtins__,__import__,__globals__,os"
)

_RUN = "('os').system('touch {M}')"
ESCAPES = {
    # CVE-2024-34359's shape: dunder attributes (flagged from the start)
    "dunder_attributes": (
        "{% for c in ().__class__.__base__.__subclasses__() %}"
        "{% if c.__name__ == 'catch_warnings' %}"
        "{{ c()._module.__builtins__['__import__']" + _RUN + " }}"
        "{% endif %}{% endfor %}"
    ),
    # a generator's frame: no underscore on the way to the builtins
    "generator_frame": (
        "{{ (messages|map('string')).gi_frame.f_builtins.get('__import__')" + _RUN + " }}"
    ),
    # attribute paths handed to filters as strings
    "map_attribute": (
        "{% set sub = ([0]|map(attribute='__class__.__base__.__subclasses__')|first)() %}"
        "{% set w = sub|selectattr('__name__', 'equalto', 'catch_warnings')|first %}"
        "{% set imp = [w()]|map(attribute='_module.__builtins__.__import__')|first %}"
        "{{ imp" + _RUN + " }}"
    ),
    "map_attr_filter_by_name": (
        "{% set cls = ([0]|map('attr', '__class__')|first) %}"
        "{% set sub = ([cls]|map('attr', '__base__')|first)|attr('__subclasses__') %}"
        "{% for c in sub() %}{% if c.__name__ == 'catch_warnings' %}"
        "{{ c()._module.__builtins__['__import__']" + _RUN + " }}{% endif %}{% endfor %}"
    ),
    "groupby_grouper": (
        "{% set cls = ([0]|groupby('__class__.__base__'))[0][0] %}"
        "{% for c in ([cls]|map(attribute='__subclasses__')|first)() %}"
        "{% if c.__name__ == 'catch_warnings' %}"
        "{{ c()._module.__builtins__['__import__']" + _RUN + " }}{% endif %}{% endfor %}"
    ),
    # item keys the template builds (a plain environment falls back to getattr when obj[key]
    # fails: on an int; tuple[...] would make a generic alias)
    "keys_in_variables": (
        "{% set u = '_' ~ '_' %}{% set ks = [u ~ 'class' ~ u, u ~ 'base' ~ u, "
        "u ~ 'subclasses' ~ u] %}{% set n = u ~ 'name' ~ u %}{% set m = '_module' %}"
        "{% set b = u ~ 'builtins' ~ u %}{% set i = u ~ 'import' ~ u %}"
        "{% for c in 0[ks[0]][ks[1]][ks[2]]() %}{% if c[n] == 'catch_warnings' %}"
        "{{ c()[m][b][i]" + _RUN + " }}{% endif %}{% endfor %}"
    ),
    "keys_by_join_reverse_replace": (
        "{% set cls = ['_', '_', 'class', '_', '_']|join %}{% set base = '__esab__'|reverse %}"
        "{% set sub = 'XXsubclassesXX'|replace('X', '_') %}"
        "{% set n = '%c%cname%c%c'|format(95, 95, 95, 95) %}"
        "{% set b = '__BUILTINS__'.lower() %}{% set i = '__IMPORT__'.lower() %}"
        "{% for c in 0[cls][base][sub]() %}{% if c[n] == 'catch_warnings' %}"
        "{{ c()['_module'|string][b][i]" + _RUN + " }}{% endif %}{% endfor %}"
    ),
    "keys_from_the_file_bos_token": (
        "{% set k = bos_token.split(',') %}"
        "{% for c in 0[k[0]][k[1]][k[2]]() %}{% if c[k[3]] == 'catch_warnings' %}"
        "{{ c()[k[4]][k[5]][k[6]]" + _RUN + " }}{% endif %}{% endfor %}"
    ),
    # one lookup on a function the runtime passes (llama-cpp-python and transformers pass
    # raise_exception): its module's globals, then plain method calls
    "context_function_globals": (
        "{% set k = bos_token.split(',') %}"
        "{{ raise_exception[k[7]].get(k[8]).system('touch {M}') }}"
    ),
    # reading the process environment into the prompt (no code runs, a secret leaks)
    "format_fields_leak": (
        "{{ '{0.__init__.__globals__[os].environ[" + SECRET_ENV + "]}'.format(cycler) }}"
    ),
    "join_attribute_leak": (
        "{{ [cycler]|join(attribute='__init__.__globals__.os.environ." + SECRET_ENV + "') }}"
    ),
    # a recursive loop's `loop(...)` rebinds the loop variable past the written list
    # (red team red5 J1)
    "recursive_loop_keys": (
        "{% set ns = namespace(o=namespace) %}"
        "{% for k in ['role'] recursive %}"
        "{% if loop.depth > 1 %}{% set ns.o = ns.o[k] %}{% endif %}"
        "{% if loop.depth == 1 %}{{ loop(['__init__', '__globals__', 'os']) }}{% endif %}"
        "{% endfor %}{{ ns.o.system('touch {M}') }}"
    ),
}
LEAKS = frozenset(("format_fields_leak", "join_attribute_leak"))


# NousResearch's Hermes-2-Pro / Hermes-3 tool-use chat template, as published with the models
HERMES_TOOL_USE = (Path(__file__).parent / "templates" / "hermes_tool_use.jinja").read_text(
    encoding="utf-8"
)

# Benign templates written for these tests in the common chat formats (the shapes of ChatML,
# Llama 2/3, Mistral, Gemma, Phi-3, Qwen with tools, DeepSeek-R1 with a namespace)
WRITTEN = {
    "chatml": (
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + "
        "message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
    ),
    "llama2_inst": (
        "{{ bos_token }}{% for message in messages %}"
        "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
        "{{ raise_exception('roles must alternate user/assistant') }}{% endif %}"
        "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] | trim + ' [/INST]' }}"
        "{% else %}{{ ' ' + message['content'] | trim + eos_token }}{% endif %}{% endfor %}"
    ),
    "llama3_headers": (
        "{% set loop_messages = messages %}{% for message in loop_messages %}"
        "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\\n\\n' + "
        "message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
        "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
        "{% if add_generation_prompt %}"
        "{{ '<|start_header_id|>assistant<|end_header_id|>\\n\\n' }}{% endif %}"
    ),
    "mistral_tools": (
        "{%- if messages[0]['role'] == 'system' %}"
        "{%- set system_message = messages[0]['content'] %}"
        "{%- set loop_messages = messages[1:] %}{%- else %}{%- set loop_messages = messages %}"
        "{%- endif %}{%- set user_messages = loop_messages | selectattr('role', 'equalto', "
        "'user') | list %}{{- bos_token }}{%- for message in loop_messages %}"
        "{%- if message['role'] == 'user' %}{%- if tools is not none and "
        "(message == user_messages[-1]) %}{{- '[AVAILABLE_TOOLS] [' }}{%- for tool in tools %}"
        '{%- set tool = tool.function %}{{- \'{"type": "function", "function": {\' }}'
        "{%- for key, val in tool.items() if key != 'return' %}{%- if val is string %}"
        "{{- '\"' + key + '\": \"' + val + '\"' }}{%- else %}{{- '\"' + key + '\": ' + "
        "val|tojson }}{%- endif %}{%- if not loop.last %}{{- ', ' }}{%- endif %}{%- endfor %}"
        "{{- '}}' }}{%- endfor %}{{- ' [/AVAILABLE_TOOLS]' }}{%- endif %}"
        "{{- '[INST] ' + message['content'] + '[/INST]' }}"
        "{%- elif message.tool_calls is defined and message.tool_calls is not none %}"
        "{%- for tool_call in message.tool_calls %}{%- if tool_call.id|length != 9 %}"
        "{{- raise_exception('tool call ids are 9 characters') }}{%- endif %}"
        "{{- tool_call.function.arguments | tojson }}{%- endfor %}"
        "{%- else %}{{- ' ' + message['content'] | trim + eos_token }}{%- endif %}{%- endfor %}"
    ),
    "gemma_turns": (
        "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
        "{{ raise_exception('System role not supported') }}{% endif %}"
        "{% for message in messages %}{% set role = 'model' if message['role'] == 'assistant' "
        "else message['role'] %}{{ '<start_of_turn>' + role + '\\n' + message['content'] | trim "
        "+ '<end_of_turn>\\n' }}{% endfor %}"
        "{% if add_generation_prompt %}{{'<start_of_turn>model\\n'}}{% endif %}"
    ),
    "phi3_roles": (
        "{% for message in messages %}{% if message['role'] == 'system' %}"
        "{{'<|system|>\\n' + message['content'] + '<|end|>\\n'}}"
        "{% elif message['role'] == 'user' %}{{'<|user|>\\n' + message['content'] + '<|end|>\\n'}}"
        "{% elif message['role'] == 'assistant' %}"
        "{{'<|assistant|>\\n' + message['content'] + '<|end|>\\n'}}{% endif %}{% endfor %}"
        "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% else %}{{ eos_token }}{% endif %}"
    ),
    "qwen_tools_reverse_index": (
        "{%- set ns = namespace(multi_step_tool=true, last_query_index=messages|length - 1) %}"
        "{%- for message in messages[::-1] %}{%- set index = (messages|length - 1) - loop.index0 %}"
        "{%- if ns.multi_step_tool and message.role == 'user' and message.content is string %}"
        "{%- set ns.multi_step_tool = false %}{%- set ns.last_query_index = index %}{%- endif %}"
        "{%- endfor %}{%- for message in messages %}{%- set content = message.content %}"
        "{%- if '</think>' in content %}{%- set content = content.split('</think>')[-1]"
        ".lstrip('\\n') %}{%- endif %}{%- if loop.index0 > ns.last_query_index %}"
        "{{- '<|im_start|>' + messages[ns.last_query_index].role + '\\n' }}{%- endif %}"
        "{{- '<|im_start|>' + message.role + '\\n' + content + '<|im_end|>\\n' }}"
        "{%- for tool_call in message.tool_calls|default([]) %}"
        "{%- if tool_call.function %}{%- set tool_call = tool_call.function %}{%- endif %}"
        '{{- \'<tool_call>\\n{"name": "\' + tool_call.name + \'", "arguments": \' }}'
        "{%- if tool_call.arguments is string %}{{- tool_call.arguments }}{%- else %}"
        "{{- tool_call.arguments | tojson }}{%- endif %}{{- '}\\n</tool_call>' }}{%- endfor %}"
        "{%- endfor %}{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
    ),
    "deepseek_namespace": (
        "{% set ns = namespace(is_first=false, is_tool=false, system_prompt='') %}"
        "{%- for message in messages %}{%- if message['role'] == 'system' %}"
        "{% set ns.system_prompt = message['content'] %}{%- endif %}{%- endfor %}"
        "{{ bos_token }}{{ ns.system_prompt }}{%- for message in messages %}"
        "{%- if message['role'] == 'user' %}{%- set ns.is_tool = false -%}"
        "{{'<｜User｜>' + message['content']}}{%- endif %}"
        "{%- if message['role'] == 'assistant' and message['content'] is not none %}"
        "{% set content = message['content'] %}{% if '</think>' in content %}"
        "{% set content = content.split('</think>')[-1] %}{% endif %}"
        "{{'<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>'}}{%- endif %}{%- endfor -%}"
        "{% if add_generation_prompt and not ns.is_tool %}{{'<｜Assistant｜>'}}{% endif %}"
    ),
    "tool_schema_keys": (
        "{%- set role_tags = {'user': 'USER', 'assistant': 'ASSISTANT'} %}"
        "{%- for tool in tools|default([]) %}{%- for name, fields in "
        "tool.parameters.properties|items %}{{- name ~ ': ' }}{%- for key in fields %}"
        "{%- if fields[key] is mapping %}{{- key|title ~ '=' ~ fields[key]|tojson }}"
        "{%- else %}{{- key ~ '=' ~ fields[key] }}{%- endif %}{%- endfor %}{%- endfor %}"
        "{%- endfor %}{%- for message in messages %}{{- role_tags[message['role']] ~ ': ' ~ "
        "message['content'] ~ '\\n' }}{%- endfor %}"
    ),
    # the tool-use template of NousResearch's Hermes-2-Pro / Hermes-3 models: a recursive macro
    # that maps JSON-schema types to Python ones, called with a dict literal built from the
    # schema's own data (red team red5 J2: was refused as a key computed by the template)
    "hermes_tool_use": HERMES_TOOL_USE,
}

# real templates shipped inside the installed transformers (read from its source, not imported)
_SHIPPED = (
    ("models/smolvlm/processing_smolvlm.py", "DEFAULT_CHAT_TEMPLATE"),
    ("models/llama4/processing_llama4.py", "chat_template"),
    ("models/qwen2_audio/processing_qwen2_audio.py", "default_chat_template"),
)


def shipped_templates():
    """``{source: template}`` for the chat templates the installed transformers ships as string
    constants (a module-level assignment, or a property returning one)."""
    import importlib.util

    root = os.path.dirname(importlib.util.find_spec("transformers").origin)
    found = {}
    for rel, name in _SHIPPED:
        path = os.path.join(root, rel)
        with open(path, encoding="utf-8") as fh:
            tree = ast.parse(fh.read())
        for node in ast.walk(tree):
            if _defines(node, name):
                value = _string_in(node)
                if value:
                    found[f"transformers/{rel}:{name}"] = value
    return found


def _defines(node, name):
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    return isinstance(node, ast.FunctionDef) and node.name == name


def _string_in(node):
    # adjacent string literals (a property's parenthesised return) are one Constant
    for sub in ast.walk(node):
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "{%" in sub.value:
            return sub.value
    return None


def escape(name, marker):
    return ESCAPES[name].replace("{M}", str(marker))
