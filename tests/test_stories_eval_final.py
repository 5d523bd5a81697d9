"""The lead's final evaluation (benchmarks/stories_eval.py --final): it refuses to run without
--unseal (it runs the held-out sets), and its table is built from real result files: a real
run of the seeds set through the indexer gives a row with intervals and the goals checked."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import stories_eval  # noqa: E402


def test_final_needs_unseal(capsys):
    assert stories_eval.main(["--final", "smoke"]) == 2
    assert "--unseal" in capsys.readouterr().err


def test_final_table_from_a_real_run_of_the_seeds(tmp_path, monkeypatch):
    monkeypatch.setattr(stories_eval, "RESULTS", tmp_path)
    monkeypatch.setattr(stories_eval, "WORK", tmp_path / "work")
    res = stories_eval.evaluate("seeds", "smoke", 50)
    path = stories_eval._write(res)
    assert path.name == "stories-eval-seeds-smoke.json" and json.loads(path.read_text(encoding="utf-8"))["documents"] == 5
    combined, md = stories_eval.final_table("smoke")
    assert combined["sets"]["storygen4-heldout"] == {"missing": True}
    seeds = combined["sets"]["seeds"]
    assert seeds["documents"] == 5 and seeds["credits"]["gold"] > 0
    row = next(line for line in md.splitlines() if line.startswith("| seeds |"))
    p = res["pairs"]["precision"]
    assert f"{p:.3f} [" in row  # the figure with its interval
    verdicts = [line for line in md.splitlines() if line.startswith("| seeds | credits precision >= 0.97")]
    assert len(verdicts) == 1 and verdicts[0].rstrip(" |").split("| ")[-1] in ("met", "not met", "inside the noise")


@pytest.mark.slow
def test_final_run_end_to_end_on_the_sets_anyone_may_run(tmp_path, monkeypatch):
    """The whole final path (indexing, scoring, the credit sentence sets in their own process,
    both reports) on the seeds and the dev halves only: the held-out sets stay unrun."""
    monkeypatch.setattr(stories_eval, "RESULTS", tmp_path)
    monkeypatch.setattr(stories_eval, "WORK", tmp_path / "work")
    assert stories_eval.final_run("smoke", 50, False, 0, sets=("seeds",), credit_halves=(("phrasings", "dev"), ("real", "dev"))) == 0
    combined = json.loads((tmp_path / "stories-eval-final-smoke.json").read_text(encoding="utf-8"))
    md = (tmp_path / "stories-eval-final-smoke.md").read_text(encoding="utf-8")
    assert combined["sets"]["seeds"]["documents"] == 5
    for half in ("phrasings-dev", "real-dev"):
        r = combined["credits_phrasings"][half]
        assert "error" not in r and r["all"]["tp"] + r["all"]["fn"] > 10
        assert f"| {half} | {r['cases']} |" in md
