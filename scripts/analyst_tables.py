"""What was disputed: Markdown tables for analysts from ``imr-nlp parse`` JSON Lines output.

    imr-nlp parse samples/letters/2016-2017/txt samples/letters/2016-2017-batch2/txt \\
        --output letters.jsonl --no-progress
    python scripts/analyst_tables.py letters.jsonl

Prints, over all disputed items: the share of items and the uphold rate per service type;
per drug class for pharmaceutical items; and the median days from the IMR assignment to
the decision (record ``date_assigned`` → ``decision_date``; letters without either date are
left out, and the column says so when no record has both). Error records (unreadable
inputs) are counted and skipped.
"""

from __future__ import annotations

import statistics
import sys
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import srsly
import typer

app = typer.Typer(add_completion=False)

SERVICE_ORDER = (
    "pharmaceutical",
    "injection",
    "surgery",
    "physical_medicine",
    "dme",
    "imaging",
    "diagnostic_test",
    "evaluation_management",
    "psychological",
    "program",
    "home_health",
    "other",
)


def days_to_decision(record: dict) -> int | None:
    """Days from ``date_assigned`` to ``decision_date`` (ISO dates), or None when either is missing."""
    assigned, decided = record.get("date_assigned"), record.get("decision_date")
    if not assigned or not decided:
        return None
    try:
        days = (date.fromisoformat(decided) - date.fromisoformat(assigned)).days
    except ValueError:
        return None
    return days if days >= 0 else None


class _Group:
    def __init__(self) -> None:
        self.items = 0
        self.upheld = 0
        self.days: list[int] = []

    def add(self, outcome: str | None, days: int | None) -> None:
        self.items += 1
        self.upheld += outcome == "upheld"
        if days is not None:
            self.days.append(days)


def _rows(groups: dict[str, _Group], total: int, order: Iterable[str]) -> list[str]:
    lines = []
    for key in order:
        group = groups.get(key)
        if not group or not group.items:
            continue
        median = f"{statistics.median(group.days):g}" if group.days else "n/a"
        lines.append(
            f"| {key} | {group.items} | {group.items / total:.1%} | {group.upheld / group.items:.1%} | {median} |"
        )
    return lines


def tables(records: Iterable[dict]) -> str:
    """The Markdown report for an iterable of letter records."""
    by_service: dict[str, _Group] = defaultdict(_Group)
    by_class: dict[str, _Group] = defaultdict(_Group)
    letters = errors = with_dates = 0
    letter_days: list[int] = []
    for record in records:
        if record.get("error"):
            errors += 1
            continue
        letters += 1
        days = days_to_decision(record)
        if days is not None:
            with_dates += 1
            letter_days.append(days)
        for item in record.get("items") or []:
            treatment = item.get("treatment") or {}
            service = treatment.get("service_type") or "other"
            by_service[service].add(item.get("outcome"), days)
            if service == "pharmaceutical":
                drug_class = ((treatment.get("drug") or {}).get("drug_class")) or "(class unknown)"
                by_class[drug_class].add(item.get("outcome"), days)
    total = sum(g.items for g in by_service.values())
    upheld = sum(g.upheld for g in by_service.values())
    out = [
        f"{letters} letters, {total} disputed items, {upheld / total:.1%} upheld"
        if total
        else f"{letters} letters, no disputed items",
    ]
    if errors:
        out[0] += f" ({errors} unreadable inputs skipped)"
    if letter_days:
        out.append(
            f"Median days from assignment to decision: {statistics.median(letter_days):g} "
            f"({with_dates} of {letters} letters have both dates)."
        )
    else:
        out.append(
            "Median days from assignment to decision: n/a (no record has both date_assigned and decision_date)."
        )
    header = "| {} | items | share | upheld | median days assigned → decision |\n| --- | ---: | ---: | ---: | ---: |"
    out += ["", "**By service type**", "", header.format("service type")]
    out += _rows(by_service, total, SERVICE_ORDER)
    pharma = by_service["pharmaceutical"].items if "pharmaceutical" in by_service else 0
    if pharma:
        out += ["", "**Pharmaceutical items by drug class** (share of pharmaceutical items)", ""]
        out.append(header.format("drug class"))
        order = sorted(by_class, key=lambda k: (-by_class[k].items, k))
        out += _rows(by_class, pharma, order)
    return "\n".join(out) + "\n"


@app.command()
def main(
    inputs: list[Path] = typer.Argument(None, help="JSONL files from `imr-nlp parse` (default: stdin)."),
) -> None:
    """Print the analysts' tables for the parsed letters."""
    if inputs:
        records = (record for path in inputs for record in srsly.read_jsonl(path))
    else:
        records = (srsly.json_loads(line) for line in sys.stdin if line.strip())
    typer.echo(tables(records), nl=False)


if __name__ == "__main__":
    app()
