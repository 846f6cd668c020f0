"""Documents translated with their structure kept: .txt, .srt, .vtt, .html, .docx.

- **txt**: UTF-8 (a BOM is dropped), paragraphs (separated by blank lines) translated one by
  one; the blank lines stay as they were.
- **srt** (``srt``): every cue's text translated; numbers and timestamps untouched. A cue of
  several lines is translated as one sentence, then wrapped back into as many lines.
- **vtt** (``webvtt-py``): the same for WebVTT cues; identifiers, timestamps and cue
  settings untouched, and cue markup (``<b>``, ``<i>``, voice tags) kept.
- **html**: translated as HTML, so tags and attributes stay in place (only text nodes
  change); ``<script>``, ``<style>``, ``<pre>`` and ``<code>`` blocks are not translated.
- **docx** (``python-docx``): every paragraph of the body, tables, headers and footers.
  A paragraph's runs are sent as ``<span>`` elements so that each translated word keeps the
  formatting (bold, italic, font, colour) of the run it came from, even when the target
  language reorders words; paragraph styles, numbering and everything else in the file
  stay untouched. Paragraphs holding pictures or fields are translated run by run.

``character_count`` is the number of characters of translatable source text.
"""

from __future__ import annotations

import copy
import html
import io
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from vidlens.engines.translation.types import Markup
from vidlens.errors import InvalidInput

DocumentFormat = Literal["txt", "srt", "vtt", "html", "docx"]
FORMATS: tuple[DocumentFormat, ...] = ("txt", "srt", "vtt", "html", "docx")
CONTENT_TYPES: dict[DocumentFormat, str] = {
    "txt": "text/plain; charset=utf-8",
    "srt": "application/x-subrip; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
TranslateFn = Callable[[Sequence[str], Markup], list[str]]
"""``translate(texts, markup) -> translations`` bound to one language pair."""

_PARAGRAPH_BREAK = re.compile(r"(\n[ \t]*\n+)")
_PROTECTED = re.compile(r"<(script|style|pre|code)\b.*?</\1\s*>", re.I | re.S)
_SPAN = re.compile(r'<span id="vr(\d+)">(.*?)</span>', re.S)
_SUFFIXES: dict[str, DocumentFormat] = {
    ".txt": "txt", ".text": "txt", ".srt": "srt", ".vtt": "vtt", ".html": "html",
    ".htm": "html", ".docx": "docx",
}  # fmt: skip


class UnsupportedDocument(InvalidInput):
    """A document this server cannot translate (format unknown, undecodable, malformed)."""

    code = "UNSUPPORTED_DOCUMENT"


@dataclass(frozen=True, slots=True)
class TranslatedDocument:
    data: bytes
    format: DocumentFormat
    character_count: int


def detect_format(name: str, head: bytes) -> DocumentFormat:
    """The format of a document from its bytes, then its file name's extension.

    Raises:
        UnsupportedDocument: none of :data:`FORMATS`.
    """
    if head.startswith(b"PK\x03\x04"):
        if name.lower().endswith(".docx") or b"word/" in head or b"[Content_Types]" in head:
            return "docx"
        raise UnsupportedDocument("The document is a ZIP archive but not a .docx file.")
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if text.startswith(b"WEBVTT"):
        return "vtt"
    lowered = text[:512].lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<body" in lowered:
        return "html"
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix in _SUFFIXES:
        return _SUFFIXES[suffix]
    if re.match(rb"\d+\s*\r?\n\d\d:\d\d:\d\d[,.]\d{3} --> ", text):
        return "srt"
    raise UnsupportedDocument(
        "Unsupported document format; supported: " + ", ".join(f".{f}" for f in FORMATS) + "."
    )


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnsupportedDocument("The document is not UTF-8 text.") from None


def translate_document(
    data: bytes, fmt: DocumentFormat, translate: TranslateFn
) -> TranslatedDocument:
    """Translate a whole document (see the module docstring).

    Raises:
        UnsupportedDocument: the bytes are not a valid document of ``fmt``.
        TranslationFailed: the backend failed.
    """
    handlers: dict[DocumentFormat, Callable[[bytes, TranslateFn], tuple[bytes, int]]] = {
        "txt": _txt,
        "srt": _srt,
        "vtt": _vtt,
        "html": _html,
        "docx": _docx,
    }
    out, count = handlers[fmt](data, translate)
    return TranslatedDocument(out, fmt, count)


def _txt(data: bytes, translate: TranslateFn) -> tuple[bytes, int]:
    parts = _PARAGRAPH_BREAK.split(_decode(data))
    texts = parts[0::2]
    done = translate(texts, "text")
    parts[0::2] = done
    return "".join(parts).encode("utf-8"), sum(len(t) for t in texts)


def _rewrap(text: str, lines: int) -> str:
    """``text`` in ``lines`` lines of similar length, cut at spaces."""
    words = text.split()
    if lines <= 1 or len(words) < lines:
        return " ".join(words)
    target = len(text) / lines
    out: list[str] = []
    current = ""
    for word in words:
        if current and len(current) + 1 + len(word) > target and len(out) < lines - 1:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    out.append(current)
    return "\n".join(out)


def _cue_texts(raw: Sequence[str], translate: TranslateFn) -> list[str]:
    joined = [" ".join(line.strip() for line in text.splitlines()) for text in raw]
    done = translate(joined, "html")
    return [_rewrap(t, len(r.splitlines()) or 1) for t, r in zip(done, raw, strict=True)]


def _srt(data: bytes, translate: TranslateFn) -> tuple[bytes, int]:
    import srt  # type: ignore[import-untyped]  # no stubs

    try:
        cues = list(srt.parse(_decode(data)))
    except srt.SRTParseError as exc:
        raise UnsupportedDocument(f"The .srt file is malformed: {exc}") from None
    raw = [cue.content for cue in cues]
    for cue, text in zip(cues, _cue_texts(raw, translate), strict=True):
        cue.content = text
    return srt.compose(cues, reindex=False).encode("utf-8"), sum(len(t) for t in raw)


def _vtt(data: bytes, translate: TranslateFn) -> tuple[bytes, int]:
    import webvtt

    try:
        document = webvtt.from_string(_decode(data))
    except webvtt.errors.MalformedFileError as exc:
        raise UnsupportedDocument(f"The .vtt file is malformed: {exc}") from None
    captions: list[Any] = list(document.captions)
    raw = [str(caption.raw_text) for caption in captions]
    for caption, text in zip(captions, _cue_texts(raw, translate), strict=True):
        caption.lines = text.split("\n")  # raw lines: cue markup kept
    return str(document.content).encode("utf-8"), sum(len(t) for t in raw)


def _html(data: bytes, translate: TranslateFn) -> tuple[bytes, int]:
    source = _decode(data)
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:
        kept.append(match[0])
        return f"<!--vidlens:{len(kept) - 1}-->"

    shielded = _PROTECTED.sub(protect, source)
    (done,) = translate([shielded], "html")
    restored = re.sub(r"<!--vidlens:(\d+)-->", lambda m: kept[int(m[1])], done)
    text_only = re.sub(r"<[^>]+>", "", shielded)
    return restored.encode("utf-8"), len(html.unescape(text_only).strip())


def _docx(data: bytes, translate: TranslateFn) -> tuple[bytes, int]:
    try:
        import docx
        from docx.opc.exceptions import PackageNotFoundError
    except ImportError:  # pragma: no cover - python-docx is a locked dependency
        raise UnsupportedDocument(".docx needs python-docx (pip install python-docx)") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError) as exc:
        raise UnsupportedDocument(f"The .docx file is malformed: {exc}") from None
    paragraphs = list(_all_paragraphs(document))
    count = sum(len(p.text) for p in paragraphs)
    _translate_paragraphs(paragraphs, translate)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue(), count


def _all_paragraphs(document: Any) -> Any:
    def walk(container: Any) -> Any:
        yield from container.paragraphs
        for table in getattr(container, "tables", []):
            for row in table.rows:
                for cell in row.cells:
                    yield from walk(cell)

    yield from walk(document)
    for section in document.sections:
        for part in (section.header, section.footer):
            if not part.is_linked_to_previous:
                yield from walk(part)


def _plain_runs(paragraph: Any) -> bool:
    """Whether every run holds only text (no picture, field or object)."""
    for run in paragraph.runs:
        for child in run._r:
            tag = child.tag.rsplit("}", 1)[-1]
            if tag not in {"rPr", "t", "tab", "br", "cr", "lastRenderedPageBreak"}:
                return False
    return True


def _translate_paragraphs(paragraphs: list[Any], translate: TranslateFn) -> None:
    rebuilt = [p for p in paragraphs if p.text.strip() and _plain_runs(p)]
    run_by_run = [p for p in paragraphs if p.text.strip() and not _plain_runs(p)]
    bodies = [
        "".join(
            f'<span id="vr{i}">{html.escape(run.text, quote=False)}</span>'
            for i, run in enumerate(p.runs)
        )
        for p in rebuilt
    ]
    for paragraph, done in zip(rebuilt, translate(bodies, "html"), strict=True):
        _rebuild(paragraph, done)
    runs = [run for p in run_by_run for run in p.runs if run.text.strip()]
    for run, text in zip(runs, translate([r.text for r in runs], "text"), strict=True):
        run.text = text


def _rebuild(paragraph: Any, translated: str) -> None:
    """Replace a paragraph's runs by runs in the translated order, each a copy of the run
    its text came from (so its formatting)."""
    runs = list(paragraph.runs)
    pieces: list[tuple[int, str]] = []
    position = 0
    for match in _SPAN.finditer(translated):
        between = html.unescape(translated[position : match.start()])
        if between and pieces:
            pieces[-1] = (pieces[-1][0], pieces[-1][1] + between)
        pieces.append((int(match[1]), html.unescape(match[2])))
        position = match.end()
    tail = html.unescape(translated[position:])
    if tail.strip() or not pieces:
        pieces.append((len(runs) - 1 if pieces else 0, tail))
    anchor = runs[0]._r
    for index, text in pieces:
        source = runs[min(index, len(runs) - 1)]._r
        element = copy.deepcopy(source)
        anchor.addprevious(element)
        from docx.text.run import Run

        Run(element, paragraph).text = text
    for run in runs:
        run._r.getparent().remove(run._r)
