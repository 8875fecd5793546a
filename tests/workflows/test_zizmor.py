"""The GitHub Actions workflows hold a deploy token, so they are audited like code: zizmor.

zizmor (the locked version, from the dev group) runs offline on .github/workflows/ with no
configuration and no ignore comments honoured, so a finding can only go away by fixing it. The
workflows also pin each action to a full commit with its release in a comment, the same commit
for the same action everywhere, so that an upgrade is one visible change.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from doctools.paths import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
ZIZMOR_OPTIONS = ["--offline", "--no-config", "--no-ignores", "--strict-collection", "--color=never", "--no-progress"]
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(\S+)(.*)$", re.MULTILINE)
PINNED = re.compile(r"(?P<action>[\w.-]+/[\w.-]+(?:/[\w./-]+)?)@(?P<sha>[0-9a-f]{40})")
VERSION_COMMENT = re.compile(r"\s+# v\d+\.\d+\.\d+\s*$")


def zizmor() -> Path:
    """zizmor from the locked environment this test runs in (never one found elsewhere on PATH)."""
    executable = Path(sys.executable).parent / ("zizmor.exe" if sys.platform == "win32" else "zizmor")
    if not executable.exists():
        pytest.fail(f"zizmor is not installed beside {sys.executable}: it is in the dev group of pyproject.toml")
    return executable


def audit(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [zizmor(), *ZIZMOR_OPTIONS, folder], capture_output=True, text=True, timeout=120, cwd=folder.parent
    )


def findings(result: subprocess.CompletedProcess) -> list[str]:
    """The headline of each finding, e.g. 'error[unpinned-uses]: unpinned action reference'."""
    return re.findall(r"^(?:error|warning|help|info|note)\[[\w-]+\].*$", result.stdout, re.MULTILINE)


def test_zizmor_finds_nothing_in_the_workflows():
    result = audit(WORKFLOWS)
    report = f"zizmor {' '.join(ZIZMOR_OPTIONS)} .github/workflows:\n{result.stdout}\n{result.stderr}"
    assert not findings(result), report
    assert result.returncode == 0, report
    assert "No findings to report" in result.stdout + result.stderr, report


def test_zizmor_catches_a_movable_tag_and_persisted_credentials(tmp_path):
    """The audit above can fail: the same workflows with one action on a tag and one checkout
    that keeps its credentials are reported."""
    planted = tmp_path / ".github" / "workflows"
    shutil.copytree(WORKFLOWS, planted)
    ci = planted / "ci.yml"
    text = ci.read_text("utf8")
    unpinned = re.sub(r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v7", text, count=1)
    unpinned = re.sub(r"\n\s+with:\n\s+persist-credentials: false", "", unpinned, count=1)
    assert unpinned != text and "actions/checkout@v7" in unpinned
    ci.write_text(unpinned, "utf8")

    result = audit(planted)
    found = "\n".join(findings(result))
    assert result.returncode != 0, result.stdout
    assert "[unpinned-uses]" in found and "[artipacked]" in found, result.stdout


def test_every_action_is_pinned_to_a_commit_with_its_release_in_a_comment():
    pins: dict[str, set[str]] = {}
    references = 0
    for workflow in sorted(WORKFLOWS.glob("*.y*ml")):
        for match in USES.finditer(workflow.read_text("utf8")):
            reference, rest = match[1], match[2]
            references += 1
            if reference.startswith("./"):
                continue  # an action of this repository: pinned by the checkout itself
            pinned = PINNED.fullmatch(reference)
            assert pinned, f"{workflow.name}: {reference} is not pinned to a full commit SHA"
            assert VERSION_COMMENT.fullmatch(rest), f"{workflow.name}: {reference} lacks its release as '# vX.Y.Z'"
            pins.setdefault(pinned["action"], set()).add(f"{pinned['sha']}{rest.strip()}")
    assert references, "no action found in the workflows: the pattern no longer reads them"
    differing = {action: sorted(shas) for action, shas in pins.items() if len(shas) > 1}
    assert not differing, f"one action pinned to different commits or releases: {differing}"
