"""Strict YAML and Markdown loading that remembers the line of every key.

- duplicate keys are rejected;
- no implicit dates or sexagesimal numbers: ``2012-05-01`` stays a string;
- every mapping key and list item gets its line, as a dotted path (``structures.2.nom``);
- bounded: size, aliases, nesting and expanded node count are limited (:mod:`ptce_mono.core.limits`),
  only plain YAML types are constructed (any other tag is refused), and every failure, whatever
  its cause, becomes a :class:`DataFileError` naming the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import DataFileError
from .limits import (
    MAX_MARKDOWN_BYTES,
    MAX_YAML_ALIASES,
    MAX_YAML_BYTES,
    MAX_YAML_DEPTH,
    MAX_YAML_NODES,
    RECORD_LIMITS,
    YamlLimits,
    read_bounded_text,
)

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: much faster


class _StrictLoader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader without the timestamp resolver."""


_CONSTRUCTOR = yaml.constructor.SafeConstructor()

# YAML 1.1 int and float patterns without the base-60 forms (``9:30`` stays a string).
_NO_SEXAGESIMAL = {
    "tag:yaml.org,2002:int": re.compile(
        r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
    ),
    "tag:yaml.org,2002:float": re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
}

_StrictLoader.yaml_implicit_resolvers = {
    key: [
        (tag, _NO_SEXAGESIMAL.get(tag, rx))
        for tag, rx in resolvers
        if tag != "tag:yaml.org,2002:timestamp"
    ]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class LoadedYaml:
    """A parsed YAML document with the 1-based line of each dotted path."""

    path: Path
    data: Any
    lines: dict[str, int] = field(default_factory=dict)

    def line_of(self, dotted: str) -> int | None:
        """Line of ``dotted`` or of its nearest parent that has one."""
        parts = dotted.split(".") if dotted else []
        while parts:
            line = self.lines.get(".".join(parts))
            if line:
                return line
            parts.pop()
        return self.lines.get("", 1)


_SCALAR_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null")
)
_MAP_TAG = "tag:yaml.org,2002:map"
_SEQ_TAG = "tag:yaml.org,2002:seq"


class _Budget:
    """Nodes built so far: an alias expands its whole target again, so the count is bounded."""

    def __init__(self, path: Path, limit: int = MAX_YAML_NODES) -> None:
        self.path = path
        self.nodes = 0
        self.limit = limit

    def spend(self, node: yaml.Node) -> None:
        self.nodes += 1
        if self.nodes > self.limit:
            raise DataFileError(
                self.path,
                f"YAML trop volumineux une fois les alias (*) développés (plus de "
                f"{self.limit} valeurs) : n'utilisez pas d'ancres ni d'alias",
                node.start_mark.line + 1,
            )


def _tag_name(tag: str) -> str:
    return tag.replace("tag:yaml.org,2002:", "!!")


def _build(node: yaml.Node, prefix: str, lines: dict[str, int], path: Path, budget: _Budget) -> Any:
    budget.spend(node)
    allowed = (
        node.tag == _MAP_TAG
        if isinstance(node, yaml.MappingNode)
        else node.tag == _SEQ_TAG
        if isinstance(node, yaml.SequenceNode)
        else node.tag in _SCALAR_TAGS
    )
    if not allowed:
        raise DataFileError(
            path,
            f"étiquette YAML « {_tag_name(node.tag)} » non permise (seuls textes, nombres, "
            "oui/non, listes et dictionnaires sont lus)",
            node.start_mark.line + 1,
        )
    if isinstance(node, yaml.MappingNode):
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise DataFileError(path, "clé complexe non permise", key_node.start_mark.line + 1)
            key = key_node.value
            if key in result:
                raise DataFileError(path, f"clé « {key} » en double", key_node.start_mark.line + 1)
            dotted = f"{prefix}.{key}" if prefix else key
            lines[dotted] = key_node.start_mark.line + 1
            result[key] = _build(value_node, dotted, lines, path, budget)
        return result
    if isinstance(node, yaml.SequenceNode):
        items = []
        for index, item in enumerate(node.value):
            dotted = f"{prefix}.{index}" if prefix else str(index)
            lines[dotted] = item.start_mark.line + 1
            items.append(_build(item, dotted, lines, path, budget))
        return items
    try:
        value = _CONSTRUCTOR.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        raise DataFileError(
            path, f"valeur illisible « {str(node.value)[:40]} »", node.start_mark.line + 1
        ) from exc
    finally:
        _CONSTRUCTOR.constructed_objects.clear()
    return value


def _check_events(text: str, path: Path, max_nodes: int = MAX_YAML_NODES) -> None:
    """One streaming pass over the parser's events (libyaml: no recursion, no expansion):
    refuse too many aliases, too deep a nesting or too many values before composing."""
    aliases = depth = 0
    for events, event in enumerate(yaml.parse(text, Loader=_StrictLoader), start=1):
        if isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_YAML_ALIASES:
                raise DataFileError(
                    path,
                    f"trop d'alias YAML (*) : plus de {MAX_YAML_ALIASES} ; une fiche n'en a pas "
                    "besoin (recopiez la valeur)",
                    event.start_mark.line + 1,
                )
        elif isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                raise DataFileError(
                    path,
                    f"YAML trop imbriqué (plus de {MAX_YAML_DEPTH} niveaux de listes ou de "
                    "dictionnaires)",
                    event.start_mark.line + 1,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if events > max_nodes:
            raise DataFileError(path, f"YAML trop volumineux (plus de {max_nodes} valeurs)")


_PROBLEMS_FR = (
    (
        "mapping values are not allowed",
        "deux-points inattendu (indentation ou guillemets manquants ?)",
    ),
    ("did not find expected ',' or ']'", "crochet « ] » ou virgule manquant"),
    ("did not find expected ',' or '}'", "accolade « } » ou virgule manquante"),
    ("did not find expected key", "clé attendue (indentation incorrecte ?)"),
    ("did not find expected '-' indicator", "tiret de liste attendu (indentation incorrecte ?)"),
    ("could not find expected ':'", "deux-points manquant après une clé"),
    (
        "found character that cannot start any token",
        "caractère interdit (tabulation ? indentez avec des espaces)",
    ),
    ("found unexpected end of stream", "fin de fichier inattendue (guillemet non fermé ?)"),
    (
        "found unknown escape character",
        "caractère d'échappement inconnu dans un texte entre guillemets",
    ),
    ("found undefined alias", "alias inconnu"),
    ("expected <block end>", "indentation incohérente"),
    ("found another document", "plusieurs documents (---) dans un seul fichier"),
    ("found duplicate anchor", "ancre (&) en double"),
)


def _french_problem(problem: str) -> str:
    for english, french in _PROBLEMS_FR:
        if english in problem:
            return french
    return f"syntaxe invalide : {problem}"


def parse_yaml(
    text: str, path: Path | str = "<texte>", limits: YamlLimits = RECORD_LIMITS
) -> LoadedYaml:
    """Parse ``text``; raise :class:`DataFileError` (French, naming ``path``) on any problem.

    ``limits``: those of a file written by a person (default) or by an importer (larger)."""
    path = Path(path)
    if len(text) > limits.max_bytes:
        raise DataFileError(path, f"YAML trop volumineux (plus de {limits.max_bytes} caractères)")
    try:
        _check_events(text, path, limits.max_nodes)
        node = yaml.compose(text, Loader=_StrictLoader)
        lines: dict[str, int] = {"": 1}
        data = (
            None if node is None else _build(node, "", lines, path, _Budget(path, limits.max_nodes))
        )
    except DataFileError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = _french_problem((exc.problem or exc.context or "").strip())
        raise DataFileError(path, f"YAML mal formé ({problem})", line) from exc
    except yaml.reader.ReaderError as exc:
        char = (
            exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "?")
        )
        raise DataFileError(
            path, f"caractère interdit U+{char:04X} (position {exc.position}) : texte brut attendu"
        ) from exc
    except RecursionError as exc:
        raise DataFileError(path, "YAML trop imbriqué") from exc
    except Exception as exc:  # libyaml and the constructor raise other types on odd input
        raise DataFileError(path, f"YAML illisible ({type(exc).__name__})") from exc
    return LoadedYaml(path=path, data=data, lines=lines)


def read_text(path: Path, limit: int = MAX_YAML_BYTES, kind: str = "fichier") -> str:
    """UTF-8 text of a data file, bounded in size (see :mod:`ptce_mono.core.limits`)."""
    return read_bounded_text(path, limit, kind)


def load_yaml(path: Path, limits: YamlLimits = RECORD_LIMITS) -> LoadedYaml:
    return parse_yaml(read_text(path, limits.max_bytes, "fichier YAML"), path, limits)


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?---[ \t]*\n?", re.DOTALL)


@dataclass(frozen=True)
class MarkdownDoc:
    """A Markdown narrative: optional YAML front matter, then the body."""

    path: Path
    meta: dict[str, Any]
    body: str
    body_line: int
    meta_lines: dict[str, int] = field(default_factory=dict)


def parse_markdown(text: str, path: Path | str = "<texte>") -> MarkdownDoc:
    path = Path(path)
    match = _FRONT_MATTER.match(text)
    if not match:
        return MarkdownDoc(path=path, meta={}, body=text, body_line=1)
    loaded = parse_yaml(match.group(1) or "", path)
    if loaded.data is not None and not isinstance(loaded.data, dict):
        raise DataFileError(
            path, "l'en-tête YAML (entre les lignes ---) doit être un dictionnaire", 2
        )
    lines = {k: v + 1 for k, v in loaded.lines.items()}  # shifted by the opening ---
    body_line = text[: match.end()].count("\n") + 1
    return MarkdownDoc(
        path=path, meta=loaded.data or {}, body=text[match.end() :], body_line=body_line,
        meta_lines=lines,
    )  # fmt: skip


def load_markdown(path: Path) -> MarkdownDoc:
    return parse_markdown(read_text(path, MAX_MARKDOWN_BYTES, "récit Markdown"), path)
