"""Lines of a page that are not the article: "Read more: …", "Follow us on Twitter",
"(Reporting by …)", newsletter and paywall promos, photo credits and captions, "Comments".

The extractor leaves most of them out; what still comes through is imported (so every
claim's span stays exact) but dismissed with its own reason, so nobody reviews it.
`classify()` names the kind of a sentence or short paragraph, or None for article text;
`paragraph_reasons()` also dismisses the paragraphs of a box the page labels as one
("Editors' recommendations:", "## Comments", "À lire aussi :").

The patterns are the promos' own fixed phrases, in English, German, French and Spanish
(and Portuguese and Italian where they are the same words), anchored at the start of
the line where the phrase must open it, so that a sentence that merely mentions Twitter
or a newsletter stays a claim.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from .extraction import HEADING_MARK

PREFIX = "boilerplate: "

# Promos are short; a longer sentence is article text whatever words it uses.
MAX_CHARS = 300
# A box's label: a heading, or a short line ending with a colon.
LABEL_MAX_CHARS = 60
# The box a label opens ends at the next heading, or at the first paragraph longer
# than this (article text again).
BOX_PARAGRAPH_MAX_CHARS = 600
# After a colon label ("À lire aussi :"), a teaser that opens with its source or title and
# a colon ("Revue Esprit : Quand le langage travaille. …") may run longer.
TEASER_MAX_CHARS = 1000
_TEASER_LEAD = re.compile(r"[^\W\d_][^.!?:\n]{0,60}?\s?:\s+\S")


def _rx(*patterns: str) -> tuple[str, ...]:
    return patterns


# Opening words of a line ("^" is implied: these are matched at its start, after any
# opening bracket or dash).
_START = r"^[\s\[(„“\"'«¿¡*•·–—-]*"
_END = r"[\s.!:;…)\]»”\"'*]*$"
_SOCIAL_NETWORKS = (
    r"(?:twitter|x|facebook|instagram|youtube|tiktok|linkedin|whatsapp|telegram|threads"
    r"|mastodon|bluesky|pinterest|snapchat|flipboard|google news|social media"
    r"|sozialen (?:medien|netzwerken)|réseaux sociaux|redes sociales)\b"
)
_MONTH = (
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|januar|februar|märz|mai|juni|juli"
    r"|oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre"
    r"|novembre|décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre"
    r"|octubre|noviembre|diciembre)[a-zé]*\.?"
)

# A photographer's or agency's name after a wire service's slash, and what may follow
# it ("Issei Kato", "Susana Vera/File Photo", "Evan Vucci, File"); matched with case.
_NAME = r"[A-Z][\w'’-]*(?: [A-Z][\w'’.-]*){0,3}"
_NAMES = _NAME + r"(?:/" + _NAME + r")?(?:, ?File)?"

_SOURCES: list[tuple[str, tuple[str, ...]]] = [
    (
        "related link",
        _rx(
            _START + r"(?:read|see|watch|listen)(?: (?:more|also|next))\b(?! than\b)",
            _START + r"(?:also read|related(?: articles?| stories| content| coverage"
            r"| reading| news| topics)?|more on this(?: story| topic)?|more from|more stories"
            r"|further reading|recommended(?: for you| reading| stories| articles)?"
            r"|editors?['’]? (?:picks?|recommendations?)|top stories|trending(?: now)?"
            r"|you (?:may|might) (?:also )?(?:like|be interested)|don['’]t miss)\s*:?" + _END,
            _START + r"(?:related|see also|also read|more|watch|listen|video|podcast)\s*:",
            _START + r"(?:click|tap) here\b(?! to share)",
            _START + r"(?:lesen sie (?:auch|mehr|hier|weiter)|lies (?:auch|mehr)|weiterlesen"
            r"|siehe auch|das könnte (?:sie|dich) auch interessieren)\b",
            _START + r"(?:mehr zum thema|mehr dazu|zum thema|auch interessant)\s*(?::|$)",
            r"\bfinden sie (?:hier|in unserem|im)\b.{0,40}(?:newsblog|liveblog|ticker|überblick)",
            _START + r"(?:[àa] lire (?:aussi|également|ici)|lire (?:aussi|la suite)|voir aussi"
            r"|sur le même (?:sujet|thème)|pour aller plus loin|à (?:voir|écouter) aussi"
            r"|retrouvez (?:aussi|également|tous?))\b",
            _START + r"(?:lea (?:también|más|además)|lee (?:también|más)|ver (?:también|más|nota)"
            r"|(?:también )?te (?:puede|podría) interesar|noticias relacionadas|le recomendamos"
            r"|te recomendamos|sigue leyendo|leia (?:também|mais)|veja (?:também|mais)"
            r"|leggi anche)\b",
        ),
    ),
    (
        "social",
        _rx(
            _START
            + r"(?:follow|like|join|find|connect with) (?:us|me)\b.{0,40}\b"
            + _SOCIAL_NETWORKS,
            _START + r"follow @\w+",
            _START + r"subscribe to (?:our|my|the) (?:youtube|channel|podcast)\b",
            _START + r"(?:follow|like) (?:us|me)" + _END,
            _START + r"(?:share|tweet|pin|post) (?:this|on " + _SOCIAL_NETWORKS + r")\b"
            r"(?: (?:article|story|page|post))?" + _END,
            _START
            + r"(?:share|teilen|partager|compartir)(?: (?:this|the) (?:article|story))?"
            + _END,
            _START + r"(?:click|tap) (?:here )?to share\b",
            _START
            + r"(?:folgen sie (?:uns|[\w.-]+ )|folg(?:e|t) uns)\b.{0,40}\b(?:auf|bei) "
            + _SOCIAL_NETWORKS,
            _START
            + r"(?:artikel teilen|diesen artikel teilen|auf "
            + _SOCIAL_NETWORKS
            + r" teilen)\b",
            _START
            + r"(?:suivez[- ]nous|rejoignez[- ]nous|retrouvez[- ]nous)\b.{0,40}\b"
            + _SOCIAL_NETWORKS,
            _START + r"(?:partager (?:cet article|sur))\b",
            _START
            + r"(?:s[ií]gue(?:nos|me|la|lo)|seguinos|síguenos)\b.{0,40}\b"
            + _SOCIAL_NETWORKS,
            _START + r"(?:compart(?:ir|e) (?:en|este|esta|la))\b",
        ),
    ),
    (
        "byline",
        _rx(
            # Wire-service credits: "(Reporting by …; Editing by …)".
            r"^\s*\(\s*(?:additional )?(?:reporting|writing|editing|compiled|text|mitarbeit"
            r"|redacción|rédaction) (?:by|von|par|por)\b",
            _START + r"additional reporting by\b",
            r"\b(?:reporting|writing) by\b.{0,80}\bediting by\b",
            # A time stamp with a byline: "5:45 AM PST 11/19/2019 by …".
            r"^(?=.{0,120}$)"
            + _START
            + r"\d{1,2}[:.]\d{2}\s*(?:[ap]\.?m\.?)?\b.{0,40}\b(?:by|von|par|por)\b",
            # A date line: "Updated 10:45 AM", "Publié le 3 mars 2021", "October 22, 2019 report".
            _START + r"(?:updated|published|posted|last updated|aktualisiert|veröffentlicht"
            r"|stand|publié|mis à jour|actualizado|publicado)(?: on| am| le| el)?\s*:?\s*"
            r"(?:\d+(?:st|nd|rd|th)?|" + _MONTH + r"|\w+day|\w+tag|lundi|mardi|mercredi"
            r"|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado"
            r"|domingo|[ap]\.?m\.?|utc|gmt|cet|cest|mez|mesz|[ecmp][sd]t|at|um|à|de|del|h|uhr"
            r"|[\s:.,/|-])++$",
            _START + _MONTH + r"\s+\d{1,2},?\s+\d{4}(?:\s+\w+)?" + _END,
            _START + r"\d{1,2}\.?\s+(?:de\s+)?" + _MONTH + r"\s+(?:de\s+)?\d{4}" + _END,
            # A lone e-mail address under the reporter's name.
            r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$",  # as _EMAIL below
        ),
    ),
    (
        "newsletter",
        _rx(
            r"\b(?:sign up|subscribe|register)(?: now| today| here| free)?"
            r" (?:for|to)\b.{0,60}\b(?:newsletters?|briefing|digest|mailing list|inbox)",
            r"\bnewsletters?\b.{0,80}\b(?:sign up|subscribe|abonnieren|anmelden|bestellen"
            r"|abonnez|inscrivez|suscríbete|suscríbase|regístrate)\b",
            r"\b(?:im|unserem|unseren|den) kostenlosen [\w-]*newsletter\b",
            r"\b(?:abonnieren|bestellen) sie (?:jetzt )?(?:unseren|den) [\w-]*newsletter\b",
            r"\b(?:abonnez|inscrivez)[- ]vous\b.{0,40}\b(?:newsletter|lettre d['’]information)",
            r"\b(?:suscr[ií]bete|suscríbase|suscribite|regístrate)\b.{0,60}\b(?:newsletter"
            r"|boletín)",
            r"\b(?:get|receive)\b.{0,40}\b(?:in|to) your inbox\b",
            r"^(?=.{0,120}$)" + _START + r"(?:get|receive) (?:our|the) [\w ,-]{0,40}newsletter\b",
        ),
    ),
    (
        "credit",
        _rx(
            _START + r"(?:photo(?:graph)?s?|pictures?|images?|fotos?|bilder?|grafik|video"
            r"|illustration|crédits? photo|créditos?|credits?|quelle|source|fuente)"
            r"(?: credit)?\s*[:©]",
            r"^.{0,80}(?:/|:|©)\s*(?:getty images|imago(?: images)?|reuters|afp|ap(?: photo)?"
            r"|dpa|epa|efe|shutterstock|istock(?:photo)?|picture alliance|keystone|sipa"
            r"|alamy)(?:/[\w .-]+)?" + _END,
            # "Image source, Getty Images", "(AP Photo/Evan Vucci)", a lone "Getty Images".
            _START + r"(?:image|photo|picture|video) (?:source|caption|credit)s?\b",
            _START + r"(?:ap|afp|reuters|epa|dpa|xinhua)? ?photos?\s*/",
            _START + r"(?:getty images|imago images|shutterstock|istock(?:photo)?"
            r"|picture alliance|alamy)(?:\s*/[\w .-]+)?" + _END,
            # A name after the sign, alone on its line: "© Denis Meyer", "© AFP / Jane Roe"
            # (a year after it is a copyright notice).
            _START + r"©\s*(?!by\b)[^\W\d_][\w .'’&/-]{0,60}" + _END,
        ),
    ),
    (
        "caption",
        _rx(
            # A photo's caption, told by the credit that ends it: "… in Tokyo, May 5, 2023.
            # REUTERS/Issei Kato", "… (AP Photo/Evan Vucci, File)", "… Foto: dpa".
            r"\((?:(?:ap|afp|reuters|epa|dpa|upi|xinhua)\s+)?(?:photo(?:graph)?|foto|image"
            r"|picture|bild)s?\b[^()]{0,80}\)" + _END,
            r"(?:^|[.!?)»”\"]\s+|\s[|–—-]\s*)"
            r"(?:reuters|afp|epa|efe|xinhua|anadolu|ap photo)\s*/\s*(?-i:" + _NAMES + r")" + _END,
            r"(?:[.!?)»”\"]\s+|\s[|–—-]\s*)(?:photo(?:graph)?|foto|bild|image|picture"
            r"|crédit photo)s?(?: credit)?\s*[:©]\s*[^\s.:!?](?:[^.:!?]|[.:](?=\S)){0,60}" + _END,
        ),
    ),
    (
        "paywall",
        _rx(
            r"\b(?:subscribe|sign in|log in)(?: now)? to (?:continue|keep) reading\b",
            r"\bto (?:continue|keep) reading\b.{0,40}\b(?:subscribe|subscription|sign in|log in)",
            r"\b(?:this|the) (?:article|content|story) is (?:only )?(?:for|available to|reserved"
            r" for) (?:subscribers|members|premium)",
            r"\balready a (?:subscriber|member)\b",
            r"\byou(?:['’]ve| have) reached (?:your|the) (?:limit|maximum)",
            r"\b(?:unlock|get) (?:unlimited|full) access\b",
            r"\b(?:jetzt )?(?:weiter)?lesen mit\b.{0,20}\b(?:abo|plus|\+)",
            r"\b(?:bereits abonnent|nur für abonnenten|abo abschließen)",
            r"\b(?:den (?:kompletten|vollständigen|ganzen) (?:beitrag|artikel)) lesen sie\b",
            r"\b(?:est réservée? aux abonnés|déjà abonné|il vous reste \d+ ?% de cet article)",
            r"\babonnez-vous pour (?:lire|continuer)\b",
            r"\b(?:es exclusiv[oa] para (?:suscriptores|socios)|ya (?:eres|soy) suscriptor)",
            r"\bpara (?:seguir|continuar) leyendo\b",
        ),
    ),
    (
        "comments",
        _rx(
            _START + r"(?:\d+\s+)?(?:comments?|reader comments|kommentare?|commentaires?"
            r"|comentarios?|leave a (?:comment|reply)|add a comment|post a comment"
            r"|(?:show|view|load|read) (?:all )?(?:\d+ )?comments|join the (?:conversation"
            r"|discussion)|comments are closed|réagir|réagissez|kommentare geschlossen"
            r"|kommentieren|commenter|comentar|deja (?:un|tu) comentario"
            r"|laisser un commentaire|diskutieren sie mit)(?:\s*\(\d+\))?" + _END,
            r"\blet us know\b.{0,40}\b(?:in the comments|below)\b",
            r"\b(?:schreiben sie|sagen sie) (?:uns )?(?:ihre meinung )?in den kommentaren\b",
            r"\bdites-le(?:-nous)? en commentaire",
            r"\b(?:déjanos|dejanos|cuéntanos) (?:tu opinión )?en los comentarios\b",
        ),
    ),
    (
        "advertisement",
        _rx(
            _START + r"advertisement\s*[-–—:]\s*(?:continue|scroll|story)",
            _START + r"(?:advertisement|advertising|anzeige|werbung|publicité|publicidad"
            r"|sponsored(?: content)?|paid (?:content|post)|gesponsert|promoted|ad"
            r"|story continues below(?: advertisement)?|article continues (?:below|after)"
            r"(?: (?:this )?(?:ad|advertisement))?|continue reading (?:below|the main story)"
            r"|scroll to continue(?: with content)?)" + _END,
        ),
    ),
    (
        "donation appeal",
        _rx(
            r"\b(?:support|unterstützen sie|unterstütze|soutenez|apoya|apóyanos|donate to"
            r"|spenden sie für)\s+(?:us|uns|nous|our (?:work|journalism|reporting|newsroom)"
            r"|unsere arbeit|unseren journalismus|notre (?:travail|journalisme)"
            r"|nuestro (?:trabajo|periodismo)|(?:independent|unabhängigen|quality) \w+)\b",
            r"\b(?:ist|sind) (?:spendenfinanziert|leserfinanziert)\b",
            r"\b(?:is|are) (?:reader|donor)[- ]funded\b",
            r"^[\s\[(]*(?:jetzt spenden|donate(?: now)?|faire un don|haz una donación|dona ahora)"
            + _END,
            _START + r"(?:please )?(?:make a (?:donation|contribution)|become a (?:member"
            r"|supporter|patron))\b",
        ),
    ),
    (
        "copyright",
        _rx(
            _START + r"(?:©|\(c\)|copyright)\s*(?:\d{4}|by\b)",
            r"\b(?:all rights reserved|alle rechte vorbehalten|tous droits réservés"
            r"|todos los derechos reservados)\b",
            r"\bmay not be (?:published|reproduced|copied), broadcast\b",
            r"\bthis (?:document|material|article) is subject to copyright\b",
        ),
    ),
    (
        "navigation",
        _rx(
            _START + r"(?:back to top|zurück nach oben|nach oben|retour en haut|haut de page"
            r"|volver arriba|zur startseite|startseite|home ?page|back to (?:the )?homepage"
            r"|retour à l['’]accueil|ir a la portada|skip to (?:main )?content"
            r"|zum inhalt springen|aller au contenu|print(?: this)?(?: article| page)?"
            r"|drucken|imprimer|imprimir|e-?mail(?: this)?(?: article)?|zur übersicht)" + _END,
        ),
    ),
    (
        "reference",
        _rx(
            _START + r"(?:more information|journal information|citation|references?"
            r"|zitiervorschlag|referenz)\s*:",
            r"^.{0,120}\bdoi:\s*10\.\d{4,}/\S+" + _END,
            # A journal's citation line: "Nature 574, 16-17 (2019)".
            r"^[A-Z][\w .&-]{1,60} \d+, \d+(?:[-–]\d+)? \(\d{4}\)" + _END,
        ),
    ),
]


def _compile(patterns: Sequence[str]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)


# The table: each reason with its patterns.
RULES: list[tuple[str, re.Pattern[str]]] = [
    (reason, _compile(patterns)) for reason, patterns in _SOURCES
]


# A rule's patterns that may match anywhere in a line are tried only when the line holds
# one of the rule's needles (lowercase words every such pattern needs): scanning every
# sentence of a 1 MB article with all of them cost a second; the needles, a tenth of that.
_NEEDLES: dict[str, tuple[str, ...]] = {
    "related link": ("finden sie",),
    "byline": ("editing by",),
    "newsletter": (
        "newsletter", "inbox", "briefing", "digest", "mailing list", "lettre d", "boletín",
    ),
    "caption": (
        "photo", "foto", "bild", "image", "picture", "reuters", "afp", "epa", "efe", "xinhua",
        "anadolu",
    ),
    "paywall": (
        "reading", "subscri", "member", "premium", "limit", "maximum", "access", "lesen",
        "abonn", "abo ", "de cet article", "exclusiv", "suscriptor", "leyendo",
    ),
    "comments": ("let us know", "kommentar", "commentaire", "comentario"),
    "donation appeal": (
        "support", "unterstütz", "soutenez", "apoya", "apóyanos", "donate", "spenden",
        "finanziert", "funded",
    ),
    "copyright": (
        "may not be",
        "rights reserved", "rechte vorbehalten", "droits réservés", "derechos reservados",
        "subject to copyright",
    ),
}  # fmt: skip

# The patterns that must open the line, all in one expression tried at its start (each
# rule's in a group named for it); then each rule's other patterns.
_AT_START = re.compile(
    "|".join(
        f"(?P<rule{number}>" + "|".join(f"(?:{p})" for p in patterns if p.startswith("^")) + ")"
        for number, (_, patterns) in enumerate(_SOURCES)
        if any(p.startswith("^") for p in patterns)
    ),
    re.IGNORECASE,
)
_AT_START_REASONS = {f"rule{number}": reason for number, (reason, _) in enumerate(_SOURCES)}
_ANYWHERE = [
    (
        reason,
        re.compile("|".join(map(re.escape, _NEEDLES[reason]))),
        _compile([p for p in patterns if not p.startswith("^")]),
    )
    for reason, patterns in _SOURCES
    if not all(p.startswith("^") for p in patterns)
]
# Any rule's needle: most lines hold none, and then none of `_ANYWHERE` is tried.
_ANY_NEEDLE = re.compile("|".join(re.escape(n) for needles in _NEEDLES.values() for n in needles))

_BYLINE_START = re.compile(r"^(?:by|von|par|por)\s+(.+?)\s*$", re.IGNORECASE)
# Words that join names in a byline.
_BYLINE_JOINERS = {
    "and", "und", "et", "y", "e", "&", "van", "von", "de", "der", "den", "la", "le",
    "da", "di", "del", "dos", "du", "bin", "al", "el", "ibn", "ter", "zu",
}  # fmt: skip


def classify(text: str) -> str | None:
    """The kind of boilerplate `text` (a sentence or short paragraph) is, or None."""
    text = HEADING_MARK.sub("", text.strip())
    if not text or len(text) > MAX_CHARS:
        return None
    if found := _AT_START.match(text):
        return _AT_START_REASONS[str(found.lastgroup)]
    lowered = text.lower()
    if _ANY_NEEDLE.search(lowered):
        for reason, needles, pattern in _ANYWHERE:
            if needles.search(lowered) and pattern.search(text):
                return reason
    if _is_byline(text):
        return "byline"
    return None


def _is_byline(text: str) -> bool:
    """ "By Jane Doe and John Roe", "Par Jacques Munier", "Von Max Müller, dpa": the
    opening word, then only names (capitalised words and the words that join them)."""
    match = _BYLINE_START.match(text.rstrip("."))
    if not match:
        return False
    words = match.group(1).replace(",", " , ").split()
    if not 1 <= len(words) <= 12:
        return False
    return all(
        word == "," or word.casefold() in _BYLINE_JOINERS or word[0].isupper() or word == "dpa"
        for word in words
    )


def paragraph_reasons(paragraphs: Sequence[str], headings: Collection[int]) -> list[str | None]:
    """Per paragraph, the boilerplate reason that covers all of it, or None.

    A short paragraph can be boilerplate as a whole ("(Credit: Clayton Aldern / Grist)").
    A label opens a box whose paragraphs share its reason: a heading of the page
    ("## Comments", marked by the extractor) holds every paragraph up to the next such
    heading, or to the first one too long to be a teaser; a line ending with a colon
    ("Editors’ recommendations:", "À lire aussi :") holds only the heading-like lines after
    it (teaser titles; `headings` holds the numbers of those paragraphs) and the teasers
    that open with their source or title and a colon ("Revue Esprit : Quand …"), if the
    box ends the page or another label ends it: article text after them makes them
    article text too ("Le ministre a répondu mardi : …" has that shape). A heading-like
    "Read more: Some title" is one link, not a label, and opens nothing.

    Two more bylines are told by their shape: a signature (a name over a town, each on
    its own short line, as under a reader's letter) and a reporter's name on the line
    above their e-mail address."""
    reasons: list[str | None] = []
    box: str | None = None
    box_is_section = False
    teasers: list[int] = []  # held only if no article text follows them in their box
    for number, paragraph in enumerate(paragraphs):
        stripped = paragraph.strip()
        marked = bool(HEADING_MARK.match(stripped))
        text = HEADING_MARK.sub("", stripped)
        reason = classify(text) or ("byline" if _is_signature(text) else None)
        if (
            reason == "byline"
            and _EMAIL.match(text)
            and number - 1 in headings
            and len(paragraphs[number - 1].split()) <= 5
            and not reasons[number - 1]
        ):
            reasons[number - 1] = "byline"  # the reporter's name above the address
        if marked or _is_label(text):
            box = reason if reason and len(text) <= LABEL_MAX_CHARS else None
            box_is_section, teasers = marked, []
        elif box and reason is None:
            if len(text) <= BOX_PARAGRAPH_MAX_CHARS and (box_is_section or number in headings):
                reason = box
            elif not box_is_section and len(text) <= TEASER_MAX_CHARS and _TEASER_LEAD.match(text):
                reason = box
                teasers.append(number)
            else:  # article text again: so were the teaser-like paragraphs before it
                for teaser in teasers:
                    reasons[teaser] = None
                box, teasers = None, []
        reasons.append(reason)
    return reasons


def _is_label(text: str) -> bool:
    return len(text) <= LABEL_MAX_CHARS and text.rstrip().endswith(":")


_EMAIL = re.compile(r"^\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\s*$")


def _is_signature(text: str) -> bool:
    """ "Ninfa Wood\nWalnut Creek": two or three short lines of capitalised words, no
    sentence among them."""
    lines = text.split("\n")
    return 2 <= len(lines) <= 3 and all(
        1 <= len(line.split()) <= 4
        and all(word[0].isupper() for word in line.split())
        and not line.rstrip().endswith((".", "!", "?", ":", ";"))
        for line in lines
    )
