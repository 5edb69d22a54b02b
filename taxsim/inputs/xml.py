"""Checking an XML document (a CARF report) against the limits before a reader builds a tree.

A 50 MB text node took 3.6 GB in the tree reader (text appended piece by piece) and a deeply
nested document exhausts the recursion of any tree walker. This pre-scan runs expat over the
bytes with handlers that only count: total size, element depth, the length of each text node
and attribute value; it refuses DTDs and entity declarations (billion laughs, XXE) and every
control, bidi or invisible character in text (``text.is_hidden``; XML white space excepted),
naming the line.
"""

from __future__ import annotations

from xml.parsers import expat

from ..model import InputError
from . import limits
from .text import describe, is_clean, is_hidden

_WHITESPACE = frozenset("\t\n\r")


class _Stop(Exception):
    def __init__(self, error: InputError) -> None:
        self.error = error


def check(name: str, data: bytes) -> None:
    """InputError if ``data`` exceeds a limit or holds a refused character; else nothing."""
    lim = limits.current()
    if len(data) > lim.xml_bytes:
        raise limits.exceeded(
            name, None, None, "xml_bytes", "the XML file's size in bytes", f"{len(data):,} bytes"
        )
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    depth = 0
    text_length = 0

    def stop(error: InputError) -> None:
        raise _Stop(error)

    def line() -> int:
        return parser.CurrentLineNumber

    def check_text(text: str, where: str | None) -> None:
        if is_clean(text):
            return
        for ch in text.strip():  # white space around a text is not part of it
            if ch not in _WHITESPACE and is_hidden(ch):
                stop(
                    InputError(
                        name,
                        line(),
                        where,
                        f"holds {describe(ch)}; expected text without control, invisible or "
                        "bidirectional characters",
                    )
                )

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal depth, text_length
        depth += 1
        text_length = 0
        if depth > lim.xml_depth:
            stop(limits.exceeded(name, line(), tag, "xml_depth", "the nesting depth of elements"))
        for key, value in attrs.items():
            if len(value) > lim.xml_text_chars:
                stop(
                    limits.exceeded(
                        name,
                        line(),
                        f"{tag}@{key}",
                        "xml_text_chars",
                        "the characters of an attribute value",
                    )  # fmt: skip
                )
            check_text(value, f"{tag}@{key}")

    def end(_tag: str) -> None:
        nonlocal depth, text_length
        depth -= 1
        text_length = 0

    def chars(text: str) -> None:
        nonlocal text_length
        text_length += len(text)
        if text_length > lim.xml_text_chars:
            stop(limits.exceeded(name, line(), None, "xml_text_chars", "the characters of a text"))
        check_text(text, None)

    def forbid(*_args: object) -> None:
        stop(
            InputError(
                name,
                line(),
                None,
                "a DOCTYPE or ENTITY declaration is not allowed in a CARF report",
            )
        )

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = chars
    parser.StartDoctypeDeclHandler = forbid
    parser.EntityDeclHandler = forbid
    parser.ExternalEntityRefHandler = forbid  # type: ignore[assignment]
    try:
        for offset in range(0, len(data), 1 << 16):
            parser.Parse(data[offset : offset + (1 << 16)], False)
        parser.Parse(b"", True)
    except _Stop as exc:
        raise exc.error from None
    except expat.ExpatError as exc:
        raise InputError(
            name, exc.lineno, None, f"not well-formed XML: {expat.ErrorString(exc.code)}"
        ) from None
    except LookupError as exc:  # an XML declaration naming an encoding Python does not know
        raise InputError(
            name, 1, None, f"the XML declaration names an unknown encoding ({exc})"
        ) from None
    except (ValueError, RecursionError, MemoryError) as exc:
        raise InputError(name, None, None, f"cannot read the XML: {exc}") from None
