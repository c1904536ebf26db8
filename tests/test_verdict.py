"""The document verdict: two texts that are not translations of each other are said to be so,
with no sentence flags; a translation of part of a text is partial."""
import json
from pathlib import Path

from click.testing import CliRunner

from transcompare import compare, compare_documents, document_from_text
from transcompare.cli import main

CORPORA = Path(__file__).resolve().parent.parent / "corpora"
FLOOD = CORPORA / "en-vi-flood" / "source.en.txt"
FLOOD_VI = CORPORA / "en-vi-flood" / "translation.vi.txt"
VACCINE_ES = CORPORA / "en-es-vaccine" / "translation.es.txt"
DETAINED_VI = CORPORA / "en-vi-detained" / "translation.vi.txt"


def test_a_translation_is_a_translation(encoder):
    c = compare(FLOOD, FLOOD_VI, encoder=encoder)
    assert c.metrics["verdict"] == "translation"
    assert c.metrics["confident_source"] >= 0.6 and c.metrics["confident_target"] >= 0.6


def test_unrelated_articles_are_said_to_be_unrelated_and_get_no_sentence_flags(encoder):
    for other in (VACCINE_ES, DETAINED_VI):  # another story, in another language and in the same one
        c = compare(FLOOD, other, encoder=encoder)
        assert c.metrics["verdict"] == "unrelated", other
        assert c.flags == () and c.metrics["flags"] == {"dropped": 0, "added": 0, "altered": 0, "moved": 0}


def test_the_warning_is_one_line_in_every_view_and_fail_on_unrelated_exits_1(tmp_path):
    out = CliRunner().invoke(main, ["compare", str(FLOOD), str(VACCINE_ES), "--no-color"])
    assert out.exit_code == 0
    lines = out.output.splitlines()
    assert lines[1].startswith("WARNING: these texts are not translations of each other")
    assert "verdict        unrelated" in out.output
    out = CliRunner().invoke(main, ["compare", str(FLOOD), str(VACCINE_ES), "--fail-on", "unrelated"])
    assert out.exit_code == 1
    out = CliRunner().invoke(main, ["compare", str(FLOOD), str(FLOOD_VI), "--fail-on", "unrelated"])
    assert out.exit_code == 0
    page = tmp_path / "r.html"
    CliRunner().invoke(main, ["compare", str(FLOOD), str(VACCINE_ES), "-f", "html", "-o", str(page)])
    assert 'class="warning"' in page.read_text(encoding="utf-8")
    out = CliRunner().invoke(main, ["compare", str(FLOOD), str(VACCINE_ES), "-f", "json"])
    assert json.loads(out.output)["metrics"]["verdict"] == "unrelated"


def test_half_a_translation_is_partial(encoder):
    src = FLOOD.read_text(encoding="utf-8")
    paragraphs = [p for p in FLOOD_VI.read_text(encoding="utf-8").split("\n\n") if p.strip()]
    half = "\n\n".join(paragraphs[: len(paragraphs) // 2])
    c = compare_documents(document_from_text(src, "en"), document_from_text(half, "vi"), encoder)
    assert c.metrics["verdict"] == "partial"
    assert c.metrics["confident_source"] < 0.6 <= c.metrics["confident_target"]
