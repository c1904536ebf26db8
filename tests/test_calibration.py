"""Flag confidence comes from the table fitted on the dev data, and never falls as raw rises."""
import json

import pytest

from transcompare.checks import calibration


@pytest.fixture(scope="module")
def table():
    return json.loads(calibration.TABLE.read_text(encoding="utf-8"))


def test_the_shipped_table_is_monotone_and_bounded(table):
    assert "*" in table["tables"] and table["id"].startswith("flores-dev-")
    for k, steps in table["tables"].items():
        uppers = [u for u, _ in steps]
        values = [v for _, v in steps]
        assert uppers == sorted(uppers) and uppers[-1] == 1.0, k
        assert values == sorted(values), k
        assert all(0.0 < v < 1.0 for v in values), k


@pytest.mark.parametrize("kind,reasons", [("dropped", ()), ("added", ()), ("altered", ("number",)),
                                          ("altered", ("name", "negation")), ("altered", ("no-such-check",))])
def test_calibrated_confidence_rises_with_raw(kind, reasons):
    got = [calibration.calibrated(kind, reasons, r / 20) for r in range(21)]
    assert got == sorted(got)
    assert all(0.01 <= g <= 0.99 for g in got)


def test_an_unknown_reason_reads_the_table_of_all_flags(table):
    steps = table["tables"]["*"]
    assert calibration.calibrated("altered", ("no-such-check",), 1.0) == round(min(0.99, steps[-1][1]), 2)


def test_disabled_calibration_returns_raw(monkeypatch):
    monkeypatch.setattr(calibration, "DISABLED", True)
    assert calibration.calibrated("dropped", (), 0.4242) == 0.4242


def test_flags_carry_calibrated_confidence_and_the_signature_names_the_table(encoder, table):
    from transcompare import compare_documents, document_from_text

    en = ("The council met on Monday. It approved a budget of 40 million euros for schools. "
          "The mayor said the vote was a good day for the city.")
    c = compare_documents(document_from_text(en, "en"), document_from_text(en.replace("40", "45"), "en"), encoder)
    assert [f.reasons for f in c.flags] == [("number",)]
    key = calibration.key("altered", ("number",))
    values = {round(min(0.99, v), 2) for _, v in table["tables"].get(key, table["tables"]["*"])}
    assert c.flags[0].confidence in values
    assert f"conf:{table['id']}" in c.signature
