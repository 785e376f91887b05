"""Read YAML safely and remember the line of every value, so errors can say file:line.

PyYAML's safe composer gives nodes with marks; we build plain Python values from them
ourselves, which lets us refuse duplicate keys and aliases (no "billion laughs") and keep
a map from a value's path, such as ``("items", 2, "sets")``, to its line.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ContentError, Issue

MAX_YAML_BYTES = 2_000_000
MAX_NODES = 200_000
MAX_DEPTH = 40

Path_ = tuple[str | int, ...]


@lru_cache(maxsize=1)
def _yaml():
    """PyYAML, imported when a file is first parsed (about 12 ms; a build whose library comes
    from the disk cache and that names no clinic file parses none)."""
    import yaml

    return yaml


def _fast_loader():
    """libyaml's parser keeps the same line marks and is about ten times faster (issue 20:
    82 -> 7 ms); a file it refuses is parsed again by the Python parser, for its clearer
    messages. None where libyaml is not installed."""
    return getattr(_yaml(), "CSafeLoader", None)


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
    def __init__(self, loader, linemap: LineMap):
        yaml = _yaml()
        self.mapping, self.sequence = yaml.MappingNode, yaml.SequenceNode
        self.loader = loader
        self.linemap = linemap
        self.seen: set[int] = set()
        self.count = 0

    def build(self, node, path: Path_):
        self.count += 1
        if self.count > MAX_NODES:
            raise _Fail(node, f"too many values (over {MAX_NODES})")
        if len(path) > MAX_DEPTH:
            raise _Fail(node, f"values nested more than {MAX_DEPTH} deep")
        if isinstance(node, (self.mapping, self.sequence)):
            if node.tag not in _PLAIN_TAGS:  # e.g. !!python/tuple or !!set: refused, as on a scalar
                raise _Fail(node, f"the YAML tag {_short_tag(node.tag)} is not allowed; remove it")
            if id(node) in self.seen:  # the same node again: an alias; name the line that uses it
                raise _Fail(node, "YAML aliases (*name) are not allowed; write the value out",
                            self.linemap.line_of(path))
            self.seen.add(id(node))
        self.linemap.lines.setdefault(path, node.start_mark.line + 1)
        if isinstance(node, self.mapping):
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
        if isinstance(node, self.sequence):
            return [self.build(child, path + (i,)) for i, child in enumerate(node.value)]
        return self.loader.construct_object(node, deep=True)


_PLAIN_TAGS = frozenset({"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"})


def _short_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


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
    yaml, fast = _yaml(), _fast_loader()
    if fast is not None:
        try:
            return _parse(text, name, fast, LineMap(file=name))
        except (yaml.YAMLError, RecursionError):
            pass  # parse again with the Python parser, whose messages name the problem better
    return _parse(text, name, yaml.SafeLoader, linemap)


def _parse(text: str, name: str, loader_class, linemap: LineMap) -> tuple[object, LineMap]:
    yaml = _yaml()
    try:
        loader = loader_class(text)
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
    except (yaml.YAMLError, RecursionError) as exc:
        if loader_class is _fast_loader():
            raise
        raise _yaml_error(exc, name) from None
    finally:
        loader.dispose()
    return value, linemap


def _yaml_error(exc: Exception, name: str) -> ContentError:
    """One readable error for what PyYAML's own parser refused, naming the line when it can."""
    if isinstance(exc, RecursionError):
        return ContentError([Issue(file=name, message=f"values nested more than {MAX_DEPTH} deep")])
    if isinstance(exc, _yaml().MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "not valid YAML"
        if "\t" in problem or "'\\t'" in problem:
            problem = "a tab character cannot indent YAML; use spaces"
        return ContentError([Issue(file=name, line=line, message=f"not valid YAML: {problem}")])
    return ContentError([Issue(file=name, message=f"not valid YAML: {exc}")])


def check_file(path: Path, limit: int, what: str = "text") -> int:
    """The size of ``path`` if it is a regular file of at most ``limit`` bytes; else ContentError.

    Only ``stat`` is used, so nothing is opened: a FIFO or a device cannot block or flood us.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise ContentError([Issue(file=str(path), message="file not found")]) from None
    except OSError as exc:
        raise ContentError([Issue(file=str(path), message=f"cannot read: {exc.strerror}")]) from None
    _check_kind(path, info, limit, what)
    return info.st_size


def _check_kind(path: Path, info: os.stat_result, limit: int, what: str) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise ContentError([Issue(file=str(path), message="is a folder, not a file")])
    if not stat.S_ISREG(info.st_mode):
        raise ContentError([Issue(file=str(path), message=f"is not a regular file (a device, pipe or socket); "
                                                          f"{what} must be an ordinary file")])
    if info.st_size > limit:
        raise ContentError([Issue(file=str(path), message=f"file is too large ({info.st_size:,} bytes; "
                                                          f"at most {limit:,})")])


def read_limited(path: Path, limit: int, what: str = "text") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, or ContentError naming it.

    The type and size are checked before any byte is read, and then at most ``limit + 1``
    bytes are read, so a FIFO, a device such as /dev/zero, or a file that grows while we
    read cannot hang us or fill memory.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise ContentError([Issue(file=str(path), message="file not found")]) from None
    except IsADirectoryError:
        raise ContentError([Issue(file=str(path), message="is a folder, not a file")]) from None
    except OSError as exc:
        raise ContentError([Issue(file=str(path), message=f"cannot read: {exc.strerror}")]) from None
    try:
        _check_kind(path, os.fstat(fd), limit, what)
    except ContentError:
        os.close(fd)
        raise
    with os.fdopen(fd, "rb") as handle:
        try:  # a block at a time: read(limit + 1) sets aside the whole limit (50 MB for a roster) first
            chunks, total = [], 0
            while total <= limit:
                block = handle.read(min(1 << 20, limit + 1 - total))
                if not block:
                    break
                chunks.append(block)
                total += len(block)
            data = b"".join(chunks)
        except OSError as exc:
            raise ContentError([Issue(file=str(path), message=f"cannot read: {exc.strerror}")]) from None
    if len(data) > limit:
        raise ContentError([Issue(file=str(path), message=f"file is too large (over {limit:,} bytes)")])
    return data


def read_text(path: Path, what: str = "text", limit: int = MAX_YAML_BYTES) -> str:
    """Read a UTF-8 file (a BOM is allowed) of at most ``limit`` bytes, or raise ContentError naming it."""
    data = read_limited(path, limit, what)
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
