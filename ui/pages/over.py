"""Over & privacy: what Bereikwijzer does with data, the method in short, the sources."""
from __future__ import annotations

import streamlit as st

from engagement.vocabulary import UNKNOWN_THRESHOLD
from reference.citation import CBS_LICENCE, CBS_SOURCE
from reports.privacy import DEFAULT_K as K
from surveys.thresholds import OVER, UNDER
from ui.progress_privacy import ratio_edge
from ui.widgets import run_page


def body() -> None:
    st.title("Over Bereikwijzer en privacy")
    st.markdown("""
Bereikwijzer helpt een wijkteam bij **Stap 3** van de wijkaanpak: controleren of we alle
groepen uit de buurt gesproken hebben. U uploadt de exports van enquêtes en de lijsten
van straatgesprekken, huisbezoeken en bijeenkomsten. Bereikwijzer vergelijkt wie er
antwoordde met wie er volgens het CBS in de buurt woont. Het laat zien welke groepen nog
ontbreken, hoeveel mensen u nog zou moeten spreken en hoe u hen kunt bereiken.
""")
    st.header("Wat gebeurt er met de gegevens?")
    st.markdown(f"""
- **Het bestand zelf wordt niet bewaard.** Bereikwijzer leest het in het geheugen en bewaart
  alleen een schone tabel met antwoorden.
- **Persoonsgegevens gaan er meteen uit:** kolommen met namen, e-mailadressen,
  telefoonnummers, IP-adressen, adressen, huisnummers en coördinaten worden bij het inlezen
  verwijderd. Een volledige postcode (1234 AB) wordt ingekort tot de vier cijfers.
- **Open antwoorden worden opgeschoond:** e-mailadressen, telefoonnummers, IBAN's en
  postcode met huisnummer worden vervangen door een aanduiding.
- **Rapporten bevatten geen gegevens van personen.** Groepen met minder dan {K} mensen
  worden in een rapport niet getoond, ook niet als ze uit totalen af te leiden zijn.
- Bereikwijzer stuurt **geen gebruiksgegevens** naar de makers of naar Streamlit.
- U kunt een project en al zijn gegevens verwijderen op de pagina **Project**.
""")
    st.header("De methode in het kort")
    st.markdown(f"""
- Per kenmerk (leeftijd, geslacht, huishouden, woning, herkomst) vergelijken we het
  **aandeel onder de gesproken mensen** met het **aandeel in de buurt** volgens het CBS.
- We vergelijken altijd **personen met personen**. Het CBS telt huishoudens (per soort) en
  woningen (koop of huur); die rekenen we om naar personen vanaf de minimumleeftijd. Hoe we dat
  doen, staat op de pagina Bereik onder **Zo is gerekend**.
- Wie niet meetelt (testinvoer, voorbeeldweergaven, jonger dan de minimumleeftijd, woont niet
  in de buurt), telt bij **geen enkel** kenmerk mee. Bereik laat zien hoeveel dat er zijn.
- De **verhouding** is die twee aandelen gedeeld door elkaar. Onder {ratio_edge(UNDER)} noemen we een groep
  *ondervertegenwoordigd*, boven {ratio_edge(OVER)} *oververtegenwoordigd*.
- De **95%-marge** (Wilson-interval) laat zien hoe zeker een aandeel is. In een kleine buurt
  wordt de marge smaller als u een flink deel van de bewoners sprak. Ook de buurtcijfers zijn
  niet precies (het CBS rondt af op vijftallen). Valt het verschil ook met die onzekerheid
  buiten de marge, dan is het *duidelijk*; anders *mogelijk*. Omdat we veel groepen tegelijk
  toetsen, corrigeren we voor toeval (methode van Holm).
- Gaf meer dan {UNKNOWN_THRESHOLD * 100:.0f} % geen antwoord op een kenmerk, dan staat er **onzeker** bij de groepen
  waar de onbekenden het oordeel kunnen omdraaien.
- **Nog te spreken (nu)** = hoeveel mensen van een groep er nog bij moeten als verder niemand
  bijkomt. Het **veldwerkplan** (pagina Aanbevelingen) rekent eerlijker: elk nieuw gesprek
  maakt het totaal groter, dus het plan vult alle groepen tegelijk aan tot geen groep meer te
  weinig gesproken is, en zegt via welk kanaal dat het best lukt.
- **Combinaties** (zoals leeftijd × geslacht) geeft het CBS niet. We schatten ze alsof de
  kenmerken los van elkaar staan; dat is een aanwijzing, geen oordeel.
- De **CV** vat samen hoe scheef de respons over alle groepen is (0 = gelijk). De
  **R-indicator** van het CBS (1 = representatief) staat erbij, maar zegt weinig bij kleine
  aantallen.
- Mensen die een kenmerk niet invulden of 'zeg ik liever niet' kozen, tellen als
  **onbekend** en staan apart.
- **Profielen** groeperen mensen op hun antwoorden over betrokkenheid en vertrouwen, niet op
  leeftijd of herkomst. Zo ziet u ook welke *soorten* bewoners nog ontbreken.
- Op **Voortgang** voegen we weken samen en verbergen we groepen met minder dan {K} mensen,
  zodat niemand kan uitrekenen wie er in welke week bijkwam.
""")
    st.header("Bronnen")
    st.markdown(f"""
- Bevolkingscijfers: **{CBS_SOURCE}**, licentie
  [{CBS_LICENCE}](https://creativecommons.org/licenses/by/4.0/deed.nl). CBS rondt aantallen per
  buurt af op vijftallen en houdt kleine aantallen geheim.
- Het voorbeeldproject *Voorbeeldwijk (fictief)* bevat **verzonnen** antwoorden.
""")


run_page(body)
