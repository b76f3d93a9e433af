"""The README's test command is the one CI runs."""

from __future__ import annotations

from conftest import ROOT


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf8")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf8")
    command = next(line for line in ci.splitlines() if "pytest" in line)
    assert command.strip() in readme


def test_readme_output_example_points_into_the_seed_letter():
    """Offsets quoted in the README's output example are the pipeline's real ones."""
    import json
    import re

    import imr_nlp
    from imr_nlp.output import to_dict

    readme = (ROOT / "README.md").read_text(encoding="utf8")
    text = (ROOT / "samples/letters/seeds-2014/002_8a90cba33b8aca59.txt").read_text(encoding="utf8")
    record = to_dict(imr_nlp.load()(text), id="002_8a90cba33b8aca59")
    entities = {(e["start"], e["end"], e["text"]) for e in record["entities"]}
    quoted = re.findall(r'\{"label": "(\w+)", "start": (\d+), "end": (\d+), "text": ("[^"]*")', readme)
    assert len(quoted) >= 4
    for _, start, end, quoted_text in quoted:
        assert (int(start), int(end), json.loads(quoted_text)) in entities
    item = record["items"][0]
    assert f'"request": {{"start": {item["request"]["start"]}, "end": {item["request"]["end"]},' in readme
    assert f'"rationale": {{"start": {item["rationale"]["start"]}, "end": {item["rationale"]["end"]},' in readme
    assert item["treatment"]["mme_per_day_range"] == [60.0, 120.0]
