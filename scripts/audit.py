#!/usr/bin/env python3
"""Audit the built site as readers get it, and print the figures.

    python scripts/dev.py audit                 build the site strictly, then audit it
    python scripts/dev.py audit --site DIR      audit a site built before (e.g. site/)
    python scripts/dev.py audit --skip-lighthouse

It serves the site on 127.0.0.1 under the path of its site_url, as GitHub Pages does (gzip
included), and reports:

- Lighthouse (desktop preset) on the home page, a reference page, a guide and the calculator:
  performance, accessibility and best practices, each of which must be at least 95;
- axe-core on every page, in the light and the dark palette: no serious or critical violation;
- the bytes every page transfers (the search index aside): at most 400 KB;
- the internal links and anchors that do not resolve, and the external links (listed, not fetched).

Its exit status is 1 if any of these falls short. The same checks run in the test suite
(tests/browser/); this script reruns them on their own and prints every figure. Lighthouse's HTML
reports go to .artifacts/audit/lighthouse/.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from doctools.paths import ROOT
from doctools.site.build import build_site
from doctools.site.check import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    KEY_PAGES,
    WEIGHT_LIMIT,
    check_links,
    describe_violations,
    lighthouse_failures,
    lighthouse_table,
    node_tool_missing,
    run_axe,
    run_lighthouse,
    serve,
    set_palette,
    site_pages,
    watch,
    weigh,
    weight_table,
)


def heading(title: str) -> None:
    print(f"\n== {title}", flush=True)


def browse(site_dir: Path, base_url: str) -> list[str]:
    """axe-core in both palettes, console errors, off-site requests and weights, on every page."""
    from playwright.sync_api import sync_playwright

    failures, weights, checked = [], {}, 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for path in site_pages(site_dir):
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            load = watch(context.new_page())
            load.page.goto(base_url + path, wait_until="networkidle")
            weights[path] = weigh(load, site_dir, base_url)
            failures += [f"/{path}: {problem}" for problem in load.problems()]
            for scheme in ("default", "slate"):
                set_palette(load.page, scheme)
                violations = describe_violations(run_axe(load.page))
                failures += [f"/{path} [{scheme} palette] axe {line}" for line in violations]
                checked += 1
            context.close()
        browser.close()

    heading("Page weight (bytes; sent = gzip as GitHub Pages sends it)")
    print(weight_table(weights))
    failures += [
        f"/{path}: {weight.sent:,} bytes, over {WEIGHT_LIMIT:,}"
        for path, weight in weights.items()
        if weight.sent > WEIGHT_LIMIT
    ]
    heading("axe-core, console errors, requests")
    print(f"{len(weights)} pages, {checked} axe runs (light and dark palettes)")
    print("\n".join(failures) if failures else "no serious or critical violation, no console error, no failed request")
    return failures


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--site", type=Path, help="a built site to audit instead of building one")
    parser.add_argument("--skip-lighthouse", action="store_true", help="leave out Lighthouse (the slowest part)")
    args = parser.parse_args(argv)

    missing = node_tool_missing()
    if missing or not CHROMIUM.exists():
        print(f"cannot audit: {missing or f'no Chromium at {CHROMIUM} (apt-get install chromium)'}")
        return 2

    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        site_dir = args.site
        if site_dir is None:
            site_dir = Path(scratch) / "site"
            result = build_site(ROOT, site_dir)
            if result.returncode != 0:
                print(f"mkdocs build --strict failed:\n{result.stderr}{result.stdout}")
                return 1
        failures = []
        with serve(site_dir) as base_url:
            print(f"serving {site_dir} at {base_url}")

            heading("Links")
            links = check_links(site_dir)
            print(f"{links.checked} links checked, {len(links.problems)} broken")
            print("\n".join(links.problems))
            print(links.external_listing())
            failures += links.problems

            failures += browse(site_dir, base_url)

            if not args.skip_lighthouse:
                heading("Lighthouse (desktop preset)")
                lighthouse_started = time.monotonic()
                report_dir = ARTIFACTS / "audit" / "lighthouse"
                shutil.rmtree(report_dir, ignore_errors=True)
                results = run_lighthouse([base_url + path for path in KEY_PAGES], report_dir=report_dir)
                print(lighthouse_table(results, base_url))
                seconds = time.monotonic() - lighthouse_started
                print(f"{len(results)} pages in {seconds:.0f} s; reports in {report_dir}/")
                problems = lighthouse_failures(results)
                print("\n".join(problems))
                failures += problems

    heading("Result")
    print(f"{len(failures)} problems; the audit took {time.monotonic() - started:.0f} s")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
