"""Load the documentation engine for every test run, including runs on a single page."""

pytest_plugins = ["doctools.engine.plugin", "pytester"]
