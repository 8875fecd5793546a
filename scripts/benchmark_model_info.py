"""How long model_info (Python) and modelInfo (JavaScript) take on the largest keras.applications config.

    python scripts/dev.py model-benchmark [--repeat N] [--no-browser]

Reads the configs from tests/calculator/model_vectors.json.gz (``python scripts/dev.py model-vectors``),
picks the one with the most layers, and times, after one warm-up call each:

- ``model_info`` in this CPython process (the goal: under 200 ms);
- ``modelInfo`` in Node.js (``node`` on PATH);
- ``modelInfo`` in Debian's Chromium, headless, on a page served from localhost (the goal: under 50 ms).

Parsing the JSON is not counted: the functions receive the config as data. A benchmark, not a test:
the figures depend on the machine, and nothing fails when a goal is missed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gzip
import http.server
import json
import shutil
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from snippets.conv_arithmetic import model_info

ROOT = Path(__file__).resolve().parent.parent
VECTORS = ROOT / "tests" / "calculator" / "model_vectors.json.gz"
CHROMIUM = Path("/usr/bin/chromium")

# Times modelInfo on CONFIG `repeat` times after a warm-up; prints the milliseconds as JSON.
JS_TIMING = """
const config = CONFIG;
modelInfo(config);
const times = [];
for (let i = 0; i < REPEAT; i++) {
  const start = performance.now();
  modelInfo(config);
  times.push(performance.now() - start);
}
"""


def count_layers(config: dict) -> int:
    return sum(
        1 + (count_layers(entry["config"]) if entry["class_name"] in ("Sequential", "Functional") else 0)
        for entry in config["layers"]
    )


def summary(times_ms: list[float]) -> str:
    return f"median {statistics.median(times_ms):7.1f} ms   best {min(times_ms):7.1f} ms"


def time_python(config: dict, repeat: int) -> list[float]:
    model_info(config)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        model_info(config)
        times.append((time.perf_counter() - start) * 1000)
    return times


def time_node(name: str, repeat: int) -> list[float] | None:
    node = shutil.which("node")
    if node is None:
        return None
    module = (ROOT / "docs" / "javascripts" / "conv-calculator.mjs").as_uri()
    script = (
        'import { readFileSync } from "node:fs"; import { gunzipSync } from "node:zlib";\n'
        f'import {{ modelInfo }} from "{module}";\n'
        f"const data = JSON.parse(gunzipSync(readFileSync({json.dumps(str(VECTORS))})).toString());\n"
        + JS_TIMING.replace("CONFIG", f"data.models[{json.dumps(name)}].config").replace("REPEAT", str(repeat))
        + "console.log(JSON.stringify(times));"
    )
    result = subprocess.run([node, "--input-type=module", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(result.stdout)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@contextlib.contextmanager
def serve(directory: Path):
    """A static HTTP server on localhost for ``directory``; yields its base URL."""
    handler = functools.partial(QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


def time_chromium(config: dict, repeat: int) -> list[float] | None:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    if not CHROMIUM.exists():
        return None
    script = (
        'const { modelInfo } = await import("/javascripts/conv-calculator.mjs");\n'
        + JS_TIMING.replace("CONFIG", "window.CONFIG").replace("REPEAT", str(repeat))
        + "return times;"
    )
    with serve(ROOT / "docs") as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_page()
        page.goto(f"{base}/javascripts/")  # a directory listing: any page of this origin will do
        page.evaluate("config => { window.CONFIG = config; }", config)
        times = page.evaluate(f"async () => {{ {script} }}")
        browser.close()
    return times


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    args = parser.parse_args(argv)
    models = json.loads(gzip.decompress(VECTORS.read_bytes()))["models"]
    name = max(models, key=lambda n: count_layers(models[n]["config"]))
    config = models[name]["config"]
    size = len(json.dumps(config)) / 1e6
    print(f"{name}: {count_layers(config)} layers, {size:.1f} MB of JSON; {args.repeat} runs each")
    python = summary(time_python(config, args.repeat))
    print(f"  model_info, CPython {sys.version.split()[0]}:  {python}   (goal < 200 ms)")
    node = time_node(name, args.repeat)
    print(f"  modelInfo, Node.js:          {summary(node) if node else 'skipped: no node on PATH'}")
    if not args.no_browser:
        chromium = time_chromium(config, args.repeat)
        print(f"  modelInfo, Chromium:         {summary(chromium) + '   (goal < 50 ms)' if chromium else 'skipped'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
