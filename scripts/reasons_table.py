"""The analysts' table: why requests were upheld or overturned, by kind of treatment.

    python scripts/reasons_table.py samples/letters/2016-2017/txt samples/letters/2016-2017-batch2/txt \
        --markdown metrics/reasons-table.md --csv metrics/reasons-table.csv

Runs the shipped pipeline over the letters and counts, per group of items, how many items
give each reason and how many of those were upheld. The group is the item's
``treatment.service_type`` when the pipeline sets it (pharmaceutical items are split further
by drug class: "pharmaceutical: opioid"); without that field, drug items are grouped by
drug class ("drug: opioid", "drug: unknown class") and all others are "non-drug".
Counts are items, not letters; an item may give several reasons.
"""

from __future__ import annotations

import argparse
import csv
from collections import Counter, defaultdict
from pathlib import Path

from imr_nlp.normalize.reasons import REASONS


def group_of(item: dict) -> str:
    """The row an item is counted in (see the module docstring)."""
    treatment = item.get("treatment") or {}
    drug = treatment.get("drug") or {}
    drug_class = drug.get("drug_class") if drug else None
    if "service_type" in treatment:
        service = treatment.get("service_type") or "unknown"
        if drug:
            return f"{service}: {drug_class or 'unknown class'}"
        return service
    if drug:
        return f"drug: {drug_class or 'unknown class'}"
    return "non-drug"


def tabulate(records: list[dict]) -> dict[str, dict]:
    """``{group: {"items", "upheld", "reasons": {reason: [items, upheld]}}}`` plus an "all" row."""
    table: dict[str, dict] = defaultdict(lambda: {"items": 0, "upheld": 0, "reasons": defaultdict(lambda: [0, 0])})
    for record in records:
        for item in record.get("items") or []:
            upheld = item["outcome"] == "upheld"
            for group in (group_of(item), "all"):
                row = table[group]
                row["items"] += 1
                row["upheld"] += upheld
                for reason in {r["reason"] for r in item.get("reasons") or []}:
                    row["reasons"][reason][0] += 1
                    row["reasons"][reason][1] += upheld
    return dict(table)


def _rate(upheld: int, n: int) -> str:
    return f"{upheld / n:.0%}" if n else "–"


def markdown(table: dict[str, dict], n_letters: int) -> str:
    groups = sorted((g for g in table if g != "all"), key=lambda g: (-table[g]["items"], g)) + ["all"]
    lines = [
        f"Reasons by kind of treatment, {n_letters} letters, {table.get('all', {}).get('items', 0)} items. "
        "Each reason cell: items giving that reason (share of the row's items). The reasons against a "
        "request come from upheld items and criteria_met from overturned ones, so a reason's own uphold "
        "rate is 100% or 0% (in the CSV); the row's uphold rate is the informative one.",
        "",
        "| group | items | upheld | " + " | ".join(REASONS) + " |",
        "| --- | ---: | ---: | " + " | ".join("---:" for _ in REASONS) + " |",
    ]
    for group in groups:
        row = table.get(group)
        if row is None:
            continue
        cells = []
        for reason in REASONS:
            n, up = row["reasons"].get(reason, (0, 0))
            cells.append(f"{n} ({n / row['items']:.0%})" if n else "")
        name = f"**{group}**" if group == "all" else group
        lines.append(f"| {name} | {row['items']} | {_rate(row['upheld'], row['items'])} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def write_csv(table: dict[str, dict], path: Path) -> None:
    with path.open("w", encoding="utf8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["group", "reason", "items", "upheld", "uphold_rate"])
        for group, row in sorted(table.items()):
            writer.writerow([group, "", row["items"], row["upheld"], round(row["upheld"] / row["items"], 4)])
            for reason in REASONS:
                n, up = row["reasons"].get(reason, (0, 0))
                if n:
                    writer.writerow([group, reason, n, up, round(up / n, 4)])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", type=Path, nargs="+", help="letter files or folders (.txt)")
    parser.add_argument("--pipeline", type=Path, default=None, help="pipeline directory (default: shipped)")
    parser.add_argument("--markdown", type=Path)
    parser.add_argument("--csv", type=Path)
    args = parser.parse_args(argv)
    import imr_nlp
    from imr_nlp.output import to_dict

    files = sorted(f for p in args.paths for f in ([p] if p.is_file() else p.rglob("*.txt")))
    nlp = imr_nlp.load(args.pipeline)
    texts = (f.read_text(encoding="utf8") for f in files)
    records = [to_dict(doc, id=f.stem) for f, doc in zip(files, nlp.pipe(texts), strict=True)]
    table = tabulate(records)
    text = markdown(table, len(files))
    print(text)
    counts = Counter(group_of(i) for r in records for i in r["items"])
    print(f"groups: {dict(counts)}")
    if args.markdown:
        args.markdown.parent.mkdir(parents=True, exist_ok=True)
        args.markdown.write_text(text, encoding="utf8")
    if args.csv:
        args.csv.parent.mkdir(parents=True, exist_ok=True)
        write_csv(table, args.csv)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
