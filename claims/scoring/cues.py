"""Cue words per language: the words that answer a fact-checker's questions.

Each list answers one question of `features.FEATURES` ("Does it attribute words to
someone?"). A phrase matches as whole words, case-insensitively; spaces in a phrase
match any run of spaces. A phrase written `=word` matches only in that case ("=May" is
not "may", "=us" is not "US"); `^word` matches only at the start of the sentence
("Well, …" but not "as well"). English lists are the ones the model was trained with; the
others carry the same meaning in their language, written as a native reader would
expect to see them in news text (not translated word by word), and are kept shorter
rather than padded with doubtful entries. A language with no entry here is scored on
the language-neutral features only, and its reasons say so.

Arabic attaches the conjunctions و/ف and prepositions ب/ل to the next word ("وقال",
"and he said"): `ATTACHED_PREFIXES` lets its cue words carry one of them.
"""

from __future__ import annotations

Cues = dict[str, tuple[str, ...]]


def _w(text: str) -> tuple[str, ...]:
    """Phrases separated by `|`, one or more words each."""
    return tuple(p.strip() for p in text.split("|") if p.strip())


EN: Cues = {
    "attribution": _w(
        "said|says|say|saying|told|tells|according to|stated|states that|announced|"
        "claimed|claims that|reported|reports that|declared|vowed|pledged|promised|"
        "confirmed|denied|admitted|acknowledged|insisted|warned|testified|wrote|"
        "argued|accused|estimated|quoted|quoting|noted|added|explained"
    ),
    # Nouns only, with an article where the bare word is also a verb ("to study").
    "study": _w(
        "a study|the study|new study|recent study|studies show|studies have|a survey|"
        "the survey|surveys|a poll|the poll|polls|a report|the report|new report|"
        "research|researchers|data|statistics|census|an analysis|the analysis|"
        "official figures|the figures|estimates|experts|scientists|economists"
    ),
    "number word": _w(
        "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|"
        "fifteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|hundreds|"
        "thousand|thousands|million|millions|billion|billions|trillion|trillions|"
        "dozen|dozens|half|quarter|third|twice|double|triple"
    ),
    "percentage word": _w("percent|per cent|percentage|percentage points"),
    "money word": _w(
        "dollar|dollars|cents|euro|euros|budget|budgets|cost|costs|"
        "spend|spending|spent|paid|tax|taxes|deficit|debt|funding|wages|"
        "salary|income|revenue|price|prices|jobs"
    ),
    "date word": _w(
        "=January|=February|=March|=April|=June|=July|=August|=September|=October|"
        "=November|=December|=Monday|=Tuesday|=Wednesday|=Thursday|=Friday|=Saturday|"
        "=Sunday|yesterday|last weekend|this weekend|last week|last month|last year|"
        "this year|next year|ago|"
        "decade|decades|century|in the past|years|months|weeks"
    ),
    "comparison": _w(
        "more than|less than|fewer than|greater than|higher than|lower than|"
        "larger than|bigger than|smaller than|faster than|slower than|better than|"
        "worse than|as many as|as much as|compared with|compared to|twice as|"
        "the highest|the lowest|the largest|the biggest|the smallest|the most|"
        "the least|the fastest"
    ),
    "change": _w(
        "increased|increase|increases|increasing|decreased|decrease|decreases|"
        "rose|risen|rise|rising|fell|fallen|falling|grew|grown|growing|doubled|"
        "tripled|halved|cut|cuts|raised|lowered|dropped|declined|reduced|reduce|"
        "went up|went down|gone up|gone down|lost|gained|eliminated|"
        "expanded|shrank|soared|plunged"
    ),
    "event": _w(
        "killed|died|injured|wounded|arrested|launched|halted|signed|voted|passed|"
        "elected|resigned|banned|invaded|seized|captured|attacked|bombed|fired|"
        "appointed|approved|rejected|vetoed|closed|opened|shut down|built|sent|"
        "sold|bought|won"
    ),
    "cause": _w(
        "because|because of|caused|due to|"
        "as a result|result of|resulted in|results in|thanks to|blamed|responsible for|"
        "therefore"
    ),
    "future": _w(
        "will|won't|shall|going to|gonna|plan to|plans to|intend to|'ll|’ll|"
        "would|next year|in the future|tomorrow"
    ),
    "opinion": _w(
        "great|greatest|terrible|horrible|wonderful|awful|disgraceful|shameful|"
        "ridiculous|absurd|outrageous|disaster|disastrous|tragic|amazing|fantastic|"
        "beautiful|evil|stupid|brilliant|incredible|unbelievable|worst|wrong|"
        "right thing|bad|good|nice|sad|proud|unfair|strong|weak|"
        "clearly|obviously|of course|simply|surely|frankly|honestly|truly|really|"
        "believe in|love|hate|hope|wish|feel|deserve|important|dangerous"
    ),
    "hedging": _w(
        "maybe|perhaps|might|=may|possibly|probably|likely|unlikely|seems|seem|"
        "seemed|appears|apparently|allegedly|reportedly|I think|I believe|I guess|"
        "I suppose|we think|we believe"
    ),
    "obligation": _w(
        "should|shouldn't|must|ought to|need to|needs to|have to|has to|had better|"
        "it is time|it's time|let's|we need|we must"
    ),
    "first person": _w("=I|I'm|I’m|I've|I’ve|I'd|I’d|me|my|mine|myself|we|we're|we’re|=us|our"),
    "addressing you": _w("you|your|you're|you’re|yours|yourself"),
    "conversation": _w(
        "thank you|^thanks|let me|^okay|^ok|^well|you know|I mean|^look|^listen|^yes|"
        "^absolutely|^sure|excuse me|ladies and gentlemen|good evening|"
        "congratulations|applause|laughter|crosstalk"
    ),
    "absolute": _w(
        "always|never|every|everyone|everybody|everything|nobody|no one|nothing|none|"
        "all|ever|entire|entirely|completely|totally|only"
    ),
    "policy topic": _w(
        "unemployment|economy|inflation|"
        "health care|healthcare|insurance|medicare|medicaid|social security|"
        "pension|pensions|crime|police|prison|immigration|immigrants|border|"
        "military|troops|war|nuclear|weapons|oil|energy|climate|carbon emissions|"
        "greenhouse gas|"
        "education|schools|students|abortion|vaccine|vaccines|virus|hospital|"
        "hospitals|law|=bill|legislation|regulation|sanctions|election|voters"
    ),
}

ES: Cues = {
    "attribution": _w(
        "dijo|dice|dicen|dijeron|afirmó|afirma|aseguró|asegura|declaró|anunció|"
        "informó|explicó|señaló|sostuvo|según|advirtió|reconoció|negó|confirmó|"
        "prometió|denunció|indicó|añadió|agregó|manifestó"
    ),
    "study": _w(
        "estudio|estudios|encuesta|encuestas|informe|informes|investigación|datos|"
        "estadísticas|censo|análisis|cifras|expertos|científicos|instituto"
    ),
    "number word": _w(
        "uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez|veinte|treinta|cien|"
        "cientos|mil|miles|millón|millones|mitad|docena|doble|triple"
    ),
    "percentage word": _w("por ciento|porcentaje|puntos porcentuales"),
    "money word": _w(
        "dólares|euros|pesos|presupuesto|costo|coste|impuesto|impuestos|deuda|"
        "déficit|salario|salarios|precio|precios|empleo|empleos"
    ),
    "date word": _w(
        "enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|"
        "octubre|noviembre|diciembre|lunes|martes|miércoles|jueves|viernes|sábado|"
        "domingo|ayer|hoy|el año pasado|la semana pasada|el mes pasado|hace años|"
        "hace meses|hace semanas|hace días"
    ),
    "comparison": _w(
        "más que|menos que|más de|menos de|mayor que|menor que|el mayor|la mayor|"
        "el menor|la menor|el más|la más|récord|comparado con|en comparación con"
    ),
    "change": _w(
        "aumentó|aumento|subió|bajó|cayó|creció|disminuyó|redujo|duplicó|"
        "se duplicó|descendió|incrementó|recortó"
    ),
    "cause": _w("porque|debido a|a causa de|provocó|causó|por culpa de|como resultado"),
    "future": _w("va a|van a|vamos a|planea|prevé|próximo año|en el futuro|mañana"),
    "opinion": _w(
        "terrible|horrible|maravilloso|vergonzoso|absurdo|ridículo|escandaloso|"
        "desastroso|trágico|increíble|mejor|peor|malo|bueno|evidentemente|"
        "obviamente|claramente|por supuesto|simplemente"
    ),
    "hedging": _w(
        "quizás|quizá|tal vez|acaso|posiblemente|probablemente|parece|parecen|"
        "al parecer|supuestamente|presuntamente|creo que|creemos que|podría|podrían"
    ),
    "obligation": _w("debe|deben|debería|deberían|hay que|tiene que|tienen que|es hora de"),
    "first person": _w("yo|me|mi|mis|nosotros|nosotras|nuestro|nuestra|nuestros|nuestras"),
    "addressing you": _w("usted|ustedes|tú|vosotros"),
    "absolute": _w("siempre|nunca|jamás|todos|todas|nadie|nada|ninguno|ninguna"),
}

PT: Cues = {
    "attribution": _w(
        "disse|diz|dizem|disseram|afirmou|afirma|declarou|anunciou|informou|"
        "explicou|segundo o|segundo a|segundo os|segundo as|de acordo com|conforme|"
        "advertiu|alertou|reconheceu|negou|"
        "confirmou|prometeu|denunciou|acrescentou|garantiu"
    ),
    "study": _w(
        "estudo|estudos|pesquisa|pesquisas|levantamento|relatório|relatórios|dados|"
        "estatísticas|censo|análise|números|especialistas|cientistas|instituto"
    ),
    "number word": _w(
        "dois|duas|três|quatro|cinco|seis|sete|oito|nove|dez|vinte|trinta|cem|"
        "centenas|mil|milhares|milhão|milhões|bilhão|bilhões|metade|dezena|dobro"
    ),
    "percentage word": _w("por cento|porcentagem|percentagem|pontos percentuais"),
    "money word": _w(
        "dólares|euros|reais|orçamento|custo|imposto|impostos|dívida|déficit|"
        "salário|salários|preço|preços|emprego|empregos"
    ),
    "date word": _w(
        "janeiro|fevereiro|março|abril|maio|junho|julho|agosto|setembro|outubro|"
        "novembro|dezembro|segunda-feira|terça-feira|quarta-feira|quinta-feira|"
        "sexta-feira|sábado|domingo|ontem|hoje|no ano passado|na semana passada|"
        "no mês passado|há anos|há meses|há semanas|há dias"
    ),
    "comparison": _w(
        "mais que|menos que|mais de|menos de|maior que|menor que|o maior|a maior|"
        "o menor|a menor|o mais|a mais|recorde|em comparação com|comparado com"
    ),
    "change": _w("aumentou|aumento|subiu|caiu|cresceu|diminuiu|reduziu|dobrou|triplicou|recuou"),
    "cause": _w("porque|devido a|por causa de|provocou|causou|como resultado|graças a"),
    "future": _w("vai|vão|irá|irão|planeja|prevê|próximo ano|no futuro|amanhã"),
    "opinion": _w(
        "terrível|horrível|maravilhoso|vergonhoso|absurdo|ridículo|escandaloso|"
        "desastroso|trágico|incrível|melhor|pior|mau|ruim|bom|evidentemente|"
        "obviamente|claramente|é claro|simplesmente"
    ),
    "hedging": _w(
        "talvez|possivelmente|provavelmente|parece|parecem|aparentemente|"
        "supostamente|alegadamente|acho que|acredito que|poderia|poderiam|pode ser"
    ),
    "obligation": _w("deve|devem|deveria|deveriam|é preciso|precisamos|tem que|têm de"),
    "first person": _w("eu|me|meu|minha|meus|minhas|nós|nosso|nossa|nossos|nossas"),
    "addressing you": _w("você|vocês|tu|o senhor|a senhora"),
    "absolute": _w("sempre|nunca|jamais|todos|todas|ninguém|nada|nenhum|nenhuma"),
}

FR: Cues = {
    "attribution": _w(
        "a dit|dit-il|dit-elle|disent|ont dit|a déclaré|déclare|a affirmé|affirme|a annoncé|"
        "annonce|a indiqué|indique|a expliqué|explique|selon|d'après|d’après|"
        "a assuré|assure|a reconnu|a nié|a confirmé|a promis|a averti|a souligné|"
        "a ajouté|estime|a estimé|a dénoncé|précise|a précisé"
    ),
    "study": _w(
        "étude|études|enquête|sondage|sondages|rapport|rapports|recherche|données|"
        "statistiques|recensement|analyse|chiffres|experts|scientifiques|institut|insee"
    ),
    "number word": _w(
        "deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|trente|cent|"
        "centaines|mille|milliers|million|millions|milliard|milliards|moitié|"
        "douzaine|dizaine|dizaines|double"
    ),
    "percentage word": _w("pour cent|pourcentage|points de pourcentage"),
    "money word": _w(
        "dollars|euros|budget|coût|coûts|impôt|impôts|taxe|dette|déficit|salaire|"
        "salaires|prix|emploi|emplois"
    ),
    "date word": _w(
        "janvier|février|=mars|avril|mai|juin|juillet|août|septembre|octobre|"
        "novembre|décembre|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|"
        "hier|aujourd'hui|aujourd’hui|l'an dernier|l’an dernier|l'année dernière|"
        "l’année dernière|la semaine dernière|le mois dernier|il y a"
    ),
    "comparison": _w(
        "plus que|moins que|plus de|moins de|supérieur à|inférieur à|le plus|"
        "la plus|le moins|la moins|record|par rapport à|comparé à"
    ),
    "change": _w(
        "a augmenté|augmente|hausse|a baissé|baisse|a chuté|chute|a progressé|"
        "a diminué|a doublé|a triplé|a reculé|recul|a réduit"
    ),
    "cause": _w("parce que|à cause de|en raison de|a provoqué|a causé|grâce à|du fait de"),
    "future": _w("vont|allons|sera|seront|prévoit|l'an prochain|l’an prochain|demain"),
    "opinion": _w(
        "terrible|horrible|merveilleux|honteux|absurde|ridicule|scandaleux|"
        "désastreux|tragique|incroyable|meilleur|pire|mauvais|bon|évidemment|"
        "clairement|bien sûr|simplement"
    ),
    "hedging": _w(
        "peut-être|sans doute|probablement|possiblement|semble|semblent|"
        "apparemment|prétendument|je pense|je crois|nous pensons|pourrait|pourraient"
    ),
    "obligation": _w("doit|doivent|devrait|devraient|il faut|il faudrait|il est temps"),
    "first person": _w("je|j'|me|moi|mon|ma|mes|nous|notre|nos"),
    "addressing you": _w("vous|votre|vos|tu|toi"),
    "absolute": _w("toujours|jamais|tous|toutes|rien|aucun|aucune|chaque"),
}

DE: Cues = {
    "attribution": _w(
        "sagte|sagt|sagen|sagten|erklärte|erklärt|betonte|betont|teilte mit|"
        "kündigte an|berichtete|berichtet|zufolge|nach angaben|warnte|warnt|"
        "räumte ein|bestätigte|bestätigt|bestritt|versprach|forderte|fordert|"
        "meinte|hieß es"
    ),
    "study": _w(
        "studie|studien|umfrage|umfragen|bericht|berichte|forschung|daten|"
        "statistik|statistiken|zensus|analyse|zahlen|experten|wissenschaftler|"
        "institut|bundesamt"
    ),
    "number word": _w(
        "eins|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwanzig|dreißig|"
        "hundert|hunderte|tausend|tausende|million|millionen|milliarde|milliarden|"
        "hälfte|dutzend|doppelt"
    ),
    "percentage word": _w("prozent|prozentpunkte"),
    "money word": _w(
        "dollar|euro|haushalt|kosten|steuer|steuern|schulden|defizit|lohn|löhne|"
        "gehalt|preis|preise|arbeitsplätze"
    ),
    "date word": _w(
        "januar|jänner|februar|märz|april|mai|juni|juli|august|september|oktober|"
        "november|dezember|montag|dienstag|mittwoch|donnerstag|freitag|samstag|"
        "sonntag|gestern|heute|vergangenes jahr|vergangene woche|letztes jahr|"
        "letzte woche|vor jahren|vor monaten|vor wochen|vor tagen"
    ),
    "comparison": _w(
        "mehr als|weniger als|höher als|niedriger als|größer als|kleiner als|"
        "am meisten|am höchsten|rekord|im vergleich zu|verglichen mit|doppelt so"
    ),
    "change": _w(
        "stieg|gestiegen|steigt|sank|gesunken|sinkt|wuchs|gewachsen|verdoppelt|"
        "halbiert|zugenommen|abgenommen|erhöht|gesenkt|gekürzt"
    ),
    "cause": _w("weil|wegen|aufgrund|deshalb|daher|verursacht|führte zu|infolge"),
    "future": _w("plant|planen|künftig|nächstes jahr|morgen"),
    "opinion": _w(
        "schrecklich|furchtbar|wunderbar|beschämend|absurd|lächerlich|skandalös|"
        "katastrophal|tragisch|unglaublich|besser|schlechter|schlecht|gut|"
        "offensichtlich|natürlich|eindeutig|einfach"
    ),
    "hedging": _w(
        "vielleicht|möglicherweise|wahrscheinlich|vermutlich|scheint|scheinen|"
        "offenbar|angeblich|mutmaßlich|ich glaube|ich denke|wir glauben|könnte|könnten"
    ),
    "obligation": _w("muss|müssen|sollte|sollten|es ist zeit"),
    "first person": _w("ich|mich|mir|mein|meine|wir|uns|unser|unsere"),
    "addressing you": _w("du|dich|dir|euch"),
    "absolute": _w("immer|nie|niemals|alle|jeder|jede|niemand|nichts|kein|keine"),
    # Past participles, as German reports an event ("wurde festgenommen", "hat
    # unterzeichnet"), and the simple past of the commonest; not those that are also a
    # present tense or an adjective of something else ("verkauft" sells, "verletzt"
    # violates, "abgestimmt" coordinated, "geschlossen" united).
    "event": _w(
        "getötet|starb|gestorben|festgenommen|verhaftet|gestartet|unterzeichnet|"
        "beschlossen|gewählt|zurückgetreten|verboten|angegriffen|bombardiert|"
        "beschlagnahmt|ernannt|genehmigt|abgelehnt|gebaut|gekauft|gewonnen"
    ),
    "policy topic": _w(
        "arbeitslosigkeit|wirtschaft|inflation|gesundheit|krankenhaus|krankenhäuser|"
        "krankenversicherung|rente|renten|kriminalität|polizei|gefängnis|einwanderung|"
        "zuwanderung|migration|flüchtlinge|asyl|grenze|militär|bundeswehr|truppen|"
        "krieg|waffen|atomkraft|energie|klima|klimawandel|klimaschutz|emissionen|"
        "bildung|schulen|abtreibung|impfstoff|impfung|virus|pandemie|gesetz|gesetze|"
        "sanktionen|wahl|wahlen|wähler"
    ),
}

AR: Cues = {
    "attribution": _w(
        "قال|قالت|يقول|تقول|صرح|صرحت|أعلن|أعلنت|أكد|أكدت|أوضح|أوضحت|أشار|أشارت|"
        "وفقا|وفقًا|بحسب|نقلا عن|أفاد|أفادت|ذكر|ذكرت|نفى|نفت|حذر|حذرت|وعد|وعدت"
    ),
    "study": _w(
        "دراسة|دراسات|استطلاع|تقرير|تقارير|بحث|أبحاث|بيانات|إحصاءات|إحصائيات|تعداد|"
        "تحليل|أرقام|خبراء|علماء|معهد"
    ),
    "number word": _w(
        "واحد|اثنان|اثنين|ثلاثة|أربعة|خمسة|ستة|سبعة|ثمانية|تسعة|عشرة|عشرين|مئة|"
        "مائة|مئات|ألف|آلاف|مليون|ملايين|مليار|مليارات|نصف|ضعف"
    ),
    "percentage word": _w("بالمئة|بالمائة|في المئة|في المائة|نسبة"),
    "money word": _w(
        "دولار|دولارات|يورو|جنيه|ريال|درهم|دينار|ميزانية|تكلفة|ضريبة|ضرائب|ديون|"
        "عجز|رواتب|أسعار|وظائف"
    ),
    "date word": _w(
        "يناير|فبراير|مارس|أبريل|مايو|يونيو|يوليو|أغسطس|سبتمبر|أكتوبر|نوفمبر|ديسمبر|"
        "كانون الثاني|شباط|آذار|نيسان|أيار|حزيران|تموز|آب|أيلول|تشرين الأول|"
        "تشرين الثاني|كانون الأول|الاثنين|الثلاثاء|الأربعاء|الخميس|الجمعة|السبت|"
        "الأحد|أمس|اليوم|العام الماضي|الأسبوع الماضي|الشهر الماضي|منذ"
    ),
    "comparison": _w("أكثر من|أقل من|أكبر من|أصغر من|مقارنة|مقارنة مع|قياسي|الأكبر|الأعلى"),
    "change": _w("ارتفع|ارتفعت|انخفض|انخفضت|زاد|زادت|تراجع|تراجعت|تضاعف|تضاعفت|ارتفاع|انخفاض"),
    "cause": _w("لأن|بسبب|نتيجة|أدى إلى|أدت إلى|بفضل"),
    "future": _w("سوف|سيتم|ستكون|سيكون|العام المقبل|غدا|غدًا"),
    "opinion": _w(
        "فظيع|رهيب|رائع|مخز|سخيف|كارثي|مأساوي|مذهل|أفضل|أسوأ|سيء|جيد|بالطبع|بوضوح|من الواضح"
    ),
    "hedging": _w("ربما|لعل|محتمل|يبدو|على ما يبدو|يُزعم|يزعم|مزعوم|أعتقد|أظن|نعتقد|يمكن أن"),
    "obligation": _w("يجب|ينبغي|لا بد|يتعين|علينا أن"),
    "first person": _w("أنا|نحن|لدينا|بلادنا"),
    "addressing you": _w("أنت|أنتم|أنتِ"),
    "absolute": _w("دائما|دائمًا|أبدا|أبدًا|جميع|كل|لا أحد|لا شيء"),
}

CUES: dict[str, Cues] = {"en": EN, "es": ES, "pt": PT, "fr": FR, "de": DE, "ar": AR}

# One-letter conjunctions and prepositions written onto the next word.
ATTACHED_PREFIXES = {"ar": "[وفبل]"}

# Languages whose capitalised words are not a sign of a name: German capitalises every
# noun; Arabic has no capital letters at all.
NO_NAME_CAPITALS = frozenset({"de", "lb", "ar"})

# Capitalised words that are never names, even in the middle of a sentence (where a
# quotation without quotation marks, or careless capitals, can put them): pronouns,
# articles and other function words, "May" (a month, a verb, rarely a name), and
# clock times and time zones, abbreviated months, words that introduce a reference.
NOT_NAMES = frozenset(
    """Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Page Section Chapter Figure Table
    I I'm I’m I've I’ve I'd I’d I'll I’ll OK AM PM EST PST EDT PDT CST CDT GMT UTC BST CET
    CEST May a about after again against all also although an and another any are as at
    because before being both but by can despite did do does during each either even every
    few for from had has have he her here his how however i if in instead into is it its
    just last many more most much my neither never no nor not now of on once one only or
    other our over since so some still such than that the their them then there these they
    this those though through thus to too under unless unlike until upon we were what when
    where whether which while who whom whose why will with within without yet you your
    el la los las un una unos unas y o pero que en de del al con por para se su sus es
    o os as um uma e mas em do da dos das no na nos nas ao com por para seu sua
    le la les un une des et ou mais dans du au aux avec pour sur ce cette ces il elle ils
    elles nous vous on""".split()
)

# Abbreviated titles: the full stop after them does not end a sentence ("Ms. Price").
HONORIFICS = frozenset(
    "Mr Mrs Ms Dr Prof St Sen Rep Gov Gen Lt Col Capt Sgt Jr Sr Sra Sr Mme Mlle M".split()
)
