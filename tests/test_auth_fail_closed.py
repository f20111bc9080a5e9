"""Login fails closed (issue 12).

A secrets.toml with a complete [auth] and one syntax error elsewhere used to run the app
without login (logged at INFO); `email_verified` was only refused when literally false
(Entra ID never sends it); users of a free-mail domain shared one team; a proxy on
localhost hid the network warning. Each case here: the pure rule, and where it shows,
the page.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
import streamlit as st
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from ui import auth
from ui.auth import email_trusted, forwarded, load_config, team_for

APP = Path(__file__).resolve().parents[1] / "app.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "bereikwijzer", "client_secret": "geheim",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
ALLOW = {"allowed_domains": ["gemeente.nl"]}
ENTRA = "https://login.microsoftonline.com/0000-tenant/v2.0"


# --- configuration errors switch login on and let nobody in ------------------------------

@pytest.mark.parametrize("secrets,problem", [
    ({"auth": "aan", "bereikwijzer": ALLOW}, "[auth] is geen sectie"),
    ({"auth": AUTH, "bereikwijzer": "iedereen"}, "[bereikwijzer] is geen sectie"),
    ({"auth": AUTH, "bereikwijzer": {"teams": ["a@gemeente.nl"]}}, "[bereikwijzer.teams]"),
    ({"auth": AUTH, "bereikwijzer": {"allowed_domains": 5}}, "moet een lijst zijn"),
    ({"auth": AUTH, "bereikwijzer": {"allowed_domains": ["gmail.com"]}}, "gratis maildomein"),
    ({"auth": AUTH, "bereikwijzer": {"allowed_domains": ["@Hotmail.com"]}}, "gratis maildomein"),
    ({"auth": AUTH, "bereikwijzer": {"teams": {"buurt": ["@ziggo.nl"]}}}, "gratis maildomein"),
    ({"auth": AUTH, "bereikwijzer": {"allowed_emails": ["jan@"]}}, "geen geldig e-mailadres"),
    ({"auth": AUTH, "bereikwijzer": {"allowed_domains": ["gemeente..nl"]}}, "geen geldig domein"),
    ({"auth": AUTH, "bereikwijzer": {**ALLOW, "trusted_issuers": ["http://login.example.org"]}},
     "geen https-adres"),
    ({"auth": {**AUTH, "cookie_secret": ""}, "bereikwijzer": ALLOW}, "cookie_secret"),
])
def test_any_configuration_error_fails_closed(secrets, problem) -> None:
    config = load_config(secrets)
    assert config.login
    assert any(problem in p for p in config.problems), config.problems


def test_a_good_configuration_has_no_problems() -> None:
    config = load_config({"auth": AUTH, "bereikwijzer": {
        **ALLOW, "allowed_emails": ["jan@gmail.com"], "trusted_issuers": [ENTRA],
        "teams": {"wijk": ["a@gemeente.nl", "piet@gmail.com", "@zuid.gemeente.nl"]}}})
    assert config.login and config.problems == ()
    assert config.trusted_issuers == (ENTRA,)


def test_an_unreadable_secrets_file_lets_nobody_in() -> None:
    config = auth.unreadable_config("TOMLDecodeError in .streamlit/secrets.toml")
    assert config.login and "kan niet worden gelezen" in config.problems[0]
    assert team_for("a@gemeente.nl", config) is None


# --- email_verified ---------------------------------------------------------------------

@pytest.mark.parametrize("user,trusted", [
    ({"email_verified": True}, True),
    ({"email_verified": "true"}, True),
    ({"email_verified": False}, False),
    ({"email_verified": "false"}, False),
    ({"email_verified": 1}, False),
    ({}, False),                                         # Entra ID: no claim at all
    ({"iss": ENTRA}, True),                              # ... from the listed tenant
    ({"iss": ENTRA.replace("0000", "1111")}, False),     # another tenant (multi-tenant app)
    ({"iss": ENTRA, "email_verified": False}, False),    # an explicit no is never trusted
])
def test_email_must_be_verified_unless_the_issuer_is_trusted(user, trusted) -> None:
    config = load_config({"auth": AUTH, "bereikwijzer": {**ALLOW, "trusted_issuers": [ENTRA]}})
    assert email_trusted(user, config) is trusted


# --- no team from a free-mail domain ----------------------------------------------------

def test_free_mail_users_never_share_a_team_implicitly() -> None:
    config = load_config({"auth": AUTH, "bereikwijzer": {
        "allowed_emails": ["jan@gmail.com", "piet@gmail.com", "kees@live.nl", "adviseur@bureau.nl"],
        "teams": {"wijk-zuid": ["anna@gmail.com"]}}})
    assert config.problems == ()
    assert team_for("jan@gmail.com", config) == "jan@gmail.com"
    assert team_for("piet@gmail.com", config) == "piet@gmail.com"
    assert team_for("kees@live.nl", config) == "kees@live.nl"
    assert team_for("anna@gmail.com", config) == "wijk-zuid"      # named in a team list
    assert team_for("adviseur@bureau.nl", config) == "bureau.nl"  # an organisation's domain
    assert team_for("onbekend@gmail.com", config) is None


@pytest.mark.parametrize("domain", ["gmail.com", "outlook.com", "hotmail.com", "live.nl",
                                    "ziggo.nl", "kpnmail.nl", "icloud.com", "xs4all.nl"])
def test_free_mail_domains_are_known(domain) -> None:
    assert domain in auth.FREE_MAIL_DOMAINS


# --- a proxy on localhost ------------------------------------------------------------------

@pytest.mark.parametrize("headers,proxied", [
    ({}, False), (None, False),
    ({"Host": "localhost:8501"}, False), ({"Host": "127.0.0.1:8501"}, False),
    ({"Host": "[::1]:8501"}, False), ({"host": "localhost"}, False),
    ({"Host": "localhost:8501", "X-Forwarded-For": "203.0.113.9"}, True),
    ({"Host": "localhost:8501", "X-Real-Ip": "203.0.113.9"}, True),
    ({"Host": "localhost:8501", "Forwarded": "for=203.0.113.9"}, True),
    ({"Host": "localhost:8501", "Via": "1.1 nginx"}, True),
    ({"Host": "bereikwijzer.gemeente.nl"}, True),
    ({"Host": "192.168.1.5:8501"}, True),
])
def test_forwarded_requests_are_recognised(headers, proxied) -> None:
    assert forwarded(headers) is proxied


def test_test_login_refused_behind_a_proxy() -> None:
    env = {auth.TEST_LOGIN_ENV: auth.TEST_LOGIN_VALUE}
    no_login = load_config({"bereikwijzer": ALLOW})
    assert auth.stand_in_login_allowed(no_login, "127.0.0.1", env, {"Host": "localhost:8501"})
    assert not auth.stand_in_login_allowed(no_login, "127.0.0.1", env,
                                       {"Host": "localhost:8501", "X-Forwarded-For": "10.0.0.1"})


def test_sidebar_warns_when_a_proxy_forwards_to_localhost(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    monkeypatch.setattr(auth, "request_headers",
                        lambda: {"Host": "localhost:8501", "X-Forwarded-For": "203.0.113.9"})
    old = st_config.get_option("server.address")
    st_config.set_option("server.address", "localhost")
    try:
        at = AppTest.from_file(str(APP), default_timeout=60).run()
    finally:
        st_config.set_option("server.address", old)
    assert not at.exception
    errors = [e.value for e in at.sidebar.error]
    assert errors and "proxy" in errors[0] and "geen inlog" in errors[0]
    assert "203.0.113.9" not in errors[0]  # header values are not echoed


# --- the page: a secrets file with a syntax error ------------------------------------------

BROKEN = {
    "auth complete, error elsewhere": """
[auth]
redirect_uri = "http://localhost:8501/oauth2callback"
cookie_secret = "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
client_id = "bereikwijzer"
client_secret = "geheim"
server_metadata_url = "https://login.example.org/.well-known/openid-configuration"

[bereikwijzer]
allowed_domains = ["gemeente.nl"
""",
    "no auth section, error": 'database_url = "sqlite:///x.db\n',
}


@pytest.fixture()
def secrets_file(tmp_path, monkeypatch):
    """Point Streamlit's secrets.files at one file for a test; put everything back."""
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    old = st_config.get_option("secrets.files")
    path = tmp_path / "secrets.toml"
    st_config.set_option("secrets.files", [str(path)])
    st.secrets._reset()
    yield path
    st_config.set_option("secrets.files", old)
    st.secrets._reset()


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_secrets_file_that_does_not_parse_stops_the_app(secrets_file, caplog, case) -> None:
    secrets_file.write_text(BROKEN[case], encoding="utf-8")
    with caplog.at_level(logging.INFO, logger="bereikwijzer.ui"):
        at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert at.error and "Bereikwijzer start niet" in at.error[0].value
    assert not at.sidebar.selectbox and not at.button  # no projects, no login button
    assert "Voorbeeldwijk" not in "\n".join(str(m.value) for m in at.markdown)
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors and any("secrets.toml" in r.getMessage() for r in errors)


def test_no_secrets_file_at_all_runs_without_login(secrets_file, caplog) -> None:
    assert not secrets_file.exists()
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception and not at.error
    assert "Voorbeeldwijk (fictief)" in at.sidebar.selectbox[0].options


# --- the page: login without a verified address ------------------------------------------------

def _login_app(user: dict, issuers: list[str] | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["bereikwijzer"] = {**ALLOW, **({"trusted_issuers": issuers} if issuers else {})}
    at.user = user
    return at


def test_missing_email_verified_is_refused_on_the_page(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    at = _login_app({"is_logged_in": True, "email": "a@gemeente.nl", "iss": ENTRA}).run()
    assert not at.exception
    assert at.error and "bevestigt dit adres niet" in at.error[0].value
    assert [b.label for b in at.button] == ["Uitloggen"]
    trusted = _login_app({"is_logged_in": True, "email": "a@gemeente.nl", "iss": ENTRA},
                         issuers=[ENTRA]).run()
    assert not trusted.exception and not trusted.error
    assert any("team **gemeente.nl**" in c.value for c in trusted.sidebar.caption)
