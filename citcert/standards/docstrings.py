"""
Field docstrings, carried into the published JSON Schemas only when a schema is made.

A model's fields are documented by the string under each one, as the style asks. pydantic can
read those itself (``use_attribute_docstrings``), but on Python 3.11 it does so by inspecting
stack frames and source for every model class as the class is created: that cost every command
about 0.15 s of start-up for text that only ``citcert schema`` and ``citcert standards schema``
print. Instead, the base model's `json_schema_extra` hook calls `describe_fields`, which reads
each module's source once, when a schema is actually generated.
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import sys
from typing import Any


def describe_fields(schema: dict[str, Any], model: type[Any]) -> None:
    """
    Give every property of `model`'s schema the docstring of its field, unless it has one.

    The nearest class in the model's inheritance that documents a field wins, as it would in
    pydantic.
    """
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        text = _docstring(model, name)
        if text is not None and "description" not in prop:
            prop["description"] = text


def _docstring(model: type[Any], field: str) -> str | None:
    for cls in model.__mro__:
        found = _class_docstrings(cls.__module__, cls.__qualname__).get(field)
        if found is not None:
            return found
    return None


def _class_docstrings(module: str, qualname: str) -> dict[str, str]:
    return _module_docstrings(module).get(qualname, {})


@functools.cache
def _module_docstrings(module: str) -> dict[str, dict[str, str]]:
    """For each class of `module` (by qualified name), its fields' docstrings."""
    try:
        tree = ast.parse(inspect.getsource(sys.modules[module]))
    except (KeyError, OSError, TypeError, SyntaxError):
        return {}
    found: dict[str, dict[str, str]] = {}
    _visit(tree.body, "", found)
    return found


def _visit(body: list[ast.stmt], prefix: str, found: dict[str, dict[str, str]]) -> None:
    for node in body:
        if isinstance(node, ast.ClassDef):
            qualname = f"{prefix}{node.name}"
            found[qualname] = _attribute_docstrings(node.body)
            _visit(node.body, f"{qualname}.", found)


def _attribute_docstrings(body: list[ast.stmt]) -> dict[str, str]:
    """``name: type`` followed by a string literal: the literal documents the name."""
    docs: dict[str, str] = {}
    for before, node in itertools.pairwise(body):
        if (
            isinstance(before, ast.AnnAssign)
            and isinstance(before.target, ast.Name)
            and isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            docs[before.target.id] = inspect.cleandoc(node.value.value)
    return docs
