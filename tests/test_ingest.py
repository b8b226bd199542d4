"""Unit tests of flashpoint.ingest.read_inputs: formats, directories, stdin, bad input.

Every article text here was written for these tests. No spaCy model is needed.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import pytest

from flashpoint.ingest import DEFAULT_MAX_CHARS, read_inputs, stable_id
from flashpoint.model import Document, InputError

# --- example text -----------------------------------------------------------------

TITLE = "Border talks resume after a week of clashes"
ARTICLE = (
    f"{TITLE}\n"
    "\n"
    "Officials from the two neighbouring states met in the capital on Monday to discuss "
    "the disputed border. The foreign minister said that the talks had been useful and "
    "that a second round would be held in the spring.\n"
    "Opposition leaders accused the government of giving away too much at the table.\n"
)
SECOND = (
    "Flood relief reaches the northern valleys\n"
    "Aid trucks arrived in the flooded valleys on Thursday after the army cleared the "
    "main road. The regional governor thanked the volunteers and said that the worst of "
    "the damage was over.\n"
)
THIRD = (
    "Port workers end strike\n"
    "Dock workers at the southern port returned to work on Friday after the union "
    "accepted a new offer from the shipping companies, which had lost millions during "
    "the week-long stoppage.\n"
)
FRENCH = (
    "Le gouvernement français a annoncé mardi une nouvelle série de mesures destinées "
    "à soutenir les agriculteurs touchés par la sécheresse. Selon le ministre, les aides "
    "seront versées avant la fin du mois, mais plusieurs syndicats estiment que ces "
    "montants restent très insuffisants face aux pertes subies cette année dans le sud "
    "du pays."
)
GERMAN = (
    "Die Bundesregierung hat am Dienstag neue Hilfen für Landwirte beschlossen, deren "
    "Ernte durch die lange Trockenheit schwer beschädigt wurde. Nach Angaben des "
    "Ministeriums sollen die Zahlungen noch vor Ende des Monats erfolgen, doch mehrere "
    "Verbände halten die Summen angesichts der hohen Verluste im Süden des Landes für "
    "viel zu gering."
)

HTML_PARAGRAPHS = [
    "Negotiators from Norway and Iceland left the harbour town of Tromso on Tuesday "
    "without an agreement on mackerel quotas, after two days of talks that both sides "
    "had described as their last chance before the season opens.",
    "The Norwegian fisheries minister said her country had offered a larger share of "
    "the catch than in any previous year, and that the proposal would remain on the "
    "table until the end of the month.",
    "Officials in Reykjavik rejected that account and accused Oslo of ignoring "
    "scientific advice on the size of the stock. A spokesman for the Icelandic "
    "delegation said the two governments would meet again in Brussels in the spring.",
    "Fishing crews in both countries have warned that a third year without a deal could "
    "force smaller boats out of business, and several unions have called for the "
    "European Union to mediate.",
]
HTML_TITLE = "Harbour talks stall as fishing dispute deepens"
HTML_PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{HTML_TITLE}</title></head>
<body>
<nav><ul>
  <li><a href="/">Home</a></li><li><a href="/world">World news desk</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather forecast</a></li>
</ul></nav>
<article>
<h1>{HTML_TITLE}</h1>
{"".join(f"<p>{p}</p>" for p in HTML_PARAGRAPHS)}
</article>
<footer><p>Northern Coast Herald. All rights reserved.</p>
<a href="/privacy">Privacy policy</a> | <a href="/contact">Contact us</a></footer>
</body></html>
"""


# --- helpers ----------------------------------------------------------------------

def read(*inputs, **kwargs) -> tuple[list[Document], list[InputError]]:
    items = list(read_inputs([str(i) for i in inputs], **kwargs))
    for item in items:
        assert isinstance(item, Document | InputError), item
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    return docs, errors


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def jsonl(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


# --- .txt ---------------------------------------------------------------------------

def test_txt_is_one_article_with_first_nonblank_line_as_title(tmp_path):
    path = write(tmp_path / "border.txt", "\n   \n" + ARTICLE)
    docs, errors = read(path)
    assert errors == []
    assert len(docs) == 1
    doc = docs[0]
    assert doc.title == TITLE
    assert doc.text.strip() == ARTICLE.strip()
    assert doc.origin == str(path)
    assert doc.date is None
    assert doc.url is None and doc.source is None


def test_txt_id_is_stable_id_of_text_and_stable_across_runs(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    first, _ = read(path)
    second, _ = read(path)
    assert first[0].id == stable_id(first[0].text)
    assert first[0].id == second[0].id
    # a fixed value: the id must not depend on the process (no salted hash())
    assert stable_id("Iran accused the United States of sabotage.") == "aadd3c88473da5fa"
    assert stable_id(ARTICLE) != stable_id(SECOND)


def test_txt_default_date_applies(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    docs, _ = read(path, default_date=dt.date(2019, 5, 20))
    assert docs[0].date == dt.date(2019, 5, 20)


def test_explicit_file_with_unknown_suffix_is_read_as_txt(tmp_path):
    path = write(tmp_path / "notes.md", SECOND)
    docs, errors = read(path)
    assert errors == []
    assert [d.title for d in docs] == ["Flood relief reaches the northern valleys"]


# --- .jsonl -------------------------------------------------------------------------

def test_jsonl_fields(tmp_path):
    path = write(tmp_path / "news.jsonl", jsonl(
        {"id": "n-1", "text": "Dock workers returned to work on Friday after the strike.",
         "title": "Port workers end strike", "date": "2019-05-20",
         "url": "https://example.org/port", "source": "Harbour Times"},
        {"id": 42, "text": "Aid trucks arrived in the flooded valleys on Thursday.",
         "date": "2019-05-20T10:00:00Z"},
    ))
    docs, errors = read(path)
    assert errors == []
    first, second = docs
    assert first.id == "n-1"
    assert first.title == "Port workers end strike"
    assert first.text == ("Port workers end strike\n\n"
                          "Dock workers returned to work on Friday after the strike.")
    assert first.date == dt.date(2019, 5, 20)
    assert first.url == "https://example.org/port"
    assert first.source == "Harbour Times"
    assert first.origin == f"{path}:1"
    assert second.id == "42"
    assert second.title is None
    assert second.text == "Aid trucks arrived in the flooded valleys on Thursday."
    assert second.date == dt.date(2019, 5, 20)
    assert second.url is None and second.source is None
    assert second.origin == f"{path}:2"


def test_jsonl_missing_id_gets_stable_id_from_text(tmp_path):
    record = {"text": "The regional governor thanked the volunteers.", "title": "Thanks"}
    path = write(tmp_path / "a.jsonl", jsonl(record, {"id": "", "text": "Another line."}))
    docs, errors = read(path)
    again, _ = read(path)
    assert errors == []
    assert docs[0].id == stable_id("Thanks\n\nThe regional governor thanked the volunteers.")
    assert docs[1].id == stable_id("Another line.")
    assert [d.id for d in docs] == [d.id for d in again]


def test_jsonl_date_default_and_override(tmp_path):
    path = write(tmp_path / "a.jsonl", jsonl(
        {"text": "No date on this line about the harbour."},
        {"text": "A dated line about the valleys.", "date": "2021-03-04T23:30:00+02:00"},
    ))
    docs, _ = read(path, default_date=dt.date(2000, 1, 2))
    assert [d.date for d in docs] == [dt.date(2000, 1, 2), dt.date(2021, 3, 4)]


def test_ndjson_suffix_and_blank_lines(tmp_path):
    path = write(tmp_path / "a.ndjson",
                 "\n" + jsonl({"text": "First line about the port."}) + "\n\n"
                 + jsonl({"text": "Second line about the valleys."}))
    docs, errors = read(path)
    assert errors == []
    # blank lines are skipped but still counted in the line numbers
    assert [d.origin for d in docs] == [f"{path}:2", f"{path}:5"]


# --- .html --------------------------------------------------------------------------

def test_html_main_text_by_trafilatura(tmp_path):
    path = write(tmp_path / "page.html", HTML_PAGE)
    docs, errors = read(path, default_date=dt.date(2019, 5, 20))
    assert errors == []
    assert len(docs) == 1
    doc = docs[0]
    for paragraph in HTML_PARAGRAPHS:
        assert paragraph in doc.text
    assert doc.title == HTML_TITLE
    assert doc.text.startswith(HTML_TITLE)
    # boilerplate is removed
    assert "Privacy policy" not in doc.text
    assert "Weather forecast" not in doc.text
    assert doc.id == stable_id(doc.text)
    assert doc.date == dt.date(2019, 5, 20)
    assert doc.origin == str(path)


def test_htm_suffix_is_html(tmp_path):
    path = write(tmp_path / "page.HTM", HTML_PAGE)
    docs, errors = read(path)
    assert errors == []
    assert HTML_PARAGRAPHS[0] in docs[0].text
    assert "<p>" not in docs[0].text


def test_html_copyright_year_is_not_the_article_date(tmp_path):
    page = HTML_PAGE.replace("Northern Coast Herald.", "Copyright 2024 Northern Coast Herald.")
    path = write(tmp_path / "page.html", page)
    docs, _ = read(path, default_date=dt.date(2019, 5, 20))
    assert docs[0].date == dt.date(2019, 5, 20)


# --- directories and stdin ------------------------------------------------------------

def test_directory_is_recursive_mixed_suffixes_unknown_ignored(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    write(tmp_path / "sub" / "b.jsonl", jsonl({"id": "j1", "text": "Aid trucks arrived."}))
    write(tmp_path / "sub" / "deeper" / "c.html", HTML_PAGE)
    write(tmp_path / "sub" / "deeper" / "d.TEXT", THIRD)
    # unknown suffixes are not read, even when their content would be an error
    write(tmp_path / "image.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    write(tmp_path / "sub" / "README.md", SECOND)
    write(tmp_path / "sub" / "empty.csv", "")
    write(tmp_path / "noext", SECOND)
    docs, errors = read(tmp_path)
    assert errors == []
    assert [Path(d.origin.split(":")[0]).name for d in docs] == [
        "a.txt", "b.jsonl", "c.html", "d.TEXT"]
    assert docs[1].id == "j1"
    assert docs[0].title == TITLE
    assert docs[3].title == "Port workers end strike"
    assert not any("Flood relief" in d.text for d in docs)


def test_several_inputs_in_order(tmp_path):
    a = write(tmp_path / "a.txt", ARTICLE)
    b = write(tmp_path / "b.txt", SECOND)
    docs, errors = read(b, a)
    assert errors == []
    assert [d.origin for d in docs] == [str(b), str(a)]


def test_stdin_txt_is_sniffed():
    docs, errors = read("-", stdin=io.BytesIO(SECOND.encode()))
    assert errors == []
    assert len(docs) == 1
    assert docs[0].origin == "<stdin>"
    assert docs[0].title == "Flood relief reaches the northern valleys"
    assert docs[0].id == stable_id(SECOND)


def test_stdin_jsonl_is_sniffed():
    data = "  " + jsonl({"id": "s1", "text": "Aid trucks arrived on Thursday."},
                        {"text": "Dock workers returned to work.", "date": "2019-05-20"})
    docs, errors = read("-", stdin=io.BytesIO(data.encode()))
    assert errors == []
    assert [d.id for d in docs] == ["s1", stable_id("Dock workers returned to work.")]
    assert [d.origin for d in docs] == ["<stdin>:1", "<stdin>:2"]
    assert docs[1].date == dt.date(2019, 5, 20)


def test_stdin_html_is_sniffed():
    docs, errors = read("-", stdin=io.BytesIO(HTML_PAGE.encode()))
    assert errors == []
    assert HTML_PARAGRAPHS[2] in docs[0].text
    assert "<article>" not in docs[0].text


def test_input_format_overrides_suffix(tmp_path):
    path = write(tmp_path / "lines.txt", jsonl({"id": "x", "text": "Aid trucks arrived."}))
    docs, errors = read(path, fmt="jsonl")
    assert errors == []
    assert [d.id for d in docs] == ["x"]
    docs, _ = read(path)  # by suffix: the whole file is one text article
    assert docs[0].text.startswith('{"id"')


# --- duplicates -------------------------------------------------------------------------

def test_identical_texts_in_two_files_are_one_document(tmp_path):
    write(tmp_path / "one.txt", ARTICLE)
    write(tmp_path / "two" / "copy.txt", ARTICLE)
    write(tmp_path / "three.txt", SECOND)
    docs, errors = read(tmp_path)
    assert errors == []
    assert len(docs) == 2
    assert sorted(d.title for d in docs) == sorted(
        [TITLE, "Flood relief reaches the northern valleys"])


def test_identical_texts_across_formats_and_lines_are_one_document(tmp_path):
    text = "Aid trucks arrived in the flooded valleys on Thursday."
    path = write(tmp_path / "a.jsonl", jsonl({"id": "1", "text": text}, {"id": "2", "text": text}))
    plain = write(tmp_path / "b.txt", text)
    docs, errors = read(path, plain)
    assert errors == []
    assert [d.id for d in docs] == ["1"]


# --- bad input ---------------------------------------------------------------------------

def assert_one_error(errors: list[InputError], origin: str, *words: str) -> InputError:
    assert len(errors) == 1, errors
    error = errors[0]
    assert error.origin == origin
    message = str(error)
    assert message.startswith(f"{origin}: ")
    for word in words:
        assert word in message.lower(), message
    return error


def test_empty_file_is_reported_and_run_goes_on(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    empty = write(tmp_path / "b.txt", "")
    write(tmp_path / "c.txt", SECOND)
    docs, errors = read(tmp_path)
    assert_one_error(errors, str(empty), "empty")
    assert len(docs) == 2


@pytest.mark.parametrize("name", ["blank.txt", "blank.jsonl", "blank.html"])
def test_whitespace_only_file_is_reported(tmp_path, name):
    write(tmp_path / "a.txt", ARTICLE)
    blank = write(tmp_path / name, "  \n\t\n   \r\n\n")
    write(tmp_path / "z.txt", SECOND)
    docs, errors = read(tmp_path)
    assert_one_error(errors, str(blank), "empty")
    assert [d.title for d in docs] == [TITLE, "Flood relief reaches the northern valleys"]


@pytest.mark.parametrize("name", ["blob.txt", "blob.jsonl", "blob.html"])
def test_binary_file_is_reported(tmp_path, name):
    write(tmp_path / "a.txt", ARTICLE)
    blob = write(tmp_path / name, b"GIF89a\x01\x00\x01\x00\x00\xff\x00,\x00\x00\x00\x00\x02")
    write(tmp_path / "z.txt", SECOND)
    docs, errors = read(tmp_path)
    assert_one_error(errors, str(blob), "binary")
    assert len(docs) == 2


def test_invalid_utf8_in_txt_names_the_line_and_keeps_the_article(tmp_path):
    data = (b"Harbour talks stall\n"
            b"\n"
            b"Negotiators left the harbour town on Tuesday.\n"
            b"The minister said the offer caf\xe9 would stay on the table.\n"
            b"Unions called for mediation.\n")
    path = write(tmp_path / "bad.txt", data)
    other = write(tmp_path / "ok.txt", SECOND)
    items = list(read_inputs([str(path), str(other)]))
    docs = [i for i in items if isinstance(i, Document)]
    errors = [i for i in items if isinstance(i, InputError)]
    assert_one_error(errors, f"{path}:4", "utf-8")
    assert len(docs) == 2
    bad = docs[0]
    assert bad.origin == str(path)
    assert "caf\ufffd would stay" in bad.text
    assert bad.title == "Harbour talks stall"
    assert docs[1].origin == str(other)


def test_invalid_utf8_on_first_line_of_txt(tmp_path):
    path = write(tmp_path / "bad.txt", b"\xff\xfe Border talks resume\nThe talks resumed.\n")
    docs, errors = read(path)
    assert_one_error(errors, f"{path}:1", "utf-8")
    assert docs[0].title.startswith("\ufffd")


def test_utf8_bom_in_txt_is_not_part_of_title(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + SECOND.encode())
    docs, errors = read(path)
    assert errors == []
    assert docs[0].title == "Flood relief reaches the northern valleys"


def test_invalid_utf8_line_number_after_bom(tmp_path):
    path = write(tmp_path / "bom.txt", b"\xef\xbb\xbfFirst line\n\xffsecond line\n")
    _, errors = read(path)
    assert_one_error(errors, f"{path}:2", "utf-8")


def test_invalid_utf8_on_one_jsonl_line(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": "Aid trucks arrived on Thursday."}).encode(),
        b'{"id": "b", "text": "The caf\xe9 was closed by the police."}',
        json.dumps({"id": "c", "text": "Dock workers returned to work."}).encode(),
    ]
    path = write(tmp_path / "news.jsonl", b"\n".join(lines) + b"\n")
    docs, errors = read(path)
    assert_one_error(errors, f"{path}:2", "utf-8")
    assert [d.id for d in docs] == ["a", "c"]


def test_jsonl_with_utf8_bom(tmp_path):
    path = write(tmp_path / "bom.jsonl", b"\xef\xbb\xbf" + jsonl(
        {"id": "a", "text": "Aid trucks arrived."}, {"id": "b", "text": "Workers returned."},
    ).encode())
    docs, errors = read(path)
    assert errors == []
    assert [d.id for d in docs] == ["a", "b"]


def test_stdin_jsonl_with_utf8_bom_is_sniffed():
    data = b"\xef\xbb\xbf" + jsonl({"id": "a", "text": "Aid trucks arrived."}).encode()
    docs, _ = read("-", stdin=io.BytesIO(data))
    assert [d.id for d in docs] == ["a"]


def test_too_long_article_is_refused_and_small_one_kept(tmp_path):
    sentence = ("The committee said on Monday that the new bridge over the river would be "
                "finished before the end of the year, and that the cost had risen. ")
    repeats = 20_000_000 // len(sentence) + 1
    big = write(tmp_path / "a_big.txt", "Bridge report\n\n" + sentence * repeats)
    small = write(tmp_path / "b_small.txt", SECOND)
    docs, errors = read(tmp_path)
    error = assert_one_error(errors, str(big), "too long")
    assert f"{DEFAULT_MAX_CHARS:,}" in str(error)
    assert [d.origin for d in docs] == [str(small)]


def test_max_chars_is_configurable(tmp_path):
    path = write(tmp_path / "a.txt", ARTICLE)
    docs, errors = read(path, max_chars=len(ARTICLE) - 1)
    assert docs == []
    assert_one_error(errors, str(path), "too long")
    docs, errors = read(path, max_chars=len(ARTICLE))
    assert errors == [] and len(docs) == 1


@pytest.mark.parametrize("foreign", [FRENCH, GERMAN], ids=["french", "german"])
def test_non_english_text_is_refused(tmp_path, foreign):
    assert len(foreign.split()) >= 30
    write(tmp_path / "a.txt", ARTICLE)
    path = write(tmp_path / "b.txt", foreign)
    write(tmp_path / "c.txt", SECOND)
    docs, errors = read(tmp_path)
    assert_one_error(errors, str(path), "english")
    assert [d.title for d in docs] == [TITLE, "Flood relief reaches the northern valleys"]


def test_non_english_jsonl_line_is_refused_by_line(tmp_path):
    path = write(tmp_path / "a.jsonl", jsonl(
        {"id": "en", "text": SECOND}, {"id": "fr", "text": FRENCH}, {"id": "en2", "text": THIRD},
    ))
    docs, errors = read(path)
    assert_one_error(errors, f"{path}:2", "english")
    assert [d.id for d in docs] == ["en", "en2"]


def test_short_headline_is_not_judged_as_foreign(tmp_path):
    path = write(tmp_path / "a.txt", "Merkel trifft Macron in Paris")
    docs, errors = read(path)
    assert errors == [] and len(docs) == 1


@pytest.mark.parametrize(("line", "words"), [
    ('{"id": "x", "text": "Unclosed string}', ("malformed json",)),
    ('["Aid trucks arrived.", "2019-05-20"]', ("json object",)),
    ('"just a string"', ("json object",)),
    ('{"id": "x", "title": "No body here"}', ("text",)),
    ('{"id": "x", "text": 17}', ("text",)),
    ('{"id": "x", "text": "Aid trucks arrived.", "date": "20/05/2019"}', ("date", "iso")),
    ('{"id": "x", "text": "Aid trucks arrived.", "date": "May 20, 2019"}', ("date", "iso")),
    ('{"id": "x", "text": "Aid trucks arrived.", "date": 20190520}', ("date", "iso")),
    ('{"id": "x", "text": "   "}', ("empty",)),
], ids=["broken", "array", "string", "no-text", "text-not-str", "date-dmy", "date-words",
        "date-int", "blank-text"])
def test_malformed_jsonl_line_is_named_by_line(tmp_path, line, words):
    content = (jsonl({"id": "first", "text": "Aid trucks arrived on Thursday."})
               + line + "\n"
               + jsonl({"id": "last", "text": "Dock workers returned to work."}))
    path = write(tmp_path / "news.jsonl", content)
    docs, errors = read(path)
    assert_one_error(errors, f"{path}:2", *words)
    assert [d.id for d in docs] == ["first", "last"]


def test_many_malformed_jsonl_lines_each_reported(tmp_path):
    content = "\n".join([
        json.dumps({"id": "g1", "text": "Aid trucks arrived on Thursday."}),
        "{broken",
        json.dumps([1, 2, 3]),
        json.dumps({"id": "g2", "text": "Dock workers returned to work."}),
        json.dumps({"id": "nt"}),
        json.dumps({"id": "nd", "text": "A strike ended.", "date": "yesterday"}),
        json.dumps({"id": "g3", "text": "The governor thanked the volunteers."}),
    ]) + "\n"
    path = write(tmp_path / "news.jsonl", content)
    docs, errors = read(path)
    assert [e.origin for e in errors] == [f"{path}:{n}" for n in (2, 3, 5, 6)]
    assert all(str(e).startswith(f"{path}:") for e in errors)
    assert [d.id for d in docs] == ["g1", "g2", "g3"]


def test_html_without_text(tmp_path):
    write(tmp_path / "a.txt", ARTICLE)
    path = write(tmp_path / "b.html", (
        "<html><head><script>var tracking = {id: 1};</script></head>"
        "<body><div></div><div class='ad'></div><div id='app'></div>"
        "<script>document.getElementById('app').innerText = 'loading';</script>"
        "</body></html>"
    ))
    write(tmp_path / "c.txt", SECOND)
    docs, errors = read(tmp_path)
    assert_one_error(errors, str(path), "no article text found")
    assert len(docs) == 2


def test_path_that_does_not_exist(tmp_path):
    good = write(tmp_path / "a.txt", ARTICLE)
    missing = tmp_path / "nowhere" / "missing.txt"
    docs, errors = read(missing, good)
    assert_one_error(errors, str(missing), "no such file")
    assert [d.origin for d in docs] == [str(good)]


def test_errors_come_in_input_order_between_documents(tmp_path):
    write(tmp_path / "1.txt", ARTICLE)
    write(tmp_path / "2.txt", "")
    write(tmp_path / "3.txt", SECOND)
    write(tmp_path / "4.txt", b"\x00\x01\x02")
    write(tmp_path / "5.txt", THIRD)
    items = list(read_inputs([str(tmp_path)]))
    kinds = [(type(i).__name__, Path(i.origin).name) for i in items]
    assert kinds == [("Document", "1.txt"), ("InputError", "2.txt"), ("Document", "3.txt"),
                     ("InputError", "4.txt"), ("Document", "5.txt")]
