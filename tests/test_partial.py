"""Partial omission: a clause the translation leaves out is flagged with the clause as evidence;
the faithful translation raises nothing. One story in English and seven translations."""
import pytest

from transcompare import compare_documents, document_from_text

EN = ["The regional government announced a new flood protection plan on Monday.",
      "The plan, which will cost about 40 million euros over five years, includes new dikes along the river "
      "and a warning system for villages in the valley.",
      "Environmental groups welcomed the decision but said it came too late for the farmers who lost their "
      "harvest last spring.",
      "Work on the first dikes is due to begin in September.",
      "The government will present the details to the regional parliament next week."]

# (translation, the sentence 1 with the warning system left out)
TRANSLATIONS = {
    "vi": (["Chính quyền khu vực đã công bố một kế hoạch chống lũ mới vào thứ Hai.",
            "Kế hoạch, với chi phí khoảng 40 triệu euro trong năm năm, bao gồm các con đê mới dọc theo sông và "
            "một hệ thống cảnh báo cho các ngôi làng trong thung lũng.",
            "Các nhóm môi trường hoan nghênh quyết định này nhưng cho rằng nó đến quá muộn đối với những nông dân "
            "đã mất mùa vào mùa xuân năm ngoái.",
            "Việc xây dựng những con đê đầu tiên dự kiến bắt đầu vào tháng Chín.",
            "Chính quyền sẽ trình bày chi tiết trước hội đồng khu vực vào tuần tới."],
           "Kế hoạch, với chi phí khoảng 40 triệu euro trong năm năm, bao gồm các con đê mới dọc theo sông."),
    "de": (["Die Regionalregierung hat am Montag einen neuen Hochwasserschutzplan vorgestellt.",
            "Der Plan, der über fünf Jahre etwa 40 Millionen Euro kosten wird, umfasst neue Deiche entlang des "
            "Flusses und ein Warnsystem für die Dörfer im Tal.",
            "Umweltverbände begrüßten die Entscheidung, sagten aber, sie komme zu spät für die Landwirte, die im "
            "vergangenen Frühjahr ihre Ernte verloren haben.",
            "Die Arbeiten an den ersten Deichen sollen im September beginnen.",
            "Die Regierung wird die Einzelheiten nächste Woche dem Regionalparlament vorlegen."],
           "Der Plan, der über fünf Jahre etwa 40 Millionen Euro kosten wird, umfasst neue Deiche entlang des Flusses."),
    "fr": (["Le gouvernement régional a annoncé lundi un nouveau plan de protection contre les inondations.",
            "Le plan, qui coûtera environ 40 millions d'euros sur cinq ans, comprend de nouvelles digues le long "
            "du fleuve et un système d'alerte pour les villages de la vallée.",
            "Les associations écologistes ont salué la décision, mais ont estimé qu'elle arrivait trop tard pour "
            "les agriculteurs qui ont perdu leur récolte au printemps dernier.",
            "Les travaux sur les premières digues doivent commencer en septembre.",
            "Le gouvernement présentera les détails au parlement régional la semaine prochaine."],
           "Le plan, qui coûtera environ 40 millions d'euros sur cinq ans, comprend de nouvelles digues le long du fleuve."),
    "es": (["El gobierno regional anunció el lunes un nuevo plan de protección contra inundaciones.",
            "El plan, que costará unos 40 millones de euros en cinco años, incluye nuevos diques a lo largo del "
            "río y un sistema de alerta para los pueblos del valle.",
            "Los grupos ecologistas celebraron la decisión, pero dijeron que llegaba demasiado tarde para los "
            "agricultores que perdieron su cosecha la primavera pasada.",
            "Las obras de los primeros diques comenzarán en septiembre.",
            "El gobierno presentará los detalles al parlamento regional la próxima semana."],
           "El plan, que costará unos 40 millones de euros en cinco años, incluye nuevos diques a lo largo del río."),
    "zh": (["地区政府周一宣布了一项新的防洪计划。",
            "该计划将在五年内耗资约4000万欧元，包括沿河修建新堤坝，以及为山谷中的村庄建立预警系统。",
            "环保团体对这一决定表示欢迎，但表示对于去年春天失去收成的农民来说，这一决定来得太晚了。",
            "首批堤坝的工程定于九月开工。",
            "政府将于下周向地区议会提交细节。"],
           "该计划将在五年内耗资约4000万欧元，包括沿河修建新堤坝。"),
    "ru": (["Региональное правительство в понедельник объявило о новом плане защиты от наводнений.",
            "План, который обойдётся примерно в 40 миллионов евро за пять лет, включает новые дамбы вдоль реки "
            "и систему оповещения для деревень в долине.",
            "Экологические организации приветствовали это решение, но заявили, что оно принято слишком поздно "
            "для фермеров, потерявших урожай прошлой весной.",
            "Работы на первых дамбах должны начаться в сентябре.",
            "Правительство представит подробности региональному парламенту на следующей неделе."],
           "План, который обойдётся примерно в 40 миллионов евро за пять лет, включает новые дамбы вдоль реки."),
    "ar": (["أعلنت الحكومة الإقليمية يوم الاثنين عن خطة جديدة للحماية من الفيضانات.",
            "وتشمل الخطة، التي ستكلف نحو 40 مليون يورو على مدى خمس سنوات، سدودا جديدة على طول النهر ونظام إنذار "
            "للقرى في الوادي.",
            "ورحبت جماعات البيئة بالقرار لكنها قالت إنه جاء متأخرا جدا بالنسبة للمزارعين الذين فقدوا محصولهم "
            "الربيع الماضي.",
            "ومن المقرر أن تبدأ الأعمال في السدود الأولى في سبتمبر.",
            "وستعرض الحكومة التفاصيل على البرلمان الإقليمي الأسبوع المقبل."],
           "وتشمل الخطة، التي ستكلف نحو 40 مليون يورو على مدى خمس سنوات، سدودا جديدة على طول النهر."),
}
TRANSLATIONS["en"] = (EN, "The plan, which will cost about 40 million euros over five years, includes new dikes "
                          "along the river.")


def _compare(lines, lang, encoder):
    sep = "" if lang == "zh" else " "
    return compare_documents(document_from_text(" ".join(EN), "en", "plan.en"),
                             document_from_text(sep.join(lines), lang, f"plan.{lang}"), encoder)


@pytest.mark.parametrize("lang", sorted(TRANSLATIONS))
def test_the_faithful_translation_raises_no_flag(encoder, lang):
    assert _compare(TRANSLATIONS[lang][0], lang, encoder).flags == ()


# Chinese and Arabic miss this one: the translation's sentence is only a little short, and the
# rest of the source sentence does not match it better than the whole (their partial-omission
# recall on FLORES is in docs/benchmarks.md)
@pytest.mark.parametrize("lang", ["de", "en", "es", "fr", "ru", "vi"])
def test_a_clause_left_out_is_a_partial_omission_with_the_clause_as_evidence(encoder, lang):
    lines, cut = TRANSLATIONS[lang]
    flags = _compare([lines[0], cut] + lines[2:], lang, encoder).flags
    assert [(f.kind, f.reasons, f.source) for f in flags] == [("altered", ("partial_omission",), (1,))]
    ev = [e for e in flags[0].evidence if e.side == "source"]
    assert ev and "warning system" in ev[0].text and "40 million" not in ev[0].text


# A part no punctuation or conjunction marks off: "... in connection with the theft [of four
# paintings from the city museum]." The check tries the phrases between function words when the
# translation is clearly short.
MUSEUM = ["Police arrested three men on Tuesday in connection with the theft of four paintings from the city museum.",
          "The paintings, by local artists of the nineteenth century, disappeared from the museum in March.",
          "A spokesman for the police said the men had tried to sell the paintings online.",
          "The museum will reopen to visitors next month."]
MUSEUM_TRANSLATIONS = {
    "de": (["Die Polizei hat am Dienstag drei Männer im Zusammenhang mit dem Diebstahl von vier Gemälden aus dem "
            "Stadtmuseum festgenommen.",
            "Die Gemälde lokaler Künstler des neunzehnten Jahrhunderts waren im März aus dem Museum verschwunden.",
            "Ein Polizeisprecher sagte, die Männer hätten versucht, die Gemälde im Internet zu verkaufen.",
            "Das Museum wird nächsten Monat wieder für Besucher geöffnet."],
           "Die Polizei hat am Dienstag drei Männer im Zusammenhang mit einem Diebstahl festgenommen."),
    "es": (["La policía detuvo el martes a tres hombres en relación con el robo de cuatro cuadros del museo municipal.",
            "Los cuadros, de artistas locales del siglo diecinueve, desaparecieron del museo en marzo.",
            "Un portavoz de la policía dijo que los hombres habían intentado vender los cuadros por internet.",
            "El museo volverá a abrir a los visitantes el próximo mes."],
           "La policía detuvo el martes a tres hombres en relación con un robo."),
    "fr": (["La police a arrêté mardi trois hommes dans le cadre du vol de quatre tableaux au musée municipal.",
            "Les tableaux, œuvres d'artistes locaux du dix-neuvième siècle, avaient disparu du musée en mars.",
            "Un porte-parole de la police a déclaré que les hommes avaient tenté de vendre les tableaux en ligne.",
            "Le musée rouvrira ses portes aux visiteurs le mois prochain."],
           "La police a arrêté mardi trois hommes dans le cadre d'un vol."),
    "ru": (["Во вторник полиция задержала трёх мужчин в связи с кражей четырёх картин из городского музея.",
            "Картины местных художников девятнадцатого века исчезли из музея в марте.",
            "Представитель полиции сообщил, что мужчины пытались продать картины через интернет.",
            "Музей вновь откроется для посетителей в следующем месяце."],
           "Во вторник полиция задержала трёх мужчин в связи с кражей."),
    "vi": (["Cảnh sát đã bắt giữ ba người đàn ông vào thứ Ba liên quan đến vụ trộm bốn bức tranh từ bảo tàng "
            "thành phố.",
            "Những bức tranh của các họa sĩ địa phương thế kỷ mười chín đã biến mất khỏi bảo tàng vào tháng Ba.",
            "Một phát ngôn viên cảnh sát cho biết những người này đã tìm cách bán các bức tranh trên mạng.",
            "Bảo tàng sẽ mở cửa trở lại đón khách vào tháng tới."],
           "Cảnh sát đã bắt giữ ba người đàn ông vào thứ Ba liên quan đến một vụ trộm."),
    "en": (MUSEUM, "Police arrested three men on Tuesday in connection with a theft."),
}


def _compare_museum(lines, lang, encoder):
    return compare_documents(document_from_text(" ".join(MUSEUM), "en", "museum.en"),
                             document_from_text(" ".join(lines), lang, f"museum.{lang}"), encoder)


@pytest.mark.parametrize("lang", sorted(MUSEUM_TRANSLATIONS))
def test_the_faithful_museum_story_raises_no_flag(encoder, lang):
    assert _compare_museum(MUSEUM_TRANSLATIONS[lang][0], lang, encoder).flags == ()


# French and Vietnamese miss this one (the check's recall per language on FLORES is in
# docs/benchmarks.md)
@pytest.mark.parametrize("lang", ["de", "en", "es", "ru"])
def test_a_phrase_without_punctuation_left_out_is_a_partial_omission(encoder, lang):
    lines, cut = MUSEUM_TRANSLATIONS[lang]
    flags = _compare_museum([cut] + lines[1:], lang, encoder).flags
    assert [(f.kind, f.reasons) for f in flags] == [("altered", ("partial_omission",))]
    assert 0 in flags[0].source
    ev = [e for e in flags[0].evidence if e.side == "source"]
    assert ev and "museum" in ev[0].text and "Police" not in ev[0].text


def test_the_map_chooses_which_parts_are_embedded(monkeypatch):
    # the clause tests embed only the parts whose words the difference map scores least carried
    # over, the most of each kind; without a map, every part
    from types import SimpleNamespace

    from transcompare.checks import partial_omission as po
    from transcompare.text.words import word_spans

    text = EN[1]
    cands = po.candidate_parts(text, "en", phrases=True)
    assert sum(1 for c in cands if not c[3]) > 1 and sum(1 for c in cands if c[3]) > 1
    warning = text.index("a warning system")
    # every word scores 0.1 but those of "a warning system for villages in the valley"
    words = tuple((a, b, 0.9 if a >= warning else 0.1) for a, b in word_spans(text))
    ctx = SimpleNamespace(diff=SimpleNamespace(source=(None, words)))
    monkeypatch.setattr(po, "MAP_CANDIDATES", 1)
    kept = po.map_ranked(ctx, 1, cands)
    assert len(kept) == 2 and {c[3] for c in kept} == {False, True}
    # each is the candidate of its kind with the highest mean score: inside the uncovered run
    for c in kept:
        assert c[0] >= text.index("and a warning") and "warning" in text[c[0]:c[1]], text[c[0]:c[1]]
    assert po.map_ranked(SimpleNamespace(diff=None), 1, cands) == cands


def test_a_part_that_could_pass_is_never_left_unembedded():
    # the clause tests embed the rest of a sentence only for parts that could pass with the best
    # gain and contrast the rest could give: every part that passes must be among them
    import numpy as np

    from transcompare.checks.partial_omission import part_may_pass, part_passes

    rng = np.random.default_rng(3)
    passed = 0
    for z, gain, contrast, q, phrase in zip(rng.uniform(-4, 0, 20000), rng.uniform(-1, 8, 20000),
                                            rng.uniform(-1, 8, 20000), rng.uniform(-0.5, 0.5, 20000),
                                            rng.random(20000) < 0.3):
        if part_passes(z, gain, contrast, q, 0.15, phrase):
            passed += 1
            assert part_may_pass(z, q, 0.15, phrase)
    assert passed > 1000
    # and nothing passes for a translation only a little short, so nothing is embedded for it
    assert not part_may_pass(-0.7, -1.0, 0.15, False)
