"""Credits without a list of outlets: the forms of issue 21 in five languages, and the
self-references that must never count. Each case is a sentence as outlets write them."""
from __future__ import annotations

import pytest

from searchkit.stories.credits import Lexicon, extract_credits, squash
from searchkit.stories.text import segment


def credited(text: str, own: str | None, url: str | None = None) -> list[tuple[str, str]]:
    lex = Lexicon(outlets=[own] if own else [])
    return sorted((squash(c.source), text[c.start:c.end]) for c in extract_credits(text, own, lex, segment(text), url))


CREDITS = [
    # anaphora resolves to the outlet credited before
    ("Reuters reported the deal on Monday. The agency said talks continue.", "Kelvale Herald",
     [("reuters", "Reuters"), ("reuters", "The agency")]),
    ("The Zorbex Courier reported the deal. The newspaper added that talks continue.", "Kelvale Herald",
     [("zorbexcourier", "The Zorbex Courier"), ("zorbexcourier", "The newspaper")]),
    # end lines, headline credits, "told the AP", a wire's dateline in a copy
    ("The deal was signed.\n\nMaterial from the Associated Press was used in this report.", "Kelvale Herald",
     [("associatedpress", "Associated Press")]),
    ("The deal was signed.\n\nSource: AFP", "Kelvale Herald", [("agencefrancepresse", "AFP")]),
    ("China ships drones to Russia: Reuters report\n\nThe deal was signed.", "Kelvale Herald", [("reuters", "Reuters")]),
    ("China ships drones to Russia | Bloomberg\n\nThe deal was signed.", "Kelvale Herald", [("bloomberg", "Bloomberg")]),
    ("The minister told the AP the plant would close.", "Kelvale Herald", [("associatedpress", "AP")]),
    ("KYIV (Reuters) - The plant will close, officials said.", "Kelvale Herald", [("reuters", "Reuters")]),
    ("NORPORT (Kelvale Wire) - The deal was signed.", "Norport Sentinel", [("kelvalewire", "Kelvale Wire")]),
    ("The Washington Post documented at least 40 cases.", "Kelvale Herald", [("washingtonpost", "The Washington Post")]),
    ("The minister tells Efe the plant will close.", "El Norte", [("efe", "Efe")]),
    ("The plant will close (AFP)", "Kelvale Herald", [("agencefrancepresse", "AFP")]),
    ("Der Minister sagte der Nachrichtenagentur Zentrix, die Anlage schließe.", "Berliner Zeitung", [("zentrix", "Zentrix")]),
    # German, French, Spanish, Russian
    ("Die Anlage wird geschlossen, berichtet die FAZ. (dpa)", "Berliner Zeitung",
     [("dpa", "dpa"), ("frankfurterallgemeinezeitung", "FAZ")]),
    ("Das Werk schließt, wie das Handelsblatt berichtet. Laut Reuters ist der Vertrag unterzeichnet.", "Berliner Zeitung",
     [("handelsblatt", "Handelsblatt"), ("reuters", "Reuters")]),
    ("L'usine va fermer, selon l'AFP. L'agence précise que le ministre a démissionné.", "Ouest-France",
     [("agencefrancepresse", "AFP"), ("agencefrancepresse", "L'agence")]),
    ("La planta cerrará, según EFE. El ministro dijo a Efe que era definitivo.", "El Norte", [("efe", "EFE"), ("efe", "Efe")]),
    ("La planta cerrará, informó la agencia Prensa Latina.", "El Norte", [("prensalatina", "Prensa Latina")]),
    ("Завод закроется, сообщает ТАСС. По данным Reuters, сделка подписана.", "Известия", [("reuters", "Reuters"), ("tass", "ТАСС")]),
    ("Завод закроется, пишет «Новая газета Европа».", "Известия", [("новаягазетаевропа", "Новая газета Европа")]),
    ("(Con información de AFP, EFE y Reuters)", "infobae", [("agencefrancepresse", "AFP"), ("efe", "EFE"), ("reuters", "Reuters")]),
    # names first in an end line; an unknown agency's sign-off after a sentence; case forms
    ("The road reopened.\n\nThe Kelvale Wire and Reuters contributed reporting.", "Norport Sentinel",
     [("kelvalewire", "Kelvale Wire"), ("reuters", "Reuters")]),
    ("Das Rennen wurde abgebrochen. (SID)", "Berliner Zeitung", [("sid", "SID")]),
    ("Das geht aus einem Bericht des Tagesspiegels hervor, sagte er.", "Berliner Zeitung", [("tagesspiegel", "Tagesspiegels")]),
    ("Сделка закрыта, сообщил он «Коммерсанту».", "Известия", [("kommersant", "Коммерсанту")]),
    ("КИЕВ, 12 июня — РИА Новости. В городе объявлена тревога.", "Известия", [("rianovosti", "РИА Новости")]),
    ("Laut Handelsblatt ist der Vertrag unterzeichnet.", "Berliner Zeitung", [("handelsblatt", "Handelsblatt")]),
    # names that say what they are; outlets with their place; an agency's copyright on a copy
    ("El plan costará 3 millones, publicó Agencia Kelber de Noticias.", "El Norte",
     [("agenciakelberdenoticias", "Agencia Kelber de Noticias")]),
    ("La planta cerrará, según El Diario de Sevilla.", "El Norte", [("eldiariodesevilla", "El Diario de Sevilla")]),
    ("The storm weakened.\n\nCopyright 2024 The Associated Press. All rights reserved.", "Kelvale Herald",
     [("associatedpress", "Associated Press")]),
    ("Trois blessés, rapporte l'AFP. Le maire a démissionné, poursuit l'agence.", "Ouest-France",
     [("agencefrancepresse", "AFP"), ("agencefrancepresse", "l'agence")]),
    ("Es un día triste, según el comunicado recogido por BelTA.", "El Norte", [("belta", "BelTA")]),
    ("The Wall Street Journal reported the talks. A spokesman suggested to the Journal that Russia has enough.",
     "Kelvale Herald", [("wallstreetjournal", "The Wall Street Journal"), ("wallstreetjournal", "the Journal")]),
    ("Lo publicó The Guardian. Hubo 3 muertos, de acuerdo con la agencia oficial de noticias rusa Sputnik.", "El Norte",
     [("guardian", "The Guardian"), ("sputnik", "Sputnik")]),
    ("Lo harán, ha añadido en comentarios recogidos por 'The Guardian'.", "El Norte", [("guardian", "The Guardian")]),
    ("He spoke to Foreign Policy magazine on Monday. The talks failed, the magazine reported.", "Kelvale Herald",
     [("foreignpolicy", "Foreign Policy"), ("foreignpolicy", "the magazine")]),
]

# More forms of issue 21, one per general pattern (written for this test, names invented)
CREDITS += [
    # en: a copy "obtained by", "compiled from reports by", "said ... on" a broadcaster, "a ... piece"
    ("The memo, obtained by The Associated Press, lists 12 sites.", "Kelvale Herald", [("associatedpress", "The Associated Press")]),
    ("The dam held.\n\nCompiled from reports by Reuters and AFP.", "Kelvale Herald",
     [("agencefrancepresse", "AFP"), ("reuters", "Reuters")]),
    ("\"We are not leaving,\" the senator said Sunday on CNN.", "Kelvale Herald", [("cnn", "CNN")]),
    ("As he argued in a recent Bloomberg piece, rates must fall.", "Kelvale Herald", [("bloomberg", "Bloomberg")]),
    ("The vote was delayed, the Orvale Star-Ledger reported.", "Kelvale Herald", [("orvalestarledger", "the Orvale Star-Ledger")]),
    # fr: "à en croire", "d'après les informations de", inverted "relate", "interrogé par",
    # "(avec X)", "AFP/xyz", "(l'Agence France-Presse)", a title of the form "Le X de Y", "la publication"
    ("Le pont est fermé, à en croire l'AFP.", "Ouest-France", [("agencefrancepresse", "AFP")]),
    ("Deux blessés, d'après les informations de Sud Radio.", "Ouest-France", [("sudradio", "Sud Radio")]),
    ("Le pont rouvrira lundi, relate Le Messager de Thonon. Les travaux ont duré, écrit la publication.", "Ouest-France",
     [("lemessagerdethonon", "Le Messager de Thonon"), ("lemessagerdethonon", "la publication")]),
    ("« C'est fini », a confié le maire, interrogé par BFMTV.", "Ouest-France", [("bfmtv", "BFMTV")]),
    ("Le pont est fermé.\n\n(avec AFP)", "Ouest-France", [("agencefrancepresse", "AFP")]),
    ("Le pont est fermé depuis lundi. AFP/mlb", "Ouest-France", [("agencefrancepresse", "AFP")]),
    ("Le pont est fermé depuis lundi. (l'Agence France-Presse)", "Ouest-France", [("agencefrancepresse", "Agence France-Presse")]),
    ("# Reuters : le pont est fermé\n\nLe pont est fermé.", "Ouest-France", [("reuters", "Reuters")]),
    # es: "según datos de", inverted "adelantó", "en declaraciones a", "Información de X", "ASN/xyz"
    ("Hubo 40 heridos, según datos de Europa Press.", "El Norte", [("europapress", "Europa Press")]),
    ("El puente reabrirá el lunes, adelantó La Gaceta de Orense.", "El Norte", [("lagacetadeorense", "La Gaceta de Orense")]),
    ("\"No cederemos\", dijo el alcalde en declaraciones a Efe.", "El Norte", [("efe", "Efe")]),
    ("El puente reabrirá el lunes.\n\nInformación de Europa Press", "El Norte", [("europapress", "Europa Press")]),
    ("El puente reabrirá el lunes. ACN/jrm", "El Norte", [("acn", "ACN")]),
    # de: "wie X unter Berufung auf ... berichtet", "auf Anfrage von", "heißt es bei", "sagte ...
    # der «X»", "Mitarbeit:", "Mit Agenturmaterial von", a place adjective before a one-word title
    ("Die Brücke bleibt zu, wie Reuters unter Berufung auf Regierungskreise berichtete.", "Berliner Zeitung", [("reuters", "Reuters")]),
    ("„Wir bleiben“, sagte der Bürgermeister auf Anfrage von Radio Bremen.", "Berliner Zeitung", [("radiobremen", "Radio Bremen")]),
    ("Die Brücke bleibt bis Montag zu, heißt es beim Evangelischen Pressedienst.", "Berliner Zeitung",
     [("evangelischenpressedienst", "Evangelischen Pressedienst")]),
    ("Das sagte ein Sprecher am Montag der «Neuen Zürcher Zeitung».", "Berliner Zeitung",
     [("neuenzürcherzeitung", "Neuen Zürcher Zeitung")]),
    ("Die Brücke bleibt zu.\n\nMitarbeit: dpa", "Berliner Zeitung", [("dpa", "dpa")]),
    ("Die Brücke bleibt zu.\n\nMit Agenturmaterial von AFP und KNA", "Berliner Zeitung",
     [("agencefrancepresse", "AFP"), ("katholischenachrichtenagentur", "KNA")]),
    ("Die Brücke bleibt zu, berichtet das Oberhessische Kreisblatt.", "Berliner Zeitung",
     [("oberhessischekreisblatt", "Oberhessische Kreisblatt")]),
    # ru: "говорится в сообщении" an agency, "цитирует", a speech verb with its speaker, the
    # end line "При подготовке использованы материалы", the slashes of a sign-off
    ("Мост закрыт, говорится в сообщении агентства «Север-Информ».", "Известия", [("северинформ", "Север-Информ")]),
    ("Мост закрыт до понедельника, цитирует РБК слова мэра.", "Известия", [("рбк", "РБК")]),
    ("«Мы не уйдём», — сказал Олег Смирнов Интерфаксу.", "Известия", [("interfax", "Интерфаксу")]),
    ("Мост закрыт.\n\nПри подготовке использованы материалы ТАСС.", "Известия", [("tass", "ТАСС")]),
    ("Мост закрыт до понедельника. /ТАСС/", "Известия", [("tass", "ТАСС")]),
    # a name that ends in a number; "according to" in other languages of the press
    ("Как сообщает радиостанция Europe 1, мост закрыт.", "Известия", [("europe1", "Europe 1")]),
    ("Ifølge Reuters er broen lukket.", "Politiken", [("reuters", "Reuters")]),
    ("Bron är stängd, rapporterar både BBC och Reuters.", "Hufvudstadsbladet", [("bbc", "BBC"), ("reuters", "Reuters")]),
    # an aggregator's source line after a paragraph; the quote's source after it
    ("Harbour: the ferry returns. Dredging ends on Monday. Source: Reuters\nDocks: a strike.", "Kelvale Herald",
     [("reuters", "Reuters")]),
    ("Port : le ferry revient. Le dragage finit lundi. À lire sur Le Télégramme.\nQuais : une grève.", "Ouest-France",
     [("letélégramme", "Le Télégramme")]),
    ("Puerto: vuelve el ferri. El dragado acaba el lunes. Más en Efe.\nMuelles: una huelga.", "El Norte", [("efe", "Efe")]),
    ("\"The dredging ends on Monday,\" is how Reuters put it.", "Kelvale Herald", [("reuters", "Reuters")]),
    ("«Мост откроют в понедельник», — так об этом написало агентство Интерфакс.", "Известия", [("interfax", "Интерфакс")]),
    ("\"El puente abrirá el lunes\". Así lo contó Agencia Atlas.", "El Norte", [("agenciaatlas", "Agencia Atlas")]),
    ("Мост закрыт.\n\nИсточник: Рейтер", "Известия", [("reuters", "Рейтер")]),
    # a dateline with its date in the brackets; a source line after a date and before a photo credit
    ("MOSCOW (Kelvale News / Sputnik - 29th April, 2020) The bridge reopened.", "Norport Sentinel",
     [("kelvalenews", "Kelvale News"), ("sputnik", "Sputnik")]),
    ("MOSCOW (UrduPoint News / Sputnik - 29th April, 2020) The bridge reopened.", "UrduPoint", [("sputnik", "Sputnik")]),
    # German as real pages write it: a speaker between the verb and the dative outlet, a clause
    # with its verb last, a split verb, a compound with the report, a dated sign-off, a byline
    ("Die Brücke bleibt zu, sagte ein Sprecher des Verkehrsministeriums am Montag der Deutschen Presse-Agentur.",
     "Berliner Zeitung", [("dpa", "Deutschen Presse-Agentur")]),
    ("Die Brücke bleibt zu, wie Stadtbaurat Klaus Berger der dpa erläuterte.", "Berliner Zeitung", [("dpa", "dpa")]),
    ("Die Brücke bleibt bis Montag zu, teilte die Nachrichtenagentur Reuters am Abend mit.", "Berliner Zeitung",
     [("reuters", "Reuters")]),
    ("Nach Reuters-Informationen bleibt die Brücke zu.", "Berliner Zeitung", [("reuters", "Reuters")]),
    ("Zuerst hatte die APA Austria Presse darüber berichtet. Die Brücke bleibt zu. (KNA 3.4.24)", "Berliner Zeitung",
     [("apaaustriapresse", "APA Austria Presse"), ("katholischenachrichtenagentur", "KNA")]),
    ("Die Brücke bleibt zu.\n\nVon: rk/dpa", "Berliner Zeitung", [("dpa", "dpa")]),
    ("Por Agencia EFE\n\nEl puente seguirá cerrado.", "El Norte", [("efe", "Agencia EFE")]),
    ("Según ha podido saber EUROPA PRESS, el puente seguirá cerrado.", "El Norte", [("europapress", "EUROPA PRESS")]),
    # "reached by", "a appris", "comme l'a révélé", "la dépêche", "the report added", "в публикации"
    ("\"We will see,\" the mayor said when reached by Reuters.", "Kelvale Herald", [("reuters", "Reuters")]),
    ("Le pont restera fermé, a appris l'AFP. Les travaux dureront, poursuit la dépêche.", "Ouest-France",
     [("agencefrancepresse", "AFP"), ("agencefrancepresse", "la dépêche")]),
    ("Comme l'a révélé Belga, le pont restera fermé.", "Le Soir", [("belga", "Belga")]),
    ("The bridge will stay shut, Reuters reported. Repairs will take a year, the report added.", "Kelvale Herald",
     [("reuters", "Reuters"), ("reuters", "the report")]),
    ("Мост закрыт, сообщает ТАСС. Ремонт займёт год, уточняется в публикации.", "Известия",
     [("tass", "ТАСС"), ("tass", "в публикации")]),
    ("Le pont restera fermé (source : Belga).\nLa suite demain.", "Le Soir", [("belga", "Belga")]),
    ("El puente seguirá cerrado.\n\nEste artículo se publicó originalmente en Europa Press.", "El Norte",
     [("europapress", "Europa Press")]),
    ("A ponte reabriu.\n22/11/2020 - 04:30 - Fonte: Agência Brasil - Foto: Ana Lima", "Folha", [("agênciabrasil", "Agência Brasil")]),
]

NOT_CREDITS = [
    ("KYIV (Reuters) - The plant will close. Shevchenko told Reuters it was final.", "Reuters", None),
    ("As we reported on Monday, the plant will close.", "Kelvale Herald", None),
    ("By Kelvale Herald Staff\n\nThe plant will close.", "Kelvale Herald", None),
    ("The deal was signed. (Kelvale Herald, Apr 8) -", "Kelvale Herald", None),
    ("DENVER (KDVR) - Police are leaving.", "FOX31 Denver", "https://kdvr.com/news/a"),
    ("(ANSA) - ROMA, 28 LUG - Sarà Ghersini l'arbitro.", "Agenzia ANSA", None),
    ("DBS analyst Alfie Yeo told BT that revenue fell.", "The Business Times", None),
    ("The plant will close, according to John Smith, a spokesman.", "Kelvale Herald", None),
    ("The plant will close, according to the Ministry of Defence.", "Kelvale Herald", None),
    ("The plant will close, according to the International Monetary Fund (IMF).", "Kelvale Herald", None),
    ("The plant will close, officials told reporters.", "Kelvale Herald", None),
    ("Die Anlage schließt, sagte Merkel am Montag.", "Berliner Zeitung", None),
    ("Завод закроется, заявил Песков.", "Известия", None),
    ("La planta cerrará, dijo Sánchez a la prensa.", "El Norte", None),
    ("El periodista, cuyo periódico Novaya Gazeta suspendió su publicación, habló.", "El Norte", None),
    ("Reporting by Jane Doe; Editing by John Smith", "Reuters", None),
    ("Er hat den Hund gesehen. (JP)", "Ak Kurier", None),
    ("Methan (CH4) und Ozon (O3) steigen.", "Chemie", None),
    # a parenthesis right after a name is about that name, not a sign-off
    ("Best Original Song: \u201cNorthern Lights\u201d (WINNER)\nBest Score: \u201cDunes\u201d", "Kelvale Herald", None),
    ("Written by John Smith (BMI)\nProduced by Jane Doe (ASCAP)", "Kelvale Herald", None),
    ("I dati sono dell'Istituto nazionale di statistica (ISTAT)", "Corriere", None),
    ("L'alerte a été levée par l'Organisation mondiale de la santé (OMS).", "Ouest-France", None),
    ("The deal was signed.\n\nNASA", "Kelvale Herald", None),
    ("1. Mathieu Lenoir (BEL) - 4:05:12\n2. Tom Hardy (GBR)", "Kelvale Herald", None),
    ("МОСКВА, 5 марта. /ТАСС/. Дума приняла закон.", "ТАСС", None),
    # an outlet known by its initials; a byline naming the text's own outlet when none is given;
    # a newspaper's copyright line is its own footer
    ("VAROAC (AP) — Le chef des pompiers a démissionné.", "Agence de presse Praul", None),
    ("Waldbrand\nVon Birgit Fuchs, Nachrichtenagentur Neber\n\nDas sagte sie der Nachrichtenagentur Neber.", None, None),
    ("The mill closed.\n\n© 2025 Nebri Courier. All rights reserved.", "Kelvale Herald", None),
    ("The mill will close, according to 'sources close to the board'.", "Kelvale Herald", None),
    ("The mill will close, the mayor told McDonald on Monday.", "Kelvale Herald", None),
]


NOT_CREDITS += [
    # a government agency with an acronym, a company's statement, a kind of paper, a politician
    # whose name starts with an article, a section heading in capitals, a post on a platform
    ("Prices rose 2%, according to the national statistics agency ISTAT.", "Kelvale Herald", None),
    ("Мост закрыт, говорится в сообщении «Автодора».", "Известия", None),
    ("Die Brücke bleibt zu, sagte er der Tageszeitung.", "Berliner Zeitung", None),
    ("Le pont rouvrira, selon Le Pen.", "Ouest-France", None),
    ("The bridge will reopen, she said.\nOUTLOOK\nThe council meets on Monday.", "Kelvale Herald", None),
    ("\"We stay,\" the mayor said on Telegram.", "Kelvale Herald", None),
    # a slogan; reporters in a contributors' line; a photographer between slashes
    ("The Fake News said I played badly.", "Kelvale Herald", None),
    ("In this report we describe the bridge. The report added nothing new.", "Kelvale Herald", None),
    ("Die Brücke bleibt zu, teilte die Polizei am Abend mit.", "Berliner Zeitung", None),
    ("Por Javier Ruiz, Agencia Atlas\n\nEl puente seguirá cerrado.", "Agencia Atlas", None),
    ("Die Brücke ist zu.\n\nMitarbeit: Anna Schmidt und Peter Meier", "Berliner Zeitung", None),
    ("The bridge reopened.\n\nWith additional reporting by Jane Doe", "Kelvale Herald", None),
    ("Мост закрыт. /Фото: Иван Петров/", "Известия", None),
    # officials' and companies' statements in the five languages
    ("Le pont rouvrira, a indiqué la Mairie de Bordeaux.", "Sud Ouest", None),
    ("El puente reabrirá, adelantó el consejero Juan Pérez.", "El Norte", None),
    ("Die Brücke öffnet wieder, heißt es bei der Stadtverwaltung.", "Berliner Zeitung", None),
    ("Мост откроют, говорится в сообщении министерства транспорта.", "Известия", None),
    ("The bridge will reopen, the company said in a statement obtained by investors.", "Kelvale Herald", None),
]


@pytest.mark.parametrize("text, own, want", CREDITS)
def test_credit_forms(text, own, want):
    assert credited(text, own) == sorted(want)


@pytest.mark.parametrize("text, own, url", NOT_CREDITS)
def test_self_references_and_non_outlets_are_no_credits(text, own, url):
    assert credited(text, own, url) == []


def test_a_corpus_outlet_of_three_words_is_credited_by_its_initials_unless_two_share_them():
    text = "The toll rose to 40, as FWS first reported.\n\nMaterial from Fenul Wire Service was used in this report."
    lex = Lexicon(outlets=["Fenul Wire Service", "Kelvale Herald"])
    got = [(c.source, text[c.start:c.end]) for c in extract_credits(text, "Kelvale Herald", lex, segment(text))]
    assert got == [("Fenul Wire Service", "FWS"), ("Fenul Wire Service", "Fenul Wire Service")]
    shared = Lexicon(outlets=["Fenul Wire Service", "Fast Weekly Star", "Kelvale Herald"])
    got = [(c.source, text[c.start:c.end]) for c in extract_credits(text, "Kelvale Herald", shared, segment(text))]
    assert got == [("Fenul Wire Service", "Fenul Wire Service")]
