"""Personal data: find columns that identify people, and redact free text.

Columns with names, contact details, addresses, BSN, IBAN, plates, dates of birth,
IP addresses, coordinates, invitation codes or staff names are dropped at import (the
reason is shown in Dutch so the officer sees why). Free text is kept, because the stories
are the point of the verhaal van de wijk, but personal data inside it is replaced by a
Dutch marker such as "[naam]" or "[telefoon]".

Everything here runs in linear time in the length of its input: an upload is untrusted,
and Python holds the interpreter lock during a regex, so one backtracking pattern on one
long cell stalls every session. Therefore every regex below has only bounded quantifiers
(the tokenizer's runs are possessive, so they cannot backtrack either), a candidate that
fails a check (11-proof, mod-97, a date) is searched again one character later instead of
being retried in the regex, and names and streets are found by one pass over tokens with
a bounded look-ahead. Text is NFKC-normalised first
(full-width digits, non-breaking spaces and hyphens become plain ones), so the stored text
is the normalised text.
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

# Longer cells are cut (with a flag for a warning): nobody reads 5,000 characters in a report.
MAX_TEXT_CHARS = 5000
CODE_REASON = "persoonlijke code of link"

# ---------------------------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------------------------
_TRANSLATE = {
    **dict.fromkeys(map(ord, "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                             "\u2008\u2009\u200a\u202f\u205f\u3000"), " "),
    **dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-"),
    **dict.fromkeys(map(ord, "\u2018\u2019\u201b\u02bc`"), "'"),
    **dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"), None),
}
# Letters that look Latin (Cyrillic, Greek, Turkish dotless i): a header "Nаam" with a
# Cyrillic а is still "naam".
_LOOKALIKES = str.maketrans({"ı": "i", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c",
                             "х": "x", "і": "i", "у": "y", "к": "k", "ο": "o", "α": "a",
                             "ε": "e", "ι": "i", "ν": "v", "κ": "k", "ρ": "p", "ѕ": "s",
                             "υ": "u", "ј": "j", "ԁ": "d", "һ": "h", "ɡ": "g", "ӏ": "l"})


def normalize_text(text: str) -> str:
    """NFKC plus plain spaces, hyphens and apostrophes; invisible characters removed."""
    return unicodedata.normalize("NFKC", text).translate(_TRANSLATE)


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Compare form of a word: no accents, case-folded, look-alike letters as Latin."""
    text = unicodedata.normalize("NFKD", word.translate(_LOOKALIKES))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    return text.translate(_LOOKALIKES)


def _words() -> dict[str, frozenset[str]]:
    data = json.loads(resources.files("surveys").joinpath("data/pii_words.json")
                      .read_text("utf-8"))
    return {k: frozenset(v) for k, v in data.items() if isinstance(v, list)}


_W = _words()
FIRST_NAMES = _W["first_names"]
SURNAMES = _W["surnames"]
_NOT_NAMES = _W["not_names"]
_STOP = _W["stop_words"]
_ROLES = _W["roles"]
# Surnames that are also ordinary words ('Hof', 'Meer', 'Bos') prove nothing on their own.
_SURNAME_EVIDENCE = SURNAMES - frozenset("""hof meer berg dijk wijk bos bosch prins vos groot
    graaf haan wit linden boer vries leeuwen kok""".split())
_STREET_SUFFIXES = tuple(sorted(_W["street_suffixes"], key=len, reverse=True))
_STREET_WORDS = _W["street_words"]
_CORE_STREET = ("straat", "laan", "weg", "plein", "gracht", "kade", "singel", "dijk", "dreef",
                "steeg", "hof", "markt", "wal", "plantsoen")

# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------
_QUALIFIERS = frozenset("""optioneel optional facultatief verplicht vrijwillig indien gewenst
    niet hoeft in te vullen invullen required not s aub graag""".split())
_ASKING = frozenset("uw je jouw your welk welke wat whats".split())
_ADJECTIVES = frozenset("""eigen volledige volledig huidige mobiele prive persoonlijke full own
    first last personal correcte juiste actuele vaste""".split())
_QUESTION_START = frozenset("""hoe wat waar wanneer welke welk wie waarom hoeveel heeft hebt
    heb bent is zijn kunt kun wilt wil mag mogen zou vindt gebruikt gebruik doet do does are
    have how what which who where when would could can please did""".split())
_NAME_OBJECTS = frozenset("""buurt wijk straat buurtschap organisatie vereniging school activiteit
    project bestand file survey enquete vragenlijst locatie plaats woonplaats gemeente club
    winkel place street neighbourhood neighborhood area company bedrijf instelling stichting
    product team groep group dienst kerk moskee park buurthuis wijkcentrum plein event evenement
    app website form formulier variabele variable kolom column question vraag onderzoek dataset
    tool lijst list sheet tabblad plek gebouw complex flat wooncomplex flatgebouw huisarts
    praktijk supermarkt speeltuin activiteiten initiatief straten buurten wijken
    organization town city stad dorp""".split())
_NAME_OBJECT_SUFFIXES = ("buurt", "wijk", "straat", "huis", "school", "plein", "park",
                         "centrum", "plaats", "vereniging", "organisatie", "gebouw")
_NAME_TOKENS = frozenset("""naam namen name names voornaam voornamen achternaam achternamen
    roepnaam familienaam geslachtsnaam meisjesnaam voorletters voorletter initialen
    tussenvoegsel tussenvoegsels firstname lastname surname surnames fullname initials
    contactpersoon handtekening signature username gebruikersnaam ondertekening
    naamgegevens""".split())
_NAME_PREFIXES = ("voor", "achter", "roep", "familie", "geslachts", "meisjes", "bewoners",
                  "contact", "gebruikers", "volledige", "deelnemers", "respondent")
_STAFF_TOKENS = frozenset("""interviewer interviewers enqueteur enqueteurs enqueteuse interviewster
    medewerker medewerkers invoerder invoerders veldwerker veldwerkers ondervrager
    gespreksvoerder gespreksleider""".split())
_STAFF_PHRASES = (("ingevoerd", "door"), ("afgenomen", "door"), ("ingevuld", "door"),
                  ("gevoerd", "door"), ("gesproken", "door"), ("verzameld", "door"),
                  ("genoteerd", "door"), ("opgesteld", "door"), ("entered", "by"),
                  ("collected", "by"), ("interviewed", "by"), ("submitted", "by"),
                  ("door", "wie"), ("afgenomen", "van"))
# "Ingevoerd door", "Door wie afgenomen?": staff, also inside a question.
_STAFF_PHRASE = "staff phrase"
_CONTACT_TOKENS = frozenset("contactgegevens adresgegevens naamgegevens naw nawgegevens".split())
_EMAIL_TOKENS = frozenset("""email emails emailadres emailadressen mailadres mailadressen mail
    emailaddress mailaddress""".split())
_PHONE_TOKENS = frozenset("""telefoon telefoonnummer telefoonnr telefoonnummers telnr tel
    mobielnummer mobielenummer gsmnummer phone phonenumber telephone cellphone whatsapp
    whatsappnummer 06nummer mobilenumber""".split())
_PHONE_PHRASES = (("06", "nummer"), ("mobiele", "nummer"), ("mobiel", "nummer"),
                  ("phone", "number"), ("mobile", "number"), ("tel", "nr"), ("gsm", "nummer"),
                  ("mobiel", "telefoon"), ("mobile", "phone"), ("cell", "phone"),
                  ("mobiele", "telefoon"), ("mobiel", "nr"), ("gsm", "nr"))
_BSN_TOKENS = frozenset("""bsn bsnnummer bsnnr burgerservicenummer burgerservicenr sofinummer
    sofinr sofi ssn""".split())
_BSN_PHRASES = (("citizen", "service", "number"), ("social", "security"))
_IBAN_TOKENS = frozenset("""iban ibannummer rekeningnummer rekeningnr bankrekening
    bankrekeningnummer banknummer""".split())
_IBAN_PHRASES = (("bank", "account"), ("account", "number"))
_PLATE_TOKENS = frozenset("kenteken kentekens kentekennummer nummerbord".split())
_PLATE_PHRASES = (("license", "plate"), ("licence", "plate"), ("number", "plate"))
_DOB_TOKENS = frozenset("geboortedatum geboortedag dob birthdate birthday verjaardag".split())
_DOB_PHRASES = (("geboren", "op"), ("datum", "van", "geboorte"), ("date", "of", "birth"),
                ("birth", "date"), ("geb", "datum"))
_ADDRESS_TOKENS = frozenset("""adres woonadres huisadres postadres bezoekadres thuisadres
    correspondentieadres address huisnummer huisnr huisnummers housenumber
    huisnummertoevoeging""".split())
_ADDRESS_PHRASES = (("house", "number"), ("huis", "nummer"), ("street", "address"),
                    ("home", "address"))
_IP_TOKENS = frozenset("ip ipadres ipaddress ipaddr ipnummer remoteaddr".split())
_GEO_TOKENS = frozenset("""latitude longitude lat lon lng breedtegraad lengtegraad geolocation
    geolocatie geopoint coordinaten coordinates coordinaat gps altitude precision""".split())
_CODE_TOKENS = frozenset("""uitnodigingscode inlogcode toegangscode token refurl
    externalreference externaldatareference deviceid subscriberid simserial imei wachtwoord
    password panelid persoonscode""".split())
_CODE_PHRASES = (("persoonlijke", "code"), ("unieke", "code"), ("access", "code"),
                 ("invitation", "code"), ("external", "reference"), ("referrer", "url"),
                 ("custom", "data"), ("network", "id"), ("device", "id"), ("panel", "id"),
                 ("external", "data", "reference"))
_SOCIAL_TOKENS = frozenset("instagram twitter facebook linkedin tiktok snapchat".split())
_SOCIAL_WITH = frozenset("account handle profiel profile naam name gebruikersnaam link url".split())
_TICKS = frozenset("""ja nee yes no x 0 1 true false waar onwaar j n wel niet
    selected checked""".split())


def _header_tokens(header: str) -> list[str]:
    """'RecipientFirstName' → recipient first name; 'E-mailadres' → emailadres."""
    text = normalize_text(str(header))[:500]
    text = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", text)
    tokens = re.findall(r"[a-z0-9]{1,60}", fold(text))
    merged: list[str] = []
    for token in tokens:  # "e mail adres" → "emailadres"
        if merged and merged[-1] == "e" and token.startswith("mail"):
            merged[-1] = "e" + token
        elif merged and merged[-1] in ("email", "mail", "ip") and token in ("adres", "address"):
            merged[-1] += token
        else:
            merged.append(token)
    return merged


def _has(tokens: list[str], phrase: tuple[str, ...]) -> int:
    """Index where `phrase` starts in `tokens`, or -1."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tuple(tokens[i:i + n]) == phrase:
            return i
    return -1


def _is_name_token(token: str) -> bool:
    if token in _NAME_TOKENS:
        return True
    return token.endswith("naam") and token[:-4] in _NAME_PREFIXES


def _find_category(tokens: list[str]) -> list[tuple[str, int]]:
    """(reason, token index) for every personal-data word in a header."""
    found: list[tuple[str, int]] = []

    def look(reason: str, words: frozenset[str] = frozenset(),
             phrases: tuple[tuple[str, ...], ...] = (), test=None) -> None:
        for i, token in enumerate(tokens):
            if token in words or (test is not None and test(token)):
                found.append((reason, i))
        for phrase in phrases:
            at = _has(tokens, phrase)
            if at >= 0:
                found.append((reason, at))

    if tokens and tokens[0].startswith("recipient"):
        found.append(("gegevens van de ontvanger (naam of e-mail)", 0))
    look("e-mailadres", _EMAIL_TOKENS)
    look("IP-adres", _IP_TOKENS)
    look("geo-coördinaten", _GEO_TOKENS)
    look("telefoonnummer", _PHONE_TOKENS, _PHONE_PHRASES)
    look("BSN", _BSN_TOKENS, _BSN_PHRASES)
    look("rekeningnummer", _IBAN_TOKENS, _IBAN_PHRASES)
    look("kenteken", _PLATE_TOKENS, _PLATE_PHRASES)
    look("geboortedatum", _DOB_TOKENS, _DOB_PHRASES)
    look("adres of huisnummer", _ADDRESS_TOKENS, _ADDRESS_PHRASES)
    look(_STAFF_PHRASE, phrases=_STAFF_PHRASES)
    look("naam van een medewerker", _STAFF_TOKENS)
    look("contactgegevens", _CONTACT_TOKENS, (("contact", "gegevens"),))
    look(CODE_REASON, _CODE_TOKENS, _CODE_PHRASES)
    look("naam", test=_is_name_token)
    look("naam", phrases=(("first", "name"), ("last", "name"), ("full", "name"),
                          ("given", "name"), ("family", "name"), ("middle", "name"),
                          ("user", "name"), ("display", "name")))
    if set(tokens) & _SOCIAL_TOKENS and set(tokens) & _SOCIAL_WITH:
        found.append(("account op sociale media", 0))
    return found


def _header_reason(header: str) -> str:
    """Dutch reason from the header alone, or ''.

    A label ('Naam (optioneel)', 'Emailadres (als u kans wilt maken …)') counts as it is;
    in a question the personal word must be asked for ('Wat is uw naam?', 'vul uw
    e-mailadres in'), so 'Hoe vaak leest u e-mail van de gemeente?' is no personal data.
    """
    raw = normalize_text(str(header))[:500]
    label = re.split(r"[(:\[]| - ", raw, maxsplit=1)[0]
    label_tokens = _header_tokens(label)
    if label_tokens and "?" not in label and len(label_tokens) <= 6:
        reason = _label_reason(label_tokens)
        if reason:
            return reason
    tokens = _header_tokens(raw)
    if not tokens:
        return ""
    core = [t for t in tokens if t not in _QUALIFIERS]
    if "?" not in raw and tokens[0] not in _QUESTION_START and len(core) <= 6:
        return _label_reason(tokens)
    for reason, at in _find_category(tokens):
        if _vetoed(reason, tokens):
            continue
        if reason == _STAFF_PHRASE:
            return "naam van een medewerker"  # "Door wie afgenomen?"
        before = [t for t in tokens[max(0, at - 3):at] if t not in _ADJECTIVES]
        if before and before[-1] in _ASKING:
            return reason  # "Wat is uw naam?", "Vul dan uw e-mailadres in"
        if reason == "naam" and _has(tokens, ("wat", "is", "uw")) >= 0:
            return reason
    return ""


# Words that make a header about something else: how many people live at the address,
# notes or opinions about the interviewer, the name of a place.
_ABOUT_ELSE = frozenset("""aantal hoeveel hoelang sinds tevreden tevredenheid
    oordeel beoordeling cijfer rapportcijfer opmerkingen opmerking notities notitie toelichting
    notes note comments comment observaties observatie ervaring ervaringen""".split())


def _vetoed(reason: str, tokens: list[str]) -> bool:
    if reason in ("naam", "naam van een medewerker", "adres of huisnummer") and (
            any(t in _ABOUT_ELSE for t in tokens)
            or any(_has(tokens, p) >= 0 for p in (("number", "of"), ("how", "many"),
                                                   ("how", "long")))):
        return True
    if reason == "naam":  # "Naam van uw buurt", "Buurt naam": a place, not a person
        return any(t in _NAME_OBJECTS or (t.endswith(_NAME_OBJECT_SUFFIXES)
                                          and not _is_name_token(t)) for t in tokens)
    return False


def _label_reason(tokens: list[str]) -> str:
    core = [t for t in tokens if t not in _QUALIFIERS]
    if core in (["mobiel"], ["mobile"], ["mob"], ["gsm"], ["cell"]):
        return "telefoonnummer"
    for reason, _ in _find_category(tokens):
        if reason == _STAFF_PHRASE:
            return "naam van een medewerker"
        if not _vetoed(reason, tokens):
            return reason
    return ""


def is_personal_code_header(header: str) -> bool:
    """True for invitation codes and tokens: keep only a salted hash, for de-duplication."""
    return _header_reason(header) == CODE_REASON


# ---------------------------------------------------------------------------------------------
# Structured patterns (all quantifiers bounded; see the module docstring)
# ---------------------------------------------------------------------------------------------
_AT = r"(?:@|\s{0,3}[(\[{<]\s{0,2}(?:at|apenstaartje|@)\s{0,2}[)\]}>]\s{0,3})"
_DOT = r"(?:\.|\s{0,3}[(\[{<]\s{0,2}(?:dot|punt)\s{0,2}[)\]}>]\s{0,3})"
_EMAIL = re.compile(rf"(?<![\w.+%'-])[\w.+%'-]{{1,64}}{_AT}[\w-]{{1,63}}"
                    rf"(?:{_DOT}[\w-]{{1,63}}){{0,6}}"
                    rf"{_DOT}[^\W\d_]{{2,24}}(?![\w@-])", re.I)
_EMAIL_SPELLED = re.compile(r"(?<![\w.+'-])[\w.+'-]{1,64}\s{1,3}(?:at|apenstaartje)\s{1,3}"
                            r"[\w-]{1,63}(?:\s{1,3}(?:dot|punt)\s{1,3}[\w-]{1,63}){1,4}(?![\w-])",
                            re.I)
_PHONE_NL = re.compile(r"(?<![\w+])(?<!\d[.,])"
                       r"(?:(?:\+|00)\s{0,2}31\s{0,2}(?:\(\s?0\s?\)\s{0,2})?|\(?0(?:\)\s?)?(?=\d))"
                       r"(?:[-./() ]{0,3}\d){9}(?!\d)")
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)\s{0,2}(?!31)[1-9]\d{0,2}(?:[-./() ]{0,3}\d){6,12}"
                         r"(?!\d)")
_DIGIT = re.compile(r"\d")
_AT_WORD = re.compile(r"[(\[{<]\s{0,2}(?:at|apenstaartje|@)\s{0,2}[)\]}>]")
_DOT_WORD = re.compile(r"\s(?:dot|punt)\s")
_DATE_START = re.compile(r"\d{1,2}[-./]\d{1,2}[-./](?:19|20)\d\d")
_IPV4 = re.compile(r"(?<![\w.])\d{1,3}(?:\.\d{1,3}){3}(?!\w|\.\d)")
_IPV6 = re.compile(r"(?<![\w:.])[0-9A-Fa-f:]{2,39}(?![\w:])")
_IBAN_NL = re.compile(r"(?<![A-Za-z0-9])NL\s?\d{2}\s?[A-Z]{4}(?:\s?\d){10}(?!\d)", re.I)
_IBAN = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,3})?"
                   r"(?![A-Za-z0-9])")
_BSN = re.compile(r"(?<![\w.,-])\d(?:[. -]?\d){8}(?!\w|[.,-]\d)")
_BSN_KEYWORD = re.compile(r"(?<!\w)(?:bsn|burgerservicenummer|sofinummer|sofi)(?!\w)[\s:.#-]{0,5}"
                          r"(?:nummer|nr)?[\s:.#-]{0,3}(\d(?:[. ]?\d){6,8})(?!\d)", re.I)
_SIDECODES = ("LL-DD-DD", "DD-DD-LL", "DD-LL-DD", "LL-DD-LL", "LL-LL-DD", "DD-LL-LL",
              "DD-LLL-D", "D-LLL-DD", "LL-DDD-L", "L-DDD-LL", "LLL-DD-L", "L-DD-LLL",
              "D-LL-DDD", "DDD-LL-D")


_SIDECODE_SHAPES = frozenset(
    shape for code in _SIDECODES for shape in (code, code.replace("-", "")))
# One cheap candidate; the shape is checked against the sidecodes afterwards.
_PLATE = re.compile(r"(?<![\w-])(?:[A-Za-z0-9]{1,3}-[A-Za-z0-9]{1,3}-[A-Za-z0-9]{1,3}"
                    r"|[A-Z0-9]{6})(?![\w-])")


def _plate_shape(text: str) -> str:
    return "".join("D" if ch.isdigit() else ("L" if ch.isalpha() else ch) for ch in text)


_MONTHS = {"januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
           "maart": 3, "march": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
           "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "augustus": 8,
           "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9, "oktober": 10,
           "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
           "dec": 12}
_MONTH_RE = r"[^\W\d_]{3,9}"  # checked against _MONTHS afterwards (faster than 36 words)
_DATE_NUMERIC = re.compile(r"(?<![\d./-])(\d{1,2})([-./])(\d{1,2})\2('?\d{4}|'?\d{2})"
                           r"(?!\d|[./-]\d)")
_DATE_ISO = re.compile(r"(?<![\d./-])(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")
_DATE_NAMED = re.compile(rf"(?<!\w)(\d{{1,2}})(?:e|ste|de|st|nd|rd|th)?\s{{0,2}}-?\s{{0,2}}"
                         rf"({_MONTH_RE})\.?(?:\s{{0,2}}[-,]?\s{{0,2}}('?\d{{4}}|'\d{{2}}))?(?!\w)",
                         re.I)
_DATE_ENGLISH = re.compile(rf"(?<!\w)({_MONTH_RE})\.?\s{{1,2}}(\d{{1,2}})(?:st|nd|rd|th)?,?"
                           rf"\s{{1,2}}(\d{{4}})(?!\w)", re.I)
_BIRTH_WORDS = ("geboren", "geb.", "geb ", "geboortedatum", "born", "dob", "jarig", "verjaardag",
                "birthday", "geboorte")
_HANDLE = re.compile(r"(?<![\w@.+-])@[A-Za-z0-9_](?:[A-Za-z0-9_.]{0,29}[A-Za-z0-9_])?(?![\w@])")
_URL = re.compile(r"(?<![\w@])(?:https?://|www\.)[^\s<>\"')\]]{1,2048}", re.I)
_SOCIAL_URL = re.compile(r"(?<![\w.@/-])(?:www\.|m\.|mobile\.|nl\.|nl-nl\.)?"
                         r"(?:facebook|fb|instagram|linkedin|twitter"
                         r"|x|tiktok|youtube|snapchat|wa|t|threads)\.(?:com|me|nl|be|net)/"
                         r"[^\s<>\"')\]]{1,512}", re.I)
_SOCIAL_HOSTS = ("facebook.", "fb.", "instagram.", "linkedin.", "twitter.", "x.com", "tiktok.",
                 "youtube.", "snapchat.", "wa.me", "t.me", "threads.", "nextdoor.", "mastodon.")
_PC = re.compile(r"(?<!\w)([1-9]\d{3})\s{0,2}([A-Za-z]{2})(?![A-Za-z])(?:\s{0,3}"
                 r"(?:(?:huis)?(?:nr|nummer|no)\.?\s{0,2})?(\d{1,5})(?:\s{0,2}-?\s{0,2}[A-Za-z]"
                 r"(?![A-Za-z])|-\d{1,4})?(?!\d))?")
# Two letters after four digits that are words or units, not a postcode ("in 1995 en 12").
_NOT_PC_LETTERS = frozenset("""en of op om in is te ik je we ze me de na al nu zo ja er uw an at to
    on my he by or if so do go no up us am as be it ha he oh ok eh ah km kg cm mm ml cl dl pk kw
    mb gb kb mg uur ct eu sa sd ss""".split())


def _eleven_proof(digits: str) -> bool:
    """The BSN check: 9·d1 + 8·d2 + … + 2·d8 − d9 is a multiple of 11."""
    if len(digits) == 8:
        digits = "0" + digits
    if len(digits) != 9 or not digits.isdigit() or len(set(digits)) == 1:
        return False
    total = sum(int(d) * w for d, w in zip(digits[:8], range(9, 1, -1))) - int(digits[8])
    return total % 11 == 0


def _iban_ok(compact: str) -> bool:
    """ISO 13616 mod-97 check."""
    if not 15 <= len(compact) <= 34 or not compact[:2].isalpha() or not compact[2:4].isdigit():
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(ch, 36)) for ch in moved)
    return int(number) % 97 == 1


def _this_year() -> int:
    return date.today().year


def _year(text: str) -> int:
    text = text.lstrip("'")
    year = int(text)
    if len(text) == 2:
        year += 2000 if year <= _this_year() % 100 else 1900
    return year


# ---------------------------------------------------------------------------------------------
# Span collection
# ---------------------------------------------------------------------------------------------
Span = tuple[int, int, str]


def _scan(pattern: re.Pattern[str], text: str, accept) -> Iterable[re.Match[str]]:
    """Matches of `pattern` that `accept` keeps. After a rejected match the search goes on
    one character later, so a real match overlapping a rejected one ('01-01-1970 06-…' is
    no phone number, the '06-…' in it is) is not lost. Still linear: matches are bounded."""
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return
        if accept(m):
            yield m
            pos = max(m.end(), m.start() + 1)
        else:
            pos = m.start() + 1


def _pc_ok(m: re.Match[str]) -> bool:
    letters = m.group(2)
    if letters.upper() in ("SA", "SD", "SS"):
        return False
    if not letters.isupper():
        return fold(letters) not in _NOT_PC_LETTERS
    return fold(letters) not in ("km", "kg", "cm", "mm", "eu", "ok", "uur")


def _plate_ok(m: re.Match[str]) -> bool:
    if _plate_shape(m.group()) not in _SIDECODE_SHAPES:
        return False
    if "-" not in m.group() and m.group()[:4].isdigit():
        return False  # '2526BB' is a postcode
    return fold("".join(ch for ch in m.group() if ch.isalpha())) not in _MONTHS


def _ipv6_ok(m: re.Match[str]) -> bool:
    if m.group().count(":") < 2:
        return False
    try:
        ipaddress.IPv6Address(m.group())
    except ValueError:
        return False
    return True


def _regex_spans(text: str) -> list[Span]:
    """Spans of e-mail, phone, IBAN, BSN, plate, date, IP, handle, URL and postcode.

    Each pattern runs only when the text has what it needs (a digit, '@', '/', …): most
    cells have none, and fast substring tests are cheaper than a regex pass.
    """
    spans: list[Span] = []
    add = spans.append
    low = text.lower()
    if "www." in low or "http" in low:
        for m in _URL.finditer(text):
            url = m.group().rstrip(".,;:!?")
            host = fold(url.split("//", 1)[-1].split("/", 1)[0])
            rest = url.split("//", 1)[-1]
            if any(h in host for h in _SOCIAL_HOSTS) or "~" in rest or "@" in rest:
                add((m.start(), m.start() + len(url), "[link]"))
    if "/" in text:
        for m in _SOCIAL_URL.finditer(text):
            add((m.start(), m.start() + len(m.group().rstrip(".,;:!?")), "[link]"))
    if "@" in text or _AT_WORD.search(low):
        for m in _EMAIL.finditer(text):
            add((m.start(), m.end(), "[e-mail]"))
    if _DOT_WORD.search(low):
        for m in _EMAIL_SPELLED.finditer(text):
            add((m.start(), m.end(), "[e-mail]"))
    if "@" in text:
        for m in _HANDLE.finditer(text):
            add((m.start(), m.end(), "[account]"))
    if _DIGIT.search(text) is None:
        return spans
    if "nl" in low:
        for m in _IBAN_NL.finditer(text):
            add((m.start(), m.end(), "[iban]"))
    for m in _IBAN.finditer(text):
        chunk = m.group()
        while len(chunk.replace(" ", "")) >= 15:
            if _iban_ok(chunk.replace(" ", "")):
                add((m.start(), m.start() + len(chunk), "[iban]"))
                break
            chunk = chunk.rsplit(" ", 1)[0] if " " in chunk else chunk[:-1]
    for m in _scan(_PHONE_NL, text, lambda m: not _DATE_START.match(m.group().lstrip("("))):
        add((m.start(), m.end(), "[telefoon]"))
    if "+" in text or "00" in text:
        for m in _PHONE_INTL.finditer(text):
            add((m.start(), m.end(), "[telefoon]"))
    for m in _scan(_BSN, text, lambda m: _eleven_proof(re.sub(r"\D", "", m.group()))):
        add((m.start(), m.end(), "[bsn]"))
    if "bsn" in low or "sofi" in low or "burgerservice" in low:
        for m in _BSN_KEYWORD.finditer(text):
            add((m.start(1), m.end(1), "[bsn]"))
    for m in _scan(_PLATE, text, _plate_ok):
        add((m.start(), m.end(), "[kenteken]"))
    if "." in text:
        for m in _scan(_IPV4, text, lambda m: all(int(p) <= 255 for p in m.group().split("."))):
            add((m.start(), m.end(), "[ip]"))
    if "::" in text or text.count(":") >= 7:
        for m in _scan(_IPV6, text, _ipv6_ok):
            add((m.start(), m.end(), "[ip]"))
    _date_spans(text, spans)
    for m in _scan(_PC, text, _pc_ok):
        add((m.start(), m.end(), "[adres]" if m.group(3) else "[postcode]"))
    return spans


def _birth_context(text: str, start: int) -> bool:
    before = fold(text[max(0, start - 30):start])
    return any(word in before for word in _BIRTH_WORDS)


def _date_spans(text: str, spans: list[Span]) -> None:
    """Dates that can be a date of birth: a full date at least 12 years ago, or any date
    right after 'geboren'/'jarig'. Recent dates ('op 12 maart') are ordinary content."""
    old = _this_year() - 12

    def keep(start: int, end: int, day: int, month: int, year: int | None) -> None:
        if not (1 <= day <= 31 and 1 <= month <= 12):
            return
        if (year is not None and 1900 <= year <= old) or _birth_context(text, start):
            spans.append((start, end, "[datum]"))

    for m in _DATE_NUMERIC.finditer(text):
        keep(m.start(), m.end(), int(m.group(1)), int(m.group(3)), _year(m.group(4)))
    for m in _DATE_ISO.finditer(text):
        keep(m.start(), m.end(), int(m.group(3)), int(m.group(2)), int(m.group(1)))
    for m in _DATE_NAMED.finditer(text):
        month = _MONTHS.get(fold(m.group(2)))
        if month:
            year = _year(m.group(3)) if m.group(3) else None
            keep(m.start(), m.end(), int(m.group(1)), month, year)
    for m in _DATE_ENGLISH.finditer(text):
        month = _MONTHS.get(fold(m.group(1)))
        if month:
            keep(m.start(), m.end(), int(m.group(2)), month, int(m.group(3)))


# ---------------------------------------------------------------------------------------------
# Tokens: names and streets
# ---------------------------------------------------------------------------------------------
# Punctuation runs are one token ('...' or '!!!'), so a line of dots costs one token.
_TOKEN = re.compile(r"'t(?![^\W\d_])|[^\W\d_]++(?:['-][^\W\d_]++)*+|\d++|[^\w\s]++|_++")
_PARTICLE_SEQS = frozenset([
    ("van",), ("de",), ("der",), ("den",), ("ter",), ("ten",), ("te",), ("'t",), ("t",),
    ("van't",), ("la",), ("le",), ("du",), ("da",), ("di",), ("del",), ("della",), ("dos",),
    ("das",), ("do",), ("von",), ("zu",), ("el",), ("al",), ("bin",), ("ibn",), ("abu",),
    ("ait",), ("ben",), ("vd",), ("van", "de"), ("van", "der"), ("van", "den"), ("van", "het"),
    ("van", "'t"), ("van", "t"), ("in", "'t"), ("in", "t"), ("in", "de"), ("in", "den"),
    ("in", "het"), ("op", "de"), ("op", "den"), ("op", "'t"), ("op", "het"), ("uit", "de"),
    ("uit", "den"), ("uit", "het"), ("de", "la"), ("von", "der"), ("van", "de", "la"),
    ("van", "der", "de")])
_PARTICLE_WORDS = frozenset(w for seq in _PARTICLE_SEQS for w in seq)
_TITLES = frozenset("""mevr mw mevrouw dhr heer meneer mr mrs ms miss fam familie juf juffrouw
    meester""".split())
# (trigger words, mode): 'lower' takes lower-case names too ("mijn naam is pieter bakker"),
# 'known' takes lower-case known names ("ik ben pieter"), 'cap' only capitalised words.
_TRIGGERS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("mijn", "naam", "is"), "lower"), (("m'n", "naam", "is"), "lower"),
    (("mn", "naam", "is"), "lower"), (("mijn", "naam", ":"), "lower"),
    (("naam", ":"), "lower"), (("name", ":"), "lower"), (("my", "name", "is"), "lower"),
    (("ik", "heet"), "lower"), (("hij", "heet"), "lower"), (("zij", "heet"), "lower"),
    (("ze", "heet"), "lower"), (("heet",), "cap"), (("genaamd",), "known"),
    (("ik", "ben"), "known"), (("i", "am"), "cap"), (("i'm",), "cap"), (("namens",), "cap"),
    (("gesproken", "met"), "known"), (("contactpersoon",), "cap"), (("buurman",), "cap"),
    (("buurvrouw",), "cap"), (("groeten", "van"), "known"), (("groetjes", "van"), "known"),
    (("spreek", "met"), "known"), (("sprak", "met"), "known"), (("praat", "met"), "known"),
    (("gesprek", "met"), "known"), (("contact", "met"), "known"), (("vraag", "naar"), "known"),
    (("mijn", "man"), "cap"), (("mijn", "vrouw"), "cap"), (("mijn", "zoon"), "cap"),
    (("mijn", "dochter"), "cap"), (("mijn", "partner"), "cap"), (("mijn", "buurman"), "cap"),
    (("mijn", "buurvrouw"), "cap"),
) + tuple(((rel, "van"), "known") for rel in (
    "moeder", "vader", "zoon", "dochter", "oma", "opa", "broer", "zus", "man", "vrouw", "partner",
    "buurman", "buurvrouw", "kleinzoon", "kleindochter", "oom", "tante"))
_CLOSINGS: tuple[tuple[str, ...], ...] = (
    ("met", "vriendelijke", "groet"), ("met", "vriendelijke", "groeten"),
    ("vriendelijke", "groet"), ("vriendelijke", "groeten"), ("hartelijke", "groet"),
    ("groet",), ("groeten",), ("groetjes",), ("mvg",), ("gr",), ("liefs",),
    ("kind", "regards"), ("best", "regards"), ("regards",))
_BY_FIRST: dict[str, list[tuple[tuple[str, ...], str]]] = {}
for _words_, _mode in _TRIGGERS + tuple((c, "closing") for c in _CLOSINGS):
    _BY_FIRST.setdefault(_words_[0], []).append((_words_, _mode))
for _title in _TITLES:
    _BY_FIRST.setdefault(_title, []).append(((_title,), "title"))
_HOUSE_WORDS = frozenset("nummer nr no huisnummer".split())
_HOUSE_SUFFIX = frozenset("hs bis huis bg rd zw i ii iii iv bv".split())
_NOT_STREET_START = frozenset("""ik wij we u op aan in bij naar woon woont wonen adres mijn
    onze de het een""".split())
_MAX_NAME_WORDS = 5


class _Tokens:
    """Word/number/punctuation tokens of a text, with what a name or street needs."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.words: list[str] = []
        for m in _TOKEN.finditer(text):
            self.starts.append(m.start())
            self.ends.append(m.end())
            self.words.append(m.group())
        self.n = len(self.words)
        self.folded = [fold(w) if len(w) < 40 else w for w in self.words]
        self._word = [w[0].isalpha() or w == "'t" for w in self.words]
        # In a text typed in capitals ("JAN DE VRIES WOONT HIER") every word counts as
        # capitalised; elsewhere 'JAN' is an abbreviation more often than a name.
        upper = sum(map(str.isupper, text))
        shouting = upper > 0 and sum(map(str.islower, text)) < 0.25 * upper
        self.shouting = shouting
        self._cap = [w[0].isupper() and (any(ch.islower() for ch in w[1:])
                                         or (shouting and len(w) > 1))
                     for w in self.words]

    def is_word(self, i: int) -> bool:
        return 0 <= i < self.n and self._word[i]

    def joined(self, i: int) -> bool:
        """Token i follows token i-1 on the same line with at most a few spaces."""
        if i <= 0 or i >= self.n:
            return False
        gap = self.ends[i - 1]
        start = self.starts[i]
        return start - gap <= 3 and "\n" not in self.text[gap:start]

    def cap(self, i: int) -> bool:
        """'Jan', 'El-Idrissi', 'McDonald'; not 'JAN' or 'A'."""
        return self._cap[i]

    def initial(self, i: int) -> bool:
        """'J.' (a capital letter and a dot right after it)."""
        return (i + 1 < self.n and len(self.words[i]) == 1 and self.words[i].isupper()
                and self.words[i + 1] == "." and self.starts[i + 1] == self.ends[i])

    def particles(self, i: int) -> int:
        """Length of the particle sequence at token i ('van', 'van der', "van 't"), or 0."""
        for size in (3, 2, 1):
            if i + size > self.n:
                continue
            seq = tuple(self.folded[i:i + size])
            if seq in _PARTICLE_SEQS and all(self.joined(k) for k in range(i + 1, i + size)):
                return size
        return 0


def _acceptable(t: _Tokens, i: int, mode: str, first: bool) -> bool:
    if not t.is_word(i) or len(t.words[i]) > 30:
        return False
    f = t.folded[i]
    if mode == "strict":
        return t.cap(i) and f not in _NOT_NAMES and f not in _STOP
    if f in _STOP or f in _TITLES:
        return False
    if mode != "lower" and any(part in _ROLES for part in f.split("-")):
        return False  # "Ik ben Marokkaans-Nederlands", "Ik ben Bewoner"
    if t.cap(i):
        return True
    if mode == "lower":
        return True
    if mode == "known":
        return f in FIRST_NAMES or (not first and f in SURNAMES)
    if mode == "title":  # "mevrouw jansen"
        return f in FIRST_NAMES or f in SURNAMES
    return False


def _parse_name(t: _Tokens, i: int, mode: str,
                leading_particle: bool) -> tuple[int, int, bool, int]:
    """Name from token i: (end token, name words, particles used, initials); end == i: none.

    Bounded: at most 4 initials and 5 words, so the whole pass stays linear.
    """
    j, initials, words, used, first = i, 0, 0, False, i
    while initials < 4 and t.initial(j) and (j == i or t.joined(j)):
        j += 2
        initials += 1
    while words < _MAX_NAME_WORDS and j < t.n:
        if (words or initials) and not t.joined(j):
            break
        k = j
        size = t.particles(k) if t.is_word(k) else 0
        if size:
            if not (words or initials or leading_particle):
                break
            k += size
            if k >= t.n or not t.joined(k):
                break
            # after a particle the surname is capitalised, except in lower mode
            # after a particle: a capital, or in lower-case text a known surname or any
            # word after a known first name ("ahmed el khatib")
            lower_ok = mode == "lower" or (mode in ("known", "title") and (
                t.folded[k] in SURNAMES or (words and not t.cap(j - 1) and t.is_word(k)
                                            and t.folded[k] not in _STOP)))
            if not (t.cap(k) or lower_ok) or not (
                    _acceptable(t, k, mode, False) or (lower_ok and words)):
                break
        elif not _acceptable(t, k, mode, words == 0 and initials == 0):
            break
        elif mode == "strict" and words and t.folded[k] in FIRST_NAMES \
                and t.folded[first] not in FIRST_NAMES:
            break  # "Oase Sanne": a new person starts at the first name
        if t.is_word(k) and _street_compound(t.words[k], t.folded[k]):
            break  # "Jansen Zwanenburgstraat 117": the street is not part of the name
        if words == 0:
            first = k
        used = used or size > 0
        j = k + 1
        words += 1
        if mode == "lower" and words >= 4:
            break
    if words == 0:
        return i, 0, False, initials
    return j, words, used, initials


def _street_compound(word: str, folded: str) -> bool:
    """'Hoefkade', 'Laan van Meerdervoort'-style compounds; lower case only for the plain
    street words ('hoefkade 12'), not for 'speeltuin 2'."""
    suffix = _street_suffix(folded)
    return bool(suffix) and (word[0].isupper() or suffix in _CORE_STREET)


@lru_cache(maxsize=50_000)
def _street_suffix(folded: str) -> str:
    if not folded.endswith(_STREET_SUFFIXES):
        return ""
    for suffix in _STREET_SUFFIXES:
        if folded.endswith(suffix) and len(folded) >= len(suffix) + 3:
            return suffix
    return ""


def _token_spans(text: str) -> list[Span]:
    """Names (after a trigger or a title, or a full name with evidence) and streets."""
    t = _Tokens(text)
    spans: list[Span] = []
    covered_to = -1  # last token index inside a found name (avoid re-parsing inside it)
    i = 0
    while i < t.n:
        f = t.folded[i]
        found = False
        for words, mode in _BY_FIRST.get(f, ()):
            size = len(words)
            if tuple(t.folded[i:i + size]) != words or not all(
                    t.joined(k) for k in range(i + 1, i + size)):
                continue
            start = i + size
            if mode in ("title", "closing"):
                skipped = 0
                while start < t.n and t.words[start] in (".", ",", ":", "-") and skipped < 2:
                    start += 1
                    skipped += 1
                if mode == "closing":
                    line_break = start < t.n and not t.joined(start)
                    # a name alone on the next line may be lower case; on the same line
                    # only a capital or a known name ("Groet, hopelijk tot snel")
                    mode = "lower" if line_break else ("known" if skipped else "cap")
                    if mode == "cap" and not (start < t.n and t.cap(start)):
                        continue
                    end, n_words, _, initials = _parse_name(t, start, mode, False)
                else:
                    end, n_words, _, initials = _parse_name(t, start, "title", True)
            else:
                if start < t.n and t.words[start] in (":",):
                    start += 1
                end, n_words, _, initials = _parse_name(t, start, mode, False)
            if (n_words or initials) and not (
                    n_words and _street_compound(t.words[end - 1], t.folded[end - 1])):
                end = _add_name(t, spans, start, end)
                covered_to = end - 1
                i = end
                found = True
                break
        if found:
            continue
        nxt = t.folded[i + 1] if i + 1 < t.n else ""
        candidate = t.initial(i) or (
            t.is_word(i) and t.cap(i) and f not in _NOT_NAMES and f not in _PARTICLE_WORDS
            and f not in _TITLES
            and (f in FIRST_NAMES or nxt in _PARTICLE_WORDS or nxt in _SURNAME_EVIDENCE))
        if i > covered_to and candidate:
            end, n_words, used, initials = _parse_name(t, i, "strict", False)
            if n_words > 2 and t.folded[i] not in FIRST_NAMES and not initials:
                for k in range(end - 1, i, -1):  # "Hoefkade Yılmaz Ans": cut at the surname
                    if t.folded[k] in _SURNAME_EVIDENCE:
                        end, n_words = k + 1, 2
                        break
            last = t.folded[end - 1] if end > i else ""
            # a particle is evidence for "Fatima el Amrani", not for "Maak de Haagse Beek"
            evidence = (t.folded[i] in FIRST_NAMES or initials > 0 or last in _SURNAME_EVIDENCE
                        or (used and n_words == 2 and not t.shouting))
            enough = n_words >= 2 or (initials and n_words >= 1)
            if enough and evidence and not _street_compound(t.words[end - 1], last) \
                    and not t.folded[i].endswith(_NAME_OBJECT_SUFFIXES) \
                    and not last.endswith(_NAME_OBJECT_SUFFIXES):
                end = _add_name(t, spans, i, end)
                covered_to = end - 1
                i = end
                continue
        if t.words[i].isdigit() and len(t.words[i]) <= 5 and int(t.words[i]) > 0:
            street = _street_before(t, i)
            if street is not None:
                spans.append((t.starts[street], t.ends[_house_end(t, i) - 1], "[adres]"))
            elif i > 0 and t.folded[i - 1] in _HOUSE_WORDS:
                after = _street_after(t, i)  # "nr 12 van de Vaillantlaan"
                if after is not None:
                    spans.append((t.starts[i - 1], t.ends[after], "[adres]"))
        i += 1
    return spans


def _add_name(t: _Tokens, spans: list[Span], start: int, end: int) -> int:
    """Add the name of tokens [start, end) and of a partner joined by 'en'/'&' when that
    is a known first name ("Henk en Ingrid Visser", "Ans en Cor"); returns the new end."""
    if start >= 2 and t.folded[start - 1] in ("en", "&") and t.joined(start) \
            and t.joined(start - 1) and t.cap(start - 2) and t.folded[start - 2] in FIRST_NAMES:
        start -= 2
    if end + 1 < t.n and t.folded[end] in ("en", "&") and t.joined(end) and t.joined(end + 1) \
            and t.cap(end + 1) and t.folded[end + 1] in FIRST_NAMES:
        after, words, _, _ = _parse_name(t, end + 1, "strict", False)
        end = after if words else end + 2
    spans.append((t.starts[start], t.ends[end - 1], "[naam]"))
    return end


def _street_before(t: _Tokens, k: int) -> int | None:
    """First token of the street name before house number token k, or None."""
    j = k - 1
    skipped = 0
    while j >= 0 and skipped < 3 and (t.folded[j] in _HOUSE_WORDS or t.words[j] == ".") \
            and (j + 1 == k or t.joined(j + 1)):
        j -= 1
        skipped += 1
    if j < 0 or not t.is_word(j) or t.starts[k] - t.ends[j] > 14 \
            or "\n" in t.text[t.ends[j]:t.starts[k]]:
        return None
    compound = _street_compound(t.words[j], t.folded[j])
    start = j
    # extend to the left over capitalised words and particles: "Laan van Meerdervoort"
    steps = 0
    prefix_word = False
    while steps < 4 and start - 1 >= 0 and t.joined(start) and t.is_word(start - 1):
        prev = start - 1
        if t.cap(prev) and t.folded[prev] not in _NOT_STREET_START:
            prefix_word = prefix_word or t.folded[prev] in _STREET_WORDS
            start = prev
        elif t.folded[prev] in _PARTICLE_WORDS and t.cap(start):
            start = prev
        else:
            break
        steps += 1
    while start < j and not t.cap(start):  # "aan de Hoefkade": drop the leading 'de'
        start += 1
    if compound or (t.cap(j) and (prefix_word or t.folded[start] in _STREET_WORDS)
                    and start < j):
        return start
    return None


def _street_after(t: _Tokens, k: int) -> int | None:
    """The street token within three words after house number k ('12 aan de Hoefkade')."""
    for j in range(k + 1, min(k + 5, t.n)):
        if not t.joined(j) or not t.is_word(j):
            return None
        if _street_compound(t.words[j], t.folded[j]):
            return j
        if t.folded[j] not in ("van", "aan", "op", "in", "de", "het", "'t"):
            return None
    return None


def _house_end(t: _Tokens, k: int) -> int:
    """Token after the house number and its addition ('12a', '12-II', '12 A', '12 hs')."""
    end = k + 1
    if end < t.n and t.starts[end] == t.ends[k] and t.is_word(end) and (
            len(t.words[end]) <= 2 or t.folded[end] in _HOUSE_SUFFIX):
        return end + 1
    if end + 1 < t.n and t.words[end] == "-" and t.starts[end] == t.ends[k] \
            and t.starts[end + 1] == t.ends[end] and len(t.words[end + 1]) <= 4:
        return end + 2
    if end < t.n and t.joined(end) and t.is_word(end) and (
            (len(t.words[end]) == 1 and t.words[end].isupper()) or t.folded[end] in _HOUSE_SUFFIX) \
            and (end + 1 >= t.n or not t.is_word(end + 1) or not t.joined(end + 1)):
        return end + 1
    return end


# ---------------------------------------------------------------------------------------------
# Redaction
# ---------------------------------------------------------------------------------------------
def _merge(spans: list[Span]) -> list[Span]:
    """Overlapping spans become one (label of the longest), so nothing is half-redacted."""
    merged: list[Span] = []
    best_len = 0
    for start, end, label in sorted(spans):
        if merged and start < merged[-1][1]:
            s, e, lab = merged[-1]
            if end - start > best_len:
                lab, best_len = label, end - start
            merged[-1] = (s, max(e, end), lab)
        else:
            merged.append((start, end, label))
            best_len = end - start
    return merged


def find_personal_data(text: str) -> list[Span]:
    """(start, end, marker) of personal data in `text`, which must be normalize_text()ed."""
    return _merge(_regex_spans(text) + _token_spans(text))


def _redact_once(text: str) -> str:
    """Redact until nothing more is found (at most _PASSES times). One pass is not always
    enough: of two overlapping matches one wins, and the other can match only once the
    first became a marker ('Bakker De Familie Handhaving.' → 'Bakker De Familie [naam].'
    → '[naam] [naam].', found by the idempotence property test). Text without personal
    data costs one pass, as before."""
    for _ in range(_PASSES):
        spans = find_personal_data(text)
        if not spans:
            return text
        parts: list[str] = []
        at = 0
        for start, end, label in spans:
            parts.append(text[at:start])
            parts.append(label)
            at = end
        parts.append(text[at:])
        redacted = "".join(parts)
        if redacted == text:
            return text
        text = redacted
    return text


_PASSES = 4


def redact_text(text: str) -> str:
    """Replace personal data in free text by Dutch markers; linear in len(text).

    >>> redact_text("Bel 06-12345678 of mail jan@voorbeeld.nl, ik ben Jan de Vries")
    'Bel [telefoon] of mail [e-mail], ik ben [naam]'
    """
    if not isinstance(text, str) or not text:
        return text
    if len(text) <= _SHORT_TEXT:
        return _redact_short(text, _this_year())
    return _redact_once(normalize_text(text))


# Short answers recur (the same remark in many columns and rows): redacted once per
# process. The year is part of the key because it decides which dates are birth dates.
_SHORT_TEXT = 300


@lru_cache(maxsize=20_000)
def _redact_short(text: str, year: int) -> str:
    return _redact_once(normalize_text(text))


@dataclass(frozen=True)
class RedactedText:
    """Redacted text and whether it was cut, so the caller can warn the officer."""

    text: str
    truncated: bool
    original_length: int


def redact_cell(text: str, limit: int = MAX_TEXT_CHARS) -> RedactedText:
    """Redact, then cut to `limit` characters at a space (adding '…').

    Only limit + 1,000 characters are redacted: the cut text is thrown away anyway, and no
    pattern is longer than 1,000 characters, so nothing is half-redacted at the edge.
    """
    if not isinstance(text, str):
        return RedactedText(text, False, 0)
    if len(text) <= limit:
        return RedactedText(redact_text(text), False, len(text))
    out = redact_text(text[:limit + 1000])
    if len(out) > limit:
        cut = out.rfind(" ", max(0, limit - 200), limit)
        out = out[:cut if cut > 0 else limit].rstrip() + " …"
    return RedactedText(out, True, len(text))


def truncate_text(text: str, limit: int = MAX_TEXT_CHARS) -> tuple[str, bool]:
    """(text cut to `limit` characters at a space, whether it was cut). No redaction."""
    if len(text) <= limit:
        return text, False
    cut = text.rfind(" ", max(0, limit - 200), limit)
    return text[:cut if cut > 0 else limit].rstrip() + " …", True


# ---------------------------------------------------------------------------------------------
# Columns
# ---------------------------------------------------------------------------------------------
_GEO = re.compile(r"-?\d{1,3}\.\d{3,12}[ ,;]{1,3}-?\d{1,3}\.\d{3,12}"
                  r"(?:[ ,;]{1,3}[-\d.]{1,20}){0,3}")
_VALUE_REASONS = {
    "[naam]": "namen in de antwoorden", "[e-mail]": "e-mailadressen in de antwoorden",
    "[telefoon]": "telefoonnummers in de antwoorden", "[ip]": "IP-adressen in de antwoorden",
    "[adres]": "adressen in de antwoorden", "[bsn]": "BSN-nummers in de antwoorden",
    "[iban]": "rekeningnummers in de antwoorden", "[kenteken]": "kentekens in de antwoorden",
    "[datum]": "geboortedata in de antwoorden", "[account]": "accounts in de antwoorden",
    "[link]": "persoonlijke links in de antwoorden"}


def value_kind(value: Any) -> str:
    """The marker when one cell is (mostly) one piece of personal data, else ''.

    Used for columns: 'Kees Jansen', 'jan@x.nl', '06-12345678', 'Hoefkade 12', a BSN.
    A single known first name ('Fatima') counts as a name here (not in free text).
    """
    if value is None or (isinstance(value, float) and value != value):
        return ""
    text = normalize_text(str(value)).strip()
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not text or len(text) > 200 or text.casefold() in ("nan", "<na>", "nat", "none"):
        return ""
    if re.fullmatch(r"\d{1,4}-\d{1,2}-\d{1,2} 00:00:00", text):
        text = text[:-9]
    if text.isdigit() and len(text) in (8, 9) and _eleven_proof(text):
        return "[bsn]"
    if fold(text) in FIRST_NAMES and text[0].isupper():
        return "[naam]"
    size = sum(not ch.isspace() for ch in text)
    best, best_cover, best_span = "", 0, (0, 0)
    for start, end, label in find_personal_data(text):
        cover = sum(not ch.isspace() for ch in text[start:end])
        if cover > best_cover:
            best, best_cover, best_span = label, cover, (start, end)
    # a sentence around the datum ('Stuur de uitslag naar jan@x.nl aub') is a remark that
    # mentions it: redacted as free text, not a column of e-mail addresses
    rest = len((text[:best_span[0]] + " " + text[best_span[1]:]).split())
    if best and best != "[postcode]" and best_cover >= 0.6 * size and rest <= 2:
        return best
    if _looks_like_reversed_name(text):
        return "[naam]"
    return ""


def _looks_like_reversed_name(text: str) -> bool:
    """'Jansen, K.' or 'Vries, Jan de': a surname first, as registers write it."""
    if text.count(",") != 1:
        return False
    last, rest = (part.strip() for part in text.split(","))
    if not last or not rest or not last[0].isupper() or not last.replace("-", "").isalpha():
        return False
    words = rest.replace(".", ". ").split()
    return all(w[0].isupper() or fold(w) in _PARTICLE_WORDS for w in words) and (
        fold(last) in SURNAMES or any(fold(w.rstrip(".")) in FIRST_NAMES for w in words)
        or any(len(w.rstrip(".")) == 1 for w in words))


def _spread_over_years(answers: list[str]) -> bool:
    """Dates of birth spread over many years; fieldwork dates fall in one or two."""
    years = {m.group() for a in answers for m in [re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", a)] if m}
    return len(answers) < 5 or len(years) >= 3


def _answers(values: Iterable[Any]) -> list[str]:
    out = []
    for v in values:
        if v is None or (isinstance(v, float) and v != v):
            continue
        s = str(v).strip()
        if s and s.lower() not in ("nan", "<na>", "nat", "none"):
            out.append(s)
    return out


def column_pii_reason(header: str, values: Iterable[Any] = (), *,
                      kinds: dict[str, str] | None = None) -> str:
    """Dutch reason why a column holds personal data, or '' when it does not.

    The header decides first (Dutch and English wordings; a header that only names a place,
    like 'Naam van uw buurt', is not personal). A header-matched column whose answers are
    only ticks or ja/nee ('E-mail: ja/nee, mag ik u mailen?') is not personal. Otherwise
    the values decide: half of them look like names, e-mail, phone, BSN, IBAN, plates,
    dates of birth, addresses, IP addresses or coordinates. `kinds` caches each answer's
    value_kind across the columns of one file (the same answers recur in many columns).
    """
    answers = _answers(values)[:500]
    reason = _header_reason(str(header))
    if reason:
        ticks = [a for a in answers if fold(a) in _TICKS]
        if answers and len(ticks) >= 0.95 * len(answers) and reason != "naam van een medewerker":
            return ""
        return reason
    if not answers:
        return ""
    if sum(bool(_GEO.fullmatch(a)) for a in answers) >= 0.5 * len(answers):
        return "geo-coördinaten in de antwoorden"
    seen = kinds if kinds is not None else {}
    found: dict[str, int] = {}
    for answer in answers:
        kind = seen.get(answer)
        if kind is None:
            kind = seen[answer] = value_kind(answer)
        if kind:
            found[kind] = found.get(kind, 0) + 1
    if found.get("[datum]") and not _spread_over_years(answers):
        del found["[datum]"]  # an old survey's fieldwork dates, not dates of birth
    if found:
        kind, count = max(found.items(), key=lambda kv: kv[1])
        if count >= 0.5 * len(answers):
            return _VALUE_REASONS.get(kind, "persoonsgegevens in de antwoorden")
        if sum(found.values()) >= 0.5 * len(answers):
            return "persoonsgegevens in de antwoorden"
    return ""


# ---------------------------------------------------------------------------------------------
# Identifiers
# ---------------------------------------------------------------------------------------------
def hash_identifier(value: Any, salt: str) -> str:
    """'h:' + 20 hex digits of HMAC-SHA256(salt, value): for de-duplication only.

    The value is NFKC-normalised, case-folded and its spaces collapsed, so ' Kees  Jansen'
    and 'kees jansen' are one person. An empty salt is refused: an unsalted hash of a BSN or
    a phone number is reversed by trying all of them.
    """
    if not salt:
        raise ValueError("hash_identifier needs a non-empty salt")
    text = " ".join(normalize_text(str(value)).split()).casefold()
    digest = hmac.new(str(salt).encode("utf-8"), text.encode("utf-8"), hashlib.sha256)
    return "h:" + digest.hexdigest()[:20]


def looks_like_personal_id(values: Iterable[Any], header: str = "") -> bool:
    """True when an id column must be hashed: its header is a personal code, or any of its
    first 2,000 values is a name, e-mail, phone number, IBAN or other personal data. A
    9-digit number passes the BSN 11-proof by chance one time in eleven, so BSNs count
    only when at least half of the ids are one (Kobo's numeric _id stays readable)."""
    if header and _header_reason(header):
        return True
    answers = _answers(values)[:2000]
    bsn = 0
    for value in answers:
        kind = value_kind(value)
        if kind == "[bsn]":
            bsn += 1
        elif kind not in ("", "[postcode]"):
            return True
    return bool(answers) and bsn >= 0.5 * len(answers)


def to_pc4(value: Any) -> str | float:
    """'1234 AB' / '1234ab' / 1234 → '1234'; anything else → NaN."""
    if value is None:
        return float("nan")
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    match = re.match(r"^([1-9]\d{3})(?:\s?[A-Za-z]{2})?(?:\b|$)", text)
    return match.group(1) if match else float("nan")
