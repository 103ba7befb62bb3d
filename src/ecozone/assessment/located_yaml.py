"""YAML documents that remember the line of every value.

Rulebooks and questionnaire answers are YAML written by people; their errors must point at a
line. :func:`load_located` returns the plain data (as :func:`yaml.safe_load` would) together with
a map from each value's path (a tuple of mapping keys and sequence indices) to its 1-based line,
and the problems found while reading (syntax errors, keys given twice).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from ecozone.assessment.errors import Problem

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class LocatedDocument:
    """A YAML document with the line of each value.

    Attributes
    ----------
    data : Any
        The document as plain Python values (None when it could not be read).
    lines : dict
        Path → 1-based line (the line of the key for mapping entries).
    problems : list of Problem
        Syntax errors and keys given twice.
    file : str
        The file's label, used in problems.
    """

    data: Any
    lines: dict[Path, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    file: str = "<yaml>"

    def line(self, path: Path) -> int | None:
        """The line of ``path``, or of its closest located ancestor."""
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = path[:-1]

    def problem(self, path: Path, key: str, severity: str = "error", **params: Any) -> Problem:
        """A :class:`Problem` located at ``path``."""
        return Problem(self.file, self.line(path), dotted(path), key, params, severity)


def dotted(path: Path) -> str:
    """``("requirements", 3, "check")`` → ``requirements[3].check``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_located(text: str, file: str = "<yaml>") -> LocatedDocument:
    """Read one YAML document and locate its values.

    Parameters
    ----------
    text : str
        The YAML text.
    file : str
        Label of the file in problems.

    Returns
    -------
    LocatedDocument
        ``data`` is None when the text is not valid YAML (the problem says where).
    """
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return LocatedDocument(None, {}, [], file)
        lines: dict[Path, int] = {(): node.start_mark.line + 1}
        problems: list[Problem] = []
        _walk(loader, node, (), lines, problems, file)
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        detail = str(exc.problem or exc.context or exc)
        return LocatedDocument(None, {}, [Problem(file, line, "", "assessment.yaml.syntax", {"detail": detail})], file)
    except yaml.YAMLError as exc:
        return LocatedDocument(None, {}, [Problem(file, None, "", "assessment.yaml.syntax", {"detail": str(exc)})], file)
    finally:
        loader.dispose()
    return LocatedDocument(data, lines, problems, file)


def _walk(loader: yaml.SafeLoader, node: Node, path: Path, lines: dict[Path, int], problems: list[Problem], file: str) -> None:
    if isinstance(node, MappingNode):
        seen: set[Any] = set()
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            key = key if isinstance(key, str | int) else str(key)
            child = (*path, key)
            if key in seen:
                problems.append(
                    Problem(file, key_node.start_mark.line + 1, dotted(child), "assessment.yaml.duplicate_key", {"name": key})
                )
            seen.add(key)
            lines[child] = key_node.start_mark.line + 1
            _walk(loader, value_node, child, lines, problems, file)
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _walk(loader, item, child, lines, problems, file)
