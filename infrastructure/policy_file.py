"""Loading the deployment's policy file: YAML documents, one per version.

Errors name the file and line of the entry at fault, e.g.
``policy.yaml:57: awards[3].chain: unknown level 'distrct'``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from domain.errors import PolicyError
from domain.policy import PolicyBook
from domain.policy_reader import DocumentError, read_policy_book

_STEP = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML, except that a date that does not exist (``2025-02-30``) stays text, so
    that the policy reader reports it with its place instead of YAML failing without one.
    On libyaml where PyYAML has it: every process reads the file as it starts, and the
    pure-Python parser took a third of a second for it."""


def _timestamp_or_text(loader: _Loader, node: yaml.ScalarNode) -> object:
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:
        return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


class PolicyFileError(Exception):
    def __init__(self, path: Path, line: int | None, error: PolicyError | str) -> None:
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {error}")
        self.line = line


def line_of(node: yaml.Node | None, where: str) -> int | None:
    """The line of the deepest node of ``where`` that exists in the document."""
    if node is None:
        return None
    line = node.start_mark.line + 1
    for name, index in _STEP.findall(where):
        if isinstance(node, yaml.MappingNode) and name:
            found = next((v for k, v in node.value if getattr(k, "value", None) == name), None)
        elif isinstance(node, yaml.SequenceNode) and index:
            found = node.value[int(index)] if int(index) < len(node.value) else None
        else:
            found = None
        if found is None:
            break
        node, line = found, found.start_mark.line + 1
    return line


def load_policy_book(path: Path) -> PolicyBook:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PolicyFileError(path, None, f"cannot read the policy file: {error}") from None
    try:
        # Empty documents (a version commented out between two ``---``) are skipped.
        documents = [d for d in yaml.load_all(text, Loader=_Loader) if d is not None]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise PolicyFileError(path, mark.line + 1 if mark else None, f"not YAML: {error}") from None
    try:
        return read_policy_book(documents)
    except DocumentError as error:
        index = _holder(documents, error.document, error.where)
        # The nodes, for the error's line only; skipped alike, so document i keeps its own.
        nodes = [node for document, node in zip(yaml.load_all(text, Loader=_Loader),
                                                  yaml.compose_all(text, Loader=_Loader),
                                                  strict=True) if document is not None]
        node = nodes[index] if index < len(nodes) else None
        message: PolicyError | str = error
        if index != error.document:
            message = (f"{error} (in '{_section(error.where)}', which version "
                       f"{documents[error.document].get('version')} takes from "
                       f"{documents[index].get('version')})")
        raise PolicyFileError(path, line_of(node, error.where), message) from None


def _section(where: str) -> str:
    return where.split(".", 1)[0].split("[", 1)[0]


def _holder(documents: list[Any], index: int, where: str) -> int:
    """The document that holds the section of ``where``: the one at fault, or the base
    version it took the section from unchanged."""
    section = _section(where)
    if section in ("policy", "version"):
        return index
    by_version = {str(d.get("version")): i for i, d in enumerate(documents)
                  if isinstance(d, dict)}
    at = index
    while 0 <= at < len(documents) and isinstance(documents[at], dict):
        doc = documents[at]
        if section in doc:
            return at
        if doc.get("base") is None:
            break
        base = by_version.get(str(doc["base"]))
        if base is None or base >= at:
            break
        at = base
    return index
