"""Evaluate disputed items and document attributes against hand-made gold (corpus/items_gold.jsonl).

Gold items that carry the "what was disputed" fields (service_type, sessions, sessions_range,
duration_days, body_regions) are scored on those too; a gold file holding only those fields
per item (corpus/items_gold_batch2.jsonl) is scored on them alone:
``python scripts/evaluate_items.py --gold corpus/items_gold_batch2.jsonl``.

For each gold letter the pipeline's record is compared field by field: item found (matched in
order by request text), outcome, partial-certification spans, drug generic and class,
strength, quantity, refills, frequency, guideline citation sources and pages, rationale
boundaries, and the document attributes. Prints a Markdown table; ``--output`` writes JSON.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import srsly
import typer

ROOT = Path(__file__).resolve().parent.parent

app = typer.Typer(add_completion=False)


def flat(text: str | None) -> str | None:
    return " ".join(text.split()) if text else None


def _citations(guideline: dict | None) -> list[tuple[str, list[int]]]:
    return [(c["source"], c["pages"]) for c in (guideline or {}).get("citations", [])]


def compare_letter(gold: dict, record: dict, tally: dict[str, list[int]], errors: list[str]) -> None:
    """Add (correct, total) counts per field to ``tally`` and describe each miss in ``errors``."""

    def check(field: str, expected, got, where: str) -> None:
        ok = expected == got
        tally[field][0] += ok
        tally[field][1] += 1
        if not ok:
            errors.append(f"{gold['id']} {where} {field}: expected {expected!r}, got {got!r}")

    for key in ("case_number", "decision_date", "date_of_injury", "ur_decision_date", "patient"):
        check(key, gold[key], record[key], "letter")
    check("reviewer.specialties", gold["reviewer"]["specialties"], record["reviewer"]["specialties"], "letter")
    check("reviewer.licensure", gold["reviewer"]["licensure"], record["reviewer"]["licensure"], "letter")
    got_items = list(record["items"])
    check("item count", len(gold["items"]), len(got_items), "letter")
    for index, expected in enumerate(gold["items"]):
        item = got_items[index] if index < len(got_items) else None
        where = f"item {index + 1} ({expected['request'][:40]!r})"
        check("item request", expected["request"], flat(item["request"]["text"]) if item else None, where)
        if item is None:
            continue
        treatment = item["treatment"] or {}
        drug = treatment.get("drug") or {}
        strength = treatment.get("strength") or {}
        frequency = treatment.get("frequency") or {}
        check("outcome", expected["outcome"], item["outcome"], where)
        check("original_request", expected["original_request"], flat((item["original_request"] or {}).get("text")), where)
        check("ur_authorized", expected["ur_authorized"], flat((item["ur_authorized"] or {}).get("text")), where)
        check("drug generic", expected["drug_generic"], drug.get("generic"), where)
        check("drug class", expected["drug_class"], drug.get("drug_class"), where)
        check("strength", (expected["strength_values"], expected["strength_unit"]),
              (strength.get("values"), strength.get("unit")) if strength else (None, None), where)
        check("quantity", expected["quantity"], treatment.get("quantity"), where)
        check("refills", expected["refills"], treatment.get("refills"), where)
        check("frequency", (expected["frequency_per_day"], expected["frequency_per_week"]),
              (frequency.get("per_day"), frequency.get("per_week")), where)
        check("CA citations (source+pages)", [(c["source"], c["pages"]) for c in expected["ca_citations"]],
              _citations(item["claims_administrator_guideline"]), where)
        check("reviewer citations (source+pages)", [(c["source"], c["pages"]) for c in expected["reviewer_citations"]],
              _citations(item["reviewer_guideline"]), where)
        rationale = flat((item["rationale"] or {}).get("text")) or ""
        check("rationale boundaries",
              (True, True),
              (rationale.startswith(flat(expected["rationale_first_words"]) or ""),
               rationale.endswith(flat(expected["rationale_last_words"]) or "")), where)


SERVICE_FIELDS = ("service_type", "sessions", "sessions_range", "duration_days", "body_regions")


def compare_services(gold: dict, record: dict, tally: dict[str, list[int]], errors: list[str]) -> None:
    """Score the SPEC 4a fields of each gold item against the pipeline item with the same
    request text (a gold item the pipeline did not find counts as wrong on every field)."""
    found = {}
    for item in record["items"]:
        found.setdefault(flat(item["request"]["text"]), item)
    for expected in gold["items"]:
        if "service_type" not in expected:
            continue
        item = found.get(expected["request"])
        treatment = (item or {}).get("treatment") or {}
        for field in SERVICE_FIELDS:
            got = treatment.get(field) if item else "<item not found>"
            ok = expected[field] == got
            tally[field][0] += ok
            tally[field][1] += 1
            if not ok:
                errors.append(f"{gold['id']} {expected['request'][:60]!r} {field}: expected {expected[field]!r}, got {got!r}")


@app.command()
def main(
    gold: Path = typer.Option(ROOT / "corpus" / "items_gold.jsonl", help="Hand-made item gold (JSONL)."),
    pipeline: Path | None = typer.Option(None, help="Pipeline dir (default: the shipped pipeline)."),
    output: Path | None = typer.Option(None, help="Write the scores as JSON here."),
    show_errors: bool = typer.Option(False, "--errors", help="List every mismatch."),
) -> None:
    """Score the pipeline's items and document attributes against the gold letters."""
    import imr_nlp
    from imr_nlp.output import to_dict

    nlp = imr_nlp.load(pipeline)
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    errors: list[str] = []
    golds = list(srsly.read_jsonl(gold))
    for letter in golds:
        text = (ROOT / letter["source"]).read_text(encoding="utf8")
        record = to_dict(nlp(text), id=letter["id"])
        if "case_number" in letter:  # full item gold; batch-2 gold holds only the SPEC 4a fields
            compare_letter(letter, record, tally, errors)
        compare_services(letter, record, tally, errors)
    rows = {field: {"correct": c, "total": t, "accuracy": round(c / t, 4) if t else None} for field, (c, t) in tally.items()}
    typer.echo(f"{len(golds)} letters, {sum(len(g['items']) for g in golds)} gold items\n")
    typer.echo("| field | correct / total | accuracy |\n| --- | --- | --- |")
    for field, row in rows.items():
        typer.echo(f"| {field} | {row['correct']} / {row['total']} | {row['accuracy']:.3f} |")
    if show_errors:
        typer.echo("\n" + "\n".join(errors))
    if output:
        output.write_text(json.dumps({"letters": len(golds), "fields": rows, "errors": errors}, indent=2))


if __name__ == "__main__":
    app()
