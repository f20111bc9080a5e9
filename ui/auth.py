"""Who is using the dashboard, and which team's projects they may see.

Login is optional. With an `[auth]` section in .streamlit/secrets.toml the dashboard uses
Streamlit's OIDC login (st.login) and an allow-list in `[bereikwijzer]`:

    [bereikwijzer]
    allowed_domains = ["gemeente.nl"]            # everyone at this domain may log in
    allowed_emails = ["adviseur@bureau.nl"]      # and these addresses
    [bereikwijzer.teams]                          # optional: who shares projects
    wijk-zuid = ["a@gemeente.nl", "b@gemeente.nl"]
    wijk-noord = ["@noord.gemeente.nl"]          # a whole domain

Being in a team list also lets a user in. An allowed user without a team entry works in
the team named after their e-mail domain. Projects made without login (team "") are not
shown to anyone who logs in; the demo project is only installed without login.
Without `[auth]` there is one local user (team "") and the server should only listen on
this computer; the sidebar says so, and warns when it listens on the network.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("bereikwijzer.ui")

LOCAL_TEAM = ""
AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")
LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")
# A stand-in login for browser tests only: it needs this exact value, no [auth] section,
# and a server that listens on this computer only (the Docker image listens on 0.0.0.0).
TEST_LOGIN_ENV = "BEREIKWIJZER_TEST_LOGIN"
TEST_LOGIN_VALUE = "alleen-voor-tests"
TEST_LOGIN_PARAM = "testlogin"
_TEST_EMAIL_KEY = "_test_login_email"


@dataclass(frozen=True)
class AccessConfig:
    """Login on or off, and the allow-list (all addresses and domains in lower case)."""

    login: bool = False
    allowed_domains: tuple[str, ...] = ()
    allowed_emails: tuple[str, ...] = ()
    teams: dict[str, tuple[str, ...]] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    @property
    def allows_anyone(self) -> bool:
        return bool(self.allowed_domains or self.allowed_emails or self.teams)


@dataclass(frozen=True)
class Identity:
    """The person at the keyboard. The local user (no login) has no e-mail and team ""."""

    email: str = ""
    name: str = ""
    team: str = LOCAL_TEAM
    test_login: bool = False

    @property
    def is_local(self) -> bool:
        return not self.email


LOCAL = Identity()


# --- pure part (unit-tested without Streamlit) -----------------------------------------

def normalise_email(email: Any) -> str | None:
    """'  A@Gemeente.NL ' → 'a@gemeente.nl'; None when it is not one plain address."""
    if not isinstance(email, str):
        return None
    text = email.strip().lower()
    local, at, domain = text.partition("@")
    if (not at or not local or "@" in domain or "." not in domain or domain.startswith(".")
            or domain.endswith(".") or ".." in domain or any(c.isspace() for c in text)):
        return None
    return text


def _domain(entry: str) -> str:
    return entry.strip().lower().lstrip("@")


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(v).strip().lower() for v in value if str(v).strip())


def load_config(secrets: Mapping[str, Any]) -> AccessConfig:
    """Read `[auth]` and `[bereikwijzer]` from the secrets. An `[auth]` section that is
    incomplete still switches login on (fail closed) and is listed in `problems`."""
    auth = secrets.get("auth") if hasattr(secrets, "get") else None
    section = secrets.get("bereikwijzer") if hasattr(secrets, "get") else None
    section = section if isinstance(section, Mapping) else {}
    teams_raw = section.get("teams", {})
    teams = {str(t).strip(): _strings(m) for t, m in teams_raw.items()
             if str(t).strip()} if isinstance(teams_raw, Mapping) else {}
    problems: list[str] = []
    login = isinstance(auth, Mapping)
    if login:
        if not auth.get("redirect_uri") or not auth.get("cookie_secret"):
            problems.append("[auth] mist redirect_uri of cookie_secret.")
        providers = [auth] + [v for v in auth.values() if isinstance(v, Mapping)]
        if not any(all(p.get(k) for k in AUTH_KEYS) for p in providers):
            problems.append("[auth] mist client_id, client_secret of server_metadata_url.")
    config = AccessConfig(
        login=login, allowed_domains=tuple(_domain(d) for d in _strings(section.get("allowed_domains"))),
        allowed_emails=_strings(section.get("allowed_emails")), teams=teams, problems=tuple(problems))
    if login and not config.allows_anyone:
        problems.append("[bereikwijzer] heeft geen allowed_domains, allowed_emails of teams: "
                        "niemand kan inloggen.")
        config = AccessConfig(login=True, teams={}, problems=tuple(problems))
    return config


def team_for(email: Any, config: AccessConfig) -> str | None:
    """The team whose projects this user may see; None when the user is not allowed.

    Order: the address in a team list, then the domain in a team list, then the general
    allow-list (team = the e-mail domain). Domains match exactly: 'gemeente.nl' does not
    let in 'nepgemeente.nl' or 'x.gemeente.nl'. An empty allow-list lets nobody in.
    """
    address = normalise_email(email)
    if address is None:
        return None
    domain = address.partition("@")[2]
    for team in sorted(config.teams):
        if address in config.teams[team]:
            return team
    for team in sorted(config.teams):
        if any("@" not in m.lstrip("@") and _domain(m) == domain for m in config.teams[team]):
            return team
    if address in config.allowed_emails or domain in config.allowed_domains:
        return domain
    return None


def is_loopback(address: str | None) -> bool:
    """True when a server bound to `address` is only reachable from this computer."""
    if not address:
        return False  # Streamlit binds to every interface when no address is set
    text = str(address).strip().lower()
    return text in LOOPBACK or text.startswith("127.")


def test_login_allowed(config: AccessConfig, address: str | None, env: Mapping[str, str]) -> bool:
    """The stand-in login for browser tests: never with real login or on the network."""
    return (env.get(TEST_LOGIN_ENV) == TEST_LOGIN_VALUE and not config.login
            and is_loopback(address))


# --- Streamlit part ----------------------------------------------------------------------

def access_config() -> AccessConfig:
    """The login settings of this server (no secrets file = no login)."""
    import streamlit as st
    try:
        secrets = {k: st.secrets[k] for k in ("auth", "bereikwijzer") if k in st.secrets}
    except Exception:  # noqa: BLE001 - no secrets.toml at all, or it does not parse
        log.info("Geen secrets.toml gelezen; de app draait zonder inlog.")
        secrets = {}
    return load_config(secrets)


def server_address() -> str | None:
    import streamlit as st
    return st.get_option("server.address")


def _test_identity(config: AccessConfig) -> Identity | None:
    """The e-mail of the stand-in login, fixed for the whole session at its first run."""
    import streamlit as st
    if _TEST_EMAIL_KEY not in st.session_state:
        st.session_state[_TEST_EMAIL_KEY] = st.query_params.get(TEST_LOGIN_PARAM) or ""
    email = st.session_state[_TEST_EMAIL_KEY]
    team = team_for(email, config) if email else None
    return Identity(email=normalise_email(email) or "", team=team, test_login=True) if team else None


def current_identity() -> Identity | None:
    """Who is logged in and allowed; LOCAL without login; None when nobody (allowed) is."""
    import streamlit as st
    config = access_config()
    if not config.login:
        if test_login_allowed(config, server_address(), os.environ):
            return _test_identity(config)
        return LOCAL
    if config.problems or not st.user.get("is_logged_in", False):
        return None
    if st.user.get("email_verified") is False:
        return None
    team = team_for(st.user.get("email"), config)
    if team is None:
        return None
    return Identity(email=normalise_email(st.user.get("email")) or "",
                    name=str(st.user.get("name") or ""), team=team)


def require_identity() -> Identity:
    """The gate in app.py: a Dutch login screen or refusal, and st.stop(), until allowed."""
    import streamlit as st
    identity = current_identity()
    if identity is not None:
        return identity
    config = access_config()
    if not config.login:  # the stand-in login without a (known) test address
        st.title("Bereikwijzer")
        st.error("Testinlog: open de app met ?testlogin=<e-mailadres van de toegangslijst>.")
        st.stop()
    st.title("Bereikwijzer")
    if config.problems:
        log.error("Inloggen is niet goed ingesteld: %s", " ".join(config.problems))
        st.error("Inloggen is niet goed ingesteld op deze server. Vraag de beheerder om "
                 "secrets.toml na te kijken (de details staan in het logboek van de server).",
                 icon=":material/settings:")
        st.stop()
    if not st.user.get("is_logged_in", False):
        st.write("Log in met het account van uw organisatie. U ziet daarna alleen de "
                 "projecten van uw eigen team.")
        st.button("Inloggen", type="primary", icon=":material/login:", on_click=st.login)
        st.caption("Bereikwijzer bewaart van u alleen uw e-mailadres, om te laten zien wie "
                   "een bestand importeerde.")
        st.stop()
    email = st.user.get("email") or "onbekend"
    log.warning("Inlog geweigerd: adres staat niet op de toegangslijst")
    st.error(f"U bent ingelogd als **{email}**, maar dit adres heeft geen toegang tot "
             "Bereikwijzer. Vraag de beheerder om u toe te voegen aan de toegangslijst.",
             icon=":material/block:")
    st.button("Uitloggen", on_click=st.logout, icon=":material/logout:")
    st.stop()
    return LOCAL  # not reached: st.stop() ends the run


def account_sidebar(identity: Identity) -> None:
    """Who is logged in with a logout button, or the notice that there is no login."""
    import streamlit as st
    if identity.is_local:
        st.caption(":material/computer: Zonder inlog: alleen op deze computer bereikbaar.")
        address = server_address()
        if not is_loopback(address):
            st.error(f"Let op: deze server luistert op het netwerk ({address or 'alle adressen'}) "
                     "maar er is geen inlog ingesteld. Iedereen die de server kan bereiken, "
                     "ziet alle projecten. Stel inloggen in (secrets.toml) of start de server "
                     "met server.address = \"localhost\".", icon=":material/warning:")
        return
    who = identity.name or identity.email
    st.caption(f":material/account_circle: Ingelogd als **{who}**"
               + (f" ({identity.email})" if identity.name else "")
               + f" · team **{identity.team}**")
    if identity.test_login:
        st.warning("Testinlog actief: alleen voor automatische tests.", icon=":material/science:")
        return
    st.button("Uitloggen", on_click=st.logout, icon=":material/logout:", key="logout")
