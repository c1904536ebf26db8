"""Negation cues: grammatical negation counts, idioms that only look negative do not."""
import pytest

from transcompare.checks.negation import negation_cues


def cues(text, lang):
    return [text[a:b] for a, b in negation_cues(text, lang)]


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
    ("zh", "理论上可以每年举行，但实际上并非如此。", ["并非"]),
    # "لم" inside "عُلم" (was known), after a vowel mark: not a word of its own
    ("ar", "عُلم بوجودها فقط بسبب تأثيرها على تمدد الكون.", []),
    ("ar", "لم يعلن عن وجودها.", ["لم"]),
])
def test_negation_cues(lang, text, expected):
    assert cues(text, lang) == expected


def weak(text, lang):
    return [text[a:b] for a, b in negation_cues(text, lang, weak=True)]


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
    assert [text[a:b] for a, b in negation_cues(text, "ar", weak=True)] == ["بعدم"]


def test_a_negation_added_where_the_other_side_has_only_a_weak_cue_is_flagged(encoder):
    # "lost" carries a negation in its meaning; "n'a pas perdu" says the opposite
    from transcompare import compare_documents, document_from_text

    en = ("Nadal's record against the Canadian is seven wins and two losses. He recently lost against "
          "Raonic in the Brisbane Open. Nadal won 88 percent of his net points in the match.")
    fr = ("Le bilan de Nadal face au Canadien est de sept victoires et deux défaites. Il a récemment perdu "
          "contre Raonic lors de l'Open de Brisbane. Nadal a remporté 88 % de ses points au filet pendant le match.")
    run = lambda t: compare_documents(document_from_text(en, "en"), document_from_text(t, "fr"), encoder)  # noqa: E731
    assert run(fr).flags == ()
    flags = run(fr.replace("Il a récemment perdu", "Il n'a pas récemment perdu")).flags
    assert [(f.kind, f.reasons, f.target) for f in flags] == [("altered", ("negation",), (1,))]


def test_a_negation_added_to_a_statement_that_already_has_one_is_flagged(encoder):
    from transcompare import compare_documents, document_from_text

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


MUSEUM = ("The city museum reopened on Saturday with a new wing for modern art, after it had been closed for two "
          "years. Thousands of visitors queued outside the building before the doors opened. The mayor thanked "
          "the architects and the workers who finished the project on time.")
MUSEUM_TRANSLATIONS = {
    "fr": ("Le musée de la ville a rouvert samedi avec une nouvelle aile consacrée à l'art moderne, après deux ans "
           "de fermeture. Des milliers de visiteurs ont fait la queue devant le bâtiment avant l'ouverture des "
           "portes. Le maire a remercié les architectes et les ouvriers qui ont terminé le projet dans les délais.",
           "Le musée de la ville a rouvert", "Le musée de la ville n'a pas rouvert"),
    "es": ("El museo de la ciudad reabrió el sábado con una nueva ala dedicada al arte moderno, después de dos años "
           "cerrado. Miles de visitantes hicieron cola frente al edificio antes de que se abrieran las puertas. "
           "El alcalde agradeció a los arquitectos y a los trabajadores que terminaron el proyecto a tiempo.",
           "El museo de la ciudad reabrió", "El museo de la ciudad no reabrió"),
    "de": ("Das Stadtmuseum wurde am Samstag mit einem neuen Flügel für moderne Kunst wiedereröffnet, nachdem es "
           "zwei Jahre lang geschlossen war. Tausende Besucher standen vor dem Gebäude Schlange, bevor sich die "
           "Türen öffneten. Der Bürgermeister dankte den Architekten und den Arbeitern, die das Projekt pünktlich "
           "abgeschlossen hatten.",
           "Das Stadtmuseum wurde am Samstag", "Das Stadtmuseum wurde am Samstag nicht"),
    "vi": ("Bảo tàng thành phố đã mở cửa trở lại vào thứ Bảy với một khu mới dành cho nghệ thuật hiện đại, sau khi "
           "bị đóng cửa hai năm. Hàng nghìn du khách đã xếp hàng bên ngoài tòa nhà trước khi cửa mở. Thị trưởng "
           "cảm ơn các kiến trúc sư và những người thợ đã hoàn thành dự án đúng hạn.",
           "Bảo tàng thành phố đã mở cửa", "Bảo tàng thành phố đã không mở cửa"),
}


@pytest.mark.parametrize("lang", sorted(MUSEUM_TRANSLATIONS))
def test_a_weak_cue_elsewhere_in_the_statement_does_not_excuse_an_added_negation(encoder, lang):
    # "closed" (a weak cue) ends the source sentence; the translation negates its main verb at the
    # start: the weak cue is not where the negation went, so the ordinary bar applies
    from transcompare import compare_documents, document_from_text

    text, plain, negated = MUSEUM_TRANSLATIONS[lang]
    run = lambda t: compare_documents(document_from_text(MUSEUM, "en"), document_from_text(t, lang), encoder)  # noqa: E731
    assert run(text).flags == ()
    flags = run(text.replace(plain, negated)).flags
    assert [(f.kind, f.reasons, f.target) for f in flags] == [("altered", ("negation",), (0,))]


class _S:
    def __init__(self, text):
        self.text = text


@pytest.mark.parametrize("lang,text,positive", [
    # "không phải là" (is not): the positive keeps "là" (is); "không" alone would leave "phải là"
    ("vi", "Đây không phải là lần đầu tiên.", "Đây là lần đầu tiên."),
    ("vi", "Ông ấy không đến.", "Ông ấy đến."),
    ("vi", "Anh ấy không phải làm việc.", "Anh ấy phải làm việc."),  # "phải" is a verb here
    # Chinese negated verbs keep the verb
    ("zh", "他不是医生。", "他是医生。"),
    ("zh", "伊朗经济没有 80% 的收入来自原油。", "伊朗经济有 80% 的收入来自原油。"),
    ("zh", "预计风速不会减弱。", "预计风速会减弱。"),
    ("zh", "他从未去过。", "他去过。"),  # no verb to keep: the cue goes whole
    ("en", "The minister did not resign.", "The minister did resign."),
])
def test_the_positive_takes_out_what_negates(lang, text, positive):
    from transcompare.checks.negation import text_without

    found = [(0, c) for c in negation_cues(text, lang)]
    assert text_without([_S(text)], [0], found, lang) == positive
