"""The check-worthiness scorer: features fire on the words that mean them, and the
reasons are exact parts of the score."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claims.checkworthiness import assess, describe, explain, heuristic_assess, scorer_version
from claims.scoring import features as scoring_features
from claims.scoring import model


def explained(sentence: str, **kwargs) -> list[dict]:
    return explain(sentence, assess(sentence, **kwargs)[1])


def features(sentence: str, **kwargs) -> dict[str, list[str]]:
    return {r["feature"]: r["words"] for r in explained(sentence, **kwargs)}


def thousandths(reasons: list[dict]) -> int:
    return sum(round(r["weight"] * 1000) for r in reasons)


def test_checkable_facts_fire_their_features_on_their_words():
    found = features("Russia said on 3 March 2021 that 40% of the 1,200 troops had left Daraa.")
    assert found["number"] == ["3", "2021", "40", "1,200"]
    assert "March" in found["date"]
    assert "2021" in found["date"]
    assert found["percentage"] == ["%"]
    assert found["attribution"] == ["said"]
    assert found["name"] == ["Daraa"]  # "Russia" opens the sentence: its capital says nothing


def test_opinion_and_hedging_are_found():
    found = features("It was, in effect, a brutal and shameful move that perhaps ought to stop.")
    assert found["opinion"] == ["shameful"]
    assert found["hedging"] == ["perhaps"]
    assert found["obligation"] == ["ought to"]


def test_a_factual_sentence_outscores_an_opinion():
    fact, _ = assess("Unemployment rose to 7.8 percent in 2009, the Labor Department said.")
    opinion, _ = assess("I think this is a wonderful country and we should be proud of it.")
    assert fact >= 0.5 > opinion


def test_questions_headings_and_short_sentences_score_low():
    assert features("Did the minister really say that?")["question"] == ["?"]
    assert features("Daraa was different.")["length short"] == ["3 words"]
    score, reasons = assess("An attempt at international display", is_heading=True)
    assert score < 0.1
    assert reasons[-1]["feature"] == "heading"


def test_the_month_may_is_not_taken_for_hedging_nor_for_a_name():
    found = features("The minister resigned in May 2020, officials said.")
    assert "hedging" not in found
    assert "name" not in found
    assert "2020" in found["date"]
    assert features("Prices may rise.")["hedging"] == ["may"]


def test_numbers_inside_names_are_not_counted_as_figures():
    assert "number" not in features("Russian weakness has been exacerbated by Covid-19.")


def test_a_number_of_troops_is_not_taken_for_a_year():
    found = features("The army sent 2000 troops to the border.")
    assert found["number"] == ["2000"]
    assert "date" not in found


def test_names_are_found_in_any_alphabet_with_capitals():
    found = features("Le rapport cite Ángela Müller et Émile Zola à Paris.", language="fr")
    assert found["name"] == ["Ángela Müller", "Émile Zola", "Paris"]
    found = features("Доклад подготовил Иван Петров.", language="ru")
    assert found["name"] == ["Иван Петров"]


def test_german_nouns_are_not_names():
    found = features("Die Regierung hat am Montag neue Zahlen vorgelegt.", language="de")
    assert "name" not in found
    assert found["date"] == ["Montag"]
    assert found["study"] == ["Zahlen"]


def test_arabic_cue_words_carry_their_attached_conjunction():
    found = features("وقال الوزير إن الأسعار ارتفعت بنسبة 5٪ منذ العام الماضي.", language="ar")
    assert found["attribution"] == ["قال"]
    assert found["change"] == ["ارتفعت"]
    assert found["percentage"] == ["نسبة", "٪"]
    assert "name" not in found


@pytest.mark.parametrize(
    ("language", "sentence", "feature", "words"),
    [
        ("es", "El ministro dijo que el paro bajó al 12 por ciento.", "attribution", ["dijo"]),
        ("es", "Quizás el gobierno debería actuar.", "hedging", ["Quizás"]),
        ("pt-BR", "Segundo o IBGE, a inflação subiu em março.", "date", ["março"]),
        ("pt", "O ministro afirmou que o desemprego caiu.", "change", ["caiu"]),
        ("fr", "Selon l’Insee, le chômage a baissé de 2 %.", "attribution", ["Selon"]),
        ("fr", "Il faut évidemment agir.", "opinion", ["évidemment"]),
        ("de", "Laut einer Studie ist die Zahl gestiegen.", "change", ["gestiegen"]),
        ("de", "Vielleicht kommt er morgen.", "hedging", ["Vielleicht"]),
    ],
)
def test_other_languages_have_their_cue_words(language, sentence, feature, words):
    assert features(sentence, language=language)[feature] == words


def test_a_language_without_cue_lists_is_scored_on_neutral_features_and_says_so():
    reasons = explained("Il ministro ha detto che il 40% dei fondi è sparito.", language="it")
    found = {r["feature"]: r for r in reasons}
    assert found["language-neutral only"]["weight"] == 0
    assert "no cue words" in found["language-neutral only"]["label"]
    assert found["percentage"]["words"] == ["%"]
    assert "attribution" not in found
    assert "language-neutral only" not in features("The minister said so.")


SENTENCES = [
    "It was with a flurry of artillery shells that the agreement fell apart last week.",
    "Thank you.",
    "We're consuming 50 percent of the world's cocaine.",
    "",
    "?",
    "“We will win,” she said on Monday.",
]


@pytest.mark.parametrize("sentence", SENTENCES)
@pytest.mark.parametrize("is_heading", [False, True])
def test_the_reasons_add_up_to_the_score_exactly(sentence, is_heading):
    score, reasons = assess(sentence, is_heading=is_heading)
    assert thousandths(reasons) == round(score * 1000)
    assert reasons[0]["feature"] == "start"
    assert len(reasons) >= 2, "every sentence gets at least one reason besides the start"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300), st.sampled_from(["en", "es", "de", "ar", "it", "und", ""]))
def test_any_text_gets_a_score_in_range_and_reasons_that_add_up(text, language):
    score, stored = assess(text, language=language)
    assert 0 <= score <= 1
    assert thousandths(stored) == round(score * 1000)
    # A claim stores what fired, where and how much; labels and words follow from them.
    assert all(set(r) <= {"feature", "spans", "weight", "label"} for r in stored)
    reasons = explain(text, stored)
    assert [(r["feature"], r["spans"], r["weight"]) for r in reasons] == [
        (r["feature"], r["spans"], r["weight"]) for r in stored
    ]
    assert all(r["label"] for r in reasons)
    for reason in reasons:
        if reason["feature"].startswith("length "):
            count = scoring_features.word_count(text)
            assert reason["words"] == [f"{count} word{'s' if count != 1 else ''}"]
        else:
            for (start, end), words in zip(reason["spans"], reason["words"], strict=True):
                assert text[start:end] == words
        if reason["feature"] not in ("start", "language-neutral only"):
            assert reason["words"], reason
        assert isinstance(describe(reason), str)


def test_a_reason_raises_or_lowers_the_score_as_its_weight_says():
    weights = model.load().models["full"].weights
    for sentence in SENTENCES:
        for reason in assess(sentence)[1]:
            if reason["feature"] in weights:
                assert reason["weight"] * weights[reason["feature"]] >= 0


def test_reasons_read_as_text():
    reason = {"feature": "number", "label": "states a number", "match": "23", "weight": 0.12}
    assert describe(reason) == "states a number: 23 (+0.120)"
    assert describe({"feature": "number", "match": "23", "weight": 0.2}) == "number: 23 (+0.200)"


def test_the_old_heuristic_is_kept_as_the_baseline():
    score, reasons = heuristic_assess("Russia said 23 people died.")
    assert 0 <= score <= 1
    assert {r["feature"] for r in reasons} >= {"number", "attributed statement"}


def test_the_scorer_version_names_the_weights_file():
    assert scorer_version().startswith("checkworthiness-lr-1@")
    assert len(scorer_version().split("@")[1]) == 12


def test_an_import_scores_each_sentence_in_the_articles_language(db):
    from tests.factories import ArticleFactory

    spanish = ArticleFactory(
        text="El ministro dijo el lunes que el paro bajó al 12 por ciento en 2023.", language="es"
    )
    claim = spanish.claims.get()
    found = {r["feature"]: r["words"] for r in claim.explained_reasons}
    assert found["attribution"] == ["dijo"]
    assert found["date"] == ["lunes", "2023"]
    italian = ArticleFactory(
        text="Il ministro ha detto che il 40% dei fondi è sparito nel 2023.", language="it"
    )
    reasons = italian.claims.get().reasons
    assert reasons[-1]["feature"] == "language-neutral only"
    assert claim.scorer_version == scorer_version()
