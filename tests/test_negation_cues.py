"""Negation cues: grammatical negation counts, idioms that only look negative do not."""
import pytest

from transcompare.checks.negation import _negation_cues


def cues(text, lang):
    return [text[a:b] for a, b in _negation_cues(text, lang)]


@pytest.mark.parametrize("lang,text,expected", [
    ("en", "The minister did not resign.", ["not"]),
    ("en", "They won't find it without a map.", []),  # litotes: they need a map
    ("en", "It depends on whether or not dialects are counted.", []),
    ("fr", "Le ministre ne démissionne pas.", ["ne", "pas"]),
    ("fr", "Il n'a rien dit.", ["n'"]),
    ("fr", "Virgin n’a acheté que la banque, pas la société.", ["pas"]),
    ("fr", "Les autorités craignaient qu'il ne déverse sa cargaison.", []),  # expletive "ne"
    ("es", "El ministro no dimitió.", ["no"]),
    ("es", "Su independencia no ocurrió sino hasta 1839.", []),  # "only in 1839"
    ("es", "No se trata de una discapacidad, sino de un trastorno.", ["No"]),
    ("es", "No encontrará vida nocturna si no viaja a Santa Fe.", []),
    ("de", "Man kommt nicht ohne Auto hin.", []),
    ("de", "Er kommt nicht.", ["nicht"]),
    ("ru", "Он не уйдёт без ответа.", []),
    ("ru", "Он не уйдёт.", ["не"]),
    ("vi", "Tay đua sau đó đã không qua khỏi.", []),  # "did not survive": died
    ("vi", "Ông ấy không đến.", ["không"]),
])
def test_negation_cues(lang, text, expected):
    assert cues(text, lang) == expected


def weak(text, lang):
    return [text[a:b] for a, b in _negation_cues(text, lang, weak=True)]


@pytest.mark.parametrize("lang,text,expected", [
    # a prefixed word is a weak cue only if its stem is a word at least as common as itself
    ("es", "Es imposible: la información internacional es importante y el autor desconocido.",
     ["imposible", "desconocido"]),
    ("fr", "Il est impossible d'obtenir une information indépendante.", ["impossible"]),
    ("ru", "Несколько человек: это невозможно.", ["невозможно"]),
    ("de", "Der Unfall in Ungarn blieb unbekannt.", ["Unfall", "unbekannt"]),
    # words that only begin like a weak cue ("ban", "miss")
    ("en", "The band from Missouri was unable to play.", ["unable"]),
    ("en", "They banned the event and missed the deadline.", ["banned", "missed"]),
    # Vietnamese syllables that negate only in some words: "vô hình" (invisible), not "vô địch"
    # (champion), "châu Phi" (Africa), "phi công" (pilot), "bỏ phiếu" (vote), "địa chỉ" (address)
    ("vi", "Nhà vô địch châu Phi và phi công đã bỏ phiếu tại địa chỉ này.", []),
    ("vi", "Năng lượng vô hình, thiếu nước và bỏ cuộc.", ["vô", "thiếu", "bỏ"]),
])
def test_weak_cues(lang, text, expected):
    assert weak(text, lang) == expected


def test_arabic_negating_nouns_count_with_their_prefixes():
    text = "قررت الحكومة بعدم التصديق على الاتفاق"  # decided not to ratify (lit. "with non-ratification")
    assert [text[a:b] for a, b in _negation_cues(text, "ar", weak=True)] == ["بعدم"]


def test_a_negation_added_where_the_other_side_has_only_a_weak_cue_is_flagged(encoder):
    # "lost" carries a negation in its meaning; "n'a pas perdu" says the opposite
    from transcompare.pipeline import compare_documents, document_from_text

    en = ("Nadal's record against the Canadian is seven wins and two losses. He recently lost against "
          "Raonic in the Brisbane Open. Nadal won 88 percent of his net points in the match.")
    fr = ("Le bilan de Nadal face au Canadien est de sept victoires et deux défaites. Il a récemment perdu "
          "contre Raonic lors de l'Open de Brisbane. Nadal a remporté 88 % de ses points au filet pendant le match.")
    run = lambda t: compare_documents(document_from_text(en, "en"), document_from_text(t, "fr"), encoder)  # noqa: E731
    assert run(fr).flags == ()
    flags = run(fr.replace("Il a récemment perdu", "Il n'a pas récemment perdu")).flags
    assert [(f.kind, f.reasons, f.target) for f in flags] == [("altered", ("negation",), (1,))]


def test_a_negation_added_to_a_statement_that_already_has_one_is_flagged(encoder):
    from transcompare.pipeline import compare_documents, document_from_text

    en = ("Game publisher Konami stated today in a Japanese newspaper that they will not be releasing "
          "the game Six Days in Fallujah. The game is based on the Second Battle of Fallujah. "
          "The battle was fought between American and Iraqi forces.")
    run = lambda t: compare_documents(document_from_text(en, "en"), document_from_text(t, "en"), encoder)  # noqa: E731
    assert [f for f in run(en).flags if "negation" in f.reasons] == []
    negated = en.replace("The game is based", "The game is not based").replace(
        "Konami stated today", "Konami did not state today")
    flags = [f for f in run(negated).flags if "negation" in f.reasons]
    assert [f.target for f in flags] == [(0,), (1,)]
    assert [e.text for e in flags[0].evidence] == ["not"]
    assert flags[0].evidence[0].start == negated.index("not")
