"""Bad input: one clear line naming the file and the problem, exit code 2, no traceback."""

import pytest
from click.testing import CliRunner

from transcompare.cli import main
from transcompare.errors import InputError
from transcompare.read import read_file

GOOD = "The council approved the budget on Monday. It will fund 120 new teachers.\n"


@pytest.fixture
def good(tmp_path):
    p = tmp_path / "good.en.txt"
    p.write_text(GOOD, encoding="utf-8")
    return p


def run(*args):
    return CliRunner().invoke(main, list(map(str, args)))


def assert_clean_error(result, path, words):
    assert result.exit_code == 2, result.output
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1, result.output
    assert str(path) in lines[0]
    assert any(w in lines[0] for w in words), lines[0]
    assert "Traceback" not in result.output


def test_missing_file(tmp_path, good):
    missing = tmp_path / "nope.txt"
    assert_clean_error(run("compare", missing, good), missing, ["no such file"])


def test_directory(tmp_path, good):
    assert_clean_error(run("compare", good, tmp_path), tmp_path, ["directory"])


@pytest.mark.parametrize("content,words", [(b"", ["empty"]), (b"   \n\n\t  \n", ["whitespace"])])
def test_empty_and_whitespace(tmp_path, good, content, words):
    p = tmp_path / "empty.txt"
    p.write_bytes(content)
    assert_clean_error(run("compare", good, p), p, words)


def test_binary(tmp_path, good):
    p = tmp_path / "image.txt"
    p.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 20)
    assert_clean_error(run("compare", good, p), p, ["binary"])


def test_huge_single_line(tmp_path, good):
    p = tmp_path / "dump.txt"
    p.write_text("word " * 1_000_000, encoding="utf-8")  # 5 MB, one line
    assert_clean_error(run("compare", good, p), p, ["characters long"])


def test_undetectable_language_asks_for_the_option(tmp_path, good):
    p = tmp_path / "numbers.txt"
    p.write_text("12345 678 90 !!! 42\n", encoding="utf-8")
    r = run("compare", good, p)
    assert_clean_error(r, p, ["--target-lang", "--source-lang"])


def test_unknown_check_is_a_usage_error(good):
    r = run("compare", good, good, "--checks", "number,bogus")
    assert r.exit_code == 2
    assert "bogus" in r.output


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-8-sig", "cp1252", "utf-32"])
def test_other_encodings_are_decoded(tmp_path, encoding):
    text = "Le café a ouvert à Genève le 3 mai. Il emploie 12 personnes déjà.\n"
    p = tmp_path / f"doc.{encoding}.txt"
    p.write_bytes(text.encode(encoding))
    raw = read_file(str(p))
    assert raw.text.strip() == text.strip()


def test_undecodable_bytes_are_refused(tmp_path):
    p = tmp_path / "mixed.txt"
    # valid UTF-8 followed by bytes no encoding makes sense of
    p.write_bytes("Ein Satz über Köln und Düsseldorf.\n".encode() + bytes([0xe4, 0x20, 0xfc, 0x20]) * 50)
    with pytest.raises(InputError) as err:
        read_file(str(p))
    assert "mixed.txt" in str(err.value)


def test_same_file_on_both_sides_flags_nothing(tmp_path):
    src = tmp_path / "a.txt"
    src.write_text("Floods hit the coast\n\nThe river rose 2.5 meters on Monday, officials said. "
                   "Nobody was hurt. Schools will stay closed until Friday, the mayor said.\n", encoding="utf-8")
    r = run("compare", src, src, "--format", "json")
    assert r.exit_code == 0, r.output
    import json

    data = json.loads(r.output)
    assert data["flags"] == []
    assert all(len(p["source"]) == len(p["target"]) == 1 for p in data["pairs"])
    assert data["metrics"]["coverage"] == 1.0
