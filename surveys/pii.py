"""Personal data: find columns that identify people, and redact free text.

Columns with names, e-mail, phone, IP, address, coordinates or recipient data are
dropped at import (the reason is shown in Dutch so the user sees why). Free text is kept,
because the stories are the point of the verhaal van de wijk, but e-mail addresses,
phone numbers, postcode + house number, IBANs and names after "ik ben"/"mijn naam is"
are replaced by a marker. PC6 postcodes are cut to PC4.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from surveys.likert import normalize_label

# (pattern over the normalised header, Dutch reason). Order: most specific first.
_HEADER_RULES: tuple[tuple[str, str], ...] = (
    (r"^recipient", "gegevens van de ontvanger (naam of e-mail)"),
    (r"e ?mail|^email", "e-mailadres"),
    (r"\b(ip ?address|ip ?adres|ipaddr|ipaddress|ip)\b", "IP-adres"),
    (r"location ?(latitude|longitude)|\b(latitude|longitude|lat|lon|lng|breedtegraad"
     r"|lengtegraad|geolocation|geopoint|coordinat\w*|gps|altitude|precision)\b",
     "geo-coördinaten"),
    (r"\b(telefoon\w*|tel|telnr|phone\w*|mobiel\w*|gsm|mobile|phonenumber)\b", "telefoonnummer"),
    (r"\b(adres|woonadres|huisadres|straat|straatnaam|huisnummer\w*|huisnr|address|street"
     r"|house ?number|huisnummertoevoeging)\b", "adres of huisnummer"),
    (r"^(uw |je |jouw )?(voor|achter|roep|familie|volledige )?naam( respondent| deelnemer"
     r"| bewoner| contactpersoon)?$|\bwat is (uw|je|jouw) (volledige |voor |achter )?naam"
     r"|^(first|last|full|sur|given|respondent|display)? ?name$|^(first|last|sur)name$"
     r"|^(voornaam|achternaam|firstname|lastname|username|submitted by)$"
     r"|^(naam en|name and)\b", "naam"),
    (r"^(token|refurl|referrer url|external ?reference|externalreference|externaldatareference"
     r"|custom data \d*|network id|deviceid|device id|subscriberid|simserial|imei"
     r"|_submitted_by)$", "persoonlijke code of link"),
    (r"^(iban|rekeningnummer|bankrekening\w*|bsn|burgerservicenummer)$", "bank- of BSN-nummer"),
)

# A long header ("Wilt u op de hoogte blijven? Vul uw e-mailadres in") asks for personal data
# only when it says "uw/je … e-mail"; "Hoe tevreden bent u over de straat?" does not.
_ASKS_FOR = re.compile(r"\b(?:uw|je|jouw|your)\s+((?:e ?mail|telefoon|mobiele nummer|adres|woonadres"
                       r"|naam|voornaam|achternaam|huisnummer|phone|address|name)\w*)")
_EMAIL = re.compile(r"[\w.%+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_IBAN_NL = re.compile(r"\bNL\s?\d{2}\s?[A-Z]{4}(?:\s?\d){10}\b", re.I)
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){2,7}(?:\s?[A-Z0-9]{1,4})?\b")
_PHONE = re.compile(r"(?<![\w+])(?:(?:\+|00)\s?31[\s.\-]*(?:\(0\)[\s.\-]*)?|\(?0)"
                    r"(?:[\s.\-)]*\d){9}(?!\d)")
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_POSTCODE_HOUSE = re.compile(r"\b[1-9]\d{3}\s?(?!SA|SD|SS)[A-Z]{2}\b[\s,]*\d{1,5}"
                             r"(?:\s?[a-zA-Z](?![a-zA-Z]))?(?:\s?-\s?\d{1,4})?")
_PC6 = re.compile(r"\b([1-9]\d{3})\s?(?!SA|SD|SS)[A-Z]{2}\b")
_STREET = re.compile(r"\b[A-Z][\w'.-]*(?:straat|laan|weg|plein|gracht|kade|singel|dijk|dreef"
                     r"|steeg|hof|park|pad|erf|baan|markt|wal)\s\d{1,5}(?:\s?[a-zA-Z](?![a-zA-Z]))?")
_NAME_WORD = r"[A-Z][a-zà-ÿ'-]+"
_PARTICLE = r"(?:van|de|der|den|ter|ten|te|het|'t|la|le|du|da|di|el|al|bin|ben)"
_NAME = re.compile(r"((?i:\b(?:ik ben|mijn naam is|ik heet|my name is|i am|i'm|naam:)\s+))"
                   rf"({_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)*{_NAME_WORD})*)")


def column_pii_reason(header: str, values: Iterable[Any] = ()) -> str:
    """Dutch reason why a column holds personal data, or '' when it does not.

    The header decides first; otherwise the values: mostly e-mail addresses, phone
    numbers, IP addresses or 'lat lon' pairs.
    """
    key = normalize_label(header.replace("_", " ").replace("/", " "))
    last = normalize_label(header.split("/")[-1].replace("_", " "))
    if len(key.split()) <= 5:
        for pattern, reason in _HEADER_RULES:
            if re.search(pattern, key) or (last != key and re.search(pattern, last)):
                return reason
    else:
        match = _ASKS_FOR.search(key)
        if match:
            return column_pii_reason(match.group(1))
    answers = [str(v).strip() for v in values if v is not None and str(v).strip()
               and str(v).strip().lower() not in ("nan", "<na>", "nat")]
    if not answers:
        return ""
    sample = answers[:500]

    def share(pattern: re.Pattern[str]) -> float:
        return sum(bool(pattern.fullmatch(a)) for a in sample) / len(sample)

    if share(_EMAIL) >= 0.5:
        return "e-mailadressen in de antwoorden"
    if share(_PHONE) >= 0.5:
        return "telefoonnummers in de antwoorden"
    if share(_IPV4) >= 0.5:
        return "IP-adressen in de antwoorden"
    if share(re.compile(r"-?\d{1,3}\.\d{3,}[ ,]+-?\d{1,3}\.\d{3,}(?:[ ,]+[-\d.]+)*")) >= 0.5:
        return "geo-coördinaten in de antwoorden"
    if share(_POSTCODE_HOUSE) >= 0.5 or share(_STREET) >= 0.5:
        return "adressen in de antwoorden"
    return ""


def redact_text(text: str) -> str:
    """Replace e-mail, phone, IBAN, postcode+house number and introduced names by markers.

    >>> redact_text("Bel 06-12345678 of mail jan@voorbeeld.nl, ik ben Jan de Vries")
    'Bel [telefoon] of mail [e-mail], ik ben [naam]'
    """
    if not isinstance(text, str) or not text:
        return text
    out = _EMAIL.sub("[e-mail]", text)
    out = _IBAN_NL.sub("[rekeningnummer]", out)
    out = _IBAN.sub("[rekeningnummer]", out)
    out = _POSTCODE_HOUSE.sub("[adres]", out)
    out = _STREET.sub("[adres]", out)
    out = _PHONE.sub("[telefoon]", out)
    out = _IPV4.sub("[ip-adres]", out)
    out = _PC6.sub(r"\1", out)
    return _NAME.sub(lambda m: m.group(1) + "[naam]", out)


def to_pc4(value: Any) -> str | float:
    """'1234 AB' / '1234ab' / 1234 → '1234'; anything else → NaN."""
    if value is None:
        return float("nan")
    text = str(value).strip()
    if text.endswith(".0"):
        text = text[:-2]
    match = re.match(r"^([1-9]\d{3})(?:\s?[A-Za-z]{2})?(?:\b|$)", text)
    return match.group(1) if match else float("nan")
