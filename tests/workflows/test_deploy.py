"""The GitHub Actions workflows: tests and publishing (ci.yml), and the weekly drift run (drift.yml).

They cannot run here, so they are parsed and held to what they promise: CI runs the same command
as .ci/run and publishes the strictly built site from main only, after the tests pass; the drift
run upgrades Keras and TensorFlow past the lock and runs the suite against them.
"""

from __future__ import annotations

import re

import pytest
import yaml

from doctools.paths import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def load(name: str) -> dict:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text("utf8"))
    # YAML 1.1 reads the key `on` as the boolean True.
    workflow["on"] = workflow.pop(True, workflow.get("on"))
    return workflow


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def runs(job: dict) -> str:
    return "\n".join(step.get("run", "") for step in steps(job))


def uses(job: dict) -> list[str]:
    return [step["uses"] for step in steps(job) if "uses" in step]


@pytest.mark.parametrize("name", ["ci.yml", "drift.yml"])
def test_workflow_is_valid_and_pins_its_actions(name):
    workflow = load(name)
    assert workflow["name"] and workflow["on"] and workflow["jobs"]
    for job_name, job in workflow["jobs"].items():
        assert "runs-on" in job and steps(job), f"{name}: job {job_name} has no runner or no steps"
        for step in steps(job):
            assert ("uses" in step) != ("run" in step), f"{name}: {step} must either use an action or run a command"
        for action in uses(job):
            assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", action), f"{name}: {action} is not pinned to a commit"
        for need in [job.get("needs", [])] if isinstance(job.get("needs"), str) else job.get("needs", []):
            assert need in workflow["jobs"], f"{name}: job {job_name} needs an unknown job {need}"


def test_ci_runs_the_suite_and_publishes_main_after_it():
    workflow = load("ci.yml")
    jobs = workflow["jobs"]
    assert workflow["on"]["push"]["branches"] == ["main"] and "pull_request" in workflow["on"]

    test = jobs["test"]
    assert "bash .ci/run" in runs(test), "CI must run what .ci/run runs"
    assert "bookworm" in test["container"], "the tests run on Debian, whose chromium package they drive"
    assert test["timeout-minutes"] <= 90

    build = jobs["build"]
    assert build["needs"] == "test"
    assert "refs/heads/main" in build["if"] and "push" in build["if"]
    assert "python scripts/dev.py build" in runs(build)
    upload = next(step for step in steps(build) if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site", "dev.py build writes the site into site/"

    deploy = jobs["deploy"]
    assert deploy["needs"] == "build"
    assert any(action.startswith("actions/deploy-pages@") for action in uses(deploy))
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert workflow["permissions"] == {}, "no permission by default: each job is granted what it needs"
    assert test["permissions"] == {"contents": "read"} and build["permissions"] == {"contents": "read", "pages": "read"}
    writers = [n for n, j in jobs.items() if "write" in j.get("permissions", {}).values()]
    assert writers == ["deploy"], "only the deploy job may write"


def test_drift_runs_weekly_against_the_newest_keras_and_tensorflow():
    workflow = load("drift.yml")
    crons = [entry["cron"] for entry in workflow["on"]["schedule"]]
    assert crons and all(len(cron.split()) == 5 for cron in crons)
    assert "workflow_dispatch" in workflow["on"]

    job = workflow["jobs"]["drift"]
    commands = runs(job)
    assert "python scripts/dev.py newest-keras" in commands, "the job upgrades Keras and TensorFlow through dev.py"
    assert "python scripts/dev.py test --installed" in commands, "the suite runs in the upgraded environment"
    assert "python scripts/dev.py update --installed" in commands and "git diff" in commands, (
        "a failing run stores the diff of the outputs"
    )
    assert not re.search(r"-m pytest|uv (sync|lock)|dev\.py (test|update)\s*$", commands, re.MULTILINE), (
        "every command goes through dev.py, and never back to the lock"
    )
