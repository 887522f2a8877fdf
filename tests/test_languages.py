"""Languages: which one an article is in, its sentences in every script, its names and
questions, and which way its text runs."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims import languages
from claims.checkworthiness import _named_actors, assess, explain
from claims.importing import article_import
from claims.segmenting import is_heading, segmenter_name, split_sentences

# Three sentences in each language, the second a question.
SENTENCES = {
    "pt": [
        "O ministro disse que 3,5 milhões de pessoas votaram em 2022.",
        "Será verdade?",
        "O Dr. Costa confirmou os números.",
    ],
    "bn": [
        "সরকার জানিয়েছে যে ২০২৩ সালে ৫০টি স্কুল বন্ধ হয়েছে।",
        "মন্ত্রী কি এটা বলেছেন?",
        "তিনি বললেন, এটা সত্য।",
    ],
    "hi": [
        "सरकार ने कहा कि 2023 में 50 स्कूल बंद हुए।",
        "क्या मंत्री ने यह कहा?",
        "उन्होंने कहा कि यह सच है।",
    ],
    "ja": [
        "政府は2023年に50校が閉鎖されたと発表した。",
        "大臣はそう言ったのか？",
        "彼はそれが事実だと述べた。",
    ],
    "zh": ["政府表示2023年有50所学校关闭。", "部长是这么说的吗？", "他说这是事实。"],
    "ar": [
        "قالت الحكومة إن 50 مدرسة أغلقت في عام 2023.",
        "هل قال الوزير ذلك؟",
        "وأكد أن هذا صحيح.",
    ],
    "de": [
        "Die Regierung sagte, dass z.B. 50 Schulen geschlossen wurden.",
        "Hat der Minister das gesagt?",
        "Dr. Müller bestätigte es am 3. Mai.",
        "Als am 11. März 2014 die Seite online ging, war er begeistert.",
    ],
    "fr": [
        "Le gouvernement a dit que 50 écoles ont fermé en 2023.",
        "Le ministre l'a-t-il dit ?",
        "M. Dupont l'a confirmé.",
    ],
    "es": [
        "El gobierno dijo que 50 escuelas cerraron en 2023.",
        "¿Lo dijo el ministro?",
        "El Sr. García lo confirmó.",
    ],
}
# Full-width and CJK text has no spaces between sentences.
JOINER = {"ja": "", "zh": ""}


def texts(body: str, language: str) -> list[str]:
    return [body[s.start : s.end] for s in split_sentences(body, language)]


# --- segmentation -------------------------------------------------------------------------


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_each_language_is_split_into_its_sentences(language):
    body = JOINER.get(language, " ").join(SENTENCES[language])
    assert texts(body, language) == SENTENCES[language]


def test_languages_pysbd_lacks_are_split_by_sentencex_never_by_english_rules():
    assert segmenter_name("pt-BR") == segmenter_name("bn") == "sentencex"
    assert segmenter_name("en") == segmenter_name("hi") == segmenter_name("ar") == "pysbd"
    # English rules know no "Sra." and would end a sentence there; Portuguese ones do not.
    body = "A Sra. Silva negou tudo. Ela saiu cedo."
    assert texts(body, "pt") == ["A Sra. Silva negou tudo.", "Ela saiu cedo."]


def test_a_long_bengali_paragraph_is_many_sentences_not_one():
    body = " ".join(SENTENCES["bn"] * 7)
    assert len(texts(body, "bn")) == 21


@pytest.mark.parametrize(
    ("language", "body", "expected"),
    [
        (
            "en",
            'He said "We won. They lost." Then he left.',
            ['He said "We won.', 'They lost."', "Then he left."],
        ),
        (
            "pt",
            'Ele afirmou: "Nós ganhamos. Eles perderam." O Sr. Costa saiu.',
            ['Ele afirmou: "Nós ganhamos.', 'Eles perderam."', "O Sr. Costa saiu."],
        ),
        (
            "fr",
            "Il a dit : « Nous avons gagné. Ils ont perdu. » Puis il est parti.",
            ["Il a dit : « Nous avons gagné.", "Ils ont perdu. »", "Puis il est parti."],
        ),
        (
            "es",
            "“No es algo garantido. Se llega a 127 plazas”, dijo Mieres.",
            ["“No es algo garantido.", "Se llega a 127 plazas”, dijo Mieres."],
        ),
    ],
)
def test_a_quotation_of_several_sentences_is_split_into_them(language, body, expected):
    assert texts(body, language) == expected


@pytest.mark.parametrize(
    "body",
    [
        "“Prop. 13 proves costly to government programs,” Page A8, Jan. 13.",
        "The article “Are elections headed to a recount?” (Page B1) helps me understand.",
    ],
)
def test_a_quotation_that_is_not_several_sentences_stays_whole(body):
    assert texts(body, "en") == [body]


def test_english_results_are_those_of_pysbd_on_the_whole_paragraph():
    """The quick path (clear sentence ends cut without pysbd) gives pysbd's answer."""
    import pysbd

    body = (
        "Mr. Smith paid $3.5m. It was 5 p.m. on Friday. The U.S. Army said so. "
        "Officials in Daraa claimed that the budget rose by 27% in 2004. "
        "A spokesperson confirmed it on Monday. Really? Yes! See fig. 3 for details. "
        "He met Gen. Miller in Jan. 2020 and left."
    )
    segmenter = pysbd.Segmenter(language="en", clean=False)
    assert texts(body, "en") == [s.strip() for s in segmenter.segment(body)]


def test_a_number_before_a_stop_may_be_an_ordinal():
    """ "am 11. März" is a German date, not a sentence ending on 11 (the quick path cut
    there before); "im Jahr 2019. Dann" still ends one."""
    expected = [
        "Am 24. Dezember 2019 schloss die Fabrik.",
        "Als am 11. März 2014 die Seite online ging, war er begeistert.",
        "Er kam im Jahr 2019.",
        "Dann ging er.",
        "Der 12. Platz ging an Berlin.",
    ]
    assert texts(" ".join(expected), "de") == expected


ALPHABETS = [
    "abcdefghij ABCDEFGH.,!?\"'",
    "अआइईउएकखगघचछजझ।॥ ,?",
    "অআইঈউএকখগঘ। ,?",
    "ابتثجحخدذرزسشصضطظعغفقكلمنهوي؟،. ",
    "あいうえおかきくけこアイウエオ漢字日本語。、！？「」",
    "中文句子测试政府部长。，！？",
    "אבגדהוזחטיכלמנסעפצקרשת.,?! ",
    "ÀÁÂÄÇÉÈÊËÍÏÑÓÖÚÜßàáâäçéèêëíïñóöúü«».?! ",
]


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["en", "pt", "bn", "hi", "ja", "zh", "ar", "he", "de", "fr"]),
    st.lists(
        st.sampled_from(ALPHABETS).flatmap(
            lambda alphabet: st.text(alphabet=alphabet + "\n", min_size=1, max_size=80)
        ),
        min_size=1,
        max_size=6,
    ),
)
def test_spans_are_exact_trimmed_and_in_order_in_every_script(language, pieces):
    body = "".join(pieces)
    previous_end = 0
    for sentence in split_sentences(body, language):
        text = body[sentence.start : sentence.end]
        assert text
        assert text == text.strip()
        assert sentence.start >= previous_end
        previous_end = sentence.end


# --- headings and questions ----------------------------------------------------------------


@pytest.mark.parametrize(
    "line",
    [
        "सरकार ने कहा कि स्कूल बंद हुए।",
        "政府は学校が閉鎖されたと発表した。",
        "هل قال الوزير ذلك؟",
        "این یک جمله است۔",
        "政府表示学校关闭！",
        "መንግስት ትምህርት ቤቶችን ዘግቷል።",
    ],
)
def test_a_short_line_ending_a_sentence_in_any_script_is_not_a_heading(line):
    assert not is_heading(line)
    assert not split_sentences(line, "und")[0].is_heading


def test_a_short_line_without_an_end_is_a_heading_in_any_script():
    assert is_heading("सरकार का बयान")
    assert is_heading("الحكومة تعلن")


@pytest.mark.parametrize(
    "question", ["هل قال الوزير ذلك؟", "大臣はそう言ったのか？", "¿Lo dijo el ministro?"]
)
def test_questions_ending_in_any_scripts_mark_count_as_questions(question):
    _score, reasons = assess(question)
    (found,) = [r["match"] for r in explain(question, reasons) if r["feature"] == "question"]
    assert question[-1] in found  # the end mark (with "¿", the opening one too)


# --- names ----------------------------------------------------------------------------------


def test_names_with_letters_beyond_a_to_z_are_found_whole():
    sentence = "Álvaro Fernández met François Hollande and Mehmet Özdemir in Zürich."
    assert _named_actors(sentence) == [
        "Álvaro Fernández",
        "François Hollande",
        "Mehmet Özdemir",
        "Zürich",
    ]


def test_names_in_other_cased_scripts_and_with_particles():
    assert _named_actors("Сергей Лавров said 5 people died.") == ["Сергей Лавров"]
    assert _named_actors("El ministro Luis de la Fuente dijo que sí.") == ["Luis de la Fuente"]


# --- which language -------------------------------------------------------------------------

PORTUGUESE = " ".join(SENTENCES["pt"] * 3)
GERMAN = " ".join(SENTENCES["de"] * 3)


def test_tags_are_normalised_to_bcp47():
    assert languages.canonical("pt_br") == "pt-BR"
    assert languages.canonical("zh-hant-tw") == "zh-Hant-TW"
    assert languages.canonical("iw") == "he"
    assert languages.canonical("English!") == ""
    assert languages.primary("pt-BR") == "pt"


@pytest.mark.parametrize(
    ("tag", "direction"),
    [
        ("ar", "rtl"),
        ("he", "rtl"),
        ("fa-IR", "rtl"),
        ("ur", "rtl"),
        ("ps", "rtl"),
        ("yi", "rtl"),
        ("ckb", "rtl"),
        ("iw", "rtl"),
        ("az-Arab", "rtl"),
        ("en", "ltr"),
        ("ja", "ltr"),
        ("und", "ltr"),
        ("", "ltr"),
    ],
)
def test_direction_follows_the_language_or_its_script(tag, direction):
    assert languages.direction(tag) == direction


def test_the_editors_choice_wins():
    assert languages.choose(given="pt-br", page="en", text=GERMAN) == "pt-BR"


def test_the_page_wins_unless_the_detector_is_nearly_sure_of_another():
    assert languages.choose(given="", page="en-US", text=GERMAN) == "de"
    assert languages.choose(given="", page="pt-BR", text="Gol! 3 x 1 hoje.") == "pt"
    assert languages.choose(given="", page="de", text=GERMAN) == "de"


def test_the_language_is_detected_and_undetermined_for_too_little_text():
    assert languages.choose(given="", page="", text=PORTUGUESE) == "pt"
    assert languages.detect(" ".join(SENTENCES["ja"]))[0] == "ja"
    assert languages.detect("政府表示2023年有50所学校关闭。部长是这么说的吗？")[0] == "zh"
    assert languages.choose(given="", page="", text="OK 42.") == "und"


def test_declared_language_of_a_page():
    assert languages.declared('<!doctype html><HTML class="x" lang="pt-BR">') == "pt"
    assert languages.declared('<html><head><meta property="og:locale" content="fr_FR">') == "fr"
    assert languages.declared("<html><body>") == ""


def test_an_import_without_a_language_detects_it_and_splits_by_it(db):
    article = article_import(data=PORTUGUESE).article
    assert article.language == "pt"
    assert article.claims.count() == 9


def test_an_html_import_takes_the_pages_language(db):
    html = (
        '<html lang="pt-BR"><head><title>Votação</title></head><body><article>'
        + "".join(f"<p>{s}</p>" for s in SENTENCES["pt"] * 3)
        + "</article></body></html>"
    )
    article = article_import(data=html.encode(), filename="votacao.html").article
    assert article.language == "pt"


def test_an_import_keeps_the_editors_language(db):
    article = article_import(data=PORTUGUESE, language="pt-br").article
    assert article.language == "pt-BR"
    assert article.direction == "ltr"


# Pieces of news text around numbers: years and counts before a stop, list items, codes,
# amounts, abbreviations before numbers.
NUMBER_PIECES = [
    "in 2019.",
    "by 300.",
    "to 12.",
    "No. 10.",
    "at 5.",
    "rose by 27% in 2004.",
    "cost $100.",
    "was 3.5.",
    "Jan. 2020.",
    "about 1,500.",
    "the A8.",
    "the 2019 report.",
    "Officials said so.",
    "It fell",
    "Then it rose",
    "The council met",
    "in the year",
    "He said",
    "over 9000!",
    "Why 1984?",
]


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["en", "es", "fr", "it", "nl"]),
    st.lists(st.sampled_from(NUMBER_PIECES), min_size=1, max_size=12),
)
def test_a_number_before_a_stop_is_cut_where_pysbd_cuts_it(language, pieces):
    """The quick path cuts after "2019." only where pysbd would cut as well, in the
    languages whose number rules are pysbd's common ones."""
    import pysbd

    body = " ".join([*pieces, "It ended."])  # a line without a stop at its end is a heading
    segmenter = pysbd.Segmenter(language=language, clean=False)
    expected = [s.strip() for s in segmenter.segment(body) if any(c.isalnum() for c in s)]
    assert texts(body, language) == expected


def test_numbers_in_a_paragraph_with_list_items_are_left_to_pysbd():
    """pysbd reads "1." items across the paragraph; a cut after "2019." would hide the
    first items from it and split "1. It ended." in two."""
    import pysbd

    body = "1. 2. in 2019. Officials said so. 1. It ended."
    segmenter = pysbd.Segmenter(language="en", clean=False)
    assert texts(body, "en") == [s.strip() for s in segmenter.segment(body)]
    assert texts(body, "en")[-1] == "1. It ended."


def test_german_reports_of_events_and_policy_topics_have_their_reasons():
    """Two features had no German words: an event ("festgenommen") and a topic of public
    policy ("Zuwanderung"); a word that is also something else gives no reason."""

    def fired(sentence: str) -> dict[str, str]:
        _, reasons = assess(sentence, language="de")
        return {r["feature"]: r["match"] for r in explain(sentence, reasons)}

    found = fired("Die Polizei hat am Montag zwei Männer festgenommen.")
    assert (found["event"], found["policy topic"]) == ("festgenommen", "Polizei")
    assert fired("Die Zeitung schürt Angst vor Zuwanderung.")["policy topic"] == "Zuwanderung"
    sworn = fired("Das erklärte er in einer eidesstattlichen Versicherung.")
    assert "policy topic" not in sworn
    assert "event" not in fired("Ein Büroservice verkauft anderen Firmen eine Adresse.")
