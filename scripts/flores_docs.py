"""FLORES-200 dev documents for the benchmark scripts: lines grouped by ``doc_index``."""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

DEFAULT_DATA = str(Path(__file__).resolve().parents[1].parent / "shared" / "data")
#: the FLORES languages the scripts compare English with, and their short codes
TRANSLATION_LANGS = {"vie_Latn": "vi", "deu_Latn": "de", "fra_Latn": "fr", "spa_Latn": "es", "zho_Hans": "zh",
                     "rus_Cyrl": "ru", "arb_Arab": "ar"}


def load_docs(data: str | Path, limit: int = 0, skip: int = 0) -> tuple[dict[int, list[dict]], list[int]] | None:
    """The documents (each a list of line records, one key per language) and their indices in
    order, after the first ``skip``, the next ``limit`` only if given; ``None`` (after saying so) when the data is absent."""
    path = Path(data) / "flores200-dev" / "flores200_dev_8lang_with_docs.jsonl"
    if not path.exists():
        print(f"skipped: {path} not found (the FLORES dev data lives in ../shared/data)")
        return None
    docs: dict[int, list[dict]] = defaultdict(list)
    for line in path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        docs[row["doc_index"]].append(row)
    order = sorted(docs)[skip:]
    return docs, order[:limit] if limit else order
