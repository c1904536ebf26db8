"""A translation that splits a statement in two is not an addition; a new statement next to it is."""
from transcompare import compare_documents, document_from_text

EN = ("The city council approved the new budget on Tuesday after a long debate. "
      "In 2019, the Lotus Bridge, a steel arch structure built by local engineers, was named the city's "
      "official landmark. Officials said repairs to the bridge would begin next spring.")
FIRST = "市议会经过长时间辩论，于周二批准了新预算。2019 年，莲花桥被定为该市的官方地标。"
LAST = "官员表示，大桥的维修工作将于明年春天开始。"


def run(zh, encoder):
    return compare_documents(document_from_text(EN, "en"), document_from_text(zh, "zh"), encoder)


def test_a_statement_split_in_two_is_one_bead(encoder):
    # the apposition "a steel arch structure built by local engineers" becomes its own sentence
    c = run(FIRST + "它是一座由当地工程师建造的钢拱结构桥梁。" + LAST, encoder)
    assert [(b.source, b.target) for b in c.alignment.beads] == [((0,), (0,)), ((1,), (1, 2)), ((2,), (3,))]
    assert c.flags == ()


def test_an_unrelated_sentence_in_the_same_place_is_added(encoder):
    c = run(FIRST + "市长还宣布将在明年举办一场国际音乐节。" + LAST, encoder)
    assert [(f.kind, f.target) for f in c.flags if f.kind == "added"] == [("added", (2,))]
    # the apposition is then really missing from the translation's sentence
    rest = [f for f in c.flags if f.kind != "added"]
    assert [(f.kind, f.reasons, f.source) for f in rest] == [("altered", ("partial_omission",), (1,))]
    assert all("steel arch" in e.text for f in rest for e in f.evidence)
