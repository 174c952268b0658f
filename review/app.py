"""The local review app: FastAPI over one output folder, bound to 127.0.0.1.

Routes: ``GET /`` (claims, grouped and filtered), ``GET /article`` (article text with the evidence
sentence in context), ``POST /decision`` (accept / reject / edit, written to the ledger),
``GET /ledger.csv`` and ``/static/*`` (the package's own CSS and JS). Everything else is 404.

Article text is untrusted. Templates autoescape everything, a strict Content-Security-Policy allows
only the app's own script and styles, requests for any host but 127.0.0.1/localhost are refused, and a
POST needs the per-process CSRF token and, when the browser sends one, a same-origin Origin header.
"""

from __future__ import annotations

import argparse
import getpass
import hmac
import secrets
import sys
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, quote

import pandas as pd
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware

from review.cards import ClaimCard, Tables, article_segments, build_cards, claims_path, group_cards, summary_bars
from review.errors import InvalidDecision, ReviewError
from review.ledger import Ledger, apply_review_status, ledger_csv_text
from review.render import render
from review.vocab import CERTAINTIES, EDITABLE_FIELDS, MAX_FIELD_CHARS, RELATIONS, REVIEW_STATUSES

ALLOWED_HOSTS = ("127.0.0.1", "localhost")
DEFAULT_PORT = 8765
MAX_FORM_BYTES = 64 * 1024
MAX_CARDS_PER_PAGE = 500
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True)
class Filters:
    group: str = "article"
    relation: str = ""
    certainty: str = ""
    status: str = ""
    drug: str = ""
    min_confidence: float | None = None
    min_confidence_text: str = ""
    order: str = "text"

    def keep(self, card: ClaimCard) -> bool:
        return (
            (not self.relation or card.relation == self.relation)
            and (not self.certainty or card.certainty == self.certainty)
            and (not self.status or card.review_status == self.status)
            and (not self.drug or card.drug.lower() == self.drug.lower())
            and (self.min_confidence is None or card.confidence >= self.min_confidence)
        )

    def ordered(self, cards: list[ClaimCard]) -> list[ClaimCard]:
        """The cards in table (text) order, or by confidence: the least confident first, to check the doubtful
        claims before the rest, or the most confident first."""
        if self.order == "text":
            return cards
        return sorted(cards, key=lambda c: c.confidence, reverse=self.order == "high-confidence-first")


ORDERS = ("text", "low-confidence-first", "high-confidence-first")


def _choice(params: dict[str, str], name: str, choices: tuple[str, ...]) -> str:
    value = params.get(name, "")
    if value and value not in choices:
        raise HTTPException(400, f"{name} must be one of {', '.join(choices)}; got {value!r}.")
    return value


def parse_filters(params: dict[str, str]) -> Filters:
    """Validate the query string of ``GET /``; a bad value is a 400 with a message, never ignored."""
    text = params.get("min_confidence", "").strip()
    minimum = None
    if text:
        try:
            minimum = float(text)
        except ValueError:
            raise HTTPException(400, f"min_confidence must be a number from 0 to 1; got {text!r}.") from None
        if not 0.0 <= minimum <= 1.0:
            raise HTTPException(400, f"min_confidence must be from 0 to 1; got {text!r}.")
    drug = params.get("drug", "")
    if len(drug) > MAX_FIELD_CHARS:
        raise HTTPException(400, f"drug filter is longer than {MAX_FIELD_CHARS} characters.")
    return Filters(
        group=_choice(params, "group", ("article", "drug")) or "article",
        relation=_choice(params, "relation", RELATIONS),
        certainty=_choice(params, "certainty", CERTAINTIES),
        status=_choice(params, "status", REVIEW_STATUSES),
        drug=drug,
        min_confidence=minimum,
        min_confidence_text=text,
        order=_choice(params, "order", ORDERS) or "text",
    )


def safe_return_path(value: str) -> str:
    """A local path to redirect to after a POST; anything else (other hosts, schemes) becomes '/'."""
    if not value.startswith("/") or value.startswith("//") or "\\" in value or any(ord(c) < 33 for c in value):
        return "/"
    return value.split("#", 1)[0]


class TableStore:
    """The folder's claims and articles, re-read only when the Parquet files change."""

    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        self._key: tuple | None = None
        self._claims = pd.DataFrame()
        self._articles = pd.DataFrame()

    def _stat_key(self) -> tuple:
        paths = (self.out_dir / "claims.parquet", self.out_dir / "articles.parquet")
        return tuple((p.stat().st_mtime_ns, p.stat().st_size) if p.exists() else None for p in paths)

    def tables(self) -> Tables:
        """Claims (review status from the ledger as of now) and articles."""
        path = claims_path(self.out_dir)
        key = self._stat_key()
        if key != self._key:
            self._claims = pd.read_parquet(path)
            articles_path = self.out_dir / "articles.parquet"
            self._articles = (
                pd.read_parquet(articles_path)
                if articles_path.exists()
                else pd.DataFrame(columns=["article_id", "title", "text"])
            )
            self._key = key
        return Tables(claims=apply_review_status(self._claims, self.out_dir), articles=self._articles)

    def cards(self) -> list[ClaimCard]:
        return build_cards(self.tables(), Ledger.for_folder(self.out_dir).latest())


def _html(template: str, code: int = 200, **context: object) -> HTMLResponse:
    return HTMLResponse(render(template, **context), status_code=code)


def _same_origin(request: Request) -> bool:
    """True when the browser's Origin (or Referer) names this server, or sends neither."""
    host = request.headers.get("host", "")
    expected = f"{request.url.scheme}://{host}"
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == expected
    referer = request.headers.get("referer")
    if referer is not None:
        return referer == expected or referer.startswith(expected + "/")
    return True


def _read_form(body: bytes) -> dict[str, str]:
    try:
        pairs = parse_qs(body.decode("utf-8"), keep_blank_values=True, strict_parsing=False, max_num_fields=50)
    except (UnicodeDecodeError, ValueError) as e:
        raise HTTPException(400, "the form could not be read as UTF-8 url-encoded fields.") from e
    duplicated = sorted(name for name, values in pairs.items() if len(values) > 1)
    if duplicated:
        raise HTTPException(400, f"form field(s) {', '.join(duplicated)} given more than once.")
    return {name: values[0] for name, values in pairs.items()}


def create_app(out_dir: Path, *, reviewer: str = "") -> FastAPI:
    """The review app over ``out_dir``; decisions are recorded as ``reviewer``."""
    out_dir = Path(out_dir)
    reviewer = reviewer or getpass.getuser()
    store = TableStore(out_dir)
    csrf_token = secrets.token_urlsafe(32)
    app = FastAPI(title="Claim review", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.csrf_token = csrf_token
    app.state.out_dir = out_dir

    def page(template: str, code: int = 200, **context: object) -> HTMLResponse:
        return _html(template, code, reviewer=reviewer, folder=str(out_dir), **context)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(ALLOWED_HOSTS), www_redirect=False)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> HTMLResponse:
        default = "Not found: this app serves only its own pages." if exc.status_code == 404 else "Request refused."
        generic = not isinstance(exc.detail, str) or exc.detail in ("Not Found", "Method Not Allowed")
        message = default if generic else exc.detail
        return page("error.html", exc.status_code, status_code=exc.status_code, message=message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> HTMLResponse:
        return page("error.html", 400, status_code=400, message="The request's parameters are not valid.")

    @app.exception_handler(ReviewError)
    async def review_error(request: Request, exc: ReviewError) -> HTMLResponse:
        status = 422 if isinstance(exc, InvalidDecision) else 500
        return page("error.html", status, status_code=status, message=str(exc))

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request) -> HTMLResponse:
        filters = parse_filters(dict(request.query_params))
        cards = store.cards()
        matched = filters.ordered([c for c in cards if filters.keep(c)])
        shown = matched[:MAX_CARDS_PER_PAGE]
        groups = group_cards(shown, filters.group)
        order = [c.claim_id for _, _, members in groups for c in members]
        next_ids = dict(zip(order, order[1:]))
        query = request.url.query
        return page(
            "index.html",
            filters=filters,
            orders=ORDERS,
            groups=groups,
            next_ids=next_ids,
            total=len(cards),
            matched=len(matched),
            shown=len(shown),
            bars=summary_bars(matched),
            drugs=sorted({c.drug for c in cards if c.drug}, key=str.lower),
            csrf_token=csrf_token,
            return_to="/" + (f"?{query}" if query else ""),
        )

    @app.get("/article", response_class=HTMLResponse)
    def article(request: Request, id: str = "", claim: str = "") -> HTMLResponse:
        tables = store.tables()
        rows = tables.articles[tables.articles["article_id"].astype("string") == id] if id else tables.articles[:0]
        if rows.empty:
            raise HTTPException(404, "No article with this id in the output folder.")
        row = rows.iloc[0]
        cards = [c for c in build_cards(tables, Ledger.for_folder(out_dir).latest()) if c.article_id == id]
        card = next((c for c in cards if c.claim_id == claim), None)
        if claim and card is None:
            raise HTTPException(404, "No claim with this id in this article.")
        text = row.get("text")
        text = text if isinstance(text, str) else ""
        return page(
            "article.html",
            article_id=id,
            title=row.get("title") if isinstance(row.get("title"), str) else "",
            url=row.get("url") if isinstance(row.get("url"), str) else "",
            segments=article_segments(text, card),
            card=card,
            others=cards,
            csrf_token=csrf_token,
            return_to="/article?" + request.url.query,
        )

    @app.post("/decision")
    async def decision(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if content_type != "application/x-www-form-urlencoded":
            raise HTTPException(415, "decisions are posted as an url-encoded form.")
        if not _same_origin(request):
            raise HTTPException(403, "cross-origin request refused; use the app's own page.")
        body = await request.body()
        if len(body) > MAX_FORM_BYTES:
            raise HTTPException(413, f"the form is larger than {MAX_FORM_BYTES} bytes.")
        form = _read_form(body)
        if not hmac.compare_digest(form.get("csrf_token", ""), csrf_token):
            raise HTTPException(403, "missing or stale form token; reload the page and try again.")
        claim_id = form.get("claim_id", "")
        tables = store.tables()
        matches = tables.claims[tables.claims["claim_id"].astype("string") == claim_id] if claim_id else None
        if matches is None or matches.empty:
            raise HTTPException(404, "No claim with this id in the output folder.")
        claim = matches.iloc[0].to_dict()
        verdict = form.get("decision", "")
        edits = None
        if verdict == "edited":
            edits = {
                name: form[name].strip()
                for name in EDITABLE_FIELDS
                if name in form and form[name].strip() != (claim.get(name) if isinstance(claim.get(name), str) else "")
            }
        Ledger.for_folder(out_dir).record(
            claim, decision=verdict, reviewer=reviewer, reason=form.get("reason", ""), edits=edits
        )
        target = form.get("next_id") or claim_id
        location = safe_return_path(form.get("return_to", "/")) + "#claim-" + quote(target, safe="")
        return RedirectResponse(location, status_code=303)

    @app.get("/ledger.csv")
    def ledger_csv() -> Response:
        return Response(
            ledger_csv_text(out_dir),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="review_ledger.csv"'},
        )

    static_dir = Path(str(resources.files("review").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static_dir), name="static")
    return app


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m review.app", description="Review extracted claims in a local web app (127.0.0.1 only)."
    )
    parser.add_argument("out_dir", type=Path, help="output folder of flows.extract (holds claims.parquet)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.add_argument("--reviewer", default="", help="name recorded with each decision (default: login name)")
    args = parser.parse_args(argv)
    if not (args.out_dir / "claims.parquet").exists():
        print(
            f"error: {args.out_dir / 'claims.parquet'} not found; run "
            f"`python -m flows.extract CORPUS --out {args.out_dir}` first.",
            file=sys.stderr,
        )
        return 1
    import uvicorn

    app = create_app(args.out_dir, reviewer=args.reviewer)
    print(f"Reviewing {args.out_dir} at http://127.0.0.1:{args.port}/ (Ctrl+C to stop)", file=sys.stderr)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")
    return 0


if __name__ == "__main__":
    sys.exit(main())
