"""Login, allow-list and team isolation of the dashboard, and the server-side upload limits.

The allow-list logic (ui.auth.team_for) is tested as a plain function; the screens with
AppTest, which can seed secrets and a logged-in st.user."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit import config as st_config
from streamlit.testing.v1 import AppTest

from store.projects import Store
from surveys.errors import FileTooLargeError
from tests import builders
from ui import auth, upload_limits
from ui.auth import AccessConfig, load_config, team_for

APP = Path(__file__).resolve().parents[1] / "app.py"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "bereikwijzer", "client_secret": "geheim",
        "server_metadata_url": "https://login.example.org/.well-known/openid-configuration"}
ALLOW = {"allowed_domains": ["gemeente.nl"], "allowed_emails": ["adviseur@bureau.nl"],
         "teams": {"wijk-zuid": ["a@gemeente.nl", "@zuid.gemeente.nl"],
                   "wijk-noord": ["b@gemeente.nl"]}}
CONFIG = load_config({"auth": AUTH, "bereikwijzer": ALLOW})


# --- team_for: the allow-list as a pure function -----------------------------------------

@pytest.mark.parametrize("email,team", [
    ("a@gemeente.nl", "wijk-zuid"),                  # listed address
    ("  A@Gemeente.NL ", "wijk-zuid"),               # case and spaces do not matter
    ("iemand@zuid.gemeente.nl", "wijk-zuid"),        # domain listed in a team
    ("b@gemeente.nl", "wijk-noord"),
    ("c@gemeente.nl", "gemeente.nl"),                # allowed domain, no team: team = domain
    ("adviseur@bureau.nl", "bureau.nl"),             # allowed address
    ("ander@bureau.nl", None),                       # same domain, not listed
    ("x@nepgemeente.nl", None),                      # no suffix matching
    ("x@sub.gemeente.nl", None),                     # subdomains are not the domain
    ("a@gemeente.nl.evil.com", None),
    ("a@b@gemeente.nl", None), ("gemeente.nl", None), ("", None), (None, None),
    ("a @gemeente.nl", None), ("a@gemeente..nl", None),
])
def test_team_for(email, team) -> None:
    assert team_for(email, CONFIG) == team


def test_empty_allow_list_lets_nobody_in() -> None:
    config = load_config({"auth": AUTH})
    assert config.login and not config.allows_anyone
    assert team_for("a@gemeente.nl", config) is None
    assert any("niemand" in p for p in config.problems)


def test_config_without_auth_is_no_login_and_incomplete_auth_fails_closed() -> None:
    assert load_config({}) == AccessConfig()
    assert load_config({"bereikwijzer": ALLOW}).login is False
    broken = load_config({"auth": {"redirect_uri": "http://x/oauth2callback"}, "bereikwijzer": ALLOW})
    assert broken.login and len(broken.problems) == 2
    named = load_config({"auth": {**{k: AUTH[k] for k in ("redirect_uri", "cookie_secret")},
                                  "microsoft": {k: AUTH[k] for k in auth.AUTH_KEYS}}, "bereikwijzer": ALLOW})
    assert named.login and named.problems == ()  # a named provider section is fine too


@pytest.mark.parametrize("address,loopback", [
    ("localhost", True), ("127.0.0.1", True), ("127.0.1.1", True), ("::1", True),
    ("0.0.0.0", False), ("", False), (None, False), ("192.168.1.5", False), ("::", False)])
def test_is_loopback(address, loopback) -> None:
    assert auth.is_loopback(address) is loopback


def test_test_login_cannot_be_switched_on_by_accident() -> None:
    env = {auth.TEST_LOGIN_ENV: auth.TEST_LOGIN_VALUE}
    no_login = load_config({"bereikwijzer": ALLOW})
    assert auth.stand_in_login_allowed(no_login, "127.0.0.1", env)
    assert not auth.stand_in_login_allowed(no_login, "127.0.0.1", {auth.TEST_LOGIN_ENV: "1"})
    assert not auth.stand_in_login_allowed(no_login, "0.0.0.0", env)     # the Docker image
    assert not auth.stand_in_login_allowed(no_login, None, env)
    assert not auth.stand_in_login_allowed(CONFIG, "127.0.0.1", env)     # real login configured


# --- screens and team isolation (AppTest) ------------------------------------------------

@pytest.fixture()
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("BEREIKWIJZER_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("BEREIKWIJZER_DATABASE_URL", raising=False)
    monkeypatch.delenv(auth.TEST_LOGIN_ENV, raising=False)
    return tmp_path


@pytest.fixture()
def seeded(data_dir) -> dict[str, int]:
    """Two teams with one project each, and a project made without login (team "")."""
    store = Store(data_dir=str(data_dir))
    ids = {"zuid": store.create_project("Transvaal zuid", team="wijk-zuid").id,
           "noord": store.create_project("Noordkwartier", team="wijk-noord").id,
           "lokaal": store.create_project("Lokaal project", team="").id}
    store.close()
    return ids


def _app(user: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.secrets["auth"] = AUTH
    at.secrets["bereikwijzer"] = ALLOW
    if user is not None:  # a provider that vouches for the address, unless the test says not
        at.user = {"email_verified": True, **user} if user.get("is_logged_in") else user
    return at


def _texts(at: AppTest) -> str:
    parts = [e.value for e in at.title] + [e.value for e in at.markdown] + [e.value for e in at.caption]
    parts += [e.value for e in at.info] + [e.value for e in at.warning] + [e.value for e in at.error]
    parts += [str(o) for s in at.selectbox for o in s.options]
    return "\n".join(str(p) for p in parts)


def test_login_screen_when_not_logged_in(seeded) -> None:
    at = _app({"is_logged_in": False}).run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Inloggen"]
    assert "Log in met het account van uw organisatie" in _texts(at)
    for name in ("Transvaal zuid", "Noordkwartier", "Lokaal project", "Voorbeeldwijk"):
        assert name not in _texts(at)


def test_logged_in_but_not_allowed_is_refused(seeded) -> None:
    at = _app({"is_logged_in": True, "email": "x@nepgemeente.nl", "name": "X"}).run()
    assert not at.exception
    assert "geen toegang" in at.error[0].value and "x\\@nepgemeente.nl" in at.error[0].value.replace("\u2060", "")
    assert [b.label for b in at.button] == ["Uitloggen"]
    assert "Transvaal zuid" not in _texts(at) and "Noordkwartier" not in _texts(at)


def test_unverified_email_is_refused(seeded) -> None:
    at = _app({"is_logged_in": True, "email": "a@gemeente.nl", "email_verified": False}).run()
    assert "geen toegang" in at.error[0].value


def test_each_team_sees_only_its_own_projects(seeded) -> None:
    at = _app({"is_logged_in": True, "email": "a@gemeente.nl", "name": "Anna"}).run()
    assert not at.exception
    assert at.sidebar.selectbox[0].options == ["Transvaal zuid"]
    text = _texts(at)
    # escaped, and an invisible word joiner keeps the address from becoming a mailto link
    assert "Ingelogd als **Anna** (a\\@gemeente.nl) · team **wijk-zuid**" in text.replace("\u2060", "")
    assert "Noordkwartier" not in text and "Lokaal project" not in text
    assert "Voorbeeldwijk" not in text  # no demo on a server with login
    assert any(b.label == "Uitloggen" for b in at.sidebar.button)

    # Another team's project id planted in session state is not opened
    at.session_state["project_id"] = seeded["noord"]
    for page in ("ui/pages/bereik.py", "ui/pages/importeren.py", "ui/pages/project.py",
                 "ui/pages/rapport.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert "Noordkwartier" not in _texts(at), page
    assert at.session_state["project_id"] == seeded["zuid"]

    other = _app({"is_logged_in": True, "email": "b@gemeente.nl"}).run()
    assert other.sidebar.selectbox[0].options == ["Noordkwartier"]
    assert "Transvaal zuid" not in _texts(other)


def test_new_project_belongs_to_the_users_team(seeded, data_dir) -> None:
    at = _app({"is_logged_in": True, "email": "c@gemeente.nl"}).run()
    assert not at.exception
    assert "Nog geen project" in _texts(at)  # team gemeente.nl has none yet
    at.switch_page("ui/pages/project.py").run()
    at.text_input(key="new_project_name").input("Centrum 2026")
    next(b for b in at.button if b.label == "Project aanmaken").click().run()
    assert not at.exception
    store = Store(data_dir=str(data_dir))
    try:
        created = [p for p in store.list_projects() if p.name == "Centrum 2026"]
        assert [p.team for p in created] == ["gemeente.nl"]
        assert set(store.audit(created[0].id)["actor"]) == {"c@gemeente.nl"}
    finally:
        store.close()
    assert _app({"is_logged_in": True, "email": "a@gemeente.nl"}).run().sidebar.selectbox[0].options \
        == ["Transvaal zuid"]


def test_state_functions_refuse_another_teams_project(seeded) -> None:
    """A page holding a stale or forged ProjectView still cannot read or change it."""
    script = AppTest.from_string(f"""
import streamlit as st
from store.projects import StoreError
from ui import state
view = state.ProjectView(id={seeded["noord"]}, name="?", is_demo=False)
refused = 0
for fn in (state.respondents, state.imports, lambda v: state.rename_project(v, "Gekaapt"),
           state.delete_project, lambda v: state.set_min_age(v, 16),
           lambda v: state.log_download(v, "xlsx")):
    try:
        fn(view)
    except StoreError:
        refused += 1
state.set_current({seeded["noord"]})
st.write(f"geweigerd: {{refused}}, open: {{state.current_project().name}}")
""", default_timeout=60)
    script.secrets["auth"] = AUTH
    script.secrets["bereikwijzer"] = ALLOW
    script.user = {"is_logged_in": True, "email": "a@gemeente.nl", "email_verified": True}
    script.run()
    assert not script.exception, script.exception
    # log_download never raises (a download must not fail on the audit) but logs nothing
    assert [m.value for m in script.markdown] == ["geweigerd: 5, open: Transvaal zuid"]
    store = Store(data_dir=str(Path(os.environ["BEREIKWIJZER_DATA_DIR"])))
    try:
        noord = store.get_project(seeded["noord"])
        assert noord.name == "Noordkwartier" and noord.min_age == 18
        assert "report_download" not in set(store.audit(seeded["noord"])["action"])
    finally:
        store.close()


# --- without login -------------------------------------------------------------------------

@pytest.fixture()
def address():
    """Set server.address for one test and put the old value back."""
    old = st_config.get_option("server.address")
    yield lambda value: st_config.set_option("server.address", value)
    st_config.set_option("server.address", old)


def test_without_login_the_ui_says_local_only(data_dir, address) -> None:
    address("localhost")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert any("Zonder inlog: alleen op deze computer bereikbaar" in c.value for c in at.sidebar.caption)
    assert not at.sidebar.error
    assert "Voorbeeldwijk (fictief)" in at.sidebar.selectbox[0].options  # the demo, as before


def test_without_login_on_the_network_the_sidebar_warns(data_dir, address) -> None:
    address("0.0.0.0")
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "luistert op het netwerk (0.0.0.0)" in at.sidebar.error[0].value
    assert "geen inlog" in at.sidebar.error[0].value


# --- upload limits on the server -----------------------------------------------------------

def test_read_upload_refuses_above_the_limit_before_parsing() -> None:
    data = builders.ms_forms_xlsx(builders.wijk_answers(n=25, seed=3))
    with pytest.raises(FileTooLargeError, match="de grens op deze server is"):
        upload_limits.read_upload(data, "wijk.xlsx", max_bytes=len(data) - 1)
    raw, questionnaire, mapping = upload_limits.read_upload(data, "wijk.xlsx", max_bytes=len(data))
    assert raw.format == "ms_forms" and len(raw.frame) == 25


def test_read_upload_refuses_an_absurd_shape() -> None:
    limits = pytest.importorskip("surveys.limits")
    wide = (",".join(f"k{i}" for i in range(limits.MAX_COLUMNS + 1)) + "\n1\n").encode()
    with pytest.raises(FileTooLargeError, match="kolommen"):
        upload_limits.read_upload(wide, "breed.csv", max_bytes=50 * 2**20)


def test_limit_follows_the_server_setting() -> None:
    assert upload_limits.limit_bytes(50) == 50 * 1024 * 1024
    assert upload_limits.limit_bytes(None) == 50 * 1024 * 1024
    assert upload_limits.limit_bytes(1) == 1024 * 1024


def test_importeren_page_refuses_a_file_above_the_server_limit(data_dir) -> None:
    """The browser's check can be skipped by a script; the page checks the size again."""
    old = st_config.get_option("server.maxUploadSize")
    st_config.set_option("server.maxUploadSize", 1)
    try:
        at = AppTest.from_file(str(APP), default_timeout=90).run()
        at.switch_page("ui/pages/importeren.py").run()
        rows = "\n".join(f"{i},{20 + i % 60},Vrouw,1234AB" for i in range(70_000))
        data = ("Id,Leeftijd,Geslacht,Postcode\n" + rows).encode()
        assert len(data) > 1024 * 1024
        at.file_uploader[0].upload("groot.csv", data, "text/csv").run()
        assert not at.exception
        errors = [e.value for e in at.error]
        assert errors and "groot.csv" in errors[0] and "de grens op deze server is 1 MB" in errors[0]
        assert not any(b.label.startswith("Importeer") for b in at.button)
    finally:
        st_config.set_option("server.maxUploadSize", old)


def test_a_parse_that_runs_too_long_is_stopped(monkeypatch) -> None:
    """The parse runs in a child process with the server's time bound (here: 1 ms)."""
    limits = pytest.importorskip("surveys.limits")
    monkeypatch.setenv(upload_limits.TIMEOUT_ENV, "0.001")
    data = builders.ms_forms_xlsx(builders.wijk_answers(n=25, seed=3))
    with pytest.raises(limits.ImportTimeoutError, match="langer dan 0 seconden") as caught:
        upload_limits.read_upload_bounded(data, "wijk.xlsx", max_bytes=50 * 2**20)
    assert caught.value.bounded and "wijk.xlsx" in str(caught.value)
