"""The signature every report carries: what produced it (versions, encoder, aligner, checks,
calibration, segmenter, languages, metrics), in the manner of sacreBLEU's signatures, so that two
reports can be told comparable or not."""
from __future__ import annotations

from typing import Sequence

from . import __version__
from .checks.calibration import signature as calibration_signature
from .score.bleu import tokenizer_for
from .versions import dist_version

#: the aligner's version and the parts it uses
ALIGNER = "bead-dp-v3+margin+anchors+length+moved+headings+merge"


def signature(encoder_id: str, checks: Sequence[str], src_lang: str, tgt_lang: str, mt_id: str | None = None,
              diff: str | None = None) -> str:
    """``diff``: the weights of the report's difference map, by name
    (:func:`transcompare.diff.weights_signature`), when it has one."""
    parts = [
        f"transcompare:{__version__}",
        f"encoder:{encoder_id}",
        f"align:{ALIGNER}",
        f"checks:{','.join(checks)}",
        f"seg:sentencex-{dist_version('sentencex')}",
        f"langs:{src_lang}-{tgt_lang}",
    ]
    if checks:
        parts.insert(4, f"conf:{calibration_signature()}")
    if diff:
        parts.insert(3, f"diff:{diff}")
    if src_lang.split("-")[0] == tgt_lang.split("-")[0]:
        parts.append(f"sacrebleu:{dist_version('sacrebleu')}|tok:{tokenizer_for(src_lang)}")
    elif mt_id:
        parts.append(f"mt:{mt_id}|sacrebleu:{dist_version('sacrebleu')}|tok:{tokenizer_for(src_lang)}")
    return "|".join(parts)
