"""Read YAML safely and remember the line of every value, so errors can say file:line.

PyYAML's safe composer gives nodes with marks; we build plain Python values from them
ourselves, which lets us refuse duplicate keys and aliases (no "billion laughs") and keep
a map from a value's path, such as ``("items", 2, "sets")``, to its line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ..errors import ContentError, Issue

MAX_YAML_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]


@dataclass
class LineMap:
    """Lines of the values in one file, by path; looks up the nearest known parent."""

    file: str
    lines: dict[Path_, int] = field(default_factory=dict)

    def line_of(self, path: Path_) -> int | None:
        path = tuple(path)
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), None)


class _Builder:
    def __init__(self, loader: yaml.SafeLoader, linemap: LineMap):
        self.loader = loader
        self.linemap = linemap
        self.seen: set[int] = set()
        self.count = 0

    def build(self, node: yaml.Node, path: Path_):
        self.count += 1
        if self.count > MAX_NODES:
            raise _Fail(node, f"too many values (over {MAX_NODES})")
        if len(path) > MAX_DEPTH:
            raise _Fail(node, f"values nested more than {MAX_DEPTH} deep")
        if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
            if id(node) in self.seen:  # the same node again: an alias; name the line that uses it
                raise _Fail(node, "YAML aliases (*name) are not allowed; write the value out",
                            self.linemap.line_of(path))
            self.seen.add(id(node))
        self.linemap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            out: dict = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise _Fail(key_node, "YAML merge keys (<<) are not allowed")
                key = self.loader.construct_object(key_node, deep=True)
                if not isinstance(key, (str, int)):
                    raise _Fail(key_node, f"a key must be a name, got {key!r}")
                if key in out:
                    raise _Fail(key_node, f"duplicate key {key!r}")
                self.linemap.lines[path + (key,)] = key_node.start_mark.line + 1
                out[key] = self.build(value_node, path + (key,))
            return out
        if isinstance(node, yaml.SequenceNode):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


class _Fail(Exception):
    def __init__(self, node, message, line: int | None = None):
        self.line = line or node.start_mark.line + 1
        self.message = message


def parse_yaml(text: str, name: str) -> tuple[object, LineMap]:
    """Parse YAML text into plain values and a LineMap; raise ContentError naming the line."""
    linemap = LineMap(file=name)
    if "\x00" in text:
        raise ContentError([Issue(file=name, message="this is a binary file, not YAML text")])
    if len(text) > MAX_YAML_BYTES:
        raise ContentError([Issue(file=name, message=f"file is too large (over {MAX_YAML_BYTES} bytes)")])
    try:
        loader = yaml.SafeLoader(text)
    except yaml.reader.ReaderError as exc:  # YAML refuses control characters before parsing
        line = text.count("\n", 0, exc.position) + 1
        raise ContentError([Issue(file=name, line=line, message=f"not valid YAML: the control character "
                                  f"U+{exc.character:04X} is not allowed; remove it")]) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return None, linemap
        value = _Builder(loader, linemap).build(node, ())
    except _Fail as fail:
        raise ContentError([Issue(file=name, line=fail.line, message=fail.message)]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        if "\t" in problem or "'\\t'" in problem:
            problem = "a tab character cannot indent YAML; use spaces"
        raise ContentError([Issue(file=name, line=line, message=f"not valid YAML: {problem}")]) from None
    except yaml.YAMLError as exc:
        raise ContentError([Issue(file=name, message=f"not valid YAML: {exc}")]) from None
    except RecursionError:
        raise ContentError([Issue(file=name, message=f"values nested more than {MAX_DEPTH} deep")]) from None
    finally:
        loader.dispose()
    return value, linemap


def read_text(path: Path, what: str = "text") -> str:
    """Read a UTF-8 file (a BOM is allowed), or raise ContentError naming it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ContentError([Issue(file=str(path), message="file not found")]) from None
    except IsADirectoryError:
        raise ContentError([Issue(file=str(path), message="is a folder, not a file")]) from None
    except OSError as exc:
        raise ContentError([Issue(file=str(path), message=f"cannot read: {exc.strerror}")]) from None
    if b"\x00" in data[:8192]:
        raise ContentError([Issue(file=str(path), message=f"this is a binary file, not {what}")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ContentError(
            [Issue(file=str(path), line=line, message=f"not UTF-8 text (byte 0x{data[exc.start]:02x})")]
        ) from None


def load_yaml_file(path: Path) -> tuple[object, LineMap]:
    """Read and parse one YAML file."""
    return parse_yaml(read_text(path, "YAML"), str(path))
