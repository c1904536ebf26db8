"""The data model: frozen values that flow one way through the pipeline.

``bytes -> RawDocument(text, blocks) -> Document(sentences with offsets) -> embeddings ->
Alignment(beads) -> Scores -> Flags -> Comparison``
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# roles of a segment: a statement is something a translation must carry over;
# a heading is a statement that is also a title; boilerplate (bylines, "Source:",
# "Comment (0)") is kept and shown but never flagged as dropped or added.
STATEMENT = "statement"
HEADING = "heading"
BOILERPLATE = "boilerplate"


@dataclass(frozen=True)
class Block:
    """A run of text that sentences never cross: a paragraph, heading or list item.

    ``start``/``end`` delimit the content (markers such as ``# `` or ``- `` excluded).
    """

    start: int
    end: int
    kind: str = "paragraph"  # paragraph | heading | item | cell | cue | footnote
    time: str = ""  # a subtitle cue's "hh:mm:ss.mmm --> hh:mm:ss.mmm"


@dataclass(frozen=True)
class RawDocument:
    """What a reader makes of a file: the decoded text and its blocks, not yet segmented."""

    path: str
    text: str
    encoding: str
    format: str
    blocks: tuple[Block, ...]
    meta: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Sentence:
    id: int
    text: str  # cleaned text (markup removed), what the encoder and checks see
    start: int  # character offsets into the document text as read (after decoding)
    end: int
    paragraph: int  # index of the paragraph (block) it belongs to
    role: str = STATEMENT
    #: where a subtitle cue is shown ("00:00:01.000 --> 00:00:03.500"); None for other inputs
    time: str | None = None

    @property
    def is_statement(self) -> bool:
        return self.role != BOILERPLATE


@dataclass(frozen=True)
class Document:
    path: str
    text: str  # the whole decoded input
    lang: str
    sentences: tuple[Sentence, ...]
    encoding: str = "utf-8"
    lang_detected: bool = True  # False when given by the user
    format: str = "text"
    #: what the reader found about the document besides its text: a web page's title, author,
    #: date, site and address; a .docx's title and author (never compared, shown in reports)
    meta: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    def __len__(self) -> int:
        return len(self.sentences)


@dataclass(frozen=True)
class Bead:
    """One aligned unit: source sentence ids and target sentence ids, either may be empty.

    ``moved`` marks a pair the translation put elsewhere: it breaks the order of the other beads
    (it stands where its source sentences are)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    moved: bool = False

    @property
    def kind(self) -> str:
        return f"{len(self.source)}-{len(self.target)}"


@dataclass(frozen=True)
class Alignment:
    beads: tuple[Bead, ...]
    method: str  # e.g. "dp-full" or "dp-band"


@dataclass(frozen=True)
class PairScore:
    """Scores of one bead. ``similarity`` is cosine of the two sides' embeddings."""

    similarity: float | None
    length_ratio: float | None  # target tokens / source tokens, divided by the document's median ratio
    chrf: float | None = None
    bleu: float | None = None
    ter: float | None = None
    #: the translation side translated back into the source language (``--mt``), on which the
    #: sacreBLEU scores were computed; ``None`` when they compare the texts themselves
    back_translation: str | None = None


@dataclass(frozen=True)
class Span:
    """Evidence: a character range in one document, and what it shows."""

    side: str  # "source" or "target"
    start: int
    end: int
    text: str
    label: str = ""


@dataclass(frozen=True)
class Flag:
    id: str
    kind: str  # dropped | added | altered | moved
    reasons: tuple[str, ...]
    source: tuple[int, ...]
    target: tuple[int, ...]
    severity: str  # major | minor
    confidence: float
    message: str
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class DiffMap:
    """The word-level difference map of a comparison: for every sentence of each document, its
    words as ``(start, end, score)``, offsets into the sentence's ``text``, and a score in [0, 1]:
    how likely the word's content is absent from the other side (a sentence left out scores
    every word high)."""

    source: tuple[tuple[tuple[int, int, float], ...], ...]
    target: tuple[tuple[tuple[int, int, float], ...], ...]


@dataclass(frozen=True)
class Comparison:
    source: Document
    target: Document
    alignment: Alignment
    scores: tuple[PairScore, ...]  # one per bead, same order
    flags: tuple[Flag, ...]
    metrics: dict[str, Any] = field(hash=False)
    signature: str = ""
    settings: dict[str, Any] = field(default_factory=dict, hash=False)
    #: the word-level difference map (``None`` with an encoder that gives no token states)
    diff: DiffMap | None = None


@dataclass(frozen=True)
class BitextAlignment:
    """An alignment without checks (``transcompare align``): the beads and each bead's cosine
    similarity (``None`` for 1-0 and 0-1 beads)."""

    source: Document
    target: Document
    alignment: Alignment
    similarities: tuple[float | None, ...]
    signature: str = ""
    #: how it was made: the encoder, and the texts it encoded for this alignment (sentences and
    #: the aligner's candidate pieces), in all and per sentence of the two documents
    settings: dict = field(default_factory=dict, hash=False, compare=False)
