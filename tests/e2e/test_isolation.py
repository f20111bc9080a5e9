"""Two people at once on one server (two Playwright browser contexts): each creates a
project and uploads a different export at the same moment; neither ever sees the other's
project, file or figures, in the UI or in the downloaded report.

Two servers:
- without login: every session shares team "" (one computer, one team), so the other
  project exists in the project list; isolation here is that each session's open project,
  uploads, figures and downloads stay its own;
- with the stand-in test login (ui.auth, only on loopback and with its exact env value):
  two teams, so the other team's project must not appear anywhere, not even in the list.
And once with the real st.login against a stand-in OIDC provider on loopback (RS256
id_token): the allow-list, the team's projects only, the refusal, and logging out.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

pytest.importorskip("playwright")
from playwright.sync_api import Browser, Page, expect

from store.demo import demo_reference
from store.projects import Store
from tests import builders
from tests.e2e.dashboard import counted, dashboard, free_port, open_options, settle
from ui import auth

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
UPLOAD = "[data-testid='stFileUploaderDropzone'] input[type='file']"


@dataclass(frozen=True)
class Person:
    project: str
    file_name: str
    data: bytes
    respondents: int  # rows in the file ("N nieuwe antwoorden")
    tool: str
    email: str = ""

    @property
    def counted(self) -> int:
        """Respondents that count on Bereik and in the report (the 18+ rule)."""
        return counted([(self.file_name, self.data)])


ALFA = Person("Project Alfa Oost", "alfa_forms_export.xlsx",
              builders.ms_forms_xlsx(builders.wijk_answers(n=37, seed=11)), 37, "Microsoft Forms",
              "anna@team-a.nl")
BETA = Person("Project Beta West", "beta_google_export.csv",
              builders.google_forms_csv(builders.wijk_answers(n=23, seed=29)), 23, "Google Forms",
              "bart@team-b.nl")


def _server(tmp: Path, *, test_login: bool):
    """The dashboard on loopback with its own data directory (and the test login, if asked)."""
    data_dir = tmp / "data"
    data_dir.mkdir()
    env: dict[str, str | None] = {auth.TEST_LOGIN_ENV: None}
    args: tuple[str, ...] = ()
    if test_login:
        env[auth.TEST_LOGIN_ENV] = auth.TEST_LOGIN_VALUE
        secrets = tmp / "secrets.toml"
        secrets.write_text('[bereikwijzer.teams]\n"team-a" = ["anna@team-a.nl"]\n'
                           '"team-b" = ["bart@team-b.nl"]\n', encoding="utf-8")
        args = ("--secrets.files", str(secrets))
    return dashboard(data_dir, env=env, args=args), data_dir


def _settle(page: Page) -> None:
    settle(page)


def _goto(page: Page, link: str) -> None:
    page.get_by_role("link", name=link).click()
    _settle(page)
    expect(page.get_by_role("heading", name=link).first).to_be_visible(timeout=60_000)


def _never_sees(page: Page, other: Person, *, project_name: bool) -> None:
    """Nothing of the other person's data is in this page, visible or hidden."""
    html = page.content()
    assert other.file_name not in html
    assert f"U sprak {other.counted} mensen" not in html
    assert f"{other.respondents} nieuwe antwoorden" not in html
    if project_name:
        assert other.project not in html


def _open_project_list(page: Page) -> list[str]:
    """The options of the sidebar's project switch (rendered only while it is open)."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stSelectbox']").first
    options = open_options(page, box)
    names = [t.strip() for t in options.all_inner_texts()]
    page.keyboard.press("Escape")
    return names


def _report_html(page: Page) -> str:
    with page.expect_download(timeout=90_000) as download:
        page.get_by_role("button", name="Download leesbaar rapport", exact=False).click()
    return Path(download.value.path()).read_text(encoding="utf-8")


def _run_two_people(browser: Browser, url: str, data_dir: Path, tmp: Path, *, teams: bool) -> dict:
    people = (ALFA, BETA)
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
                for _ in people]
    pages = [c.new_page() for c in contexts]
    try:
        for page, person in zip(pages, people):
            page.goto(f"{url}/?{auth.TEST_LOGIN_PARAM}={person.email}" if teams else url)
        for page in pages:
            _settle(page)
            _goto(page, "Project")
        # Both create their project at the same moment
        for page, person in zip(pages, people):
            page.get_by_label("Naam van het nieuwe project").fill(person.project)
        for page in pages:
            page.get_by_role("button", name="Project aanmaken").click()
        for page, person in zip(pages, people):
            _settle(page)
            expect(page.get_by_text(f"Open project: {person.project}")).to_be_visible(timeout=60_000)

        # The buurt reference is not what this test is about: give both the demo's buurt
        store = Store(data_dir=str(data_dir))
        try:
            stored = {p.name: p for p in store.list_projects()}
            for person in people:
                project = stored[person.project]
                store.update_project(project.id, settings={**project.settings,
                                                          "reference": demo_reference().to_dict()})
            teams_seen = {person.project: stored[person.project].team for person in people}
        finally:
            store.close()

        # Both upload a different export at the same moment, then import at the same moment
        for page in pages:
            _goto(page, "Importeren")
        for page, person in zip(pages, people):
            path = tmp / person.file_name
            path.write_bytes(person.data)
            page.locator(UPLOAD).set_input_files(str(path))
        for page, person in zip(pages, people):
            expect(page.get_by_text(person.tool).first).to_be_visible(timeout=90_000)
            _settle(page)
        buttons = [page.get_by_role("button", name=f"Importeer 1 bestand in '{person.project}'")
                   for page, person in zip(pages, people)]
        for button in buttons:
            button.click()
        for page, person, other in zip(pages, people, people[::-1]):
            expect(page.get_by_text(f"{person.file_name}: {person.respondents} nieuwe antwoorden")
                   ).to_be_visible(timeout=90_000)
            _settle(page)
            _never_sees(page, other, project_name=teams)

        for page, person, other in zip(pages, people, people[::-1]):
            _goto(page, "Bereik")
            metric = page.locator("[data-testid='stMetric']").filter(has_text="Gesproken").first
            expect(metric.locator("[data-testid='stMetricValue']")).to_have_text(
                str(person.counted), timeout=90_000)
            _never_sees(page, other, project_name=teams)
            page.screenshot(path=str(tmp / f"bereik_{person.project.split()[1].lower()}.png"), full_page=True)

        reports = {}
        for page in pages:
            _goto(page, "Rapport")
        for page, person, other in zip(pages, people, people[::-1]):
            expect(page.get_by_role("button", name="Download leesbaar rapport", exact=False)
                   ).to_be_visible(timeout=90_000)
            html = _report_html(page)
            reports[person.project] = html
            assert person.project in html
            assert f"U sprak {person.counted} mensen" in html
            assert other.project not in html
            assert f"U sprak {other.counted} mensen" not in html
            _never_sees(page, other, project_name=teams)

        lists = {person.project: _open_project_list(page) for page, person in zip(pages, people)}
        return {"teams": teams_seen, "lists": lists, "reports": reports}
    except Exception:
        for i, page in enumerate(pages):  # for the failure report
            page.screenshot(path=str(tmp / f"fout_{i}.png"), full_page=True)
        raise
    finally:
        for context in contexts:
            context.close()


def test_two_sessions_without_login_keep_their_own_data(browser: Browser, tmp_path: Path) -> None:
    server, data_dir = _server(tmp_path, test_login=False)
    with server as url:
        seen = _run_two_people(browser, url, data_dir, tmp_path, teams=False)
    assert seen["teams"] == {ALFA.project: "", BETA.project: ""}  # one local team
    for person in (ALFA, BETA):  # both see the shared list, each with its own project open
        assert {ALFA.project, BETA.project} <= set(seen["lists"][person.project])


def test_two_teams_never_see_each_others_project(browser: Browser, tmp_path: Path) -> None:
    server, data_dir = _server(tmp_path, test_login=True)
    with server as url:
        seen = _run_two_people(browser, url, data_dir, tmp_path, teams=True)
    assert seen["teams"] == {ALFA.project: "team-a", BETA.project: "team-b"}
    assert seen["lists"] == {ALFA.project: [ALFA.project], BETA.project: [BETA.project]}
    assert not re.search("Voorbeeldwijk", "".join(seen["reports"].values()))


# --- real st.login against a local stand-in OIDC provider -----------------------------------

class _Provider:
    """A minimal OIDC provider on loopback: metadata, authorize (no questions asked: it
    logs in `self.email`), token with an RS256-signed id_token, and its public key."""

    def __init__(self) -> None:
        import json
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import parse_qs, urlencode, urlparse

        from joserfc import jwt
        from joserfc.jwk import RSAKey

        self.email = ""
        key = RSAKey.generate_key(2048, parameters={"kid": "test"})
        nonces: dict[str, str] = {}
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def _json(self, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                url = urlparse(self.path)
                if url.path == "/.well-known/openid-configuration":
                    self._json({"issuer": provider.url, "authorization_endpoint": f"{provider.url}/authorize",
                                "token_endpoint": f"{provider.url}/token", "jwks_uri": f"{provider.url}/jwks",
                                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                                "id_token_signing_alg_values_supported": ["RS256"]})
                elif url.path == "/jwks":
                    self._json({"keys": [key.as_dict(private=False)]})
                elif url.path == "/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    nonces["code-1"] = query.get("nonce", "")
                    self.send_response(302)
                    self.send_header("Location", query["redirect_uri"] + "?" + urlencode(
                        {"code": "code-1", "state": query["state"]}))
                    self.end_headers()
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                now = int(time.time())
                claims = {"iss": provider.url, "sub": provider.email, "aud": "bereikwijzer",
                          "iat": now, "exp": now + 600, "nonce": nonces.get(form.get("code", ""), ""),
                          "email": provider.email, "email_verified": True,
                          "name": provider.email.split("@")[0].capitalize()}
                token = jwt.encode({"alg": "RS256", "kid": "test"}, claims, key)
                self._json({"access_token": "x", "token_type": "Bearer", "expires_in": 600,
                            "id_token": token})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def test_real_login_shows_only_the_teams_projects(browser: Browser, tmp_path: Path) -> None:
    """st.login with a (stand-in) OIDC provider: allowed users see their team's projects
    only; an address outside the allow-list is refused; logging out shows the login."""
    pytest.importorskip("authlib")
    pytest.importorskip("httpx")  # streamlit[auth] needs both
    pytest.importorskip("joserfc")
    provider = _Provider()
    port = free_port()
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    store = Store(data_dir=str(data_dir))
    store.create_project("Zuid eigen project", team="wijk-zuid")
    store.create_project("Noord geheim project", team="wijk-noord")
    store.close()
    secrets = tmp_path / "secrets.toml"
    secrets.write_text(f'''[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "test-cookie-secret-0123456789abcdef0123456789"
client_id = "bereikwijzer"
client_secret = "geheim"
server_metadata_url = "{provider.url}/.well-known/openid-configuration"
[bereikwijzer]
allowed_domains = ["gemeente.nl"]
[bereikwijzer.teams]
"wijk-zuid" = ["anna@gemeente.nl"]
"wijk-noord" = ["bart@gemeente.nl"]
''', encoding="utf-8")
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        with dashboard(data_dir, port=port, env={auth.TEST_LOGIN_ENV: None},
                       args=("--secrets.files", str(secrets))) as url:
            page = context.new_page()
            page.goto(url)
            _settle(page)
            assert "Zuid eigen project" not in page.content()
            provider.email = "anna@gemeente.nl"
            page.get_by_role("button", name="Inloggen").click()
            expect(page.get_by_text("team wijk-zuid")).to_be_visible(timeout=60_000)
            _settle(page)
            assert _open_project_list(page) == ["Zuid eigen project"]
            assert "Noord geheim project" not in page.content()
            page.screenshot(path=str(tmp_path / "ingelogd.png"), full_page=True)

            page.get_by_role("button", name="Uitloggen").click()
            expect(page.get_by_role("button", name="Inloggen")).to_be_visible(timeout=60_000)

            provider.email = "iemand@elders.nl"
            page.get_by_role("button", name="Inloggen").click()
            expect(page.get_by_text("heeft geen toegang", exact=False)).to_be_visible(timeout=60_000)
            html = page.content()
            assert "Zuid eigen project" not in html and "Noord geheim project" not in html
    finally:
        context.close()
        provider.close()
