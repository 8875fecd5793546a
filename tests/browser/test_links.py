"""Every internal link and #anchor of the built site resolves; link previews are complete.

The links are read from every HTML file of the built site (and its sitemap.xml), resolved as a
browser resolves them, and checked against the files and ids of the site. External links are
listed in the test output, never fetched: the tests run offline.
"""

from __future__ import annotations

import struct
from html.parser import HTMLParser

import pytest

from doctools.site.check import check_links, page_file, site_pages, site_url_setting


def test_every_internal_link_and_anchor_resolves(built_site, record_property):
    report = check_links(built_site)
    record_property("report: External links", report.external_listing())
    assert report.checked > 100, f"only {report.checked} links were found: is the site empty?"
    assert not report.problems, f"{len(report.problems)} broken links or anchors:\n" + "\n".join(report.problems)


def test_the_link_check_finds_broken_links(tmp_path, monkeypatch):
    """The checker itself, on a small site with one broken link of each kind."""
    base = site_url_setting()
    (tmp_path / "guide").mkdir()
    (tmp_path / "index.html").write_text(
        '<h2 id="top">Top</h2><a href="guide/">ok</a><a href="guide/#part">ok</a><a href="#top">ok</a>'
        '<a href="missing/">broken</a><a href="guide/#nowhere">broken</a>'
        f'<a href="{base}guide/">ok</a><a href="https://keras.io/api/">outside</a>'
        '<img src="../../elsewhere.png"><a href="mailto:someone@example.org">mail</a>'
    )
    (tmp_path / "guide" / "index.html").write_text('<p id="part">Part</p><a href="../#top">ok</a>')
    (tmp_path / "sitemap.xml").write_text(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{base}</loc></url><url><loc>{base}guide/</loc></url><url><loc>{base}gone/</loc></url></urlset>"
    )
    report = check_links(tmp_path)
    problems = "\n".join(report.problems)
    assert "'missing/'" in problems
    assert "no id 'nowhere'" in problems
    assert "'../../elsewhere.png' points outside the site" in problems
    assert "sitemap.xml: 'gone/'" in problems
    assert len(report.problems) == 4, problems
    assert set(report.external) == {"https://keras.io/api/"}


class Meta(HTMLParser):
    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.canonical = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        key = attributes.get("property") or attributes.get("name")
        if tag == "meta" and key:
            self.values[key] = attributes.get("content") or ""
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes.get("href")


PREVIEW_TAGS = [
    "description",
    "og:type",
    "og:site_name",
    "og:title",
    "og:description",
    "og:url",
    "og:image",
    "og:image:alt",
    "twitter:card",
    "twitter:title",
    "twitter:description",
    "twitter:image",
]


def test_every_page_has_link_preview_tags(built_site):
    problems = []
    for path in site_pages(built_site):
        meta = Meta()
        meta.feed(page_file(built_site, path).read_text("utf8"))
        missing = [tag for tag in PREVIEW_TAGS if not meta.values.get(tag, "").strip()]
        if missing:
            problems.append(f"/{path}: no {', '.join(missing)}")
        if meta.values.get("og:url") != meta.canonical or meta.canonical != site_url_setting() + path:
            problems.append(f"/{path}: og:url {meta.values.get('og:url')} is not the canonical URL {meta.canonical}")
        if meta.values.get("twitter:card") != "summary_large_image":
            problems.append(f"/{path}: twitter:card is {meta.values.get('twitter:card')!r}")
    assert not problems, "\n".join(problems)


@pytest.fixture
def preview_image(built_site):
    meta = Meta()
    meta.feed((built_site / "index.html").read_text("utf8"))
    url = meta.values["og:image"]
    assert url.startswith(site_url_setting()), url
    return built_site / url[len(site_url_setting()) :]


def test_the_preview_image_is_a_1200_by_630_png_of_the_site(preview_image):
    data = preview_image.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{preview_image} is not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (1200, 630)
    assert len(data) < 200_000, "the preview image should stay small"
