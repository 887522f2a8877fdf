"""boilerplate.classify() in several languages, and the sentences it must leave alone."""

from __future__ import annotations

import pytest

from claims.boilerplate import RULES, _is_byline, classify, paragraph_reasons

NAMED = [
    # related links
    ("Read more: Germany to set up new contact office", "related link"),
    ("Related: Ten things to know about the vote", "related link"),
    ("See also", "related link"),
    ("Recommended for you", "related link"),
    ("Lesen Sie auch: Die Bahn erhöht die Preise", "related link"),
    ("Mehr zum Thema:", "related link"),
    ("Das könnte Sie auch interessieren", "related link"),
    ("À lire aussi : la réforme des retraites", "related link"),
    ("Sur le même sujet", "related link"),
    ("Lea también: El gobierno anuncia nuevas medidas", "related link"),
    ("Te puede interesar", "related link"),
    ("(Ver nota aparte).", "related link"),
    # social
    ("Follow us on Twitter", "social"),
    ("Join us on Facebook and Instagram!", "social"),
    ("Share this article", "social"),
    ("Folgen Sie uns auf Instagram", "social"),
    ("Suivez-nous sur les réseaux sociaux", "social"),
    ("Síguenos en Twitter", "social"),
    ("Follow @AP on Twitter", "social"),
    ("Subscribe to our YouTube channel", "social"),
    ("WATCH: The president speaks in Ohio", "related link"),
    ("Get our free morning newsletter", "newsletter"),
    ("Comments are closed.", "comments"),
    ("View 12 comments", "comments"),
    ("Réagir", "comments"),
    ("Advertisement - Continue Reading Below", "advertisement"),
    ("This material may not be published, broadcast, rewritten or redistributed.", "copyright"),
    ("Back to top", "navigation"),
    ("Zur Startseite", "navigation"),
    ("Retour en haut", "navigation"),
    ("Imprimir", "navigation"),
    # bylines
    ("(Reporting by Jane Doe; Editing by John Roe)", "byline"),
    ("Additional reporting by Max Müller in Berlin", "byline"),
    ("5:45 AM PST 11/19/2019 by Jane Doe", "byline"),
    ("By Jane Doe and John Roe", "byline"),
    ("Von Max Müller und Erika Mustermann", "byline"),
    ("Par Jacques Munier", "byline"),
    ("Por María García", "byline"),
    ("Updated: 10:45 AM", "byline"),
    ("Publié le 3 mars 2021", "byline"),
    ("October 22, 2019 report", "byline"),
    ("jane.doe@example.com", "byline"),
    # newsletters, paywalls, credits, comments, ads, appeals
    ("Sign up for our daily newsletter", "newsletter"),
    ("Abonnieren Sie unseren Newsletter", "newsletter"),
    ("Inscrivez-vous à notre newsletter", "newsletter"),
    ("Suscríbete a nuestro boletín", "newsletter"),
    ("Photo: Getty Images", "credit"),
    ("Foto: picture alliance/dpa", "credit"),
    ("(Credit: Clayton Aldern / Grist)", "credit"),
    ("Crédit photo : AFP", "credit"),
    ("Image source, Getty Images", "credit"),
    ("(AP Photo/Evan Vucci)", "credit"),
    ("Getty Images", "credit"),
    ("© Denis Meyer", "credit"),
    ("© AFP / Jane Roe", "credit"),
    # captions, told by the credit that ends them
    ("A man walks past a screen in Tokyo, Japan, May 5, 2023. REUTERS/Issei Kato", "caption"),
    (
        "A nurse prepares a vaccine in Madrid, January 12, 2021. REUTERS/Susana Vera/File Photo",
        "caption",
    ),
    ("FILE - The president speaks in Ohio, Oct. 5, 2020. (AP Photo/Evan Vucci, File)", "caption"),
    (
        "Senator Jane Doe speaks during a hearing on Capitol Hill in Washington on Tuesday. "
        "(Photo by Chip Somodevilla/Getty Images)",
        "caption",
    ),
    ("Cider and Ice. Foto: CC-BY-NC 2.0 David Merrigan", "caption"),
    ("Puerto de Montevideo. Foto: Archivo El País.", "caption"),
    ("Screenshot Whatsapp. (Foto: Recherche/privat)", "caption"),
    ("Protesters outside parliament | Photo: Jane Roe", "caption"),
    ("© 2019 Science X Network", "copyright"),
    ("Click here for more stories", "related link"),
    ("Subscribe to continue reading.", "paywall"),
    ("Already a subscriber? Log in", "paywall"),
    ("Cet article est réservé aux abonnés.", "paywall"),
    ("Den kompletten Beitrag lesen Sie in der neuen Ausgabe.", "paywall"),
    ("Para seguir leyendo, suscríbete.", "paywall"),
    ("Comments", "comments"),
    ("12 Kommentare", "comments"),
    ("Laisser un commentaire", "comments"),
    ("Advertisement", "advertisement"),
    ("Anzeige", "advertisement"),
    ("Story continues below advertisement", "advertisement"),
    ("Support independent journalism", "donation appeal"),
    ("CORRECTIV ist spendenfinanziert!", "donation appeal"),
    ("Soutenez notre travail", "donation appeal"),
    ("© 2019 Science X Network", "copyright"),
    ("Todos los derechos reservados.", "copyright"),
    ("Nature 574, 16-17 (2019)", "reference"),
]


@pytest.mark.parametrize(("text", "reason"), NAMED)
def test_boilerplate_is_named(text, reason):
    assert classify(text) == reason


NOT_BOILERPLATE = [
    "The president announced on Twitter that the tariffs would rise by 10 percent.",
    "Follow-up talks with Facebook are planned for March, the minister said.",
    "Sie teilte auf Facebook mit, dass die Schule geschlossen bleibt.",
    "Il a partagé sur les réseaux sociaux une vidéo de la manifestation.",
    "El ministro compartió en Twitter una foto del acuerdo firmado.",
    "Read more than 100 books a year, the study's participants were told.",
    "By Monday, the company had laid off 150 workers.",
    "Par ailleurs, le gouvernement a annoncé 3 milliards d'euros.",
    "Por otro lado, la empresa despidió a 150 trabajadores.",
    "Von Januar bis März stiegen die Preise um 4 Prozent.",
    "The company's newsletter, which has 2 million subscribers, was hacked.",
    "Credit Suisse shares fell 5 percent on Monday.",
    "Support for the bill among voters grew to 60 percent.",
    "He wanted to become a member of the city council.",
    "The comments drew criticism from opposition parties.",
    "Mehr dazu sagte der Minister nicht.",
    "Zum Thema Corona sagte Drosten, die Lage sei ernst.",
    "Published 12 years ago, the report found that emissions had doubled since 1990.",
    "Research by Harvard scientists shows that sleep improves memory.",
    "Share prices rose 3 percent in early trading.",
    "Getty Images said on Monday it would cut 100 jobs.",
    "Advertisement spending rose 5 percent this year.",
    "Watch the video below, the ministry said in a statement.",
    "She said she would print 2 million leaflets.",
    "The startseite of the ministry was hacked on Monday.",
    "Photo agencies were barred from the courtroom.",
    "A photo credited to the ministry showed the damaged bridge.",
    "© marks a copyright, the court said.",
    "Support rose 3 points, according to a Reuters/Ipsos poll.",
    "Support rose 3 points, according to Reuters/Ipsos.",
    "An AFP/Getty photo showed the damage on Monday.",
    "The ministry published the photo (pictured) on Monday.",
    "The photos were published in 2019 (photo: page 4) and later withdrawn.",
    "He called the picture: grim, and said 40 people had died.",
    "",
]
EXAMPLES = [text for text, _ in NAMED] + NOT_BOILERPLATE


@pytest.mark.parametrize("text", NOT_BOILERPLATE)
def test_article_sentences_are_not_boilerplate(text):
    assert classify(text) is None


def slowly(text: str) -> str | None:
    """classify() without its shortcuts: every rule's patterns in turn, over all the text."""
    reasons = [reason for reason, pattern in RULES if pattern.search(text.strip())]
    return reasons[0] if reasons else ("byline" if _is_byline(text) else None)


def test_the_shortcuts_change_no_answer():
    # classify() tries the line-opening patterns first and the others only when a needle
    # word is there; on every example it must answer as the plain table does.
    for text in EXAMPLES:
        assert classify(text) == slowly(text), text


def test_long_text_is_never_boilerplate():
    assert classify("Read more: " + "a long teaser " * 30) is None


def test_a_page_heading_opens_a_box_up_to_the_next_heading():
    paragraphs = [
        "The council voted to close the library.",
        "## Related articles",
        "Schools close after floods",
        "A short teaser about the floods, with a sentence.",
        "## What comes next",
        "The library closes in May.",
    ]
    assert paragraph_reasons(paragraphs, headings={1, 2, 4}) == [
        None,
        "related link",
        "related link",
        "related link",
        None,
        None,
    ]


def test_a_colon_label_holds_only_the_teaser_titles_after_it():
    paragraphs = [
        "Lesen Sie auch:",
        "Die Bahn erhöht die Preise",
        "Der Bahnvorstand sagte am Montag, die Preise stiegen um 4 Prozent.",
    ]
    assert paragraph_reasons(paragraphs, headings={1}) == ["related link", "related link", None]


def test_a_colon_label_holds_the_teasers_that_open_with_their_source_and_a_colon():
    teaser = "Revue Esprit : Quand le langage travaille. " + "Le dossier se met à son écoute. " * 20
    paragraphs = [
        "À lire aussi :",
        teaser,
        "Revue Mots : Restons groupés ! La construction discursive des relations sociales",
    ]
    assert len(teaser) > 600
    assert paragraph_reasons(paragraphs, headings=set()) == ["related link"] * 3


def test_teaser_like_paragraphs_followed_by_article_text_are_article_text():
    paragraphs = [
        "À lire aussi :",
        "Le ministre a répondu mardi : le budget baissera de 3 % en 2025.",
        "Il a ajouté que les régions recevraient 2 milliards d’euros de plus.",
    ]
    assert paragraph_reasons(paragraphs, headings=set()) == ["related link", None, None]


def test_a_heading_like_link_opens_no_box():
    paragraphs = ["Read more: Looted art", "The museum returned 20 bronzes in 2022."]
    assert paragraph_reasons(paragraphs, headings={0}) == ["related link", None]


def test_a_signature_and_a_name_over_an_address_are_bylines():
    paragraphs = [
        "PETER CHRISTOPHER",
        "peter.christopher@guardian.example",
        "The council voted to close the library.",
        "Ninfa Wood\nWalnut Creek",
        "The vote was close\nBut it passed.",
    ]
    assert paragraph_reasons(paragraphs, headings={0, 1}) == [
        "byline",
        "byline",
        None,
        "byline",
        None,
    ]


def test_a_caption_written_as_an_ordinary_paragraph_is_dismissed_whole(db):
    """A page that puts a photo's caption in a plain <p> (not a <figure>): the extractor
    keeps it, and its credit tells it apart."""
    from claims.importing import article_import
    from claims.models import ClaimStatus

    html = (
        "<html lang='en'><head><title>Port closes</title></head><body><article>"
        "<h1>Port of Exampleton closes after fire</h1>"
        "<p>The port of Exampleton closed on Monday after a fire destroyed 3 warehouses, "
        "the harbour authority said in a statement.</p>"
        "<p>Smoke rises over the port of Exampleton on Monday, May 5, 2025. "
        "REUTERS/Jane Roe</p>"
        "<p>Officials said 40 workers were evacuated and no one was hurt, and that the "
        "port would reopen within 2 weeks once inspectors had checked the quays.</p>"
        "</article></body></html>"
    )
    article = article_import(data=html, filename="port.html").article
    caption = [c for c in article.claims.all() if "Smoke rises" in c.text or "REUTERS" in c.text]
    assert caption
    for claim in caption:
        assert claim.status == ClaimStatus.DISMISSED
        assert claim.dismissed_reason == "boilerplate: caption"
    fire = article.claims.get(text__startswith="The port of Exampleton closed")
    assert fire.dismissed_reason == ""
