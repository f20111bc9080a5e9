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
the team named after their e-mail domain, except at a free-mail domain (gmail.com,
outlook.com, ziggo.nl, …): there a team is never formed implicitly, such a user works
alone (team = their address) until a team list names them. Projects made without login
(team "") are not shown to anyone who logs in; the demo project is only installed
without login.

Login fails closed. A secrets.toml that exists but does not parse, an `[auth]` or
`[bereikwijzer]` section of the wrong shape, an invalid address, a free-mail domain in
`allowed_domains` or a team list: the app refuses to run (a Dutch message on the page, an
ERROR line in the log). A provider must say `email_verified = true`; a provider that does
not send it (Microsoft Entra ID) is only trusted when its issuer is listed:

    trusted_issuers = ["https://login.microsoftonline.com/<tenant-id>/v2.0"]

Without `[auth]` there is one local user (team "") and the server should only listen on
this computer; the sidebar says so, and warns when it listens on the network or when a
request arrives through a reverse proxy (forwarding headers, or a Host that is not this
computer), which makes a server on localhost reachable from the network all the same.
"""
from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

log = logging.getLogger("bereikwijzer.ui")

LOCAL_TEAM = ""
AUTH_KEYS = ("client_id", "client_secret", "server_metadata_url")
LOOPBACK = ("localhost", "127.0.0.1", "::1", "[::1]")
# Domains where anyone can make an address: a domain rule there would let in, or put in
# one team, every stranger with a mailbox. Lower case; subdomains are not matched.
FREE_MAIL_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "outlook.com", "outlook.nl", "hotmail.com", "hotmail.nl",
    "hotmail.be", "live.com", "live.nl", "live.be", "msn.com", "yahoo.com", "yahoo.nl",
    "ymail.com", "icloud.com", "me.com", "mac.com", "aol.com", "gmx.com", "gmx.net", "gmx.de",
    "web.de", "mail.com", "proton.me", "protonmail.com", "pm.me", "tutanota.com", "zoho.com",
    "yandex.com", "ziggo.nl", "kpnmail.nl", "kpnplanet.nl", "planet.nl", "hetnet.nl",
    "home.nl", "xs4all.nl", "casema.nl", "chello.nl", "upcmail.nl", "tele2.nl", "online.nl",
    "quicknet.nl", "zeelandnet.nl", "telfort.nl", "caiway.nl", "solcon.nl", "freedom.nl",
    "telenet.be", "skynet.be", "ziggomail.nl"})
# Headers a reverse proxy adds; any of them means the request did not come from a browser
# on this computer directly.
FORWARD_HEADERS = ("x-forwarded-for", "x-forwarded-host", "x-forwarded-proto", "x-real-ip",
                   "forwarded", "via", "x-forwarded-server", "cf-connecting-ip",
                   "true-client-ip")
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
    trusted_issuers: tuple[str, ...] = ()

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


def _entry_problems(what: str, entries: tuple[str, ...], *, domains: bool) -> list[str]:
    """Dutch problems with allow-list entries: not an address, or a free-mail domain."""
    problems = []
    for entry in entries:
        if "@" in entry.lstrip("@") or not domains:
            if normalise_email(entry) is None:
                problems.append(f"{what}: '{entry}' is geen geldig e-mailadres.")
            continue
        domain = _domain(entry)
        if domain in FREE_MAIL_DOMAINS:
            problems.append(f"{what}: '{domain}' is een gratis maildomein; daar kan iedereen "
                            "een adres maken. Zet losse adressen in de lijst.")
        elif normalise_email("x@" + domain) is None:
            problems.append(f"{what}: '{entry}' is geen geldig domein.")
    return problems


def _list_problem(section: Mapping[str, Any], key: str) -> list[str]:
    value = section.get(key)
    if value is None or isinstance(value, (str, list, tuple)):
        return []
    return [f"[bereikwijzer] {key} moet een lijst zijn, bijvoorbeeld {key} = [\"...\"]."]


def unreadable_config(reason: str) -> AccessConfig:
    """A secrets file that exists but cannot be read: login on, nobody in (fail closed)."""
    return AccessConfig(login=True, problems=(f"secrets.toml kan niet worden gelezen: {reason}",))


def load_config(secrets: Mapping[str, Any]) -> AccessConfig:
    """Read `[auth]` and `[bereikwijzer]` from the secrets. Anything wrong with a login
    configuration switches login on with `problems` (fail closed): an incomplete or
    malformed `[auth]`, a malformed `[bereikwijzer]`, invalid entries, free-mail domains."""
    auth = secrets.get("auth") if hasattr(secrets, "get") else None
    raw_section = secrets.get("bereikwijzer") if hasattr(secrets, "get") else None
    section = raw_section if isinstance(raw_section, Mapping) else {}
    teams_raw = section.get("teams", {})
    teams = {str(t).strip(): _strings(m) for t, m in teams_raw.items()
             if str(t).strip()} if isinstance(teams_raw, Mapping) else {}
    problems: list[str] = []
    login = auth is not None
    if login and not isinstance(auth, Mapping):
        problems.append("[auth] is geen sectie (tabel) met instellingen.")
    elif login:
        if not auth.get("redirect_uri") or not auth.get("cookie_secret"):
            problems.append("[auth] mist redirect_uri of cookie_secret.")
        providers = [auth] + [v for v in auth.values() if isinstance(v, Mapping)]
        if not any(all(p.get(k) for k in AUTH_KEYS) for p in providers):
            problems.append("[auth] mist client_id, client_secret of server_metadata_url.")
    if login:
        if raw_section is not None and not isinstance(raw_section, Mapping):
            problems.append("[bereikwijzer] is geen sectie (tabel) met instellingen.")
        if not isinstance(teams_raw, Mapping):
            problems.append("[bereikwijzer.teams] is geen sectie (tabel) met teams.")
        for key in ("allowed_domains", "allowed_emails", "trusted_issuers"):
            problems += _list_problem(section, key)
    config = AccessConfig(
        login=login, allowed_domains=tuple(_domain(d) for d in _strings(section.get("allowed_domains"))),
        allowed_emails=_strings(section.get("allowed_emails")), teams=teams,
        trusted_issuers=tuple(str(i).strip() for i in _strings_raw(section.get("trusted_issuers"))))
    if login:
        problems += _entry_problems("allowed_domains", config.allowed_domains, domains=True)
        problems += _entry_problems("allowed_emails", config.allowed_emails, domains=False)
        for team, members in config.teams.items():
            problems += _entry_problems(f"team '{team}'", members, domains=True)
        problems += [f"trusted_issuers: '{i}' is geen https-adres." for i in config.trusted_issuers
                     if not i.startswith("https://")]
    if login and not config.allows_anyone:
        problems.append("[bereikwijzer] heeft geen allowed_domains, allowed_emails of teams: "
                        "niemand kan inloggen.")
    return replace(config, problems=tuple(problems)) if problems else config


def _strings_raw(value: Any) -> tuple[str, ...]:
    """Like _strings but keeps the case (issuer URLs are compared exactly)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(v).strip() for v in value if str(v).strip())


def email_trusted(user: Mapping[str, Any], config: AccessConfig) -> bool:
    """True when the provider vouches for the address: `email_verified` is true, or the
    claim is absent and the token's issuer is listed in `trusted_issuers`. Absent is not
    true: Entra ID never sends the claim, and with a multi-tenant app anyone can make a
    tenant with someone else's address in it."""
    verified = user.get("email_verified")
    if verified is True or (isinstance(verified, str) and verified.strip().lower() == "true"):
        return True
    return verified is None and str(user.get("iss") or "") in config.trusted_issuers


def team_for(email: Any, config: AccessConfig) -> str | None:
    """The team whose projects this user may see; None when the user is not allowed.

    Order: the address in a team list, then the domain in a team list, then the general
    allow-list (team = the e-mail domain; at a free-mail domain the address itself, so
    strangers who share gmail.com never share projects). Domains match exactly: 'gemeente.nl' does not
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
        return address if domain in FREE_MAIL_DOMAINS else domain  # never a free-mail team
    return None


def is_loopback(address: str | None) -> bool:
    """True when a server bound to `address` is only reachable from this computer."""
    if not address:
        return False  # Streamlit binds to every interface when no address is set
    text = str(address).strip().lower()
    return text in LOOPBACK or text.startswith("127.")


def _host_name(host: str) -> str:
    """'localhost:8501' → 'localhost', '[::1]:8501' → '::1'."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def forwarded(headers: Mapping[str, Any] | None) -> bool:
    """True when a request came through a reverse proxy or by a name that is not this
    computer: then a server bound to localhost is reachable from the network after all."""
    if not headers:
        return False
    names = {str(k).lower(): v for k, v in headers.items()}
    if any(h in names for h in FORWARD_HEADERS):
        return True
    host = names.get("host")
    return bool(host) and not is_loopback(_host_name(str(host)))


def stand_in_login_allowed(config: AccessConfig, address: str | None, env: Mapping[str, str],
                           headers: Mapping[str, Any] | None = None) -> bool:
    """The stand-in login for browser tests: never with real login, on the network or
    behind a proxy."""
    return (env.get(TEST_LOGIN_ENV) == TEST_LOGIN_VALUE and not config.login
            and is_loopback(address) and not forwarded(headers))


# --- Streamlit part ----------------------------------------------------------------------

def secrets_files() -> list[str]:
    """The secrets files Streamlit reads (option secrets.files) that exist on disk."""
    import streamlit as st
    try:
        paths = list(st.get_option("secrets.files") or [])
    except Exception:  # an unknown option: assume the default places
        paths = [os.path.expanduser("~/.streamlit/secrets.toml"), ".streamlit/secrets.toml"]
    return [p for p in paths if os.path.exists(p)]


def access_config() -> AccessConfig:
    """The login settings of this server: no secrets file at all = no login; a secrets
    file that exists but cannot be read = login on and nobody in (fail closed)."""
    import streamlit as st
    try:
        secrets = {k: st.secrets[k] for k in ("auth", "bereikwijzer") if k in st.secrets}
    except Exception as error:  # no secrets.toml, or one that does not parse
        found = secrets_files()
        if found:
            reason = f"{type(error).__name__} in {', '.join(found)}"
            log.error("secrets.toml bestaat maar is niet te lezen; de app weigert te draaien "
                      "(%s): %s", reason, error)
            return unreadable_config(reason)
        log.info("Geen secrets.toml gevonden; de app draait zonder inlog.")
        secrets = {}
    return load_config(secrets)


def request_headers() -> Mapping[str, Any]:
    """The headers of the browser's request ({} outside a request, e.g. in AppTest)."""
    import streamlit as st
    try:
        return dict(st.context.headers or {})
    except Exception:  # no request context
        return {}


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
        if stand_in_login_allowed(config, server_address(), os.environ, request_headers()):
            return _test_identity(config)
        return LOCAL
    if config.problems or not st.user.get("is_logged_in", False):
        return None
    if not email_trusted(st.user, config):
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
        log.error("Inloggen is niet goed ingesteld; de app weigert te draaien: %s",
                  " ".join(config.problems))
        st.error("Bereikwijzer start niet: het inloggen is niet goed ingesteld op deze server. "
                 "Zolang dat zo is, kan niemand erin, zodat er geen gegevens zonder inlog "
                 "zichtbaar worden. Vraag de beheerder om secrets.toml na te kijken (de details "
                 "staan in het logboek van de server).", icon=":material/settings:")
        st.stop()
    if not st.user.get("is_logged_in", False):
        st.write("Log in met het account van uw organisatie. U ziet daarna alleen de "
                 "projecten van uw eigen team.")
        st.button("Inloggen", type="primary", icon=":material/login:", on_click=st.login)
        st.caption("Bereikwijzer bewaart van u alleen uw e-mailadres, om te laten zien wie "
                   "een bestand importeerde.")
        st.stop()
    from ui.widgets import plain

    email = plain(st.user.get("email") or "onbekend")
    if not email_trusted(st.user, config):
        log.warning("Inlog geweigerd: de aanbieder bevestigt het e-mailadres niet")
        st.error(f"U bent ingelogd als **{email}**, maar uw inlogdienst bevestigt dit adres "
                 "niet (email_verified). Daarom heeft u geen toegang. Vraag de beheerder om "
                 "hulp.", icon=":material/block:")
    else:
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

    from ui.widgets import plain

    if identity.is_local:
        st.caption(":material/computer: Zonder inlog: alleen op deze computer bereikbaar.")
        address = server_address()
        if not is_loopback(address):
            st.error(f"Let op: deze server luistert op het netwerk ({plain(address or 'alle adressen')}) "
                     "maar er is geen inlog ingesteld. Iedereen die de server kan bereiken, "
                     "ziet alle projecten. Stel inloggen in (secrets.toml) of start de server "
                     "met server.address = \"localhost\".", icon=":material/warning:")
        elif forwarded(request_headers()):  # the header values are not shown: anyone sets them
            st.error("Let op: deze server luistert alleen op deze computer, maar dit verzoek "
                     "kwam via een andere computer of een proxy (bijvoorbeeld nginx). Dan is de "
                     "server toch via het netwerk bereikbaar, en er is geen inlog ingesteld: "
                     "iedereen die de proxy kan bereiken, ziet alle projecten. Stel inloggen in "
                     "(secrets.toml).", icon=":material/warning:")
        return
    who = plain(identity.name or identity.email)
    st.caption(f":material/account_circle: Ingelogd als **{who}**"
               + (f" ({plain(identity.email)})" if identity.name else "")
               + f" · team **{plain(identity.team)}**")
    if identity.test_login:
        st.warning("Testinlog actief: alleen voor automatische tests.", icon=":material/science:")
        return
    st.button("Uitloggen", on_click=st.logout, icon=":material/logout:", key="logout")
