"""The review app through FastAPI's TestClient: routes, filters, safety, decisions."""

import re
import warnings

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's notice about httpx vs httpx2
    from fastapi.testclient import TestClient

from review.app import create_app, safe_return_path
from review.ledger import Ledger
from review.testing import PWN_SCRIPT, write_output_folder

ORIGIN = "http://127.0.0.1"


@pytest.fixture
def folder(tmp_path):
    return write_output_folder(tmp_path / "out")


@pytest.fixture
def app(folder):
    return create_app(folder, reviewer="tester")


@pytest.fixture
def client(app):
    return TestClient(app, base_url=ORIGIN)


def _cards(html: str) -> list[str]:
    return re.findall(r'data-claim-id="([^"]+)"', html)


def _post(client, app, **fields):
    form = {"csrf_token": app.state.csrf_token, "return_to": "/", "next_id": "", **fields}
    return client.post("/decision", data=form, headers={"Origin": ORIGIN}, follow_redirects=False)


def test_app_index_lists_claims_with_security_headers(client):
    response = client.get("/")
    assert response.status_code == 200
    assert sorted(_cards(response.text)) == ["c-aspirin-bleeding", "c-ibuprofen-nausea", "c-metformin-diabetes"]
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert '<script src="/static/review.js" defer></script>' in response.text


def test_app_groups_by_drug(client):
    html = client.get("/", params={"group": "drug"}).text
    headings = re.findall(r"<h2>([^<]+) <span", html)
    assert headings == ["Aspirin", "Ibuprofen", "Metformin"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"relation": "TREATS"}, ["c-metformin-diabetes"]),
        ({"certainty": "hedged"}, ["c-aspirin-bleeding"]),
        ({"min_confidence": "0.8"}, ["c-aspirin-bleeding", "c-metformin-diabetes"]),
        ({"drug": "ibuprofen"}, ["c-ibuprofen-nausea"]),
        ({"status": "accepted"}, []),
        (
            {"relation": "", "certainty": "", "status": "unreviewed"},
            ["c-aspirin-bleeding", "c-ibuprofen-nausea", "c-metformin-diabetes"],
        ),
    ],
)
def test_app_filters(client, params, expected):
    response = client.get("/", params=params)
    assert response.status_code == 200
    assert sorted(_cards(response.text)) == expected


@pytest.mark.parametrize(
    "params",
    [{"relation": "CURES"}, {"certainty": "<b>"}, {"min_confidence": "abc"}, {"min_confidence": "2"}, {"group": "x"},
     {"order": "random"}],
)
def test_app_filter_validation(client, params):
    response = client.get("/", params=params)
    assert response.status_code == 400
    assert "<b>" not in response.text


def test_app_orders_claims_by_confidence(client):
    text_order = _cards(client.get("/").text)
    assert _cards(client.get("/", params={"order": "text"}).text) == text_order
    low_first = _cards(client.get("/", params={"order": "low-confidence-first"}).text)
    assert low_first == ["c-ibuprofen-nausea", "c-aspirin-bleeding", "c-metformin-diabetes"]  # 0.55, 0.82, 0.95
    assert _cards(client.get("/", params={"order": "high-confidence-first"}).text) == low_first[::-1]
    html = client.get("/", params={"order": "low-confidence-first"}).text
    assert "<option selected>low-confidence-first</option>" in html


def test_app_refuses_other_hosts(client):
    assert client.get("/", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "127.0.0.1.evil.example"}).status_code == 400
    assert client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/nope",
        "/docs",
        "/openapi.json",
        "/redoc",
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2fapp.py",
        "/claims.parquet",
        "/review_ledger.sqlite",
        "/static/missing.js",
        "/article?id=missing",
        "/article?id=plain&claim=c-ibuprofen-nausea",
    ],
)
def test_app_404s(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]


def test_app_serves_its_static_files(client):
    assert client.get("/static/review.js").status_code == 200
    assert client.get("/static/review.css").status_code == 200


def test_app_escapes_article_markup(client):
    for url in ("/", "/article?id=hostile/page&claim=c-ibuprofen-nausea"):
        html = client.get(url).text
        assert PWN_SCRIPT not in html
        assert "<img" not in html
        assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
        scripts = re.findall(r"<script[^>]*>", html)
        assert scripts == ['<script src="/static/review.js" defer>']


def test_app_article_view_highlights_sentence(client):
    response = client.get("/article", params={"id": "plain", "claim": "c-aspirin-bleeding"})
    assert response.status_code == 200
    assert 'id="evidence"' in response.text
    assert '<mark class="hl hl-drug hl-evidence" id="evidence" title="drug, evidence">Aspirin</mark>' in response.text
    assert "Metformin treats" in response.text  # the context around the sentence


def test_app_accept_persists_and_reload_shows_it(client, app, folder):
    response = _post(
        client, app, claim_id="c-aspirin-bleeding", decision="accepted", reason="clear", next_id="c-metformin-diabetes"
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/#claim-c-metformin-diabetes"
    html = client.get("/").text
    assert 'class="claim-card status-accepted" id="claim-c-aspirin-bleeding"' in html
    assert "accepted</strong> by tester" in html
    assert Ledger.for_folder(folder).latest()["c-aspirin-bleeding"].reason == "clear"
    assert _cards(client.get("/", params={"status": "accepted"}).text) == ["c-aspirin-bleeding"]


def test_app_edit_records_changed_fields_only(client, app, folder):
    fields = {
        "relation": "ADVERSE_EFFECT",
        "certainty": "asserted",
        "drug": "Aspirin",
        "effect": "stomach bleeding",
        "population": "older adults",
        "mechanism": "",
        "frequency": "",
        "dose": "",
    }
    response = _post(client, app, claim_id="c-aspirin-bleeding", decision="edited", **fields)
    assert response.status_code == 303
    decision = Ledger.for_folder(folder).latest()["c-aspirin-bleeding"]
    assert decision.decision == "edited" and decision.edits == {"certainty": "asserted"}
    assert "status-edited" in client.get("/").text


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"decision": "edited", "relation": "CURES"}, "relation &#39;CURES&#39; is not one of"),
        ({"decision": "edited", "certainty": "<script>"}, "certainty &#39;&lt;script&gt;&#39; is not one of"),
        ({"decision": "edited", "effect": "x" * 400}, "the limit is 300"),
        ({"decision": "edited"}, "needs at least one changed field"),
        ({"decision": "maybe"}, "is not one of accepted, rejected, edited"),
    ],
)
def test_app_edit_validation(client, app, folder, fields, message):
    response = _post(client, app, claim_id="c-aspirin-bleeding", **fields)
    assert response.status_code == 422
    assert message in response.text
    assert Ledger.for_folder(folder).decisions() == []


def test_app_post_requires_csrf_token_and_same_origin(client, app, folder):
    form = {"claim_id": "c-aspirin-bleeding", "decision": "accepted"}
    assert client.post("/decision", data=form, follow_redirects=False).status_code == 403
    bad = {**form, "csrf_token": "guess"}
    assert client.post("/decision", data=bad, follow_redirects=False).status_code == 403
    good = {**form, "csrf_token": app.state.csrf_token}
    cross = client.post("/decision", data=good, headers={"Origin": "http://evil.example"}, follow_redirects=False)
    assert cross.status_code == 403
    as_json = client.post("/decision", json=good, follow_redirects=False)
    assert as_json.status_code == 415
    assert Ledger.for_folder(folder).decisions() == []
    assert _post(client, app, claim_id="nope", decision="accepted").status_code == 404


def test_app_redirect_stays_local():
    assert safe_return_path("/?relation=TREATS") == "/?relation=TREATS"
    for target in ("//evil.example/", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", ""):
        assert safe_return_path(target) == "/"


def test_app_ledger_csv(client, app):
    _post(client, app, claim_id="c-ibuprofen-nausea", decision="rejected", reason="@bad")
    response = client.get("/ledger.csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "c-ibuprofen-nausea" in response.text and ",'@bad," in response.text


def test_app_missing_tables_message(tmp_path):
    client = TestClient(create_app(tmp_path, reviewer="tester"), base_url=ORIGIN)
    response = client.get("/")
    assert response.status_code == 500
    assert "claims.parquet" in response.text and "flows.extract" in response.text


def test_app_cli_binds_loopback_only(folder, monkeypatch):
    import uvicorn

    from review.app import main

    calls = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kwargs: calls.update(kwargs))
    assert main([str(folder), "--port", "8777", "--reviewer", "ana"]) == 0
    assert calls["host"] == "127.0.0.1" and calls["port"] == 8777


def test_app_cli_explains_missing_folder(tmp_path, capsys):
    from review.app import main

    assert main([str(tmp_path / "nowhere")]) == 1
    assert "flows.extract" in capsys.readouterr().err


@pytest.mark.parametrize("module", ["review.app", "review.report", "review.ledger", "review.data_dictionary"])
def test_app_every_command_is_documented(module, capsys):
    import importlib

    with pytest.raises(SystemExit) as exit_info:
        importlib.import_module(module).main(["--help"])
    assert exit_info.value.code == 0
    assert "usage: python -m " + module in capsys.readouterr().out
