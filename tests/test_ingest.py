import json

import pytest

from pipeline.ingest import ArticleError, ArticleRef, CorpusError, plan_corpus, read_article

PAGE = """<html><head><title>Metformin and B12</title></head><body>
<nav><a href="/">Home</a> <a href="/drugs">Drugs</a></nav>
<article><h1>Metformin and B12</h1>
<p>Metformin is the usual first medicine for type 2 diabetes. Long-term use can lower vitamin B12 levels in some people, so doctors may check them every year or two.</p>
<p>Low B12 can cause tiredness and numb or tingling feet, which can be mistaken for diabetic nerve damage.</p>
</article>
<aside><h2>Related articles</h2><ul><li><a href="/a">Ten Foods for Better Sleep</a></li></ul></aside>
<footer>Copyright 2026 Example Health. Sign up for our newsletter.</footer></body></html>"""


def test_ingest_folder_is_read_recursively_with_relative_ids(tmp_path):
    (tmp_path / "a.txt").write_text("Aspirin can cause bleeding.")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("# B\n\nIbuprofen relieves pain.")
    (tmp_path / "sub" / "c.html").write_text(PAGE)
    (tmp_path / "notes.csv").write_text("ignored")
    refs = plan_corpus(tmp_path)
    assert [r.article_id for r in refs] == ["a", "sub/b", "sub/c"]
    assert read_article(refs[1]).text == "# B\n\nIbuprofen relieves pain."


def test_ingest_html_main_text_drops_page_furniture(tmp_path):
    (tmp_path / "page.html").write_text(PAGE)
    article = read_article(plan_corpus(tmp_path)[0])
    assert article.title == "Metformin and B12"
    assert article.text.startswith("Metformin and B12\n\n")
    assert "vitamin B12" in article.text
    assert "Ten Foods" not in article.text and "newsletter" not in article.text and "Home" not in article.text


def test_ingest_jsonl_text_verbatim_and_title_rule(tmp_path):
    path = tmp_path / "c.jsonl"
    rows = [{"id": "x1", "text": "  Raw  text\n"}, {"id": 7, "title": "T", "text": "Body", "url": "u", "publisher": "P"}]
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    first, second = (read_article(r) for r in plan_corpus(path))
    assert first.text == "  Raw  text\n" and first.article_id == "x1"
    assert second.text == "T\n\nBody" and second.article_id == "7" and second.url == "u"
    assert second.metadata == {"publisher": "P"}


@pytest.mark.parametrize(
    "line, reason",
    [("{broken", "not valid JSON"), ('{"text": "x"}', "missing 'id'"), ('{"id": "a"}', "missing 'text'"), ('{"id": "a", "text": ""}', "empty text")],
)
def test_ingest_bad_jsonl_lines_fail_with_a_reason(tmp_path, line, reason):
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n")
    with pytest.raises(ArticleError, match=reason):
        read_article(plan_corpus(path)[0])


def test_ingest_binary_and_windows_1252(tmp_path):
    (tmp_path / "bin.txt").write_bytes(b"\x00\x01\x02abc")
    (tmp_path / "latin.txt").write_bytes("Caf\u00e9 na\u00efve \u2013 aspirin".encode("cp1252"))
    refs = {r.article_id: r for r in plan_corpus(tmp_path)}
    with pytest.raises(ArticleError, match="binary"):
        read_article(refs["bin"])
    assert read_article(refs["latin"]).text == "Caf\u00e9 na\u00efve \u2013 aspirin"


def test_ingest_size_limit_and_missing_corpus(tmp_path):
    (tmp_path / "big.txt").write_text("word " * 100)
    with pytest.raises(ArticleError, match="too long"):
        read_article(plan_corpus(tmp_path)[0], max_chars=50)
    with pytest.raises(CorpusError, match="not found"):
        plan_corpus(tmp_path / "nope")
    with pytest.raises(ArticleError, match="cannot read"):
        read_article(ArticleRef(str(tmp_path / "gone.txt"), article_id="gone"))
