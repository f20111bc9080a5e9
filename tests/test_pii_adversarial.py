"""Personal data in every wording an officer or a respondent uses, and inputs built to stall
the redactor.

Each free-text case names the secrets in it; a case passes only when no fragment of any
secret (a word of a name, a run of digits, the letters of a postcode) is left in the output:
half-redaction ("[naam]Willem van 't Hof") fails. The pathological inputs run under a
30-second guard (a hang guard, not a timing assertion: the benchmark prints the speed).
"""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings, strategies as st

from surveys.pii import (
    MAX_TEXT_CHARS,
    column_pii_reason,
    hash_identifier,
    is_personal_code_header,
    looks_like_personal_id,
    normalize_text,
    redact_cell,
    redact_text,
    value_kind,
)

# --------------------------------------------------------------------------------------------
# Headers
# --------------------------------------------------------------------------------------------
PII_HEADERS = [
    "Naam (optioneel)", "Uw naam (optioneel)", "Naam van de bewoner", "Name (optional)",
    "Your name", "Voorletters", "Voornaam", "Achternaam", "Tussenvoegsel", "Mailadres",
    "E-mailadres", "Email address", "Bsn-nummer", "Burgerservicenummer (BSN)", "IBAN-nummer",
    "Rekeningnummer", "Kenteken", "Geboortedatum", "Date of birth", "06-nummer", "Mobiel",
    "Telefoonnummer", "Whatsapp", "Adres", "Straat en huisnummer", "Huisnummer",
    "Postcode + huisnummer", "IP-adres", "IP Address", "Location Latitude",
    "Location Longitude", "LocationLatitude", "RecipientFirstName", "RecipientLastName",
    "RecipientEmail", "Uitnodigingscode", "Ingevoerd door", "Interviewer", "Afgenomen door",
    "Medewerker", "Naam medewerker", "Naam interviewer", "Invoerder", "E-mail", "Email",
    "Naam", "Name", "First Name", "Last Name", "Wat is uw naam?", "IPAddress", "ipaddr",
    "token", "Telefoon nr.", "Tel.", "Mobiel nummer (optioneel)", "Woonadres",
    "Wat is uw e-mailadres?", "Wilt u op de hoogte blijven? Vul dan uw e-mailadres in",
    "Op welk adres woont u?", "Geb. datum", "Geboren op", "Voor- en achternaam",
    "Naam en adres", "Roepnaam", "Initialen", "Handtekening", "_submitted_by",
    "gps/_gps_latitude", "ExternalReference", "Kentekennummer", "Sofinummer", "BSN",
    "Huisnr.", "House number", "Street address", "Contactpersoon", "Gebruikersnaam",
    "Enquêteur", "Gesprek gevoerd door", "Ingevuld door (naam)", "Persoonlijke code",
    "Instagram account", "NAAM", "Nаam",  # the last one with a Cyrillic а
    "Q12_Naam", "Wat is uw telefoonnummer? (niet verplicht)", "Your full name",
    "İBAN-nummer", "E-maıl", "Geboortedatυm", "ＮＡＡＭ", "Naam\u00a0(optioneel)",
    "Telefoon\u2011nummer", "N\u200baam",
    "Please enter your email address", "Bewonersnaam", "Familienaam", "Geslachtsnaam",
]
ORDINARY_HEADERS = [
    "Naam van uw buurt", "Naam buurt", "Buurtnaam", "Straatnaam", "Straat",
    "In welke straat woont u?", "Geboortejaar", "Postcode", "Wat is uw leeftijd?",
    "Soort gesprek", "Straatgesprek", "Hoe tevreden bent u over de straat en het groen?",
    "Geslacht", "Hoe vaak leest u e-mail van de gemeente?", "Ik voel me thuis in de buurt",
    "Hoe heeft u van dit onderzoek gehoord?", "Hoe mobiel bent u?", "Wijk", "Leeftijd",
    "Hoe tevreden bent u over de medewerkers van de gemeente?", "Woonsituatie",
    "Naam van het buurthuis", "Naam van de activiteit", "Year of birth", "Bouwjaar woning",
    "Wat vindt u van de naam van het nieuwe plein?", "Telefonisch bereikbaar?",
    "Datum", "Datum gesprek", "Opmerkingen", "Hoe lang woont u al op dit adres?",
    "Status", "Response ID", "Huishouden", "Postcode (4 cijfers)",
]

# A second set of headers, written after the first passed (first score: 72/79 caught,
# 28/35 kept; see the report).
MORE_PII_HEADERS = [
    'Naam deelnemer', 'Naam respondent', 'Naam + telefoonnummer', 'Contactgegevens',
    'Contact gegevens (optioneel)', 'Telefoon (mobiel)', 'Tel.nr.', 'Mob.', 'GSM-nummer',
    'E-mail (voor de uitslag)', 'Uw e-mail', 'Emailadres (als u kans wilt maken op de prijs)',
    'Mailadres voor de nieuwsbrief', 'Straatnaam + huisnummer', 'Adresgegevens',
    'Woonadres + postcode', 'Huisnummer + toevoeging', 'Postcode en huisnummer',
    'Geboortedatum (dd-mm-jjjj)', 'Geb.datum', 'DOB', 'Birthdate', 'Verjaardag', 'BSN nr.',
    'Burgerservicenr', 'IBAN', 'Bankrekeningnummer', 'Rekeningnr.', 'Kenteken auto',
    'Kenteken van uw auto', 'IP', 'Ip adres', 'IP-nummer', 'Lat', 'Lng', 'GPS-locatie',
    'Geolocatie', 'Coördinaten', 'Locatie (GPS)', 'Naam interviewer/enquêteur',
    'Interviewer naam', 'Naam enquêteur', 'Enquêteur (naam)', 'Medewerker (initialen)',
    'Ingevoerd door (initialen)', 'Invoerder naam', 'Door wie afgenomen?', 'Collected by',
    'Interviewed by', 'Uitnodigingscode (op de brief)', 'Inlogcode', 'Toegangscode',
    'Unieke code', 'Persoonlijke inlogcode', 'Wachtwoord', 'Respondent e-mail',
    'Email respondent', 'Full name', 'Name of respondent', 'Respondent name',
    'Participant name', 'Contact name', 'Contact email', 'Contact phone', 'Phone number',
    'Mobile phone', 'Cell phone', 'Home address', 'Postal code + house number',
    'Handtekening respondent', 'Initialen interviewer', 'Uw voornaam',
    'Wat is uw geboortedatum?', 'Wat is uw adres?',
    'Telefoonnummer (optioneel, voor een terugbelverzoek)',
    'Mag de gemeente u bellen? Zo ja, vul uw telefoonnummer in', 'What is your name?',
    'Your email', 'Enter your phone number',
]
MORE_ORDINARY_HEADERS = [
    'Naam van de wijk', 'Wijknaam', 'Naam van het project',
    'Naamsbekendheid van het buurthuis', 'Kent u de naam van uw wijkagent?',
    'Hoe tevreden bent u over uw woning?', 'Heeft u een e-mailadres?',
    'Contact opnemen? (ja/nee)', 'Wilt u gebeld worden?', 'Mobiel internet gebruik',
    'Mobiliteit', 'Opmerkingen interviewer', 'Notities medewerker', 'Toelichting enquêteur',
    'Zip code', 'Postcode 4 cijfers', 'Geboortejaar (jjjj)', 'In welk jaar bent u geboren?',
    'Leeftijd in jaren', 'Land van herkomst',
    'Hoe heeft u van dit onderzoek gehoord? - E-mail', 'Kanaal', 'Datum invoer',
    'Aantal bewoners op dit adres', 'Hoeveel mensen wonen op uw adres?',
    'Wat vindt u van de straatverlichting?', 'Buurt', 'Naam activiteit', 'Soort woning',
    'Ingevuld op', 'Mail van de gemeente gelezen?', 'Telefonische bereikbaarheid gemeente',
    'Tevredenheid medewerkers gemeente', 'Wat is de naam van uw buurt?', 'Interviewlocatie',
]


@pytest.mark.parametrize("header", PII_HEADERS + MORE_PII_HEADERS)
def test_personal_headers_are_recognised(header: str) -> None:
    assert column_pii_reason(header) != ""


@pytest.mark.parametrize("header", ORDINARY_HEADERS + MORE_ORDINARY_HEADERS)
def test_ordinary_headers_are_kept(header: str) -> None:
    assert column_pii_reason(header) == ""


def test_header_with_only_ticks_is_a_consent_question() -> None:
    assert column_pii_reason("E-mail", ["ja", "nee", "ja"]) == ""
    assert column_pii_reason("E-mail", ["a@b.nl", "c@d.nl"]) != ""


def test_invitation_codes_are_hashable_codes() -> None:
    assert is_personal_code_header("Uitnodigingscode")
    assert is_personal_code_header("Persoonlijke code")
    assert not is_personal_code_header("Naam")


# --------------------------------------------------------------------------------------------
# Column contents
# --------------------------------------------------------------------------------------------
PII_VALUE_COLUMNS = {
    "names": ["Kees Jansen", "Fatima el Amrani", "Willem van 't Hof", "Jan de Vries",
              "Anna Bakker"],
    "first names": ["Jan", "Fatima", "Mohamed", "Anna", "Kees", "Priya"],
    "initials": ["J. de Vries", "A.B. Jansen", "K. Yılmaz"],
    "reversed": ["Jansen, K.", "Vries, Jan de", "Bakker, P."],
    "emails": ["a@b.nl", "jan.devries@example.com", "p(at)x.nl"],
    "phones": ["06-12345678", "+31 6 12345678", "06\u201112345678", "０６１２３４５６７８",
               "020\u00a01234567"],
    "bsn": ["123456782", "111222333", "12345678.0"],
    "iban": ["NL91ABNA0417164300", "NL20 INGB 0001 2345 67", "DE89370400440532013000"],
    "plates": ["AB-12-CD", "12-ABC-3", "GH-123-J", "1-KBB-23"],
    "dates of birth": ["12-03-1956", "1948-05-03", "3 mei 1962", "1971-02-01 00:00:00"],
    "addresses": ["Hoefkade 12a", "Laan van Meerdervoort 512", "2526 BB 12", "Prinsegracht 3"],
    "ip": ["145.97.203.18", "83.160.2.211", "2001:db8::1"],
    "geo": ["52.3702 4.8952 0 0", "52.0907 5.1214 0 0"],
}
ORDINARY_VALUE_COLUMNS = {
    "likert": ["Helemaal mee eens", "Mee eens", "Neutraal", "Oneens", "Weet niet"],
    "areas": ["Schilderswijk", "Den Haag Centrum", "Laak Centraal", "Van Stolkpark", "Transvaal"],
    "streets": ["Hoefkade", "Laan van Meerdervoort", "Prinsegracht"],
    "remarks": ["Fijne buurt", "Meer groen", "Te veel afval op straat"],
    "gender": ["Man", "Vrouw", "Anders", "Zeg ik liever niet"],
    "survey dates": ["04-03-2024", "2024-03-01 10:05:00", "12 maart 2025"],
    "pc4": ["2526", "2525", "2571"],
    "ids": ["R_1a2b3c", "R_9z8y7x", "17", "18"],
    "years": ["1956", "1980", "2001"],
    "weights": ["0.987654321", "1.123456789", "0.912345678"],
    "coordinates alone": ["52.0799123", "4.3113456"],
}


@pytest.mark.parametrize("kind", sorted(PII_VALUE_COLUMNS))
def test_values_reveal_personal_data(kind: str) -> None:
    assert column_pii_reason("Kolom 7", PII_VALUE_COLUMNS[kind]) != "", kind


@pytest.mark.parametrize("kind", sorted(ORDINARY_VALUE_COLUMNS))
def test_ordinary_values_are_not_personal(kind: str) -> None:
    assert column_pii_reason("Kolom 7", ORDINARY_VALUE_COLUMNS[kind]) == "", kind


def test_old_fieldwork_dates_are_not_dates_of_birth() -> None:
    fieldwork = ["12-03-2010", "13-03-2010", "14-03-2010", "20-03-2010", "01-04-2010"]
    births = ["12-03-1956", "13-05-1962", "14-03-1971", "20-03-1980", "01-04-1949"]
    assert column_pii_reason("Datum", fieldwork) == ""
    assert "geboortedata" in column_pii_reason("Kolom 3", births)


def test_value_kind_names_the_marker() -> None:
    assert value_kind("Kees Jansen") == "[naam]"
    assert value_kind("jan@x.nl") == "[e-mail]"
    assert value_kind("123456782") == "[bsn]"
    assert value_kind("123456789") == ""  # fails the 11-proof
    assert value_kind("NL91ABNA0417164300") == "[iban]"
    assert value_kind("Meer groen") == ""


# --------------------------------------------------------------------------------------------
# Free text: (text, secrets, marker expected in the output)
# --------------------------------------------------------------------------------------------
FREE_TEXT: list[tuple[str, list[str], str]] = [
    ("Mail me op jan.jansen@example.nl aub", ["jan.jansen@example.nl"], "[e-mail]"),
    ("Mail: jan(at)devries.nl", ["jan", "devries"], "[e-mail]"),
    ("jan [at] devries [dot] nl graag", ["jan", "devries"], "[e-mail]"),
    ("Stuur naar piet (at) bakker (punt) nl", ["piet", "bakker"], "[e-mail]"),
    ("Mail PIET.KLAASEN@GEMEENTE.NL", ["PIET", "KLAASEN"], "[e-mail]"),
    ("Mail piet＠voorbeeld.nl", ["piet", "voorbeeld"], "[e-mail]"),
    ("Bel 06-12345678", ["12345678"], "[telefoon]"),
    ("Bel 06 12 34 56 78 na 18 uur", ["06 12 34 56 78"], "[telefoon]"),
    ("Bel +31 6 12345678.", ["12345678"], "[telefoon]"),
    ("Bel 0031612345678", ["0031612345678"], "[telefoon]"),
    ("Bel 06\u201112345678 (niet na 9 uur)", ["12345678"], "[telefoon]"),
    ("Bel 06\u00a012345678", ["12345678"], "[telefoon]"),
    ("Bel ０６－１２３４５６７８", ["12345678"], "[telefoon]"),
    ("Bel 020-1234567 of 010 123 45 67", ["1234567", "010 123 45 67"], "[telefoon]"),
    ("Bel +31 (0)20 7654321", ["7654321"], "[telefoon]"),
    ("Bel (06) 1234 5678", ["1234 5678"], "[telefoon]"),
    ("Bel (0)20 1234567", ["1234567"], "[telefoon]"),
    ("Belgisch nummer +32 470 12 34 56", ["470 12 34 56"], "[telefoon]"),
    ("Ik woon op 2526 BB 12", ["2526", "BB"], "[adres]"),
    ("Ik woon op 2526 bb 12", ["2526", "bb"], "[adres]"),
    ("Postcode 2526BB, kom langs", ["2526BB"], "[postcode]"),
    ("Ik woon op 1234AB12a.", ["1234AB12a"], "[adres]"),
    ("Hoefkade 12a is mijn adres", ["Hoefkade", "12a"], "[adres]"),
    ("Ik woon Hoefkade nummer 12", ["Hoefkade"], "[adres]"),
    ("Wij wonen aan de Laan van Meerdervoort 512", ["Meerdervoort", "512"], "[adres]"),
    ("Adres: Prins Hendrikstraat 112-II", ["Hendrikstraat", "112"], "[adres]"),
    ("ik woon op de hoefkade 14", ["hoefkade", "14"], "[adres]"),
    ("IBAN NL91ABNA0417164300!", ["NL91ABNA0417164300"], "[iban]"),
    ("IBAN NL91 ABNA 0417 1643 00 graag", ["ABNA", "0417"], "[iban]"),
    ("Duitse rekening DE89 3704 0044 0532 0130 00", ["3704", "DE89"], "[iban]"),
    ("BSN 123456782", ["123456782"], "[bsn]"),
    ("mijn burgerservicenummer is 111222333", ["111222333"], "[bsn]"),
    ("sofinummer: 12345678", ["12345678"], "[bsn]"),
    ("Auto met kenteken AB-12-CD", ["AB-12-CD"], "[kenteken]"),
    ("Een busje 12-ABC-3 staat altijd fout", ["12-ABC-3"], "[kenteken]"),
    ("GH-123-J staat altijd voor de deur", ["GH-123-J"], "[kenteken]"),
    ("geboren op 12-03-1956", ["12-03-1956"], "[datum]"),
    ("geboortedatum 3 mei 1948", ["1948"], "[datum]"),
    ("Ik ben jarig op 14 februari", ["14 februari"], "[datum]"),
    ("volg me op @jandevries", ["jandevries"], "[account]"),
    ("server 192.168.1.20 gaf een fout", ["192.168.1.20"], "[ip]"),
    ("adres 2001:db8:85a3::8a2e:370:7334 in de log", ["8a2e", "7334"], "[ip]"),
    ("zie https://www.facebook.com/jan.devries.9", ["devries"], "[link]"),
    ("instagram.com/fatima_amrani", ["fatima_amrani"], "[link]"),
    ("Hoi, ik ben Jan de Vries en ik woon hier", ["Jan", "Vries"], "[naam]"),
    ("Mijn naam is Fatima el Amrani.", ["Fatima", "Amrani"], "[naam]"),
    ("mijn naam is pieter bakker en ik woon hier", ["pieter", "bakker"], "[naam]"),
    ("Ik heet Piet.", ["Piet"], "[naam]"),
    ("Heet Ahmed, woont hier 10 jaar", ["Ahmed"], "[naam]"),
    ("Groet, Fatima el Amrani", ["Fatima", "Amrani"], "[naam]"),
    ("Met vriendelijke groet,\nKees Jansen", ["Kees", "Jansen"], "[naam]"),
    ("Groeten,\nwillem", ["willem"], "[naam]"),
    ("Mevr. Jansen wil een bankje", ["Jansen"], "[naam]"),
    ("Mw. de Groot belt vaak", ["Groot"], "[naam]"),
    ("Dhr. J. de Vries klaagt over parkeren", ["Vries"], "[naam]"),
    ("Meneer Bakker is boos", ["Bakker"], "[naam]"),
    ("Mevrouw El Idrissi heeft zorgen", ["Idrissi"], "[naam]"),
    ("fam. El Idrissi woont ernaast", ["Idrissi"], "[naam]"),
    ("familie Yılmaz komt ook", ["Yılmaz", "Yilmaz"], "[naam]"),
    ("Jan de Vries woont op de hoek", ["Jan", "Vries"], "[naam]"),
    ("Gesprek met Willem van 't Hof over het park", ["Willem", "Hof"], "[naam]"),
    ("[naam]Willem van 't Hof", ["Willem", "Hof"], "[naam]"),
    ("Ik ben Yıldız Kaya", ["Yıldız", "Kaya"], "[naam]"),
    ("Mijn naam ıs Pieter Bakker", ["Pieter", "Bakker"], "[naam]"),
    ("Kees Jansen belde gisteren", ["Kees", "Jansen"], "[naam]"),
    ("Hoefkade 12a, fam. El Idrissi", ["Hoefkade", "12a", "Idrissi"], "[adres]"),
    ("Namens Anna van der Meer", ["Anna", "Meer"], "[naam]"),
    ("Buurvrouw Ans klaagt", ["Ans"], "[naam]"),
    ("Mail jan@devries.nl of bel 0612345678", ["devries", "0612345678"], "[e-mail]"),
    ("Zoon heet Mohammed", ["Mohammed"], "[naam]"),
    ("my name is John Smith", ["John", "Smith"], "[naam]"),
    ("Ik ben Ayşe Yılmaz", ["Ayşe", "Ayse", "Yılmaz"], "[naam]"),
    ("Oud-premier J.P. Balkenende kwam langs", ["Balkenende"], "[naam]"),
    ("Mevrouw Pannekoek, Zwanenburgstraat 117", ["Pannekoek", "Zwanenburgstraat", "117"], "[naam]"),
    ("Gesproken met Kees, Hoefkade 9", ["Kees", "Hoefkade"], "[naam]"),
    ("Ik ben Fatima en ik woon hier", ["Fatima"], "[naam]"),
]

_PARTICLES = {"van", "de", "der", "den", "el", "t", "het"}


def fragments(secret: str) -> list[str]:
    """Words and digit runs of a secret (particles left out): none may survive."""
    parts = re.findall(r"[^\W_]+", normalize_text(secret))
    return [p for p in parts if len(p) >= 2 and p.casefold() not in _PARTICLES] or [secret]


def leaked(text: str, secrets: list[str]) -> list[str]:
    out = redact_text(text).casefold()
    found = []
    for secret in secrets:
        for part in fragments(secret):
            if re.search(rf"(?<![^\W_]){re.escape(part.casefold())}(?![^\W_])", out):
                found.append(part)
    return found


def test_free_text_case_count() -> None:
    assert len(FREE_TEXT) >= 55


# A second set, written after the first one passed (see the report for its first score).
MORE_FREE_TEXT: list[tuple[str, list[str]]] = [
    ('Jan Jansen (06-12345678) wil meedoen', ['Jan', 'Jansen', '12345678']),
    ('Contact: Piet Hein, piet@hein.nl', ['Piet', 'Hein']),
    ('Naam: Sanne de Boer', ['Sanne', 'Boer']),
    ('ik ben sanne', ['sanne']),
    ('Groetjes, Lotte', ['Lotte']),
    ('Mvg Ahmed', ['Ahmed']),
    ('mvg, ahmed el khatib', ['ahmed', 'khatib']),
    ('De heer Van Dam belde', ['Dam']),
    ('mevrouw van der Linden', ['Linden']),
    ('Sprak met buurvrouw mevrouw Özdemir', ['Özdemir', 'Ozdemir']),
    ('Ik, Johan Cruijff, woon hier', ['Johan', 'Cruijff']),
    ('Tel: 070 - 123 45 67', ['123 45 67']),
    ('tel.nr. 06-1234 5678', ['1234 5678']),
    ('+31612345678', ['31612345678']),
    ('06 - 12 34 56 78', ['12 34 56 78']),
    ('Woon in de Van Speijkstraat 88', ['Speijkstraat', '88']),
    ('Adres: Weimarstraat 201 B', ['Weimarstraat', '201']),
    ('postcode 2525 KL', ['KL']),
    ('2525KL 201', ['2525KL', '201']),
    ('E-mail: marieke_jansen88@hotmail.com', ['marieke_jansen88']),
    ('marieke.jansen@ziggo.nl.', ['marieke.jansen']),
    ('mijn geboortedatum is 01/01/1970', ['1970']),
    ('geb. 2-2-52', ['2-2-52']),
    ('Kenteken: 1-ABC-23', ['1-ABC-23']),
    ('IBAN: NL02RABO0123456789', ['NL02RABO0123456789']),
    ('BSN: 123.456.782', ['123.456.782']),
    ('Bel Fatima (06-87654321)', ['87654321']),
    ('@buurtmoeder_anna', ['buurtmoeder_anna']),
    ('facebook: facebook.com/anna.devries', ['devries']),
    ('Mevr. A. Bakker-de Wit', ['Bakker', 'Wit']),
    ('Jantje van Leeuwen belt', ['Jantje', 'Leeuwen']),
    ('Stuur een appje naar 0612345678', ['0612345678']),
    ('whatsapp 06 123 456 78', ['123 456 78']),
    ('dhr. Ali Öztürk', ['Ali', 'Öztürk', 'Ozturk']),
    ('Mevr. Nguyen', ['Nguyen']),
    ('Mr. Smith', ['Smith']),
    ('Dit is Jan Peters', ['Jan', 'Peters']),
    ('Fam. Van den Berg', ['Berg']),
    ('Familie de Boer', ['Boer']),
    ('Hoefkade 12 A', ['Hoefkade', '12']),
    ('Hoefkade 12-3', ['Hoefkade', '12-3']),
    ('Hoefkade 12, 2526 BB Den Haag', ['Hoefkade', '2526']),
    ('IP 10.0.0.1', ['10.0.0.1']),
    ('Wij (Henk en Ingrid Visser) wonen hier', ['Henk', 'Ingrid', 'Visser']),
    ('Ik ben de moeder van Sem', ['Sem']),
    ('Spreek met Tineke', ['Tineke']),
    ('Ik ben Jan', ['Jan']),
    ('Gr. Truus', ['Truus']),
    ('Groeten van Ans en Cor', ['Ans', 'Cor']),
    ('Ik ben Mo, 34 jaar', ['Mo']),
    ('ik heet karim', ['karim']),
    ('Hallo, ik ben Eva Jansen uit de Schilderswijk', ['Eva', 'Jansen']),
    ('JAN DE VRIES WOONT HIER AL 20 JAAR', ['JAN', 'VRIES']),
    ('MIJN NAAM IS JAN DE VRIES', ['JAN', 'VRIES']),
    ('mijn naam is JAN', ['JAN']),
    ('mevrouw jansen belt', ['jansen']),
    ('mevrouw van der linden belt', ['linden']),
    ('BSN 123-456-782', ['123-456-782']),
    ("Ik ben Sean O'Neill", ['Sean', "O'Neill"]),
    ('Anne-Marie de Groot belde', ['Anne-Marie', 'Groot']),
    ('Jan-Willem Bakker belde', ['Jan-Willem', 'Bakker']),
    ('Ik (Jan de Vries) woon hier', ['Jan', 'Vries']),
    ('+31(0)6-12345678', ['12345678']),
    ('06.12.34.56.78', ['06.12.34.56.78']),
    ('0031 (0)6 12345678', ['12345678']),
    ('2526 BB nr 12', ['2526', 'BB']),
    ('mvg, ahmed el khatib', ['ahmed', 'khatib']),
    ('Groeten, willem', ['willem']),
    ('ik ben pieter van dijk', ['pieter', 'dijk']),
    # third set, scored before any change for it: 29/30
    ('Als u vragen heeft: Bart Verhoeven, 06-11223344', ['Bart', 'Verhoeven', '11223344']),
    ('ik woon op nr 12 van de Vaillantlaan', ['Vaillantlaan']),
    ('Vaillantlaan 12 3e verdieping', ['Vaillantlaan', '12']),
    ('groetjes van familie Öztürk', ['Öztürk', 'Ozturk']),
    ('Meneer de Wit van hiernaast', ['Wit']),
    ('contact: sjaak.de.wit@kpnmail.nl', ['sjaak', 'kpnmail']),
    ('Bel mij: 070 3456789', ['3456789']),
    ('mijn dochter Lisa (8) speelt hier', ['Lisa']),
    ('Wij, Peter en Marijke de Jong, wonen hier', ['Peter', 'Marijke', 'Jong']),
    ('Naam: mw. A. el Haddaoui', ['Haddaoui']),
    ('Geboren 4-7-1961 in Paramaribo', ['4-7-1961']),
    ("m'n naam is Rachid", ['Rachid']),
    ('Ik heet Kevin en ik ben 15', ['Kevin']),
    ('IBAN: NL44 RABO 0123 4567 89 t.n.v. J. Jansen', ['RABO', '4567', 'Jansen']),
    ('Mail naar bewoner123@hotmail.com', ['bewoner123']),
    ('Ik ben Tom Peeters, student', ['Tom', 'Peeters']),
    ('Hartelijke groet, Ineke Smit-de Ridder', ['Ineke', 'Smit-de', 'Ridder']),
    ('Zie mijn insta @lisa.buurt', ['lisa.buurt']),
    ('Adres: Torenstraat 172, 2513 BW Den Haag', ['Torenstraat', '172', 'BW']),
    ('Tel 06 4321 8765', ['4321 8765']),
    ('Ik spreek namens de familie Haddou', ['Haddou']),
    ('Heet Mevrouw Kramer', ['Kramer']),
    ('Contactpersoon: Dhr. P. van der Berg', ['Berg']),
    ('ingevuld door Sanne Vermeulen', ['Sanne', 'Vermeulen']),
    ('Mijn e-mailadres is piet.pieters(at)gmail(dot)com', ['piet.pieters', 'gmail']),
    ('mijn geb datum is 15 augustus 1983', ['1983', 'augustus']),
    ('bsn 2345.67.891', ['2345']),
    ('kenteken 52-XKL-7', ['52-XKL-7']),
    ('Mohamed Amrani, Hoefkade 200', ['Mohamed', 'Amrani', 'Hoefkade']),
    ('Gesprek met mevr. Bakker-Jansen (82)', ['Bakker-Jansen']),
]


@pytest.mark.parametrize("text, secrets", MORE_FREE_TEXT,
                         ids=[f"more{i:02d}" for i in range(len(MORE_FREE_TEXT))])
def test_more_free_text_is_fully_redacted(text: str, secrets: list[str]) -> None:
    assert leaked(text, secrets) == [], redact_text(text)


@pytest.mark.parametrize("text, secrets, marker", FREE_TEXT,
                         ids=[f"{i:02d}" for i in range(len(FREE_TEXT))])
def test_free_text_is_fully_redacted(text: str, secrets: list[str], marker: str) -> None:
    out = redact_text(text)
    assert leaked(text, secrets) == [], out
    assert marker in out, out


ORDINARY_COMMENTS = [
    "Ik woon hier al 20 jaar en voel me thuis.",
    "De Gemeente Den Haag moet meer bankjes plaatsen in het Zuiderpark.",
    "Het Buurthuis de Mussen is vaak dicht.",
    "Meer groen op het Hobbemaplein graag.",
    "In 2023 waren er 12 mensen op de avond.",
    "Ik ben blij met de buurt.",
    "De tram (lijn 11) rijdt te weinig.",
    "Op maandag 12 maart 2024 was de bijeenkomst.",
    "Er ligt veel afval bij de Albert Heijn.",
    "Jongeren hangen rond bij Speeltuin de Kikker.",
    "De wijkagent is goed bereikbaar.",
    "Parkeren in de Schilderswijk is een ramp.",
    "Het Haags Wijkteam helpt goed.",
    "Ik ben Marokkaans-Nederlands en voel me welkom.",
    "Wij wonen al 30 jaar in Transvaal.",
    "Het is heet in de zomer in onze straat.",
    "Meer verlichting op de Laan van Meerdervoort.",
    "Station Hollands Spoor is onveilig 's avonds.",
    "De Koningin Julianaschool heeft een mooi plein.",
    "Gemeente, doe iets aan de hondenpoep!",
    "Buurtvereniging De Oase organiseert leuke dingen.",
    "Sinds 2015 is er veel veranderd.",
    "Ik ga elke week naar de markt op de Herman Costerstraat.",
    "Prima buurt, fijne buren.",
    "De bus naar Den Haag Centraal is vaak vol.",
    "Kinderen spelen op het Pieter Zeemanplein.",
    "Er staan 3 bankjes en 12 bomen.",
    "Het plein heet Hobbemaplein.",
    "Mijn buurman is heel aardig.",
    "Groeten uit de Schilderswijk!",
    "De heer van de buurtwinkel is vriendelijk.",
    "Bijeenkomst op 1-4-2025 om 19.30 uur in Het Wijkhuis.",
    "Ik ben 67 jaar en woon alleen.",
    "Wanneer komt de nieuwe speeltuin aan de Hoefkade?",
    "Er rijden te veel auto's door de Vaillantlaan, 50 km is te hard.",
    "Van mij mag er een bankje bij.",
    "Ik heet iedereen welkom op de buurtavond.",
    "Graag meer controle op de Dr. Lelykade.",
    "Vorig jaar (2024) waren er 120 deelnemers, nu 95.",
    "De Vries & Zn. is een goede bakker in de straat.",
]
MORE_ORDINARY = [
    'Het Zuiderpark is mooi',
    'De Haagse Markt is druk.',
    'Ik vind Koningsdag leuk.',
    'Meer activiteiten voor Turkse vrouwen.',
    'Tijdens de Ramadan is het gezellig.',
    'De bibliotheek aan de Fahrenheitstraat sluit.',
    'Wethouder Van Asten kwam langs.',
    'Ik heb 2 kinderen van 4 en 6.',
    'Mijn naam is niet belangrijk.',
    'Groeten, de buren',
    'Met vriendelijke groet, een bewoner',
    'Bel de gemeente op 14 070.',
    'Bus 24 en 25 rijden weinig.',
    'Prijzen zijn 12-15 euro',
    'Open van 09.00 tot 17.00 uur',
    'De Hoefkade is druk',
    'Wij zijn met 4 personen.',
    'Op 5 mei is er een feest.',
    'Ik ben Hindoestaans',
    'Heel Den Haag weet het',
    'Gezellig Laak!',
    'Willem-Alexander kwam op bezoek',
    'Maria Montessorischool is goed',
    'Anne Frankplein is mooi',
    'Ik woon sinds 2019 in de wijk, 3 kinderen',
    'Er zijn 1500 km fietspaden',
    'Het kost 2500 euro per jaar',
    'Ik werk bij de HTM en rijd lijn 16',
    'Zaterdag 14 juni 2025 is de buurtbarbecue',
    'Nummer 112 bellen bij nood',
    'Ik ben Surinaams en woon hier graag',
    'De Moerwijk Coöperatie doet goed werk',
    'Bij de Jumbo op het Hobbemaplein',
    'Ouderen in Bouwlust voelen zich eenzaam',
    'Het Stadhuis is ver weg',
    'Maak de Haagse Beek schoon',
    'Stichting Mooi organiseert veel',
    'Peter Pan speeltuin',
    'Kerk De Regenboog',
    'Meer agenten op straat a.u.b.',
    'DE GEMEENTE DEN HAAG MOET MEER DOEN', 'IK BEN BLIJ MET DE BUURT', 'HET IS HEET IN DE ZOMER',
    'GROETEN UIT LAAK', 'KOM NAAR DE MARKT VAN DE WIJK',
    'Groet, hopelijk tot snel', 'Groeten,\nbewoners van nr 5',
    # third set: 0/20 changed
    'Ik woon al 40 jaar in de Vogelwijk.',
    'Meer speelplekken voor kinderen van 4 tot 12 jaar.',
    'Het Zuiderstrand is vies in de zomer.',
    'Ik ben tevreden over de HTM.',
    'Bel de politie op 0900-8844.',
    'Op 3 oktober is er een braderie.',
    'De Grote Markt is gezellig.',
    'Ik ben Nederlands en woon hier graag.',
    'Koningin Máxima kwam ooit langs.',
    'Het Willem Dreesplein is mooi opgeknapt.',
    'Wij wonen op de derde verdieping.',
    'In de Van Speijkstraat is veel overlast.',
    'Er zijn 250 woningen bijgebouwd.',
    'De Sint Jacobskerk is mooi.',
    'Het Jan van Nassaupark is een aanwinst.',
    'Mijn naam doet er niet toe.',
    'Ik heet u welkom in onze wijk.',
    'Groeten aan de buurtregisseur.',
    'Graag meer controle van Handhaving.',
    'Het wijkcentrum De Mussen doet veel.',
]
# The measured false-positive rate (comments changed at all), printed by the benchmark;
# this guard keeps it from creeping up.
MAX_CHANGED_ORDINARY = 4


def changed_ordinary() -> list[tuple[str, str]]:
    return [(c, redact_text(c)) for c in ORDINARY_COMMENTS + MORE_ORDINARY
            if redact_text(c) != normalize_text(c)]


def test_ordinary_comments_are_mostly_untouched() -> None:
    changed = changed_ordinary()
    assert len(changed) <= MAX_CHANGED_ORDINARY, changed


@pytest.mark.parametrize("text", [
    "Ik ben blij met de buurt.", "In 2023 waren er 12 mensen op de avond.",
    "De Gemeente Den Haag moet meer bankjes plaatsen in het Zuiderpark.",
    "Op maandag 12 maart 2024 was de bijeenkomst.", "Het is heet in de zomer in onze straat.",
    "Ik ben 67 jaar en woon alleen.", "Er staan 3 bankjes en 12 bomen.",
])
def test_plain_sentences_are_unchanged(text: str) -> None:
    assert redact_text(text) == text


# --------------------------------------------------------------------------------------------
# Pathological inputs: linear time (guarded, not timed)
# --------------------------------------------------------------------------------------------
PATHOLOGICAL = {
    "A. x 20000": "A." * 20000,
    "a@ x 50000": "a@" * 50000,
    "1 MB of a": "a" * 1_000_000,
    "1 MB of 'Aa '": "Aa " * 333_334,
    "80,000-char cell": ("Jan de Vries 06-12345678 jan@x.nl Hoefkade 12 " * 2000)[:80000],
    "dots": "." * 200_000,
    "digits": "1" * 200_000,
    "spaced digits": "1 " * 100_000,
    "colons": "a:" * 100_000,
    "particles": "Jan van " * 25_000,
    "initials": "J. " * 60_000,
    "handles": "@a" * 100_000,
    "plate-like": "1-" * 100_000,
    "iban-like": "NL12 " * 40_000,
    "spelled at": "a(at)" * 40_000,
    "street words": "Hoefkade nummer " * 12_000,
    "triggers": "mijn naam is " * 15_000,
    "local parts": "a." * 100_000 + "@",
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("name", sorted(PATHOLOGICAL))
def test_pathological_input_finishes(name: str) -> None:
    text = PATHOLOGICAL[name]
    out = redact_text(text)
    assert isinstance(out, str) and len(out) > 0


@pytest.mark.timeout(30)
def test_long_cell_is_cut_with_a_flag() -> None:
    text = "Bel 06-12345678. " + "Mooie buurt. " * 20_000 + " jan@devries.nl"
    cell = redact_cell(text)
    assert cell.truncated and cell.original_length == len(text)
    assert len(cell.text) <= MAX_TEXT_CHARS + 2
    assert "12345678" not in cell.text and "devries" not in cell.text
    short = redact_cell("Bel 06-12345678")
    assert short == type(short)("Bel [telefoon]", False, 15)


def test_cut_never_leaves_part_of_a_secret() -> None:
    # an e-mail straddling the limit is redacted before the cut
    text = "x " * (MAX_TEXT_CHARS // 2 - 5) + "pietje.puk@voorbeeld.nl en meer tekst " * 50
    cell = redact_cell(text)
    assert "pietje" not in cell.text and "voorbeeld" not in cell.text


# --------------------------------------------------------------------------------------------
# Properties
# --------------------------------------------------------------------------------------------
_FILLER = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
                  max_size=40)
_EMAILS = st.builds(lambda a, b, c: f"{a}@{b}.{c}",
                    st.from_regex(r"[a-z0-9][a-z0-9._%+-]{0,15}", fullmatch=True),
                    st.from_regex(r"[a-z0-9][a-z0-9-]{0,10}", fullmatch=True),
                    st.sampled_from(["nl", "com", "org", "amsterdam"]))
_PHONES = st.builds(lambda prefix, digits, sep: prefix + sep.join([digits[:2], digits[2:5],
                                                                  digits[5:]]),
                    st.sampled_from(["06", "+316", "00316", "+31 6 ", "06-", "(06) ", "06\u2011",
                                     "06\u00a0"]),
                    st.from_regex(r"[0-9]{8}", fullmatch=True),
                    st.sampled_from(["", " ", "-", "\u00a0"]))


@settings(max_examples=200, deadline=None)
@given(_FILLER)
def test_property_redaction_is_idempotent(text: str) -> None:
    once = redact_text(text)
    assert redact_text(once) == once


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from([t for t, _, _ in FREE_TEXT] + ORDINARY_COMMENTS), min_size=1,
                max_size=4))
def test_property_idempotent_on_realistic_text(parts: list[str]) -> None:
    once = redact_text(" ".join(parts))
    assert redact_text(once) == once


def _words_of_all_cases() -> list[str]:
    texts = ([t for t, _, _ in FREE_TEXT] + [t for t, _ in MORE_FREE_TEXT] + ORDINARY_COMMENTS
             + MORE_ORDINARY)
    return sorted({w for t in texts for w in t.split()}) + [",", ".", ":", "\n", "en", "&", "-"]


def test_overlapping_names_are_redacted_at_once_not_on_a_second_pass() -> None:
    """Found by the property below in CI: 'Familie Handhaving' won over the overlapping
    'Bakker De Familie', which only matched once the first had become a marker."""
    once = redact_text("Bakker De Familie Handhaving.")
    assert once == "[naam] [naam]." and redact_text(once) == once


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_words_of_all_cases()), min_size=1, max_size=14))
def test_property_idempotent_on_shuffled_words(words: list[str]) -> None:
    """Words of all cases in random order: a marker never creates a new match."""
    once = redact_text(" ".join(words))
    assert redact_text(once) == once


@settings(max_examples=200, deadline=None)
@given(_FILLER, _FILLER, _EMAILS, _PHONES)
def test_property_planted_email_and_phone_never_survive(before: str, after: str, email: str,
                                                        phone: str) -> None:
    out = redact_text(f"{before} {email} {after} bel {phone} .")
    digits = re.sub(r"\D", "", normalize_text(phone))[-8:]
    assert email not in out
    assert digits not in re.sub(r"\D", "", out.replace("[telefoon]", "#"))


# --------------------------------------------------------------------------------------------
# Identifiers
# --------------------------------------------------------------------------------------------
def test_hash_identifier_is_salted_stable_and_short() -> None:
    a = hash_identifier("Kees Jansen", "salt-1")
    assert a == hash_identifier(" kees  jansen ", "salt-1")
    assert a != hash_identifier("Kees Jansen", "salt-2")
    assert a.startswith("h:") and len(a) == 22 and "Kees" not in a
    with pytest.raises(ValueError):
        hash_identifier("Kees Jansen", "")


def test_looks_like_personal_id() -> None:
    assert looks_like_personal_id(["Kees Jansen", "Anna Bakker"])
    assert looks_like_personal_id(["R_1", "jan@devries.nl"])
    assert looks_like_personal_id(["0612345678"])
    assert looks_like_personal_id(["x1"], header="Uitnodigingscode")
    assert not looks_like_personal_id(["R_1a2b3c", "R_9z8y7x", 17, 18.0, None])
    assert not looks_like_personal_id(["3f2b9c1e-7a4d-4f0e-9a1b-2c3d4e5f6a7b"])
    kobo_ids = [str(255_000_000 + i) for i in range(50)]  # some pass the 11-proof by chance
    assert not looks_like_personal_id(kobo_ids)
    assert looks_like_personal_id(["123456782", "111222333"])


_ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=60)


@settings(max_examples=200, deadline=None)
@given(_ANY_TEXT, st.lists(st.one_of(_ANY_TEXT, st.integers(), st.floats(), st.none()),
                           max_size=8))
def test_property_any_header_and_values_give_a_reason_string(header: str, values: list) -> None:
    """Bad input never raises: a reason string, a boolean, a marker or ''."""
    assert isinstance(column_pii_reason(header, values), str)
    assert isinstance(looks_like_personal_id(values, header=header), bool)
    assert all(value_kind(v) in ("", "[naam]", "[e-mail]", "[telefoon]", "[adres]", "[postcode]",
                                 "[bsn]", "[iban]", "[kenteken]", "[datum]", "[ip]", "[account]",
                                 "[link]") for v in values)
    cell = redact_cell(header, limit=10)
    assert cell.truncated == (len(header) > 10) and cell.original_length == len(header)
    if cell.truncated:  # markers may lengthen a short text; a cut text stays within the limit
        assert len(cell.text) <= 12
