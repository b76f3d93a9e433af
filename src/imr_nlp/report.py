"""``imr-nlp report``: a self-contained corpus report from ``imr-nlp parse`` output.

:func:`summarize` turns letter records (JSON Lines, or the item rows of the Parquet table)
into one plain dict — the numbers of the report, written as JSON with ``--json`` — and
:func:`report_html` lays it out as one HTML page: every figure is an HTML table, and with
matplotlib installed (``pip install 'imr_nlp[report]'``) also an inline SVG plot.

Fields that not every version of the output carries (``treatment.service_type``,
``date_assigned``, item ``reasons``) are read with ``.get``: a section whose field no record
has is marked ``"available": false`` and shown as "not available".
"""

from __future__ import annotations

import datetime as dt
import io
import re
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from html import escape
from pathlib import Path
from typing import Any

import srsly

from .output import record_status
from .view import NOT_AVAILABLE, page
from .visualize import OUTCOME_COLORS

OUTCOMES = ("upheld", "overturned")
TOP_DRUGS = 15
TOP_WARNINGS = 10
# MME per day bins: CDC 2016 thresholds 50 and 90, the MTUS 120 MED ceiling.
MME_EDGES = (0, 20, 50, 90, 120, 200)
# Days from assignment to decision (IMR decisions are due within 30 days of the records).
DAY_EDGES = (0, 8, 15, 22, 31, 61)


# --------------------------------------------------------------------------- reading


def read_records(path: str | Path) -> list[dict[str, Any]]:
    """Letter records of ``imr-nlp parse`` output: a .jsonl file, a .parquet item table, or a
    folder of them (``imr-nlp parse-dask`` writes part-NNNNN.jsonl and .parquet: the JSON Lines
    are read when present, they hold more)."""
    path = Path(path)
    if path.is_dir():
        files = sorted(path.glob("*.jsonl")) or sorted(path.glob("*.parquet"))
        if not files:
            raise ValueError(f"{path}: no .jsonl or .parquet files")
        return [record for f in files for record in read_records(f)]
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".json"):
        return [record for record in srsly.read_jsonl(path) if isinstance(record, dict)]
    if suffix == ".parquet":
        return records_from_rows(_parquet_rows(path))
    raise ValueError(f"{path}: expected a .jsonl or .parquet file from imr-nlp parse")


def _parquet_rows(path: Path) -> list[dict[str, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as err:  # pragma: no cover - depends on the install
        raise SystemExit("Reading Parquet needs pyarrow: pip install 'imr_nlp[parquet]'") from err
    return pq.read_table(str(path)).to_pylist()


def _split(value: str | None) -> list[str]:
    return [v for v in (value or "").split("; ") if v]


# Table columns copied to the letter / treatment when a version of the table has them.
_LETTER_COLUMNS = ("decision_date", "date_assigned")
_TREATMENT_COLUMNS = ("service_type",)


def records_from_rows(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Letter records rebuilt from item rows (CSV/Parquet columns, one row per item).

    Only what the table holds comes back: no entities, no reviewer, no guideline documents;
    those sections of the report then say "not available".
    """
    records: dict[str, dict[str, Any]] = {}
    for row in rows:
        key = f"{row.get('id')}\x00{row.get('path')}"
        record = records.get(key)
        if record is None:
            record = {"id": row.get("id"), "path": row.get("path")}
            if row.get("error"):
                record["error"] = row["error"]
            else:
                record.update({"case_number": row.get("case_number"), "items": []})
                record.update({c: row[c] for c in _LETTER_COLUMNS if c in row})
            record["warnings"] = _split(row.get("warnings"))
            records[key] = record
        if row.get("error") or row.get("item_index") is None:
            continue
        drug = None
        if row.get("drug") or row.get("generic"):
            drug = {
                "text": row.get("drug"),
                "generic": row.get("generic"),
                "drug_class": row.get("drug_class"),
            }
        treatment = {"drug": drug, "quantity": row.get("quantity"), "mme_per_day": row.get("mme_per_day")}
        treatment.update({c: row[c] for c in _TREATMENT_COLUMNS if c in row})

        def guideline(sources: str | None) -> dict[str, Any] | None:
            return {"citations": [{"source": s} for s in _split(sources)]} if sources is not None else None

        record["items"].append(
            {
                "request": {"text": row.get("request") or ""},
                "outcome": row.get("outcome"),
                "original_request": {"text": row["original_request"]}
                if row.get("original_request")
                else None,
                "ur_authorized": {"text": row["ur_authorized"]} if row.get("ur_authorized") else None,
                "treatment": treatment,
                "claims_administrator_guideline": guideline(row.get("ca_guideline_sources")),
                "reviewer_guideline": guideline(row.get("reviewer_guideline_sources")),
            }
        )
    return list(records.values())


# --------------------------------------------------------------------------- numbers


def _rate(upheld: int, overturned: int) -> float | None:
    decided = upheld + overturned
    return overturned / decided if decided else None


def _outcome_rows(pairs: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """Rows {key, items, upheld, overturned, overturn_rate} from (key, outcome) pairs, biggest first."""
    counts: dict[str, Counter] = defaultdict(Counter)
    for key, outcome in pairs:
        counts[key][outcome] += 1
    rows = []
    for key, c in counts.items():
        rows.append(
            {
                "key": key,
                "items": sum(c.values()),
                "upheld": c["upheld"],
                "overturned": c["overturned"],
                "overturn_rate": _rate(c["upheld"], c["overturned"]),
            }
        )
    rows.sort(key=lambda r: (-r["items"], r["key"]))
    return rows


def _stats(values: list[float]) -> dict[str, Any]:
    if not values:
        return {"n": 0, "min": None, "median": None, "mean": None, "max": None}
    return {
        "n": len(values),
        "min": min(values),
        "median": statistics.median(values),
        "mean": statistics.fmean(values),
        "max": max(values),
    }


def _bins(values: list[float], edges: tuple[float, ...], unit: str = "") -> list[dict[str, Any]]:
    """Counts in [edge_i, edge_i+1) and [last edge, inf); values below the first edge get their own bin."""
    bins = []
    below = sum(1 for v in values if v < edges[0])
    if below:
        bins.append({"bin": f"< {edges[0]:g}{unit}", "from": None, "to": edges[0], "count": below})
    for lo, hi in zip(edges, (*edges[1:], None)):
        count = sum(1 for v in values if v >= lo and (hi is None or v < hi))
        label = f"{lo:g}–<{hi:g}{unit}" if hi is not None else f"≥ {lo:g}{unit}"
        bins.append({"bin": label, "from": lo, "to": hi, "count": count})
    return bins


def _iso_day(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _drug_key(drug: dict[str, Any]) -> str:
    return drug.get("generic") or " ".join((drug.get("text") or "").lower().split()) or "(unnamed)"


_QUOTED = re.compile(r"'[^']*'|\"[^\"]*\"")


def _warning_kind(warning: str) -> str:
    """A warning with its item-specific quoted part replaced, so alike warnings count together."""
    return _QUOTED.sub("'…'", warning)


def summarize(records: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The report's numbers (plain JSON types). Rates are overturned / (upheld + overturned)."""
    records = list(records)
    errors = [r for r in records if record_status(r) == "failed"]
    letters = [r for r in records if record_status(r) != "failed"]
    items = [(r, item) for r in letters for item in (r.get("items") or [])]

    def available(values: Iterable[bool]) -> bool:
        return any(values)

    treatments = [(item.get("treatment") or {}) for _, item in items]
    warning_kinds = Counter(_warning_kind(w) for r in records for w in dict.fromkeys(r.get("warnings") or []))

    # Service type, drug class, drugs.
    has_service = available("service_type" in t for t in treatments)
    service = _outcome_rows(
        (t.get("service_type") or "(none)", item["outcome"]) for t, (_, item) in zip(treatments, items)
    )
    drug_items = [(t["drug"], item) for t, (_, item) in zip(treatments, items) if t.get("drug")]
    drug_class = _outcome_rows(
        (d.get("drug_class") or "(unknown class)", item["outcome"]) for d, item in drug_items
    )
    drugs = _outcome_rows((_drug_key(d), item["outcome"]) for d, item in drug_items)

    # Guidelines the reviewer cited: each item counted once per distinct source / document.
    def cited(field: str) -> Iterator[tuple[str, str]]:
        for _, item in items:
            cites = (item.get("reviewer_guideline") or {}).get("citations") or []
            for value in dict.fromkeys(c.get(field) or "(none)" for c in cites if field in c):
                yield value, item["outcome"]

    all_cites = [
        c for _, item in items for c in ((item.get("reviewer_guideline") or {}).get("citations") or [])
    ]
    ca_cites = [
        c
        for _, item in items
        for c in ((item.get("claims_administrator_guideline") or {}).get("citations") or [])
    ]

    # MME per day.
    mme = [t["mme_per_day"] for t in treatments if t.get("mme_per_day") is not None]
    mme_range_only = (
        sum(1 for t in treatments if t.get("mme_per_day") is None and t.get("mme_per_day_range"))
        if any("mme_per_day_range" in t for t in treatments)
        else None  # not in the item table
    )
    opioid_items = sum(1 for t in treatments if (t.get("drug") or {}).get("drug_class") == "opioid")

    # Partial certifications.
    partial = [(r, item) for r, item in items if item.get("original_request")]

    # Days from assignment to decision.
    has_assigned = available("date_assigned" in r for r in letters)
    days = []
    for r in letters:
        start, end = _iso_day(r.get("date_assigned")), _iso_day(r.get("decision_date"))
        if start and end:
            days.append((end - start).days)

    # Reviewer specialties: each letter once per specialty, with its items' outcomes.
    has_reviewer = available("reviewer" in r for r in letters)
    specialty_letters = Counter(
        s for r in letters for s in dict.fromkeys((r.get("reviewer") or {}).get("specialties") or [])
    )
    specialty_rows = _outcome_rows(
        (s, item["outcome"])
        for r in letters
        for s in dict.fromkeys((r.get("reviewer") or {}).get("specialties") or [])
        for item in (r.get("items") or [])
    )
    by_specialty = {row["key"]: row for row in specialty_rows}
    specialties = [
        {
            "key": s,
            "letters": n,
            **{
                k: v
                for k, v in by_specialty.get(
                    s, {"items": 0, "upheld": 0, "overturned": 0, "overturn_rate": None}
                ).items()
                if k != "key"
            },
        }
        for s, n in sorted(specialty_letters.items(), key=lambda kv: (-kv[1], kv[0]))
    ]

    # Reasons (items carry "reasons" once that field exists).
    has_reasons = available("reasons" in item for _, item in items)
    reasons = _outcome_rows(
        (reason, item["outcome"])
        for _, item in items
        for reason in dict.fromkeys(x.get("reason") for x in (item.get("reasons") or []) if x.get("reason"))
    )

    outcome_counts = Counter(item.get("outcome") for _, item in items)
    years = sorted(
        _outcome_rows(
            ((r.get("decision_date") or "")[:4] or "(unknown)", item["outcome"]) for r, item in items
        ),
        key=lambda row: row["key"],
    )
    return {
        "letters": len(letters),
        "errors": len(errors),
        "error_reasons": [
            {"key": k, "count": n} for k, n in Counter(r["error"] for r in errors).most_common()
        ],
        "letters_with_warnings": sum(1 for r in letters if r.get("warnings")),
        "warnings": sum(len(r.get("warnings") or []) for r in letters),
        "top_warnings": [{"key": k, "count": n} for k, n in warning_kinds.most_common(TOP_WARNINGS)],
        "items": len(items),
        "letters_without_items": sum(1 for r in letters if not r.get("items")),
        "outcomes": {
            "upheld": outcome_counts["upheld"],
            "overturned": outcome_counts["overturned"],
            "overturn_rate": _rate(outcome_counts["upheld"], outcome_counts["overturned"]),
        },
        "by_decision_year": {"available": available("decision_date" in r for r in letters), "rows": years},
        "by_service_type": {"available": has_service, "rows": service if has_service else []},
        "by_drug_class": {"available": True, "items_naming_a_drug": len(drug_items), "rows": drug_class},
        "by_guideline_source": {
            "available": available("source" in c for c in all_cites),
            "rows": _outcome_rows(cited("source")),
        },
        "by_guideline_document": {
            "available": available("document" in c for c in all_cites),
            "rows": _outcome_rows(cited("document")),
        },
        "claims_administrator_sources": {
            "available": available("source" in c for c in ca_cites),
            "rows": [
                {"key": k, "count": n} for k, n in Counter(c.get("source") for c in ca_cites).most_common()
            ],
        },
        "top_drugs": {"available": True, "rows": drugs[:TOP_DRUGS]},
        "mme_per_day": {
            "available": True,
            "opioid_items": opioid_items,
            "items_with_mme": len(mme),
            "items_with_range_only": mme_range_only,
            **_stats(mme),
            "bins": _bins(mme, MME_EDGES),
        },
        "partial_certifications": {
            "items": len(partial),
            "upheld": sum(1 for _, item in partial if item["outcome"] == "upheld"),
            "overturned": sum(1 for _, item in partial if item["outcome"] == "overturned"),
            "rows": [
                {
                    "id": r.get("id"),
                    "case_number": r.get("case_number"),
                    "request": " ".join((item.get("request") or {}).get("text", "").split()),
                    "original_request": " ".join(item["original_request"].get("text", "").split()),
                    "ur_authorized": " ".join((item.get("ur_authorized") or {}).get("text", "").split())
                    or None,
                    "outcome": item["outcome"],
                }
                for r, item in partial
            ],
        },
        "days_assignment_to_decision": {
            "available": has_assigned,
            **_stats(days),
            "bins": _bins(days, DAY_EDGES, " d") if has_assigned else [],
        },
        "reviewer_specialties": {"available": has_reviewer, "rows": specialties},
        "reasons": {"available": has_reasons, "rows": reasons if has_reasons else []},
    }


# --------------------------------------------------------------------------- plots


def _matplotlib():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    return plt


_ID = re.compile(r'\bid="([^"]+)"')


def _svg(fig, prefix: str, label: str) -> str:
    """The figure as an inline <svg> element; its ids prefixed so several plots share one page."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
        fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, flags=re.S)
    ids = set(_ID.findall(svg))
    svg = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(
        r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})" if m.group(1) in ids else m.group(0), svg
    )
    svg = re.sub(
        r'href="#([^"]+)"',
        lambda m: f'href="#{prefix}-{m.group(1)}"' if m.group(1) in ids else m.group(0),
        svg,
    )
    return f'<svg role="img" aria-label="{escape(label)}" data-plot="{escape(prefix)}"' + svg[len("<svg") :]


def _outcome_plot(plt, rows: list[dict[str, Any]], title: str, prefix: str) -> str:
    rows = rows[:15][::-1]
    labels = [r["key"] for r in rows]
    fig, ax = plt.subplots(figsize=(6.4, 0.35 * len(rows) + 1.1))
    up = [r["upheld"] for r in rows]
    ov = [r["overturned"] for r in rows]
    ax.barh(labels, up, color=OUTCOME_COLORS["upheld"], label="upheld")
    ax.barh(labels, ov, left=up, color=OUTCOME_COLORS["overturned"], label="overturned")
    ax.set_xlabel("items")
    ax.set_title(title, fontsize=11)
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    svg = _svg(fig, prefix, title)
    plt.close(fig)
    return svg


def _count_plot(
    plt, labels: list[str], counts: list[int], title: str, xlabel: str, prefix: str, vertical: bool
) -> str:
    if vertical:
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
        ax.bar(labels, counts, color="#5b7fb8")
        ax.set_ylabel(xlabel)
    else:
        labels, counts = labels[::-1], counts[::-1]
        fig, ax = plt.subplots(figsize=(6.4, 0.35 * len(labels) + 1.1))
        ax.barh(labels, counts, color="#5b7fb8")
        ax.set_xlabel(xlabel)
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    svg = _svg(fig, prefix, title)
    plt.close(fig)
    return svg


# --------------------------------------------------------------------------- HTML


def _fmt(value: Any) -> str:
    if value is None:
        return '<span class="muted">—</span>'
    if isinstance(value, float):
        return escape(f"{value:.1f}" if abs(value) >= 10 or value == int(value) else f"{value:.2f}")
    return escape(str(value))


def _pct(value: float | None) -> str:
    return '<span class="muted">—</span>' if value is None else f"{100 * value:.1f}%"


def _table(head: list[str], rows: list[list[str]], numeric: set[int], css: str = "") -> str:
    out = [
        f'<table class="{css}">',
        "<tr>"
        + "".join(
            f'<th class="num">{escape(h)}</th>' if i in numeric else f"<th>{escape(h)}</th>"
            for i, h in enumerate(head)
        )
        + "</tr>",
    ]
    for row in rows:
        out.append(
            "<tr>"
            + "".join(
                f'<td class="num">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)
            )
            + "</tr>"
        )
    out.append("</table>")
    return "\n".join(out)


def _outcome_table(rows: list[dict[str, Any]], key_name: str, css: str) -> str:
    body = [
        [
            escape(str(r["key"])),
            _fmt(r["items"]),
            _fmt(r["upheld"]),
            _fmt(r["overturned"]),
            _pct(r["overturn_rate"]),
        ]
        for r in rows
    ]
    return _table([key_name, "items", "upheld", "overturned", "overturn rate"], body, {1, 2, 3, 4}, css)


def _not_available(what: str) -> str:
    return f'<p class="na">{escape(what)}: {NOT_AVAILABLE} (no record carries this field).</p>'


def report_html(
    summary: dict[str, Any], *, title: str = "IMR letters: corpus report", source: str | None = None
) -> str:
    """The report page of a :func:`summarize` result."""
    plt = _matplotlib()
    parts = [f"<h1>{escape(title)}</h1>"]
    if source:
        parts.append(f'<p class="muted">From {escape(source)}.</p>')
    if plt is None:
        parts.append(
            "<p class=\"na\">Plots need matplotlib (pip install 'imr_nlp[report]'); the numbers are in the tables.</p>"
        )
    o = summary["outcomes"]
    overview = [
        ["letters parsed", _fmt(summary["letters"])],
        ["inputs that failed (error records)", _fmt(summary["errors"])],
        ["letters with warnings", _fmt(summary["letters_with_warnings"])],
        ["warnings", _fmt(summary["warnings"])],
        ["letters without items", _fmt(summary["letters_without_items"])],
        ["disputed items", _fmt(summary["items"])],
        ["upheld", _fmt(o["upheld"])],
        ["overturned", _fmt(o["overturned"])],
        ["overturn rate", _pct(o["overturn_rate"])],
        ["partial certifications", _fmt(summary["partial_certifications"]["items"])],
    ]
    parts += ["<h2>Overview</h2>", _table(["", "count"], overview, {1}, "overview")]
    if summary["top_warnings"]:
        parts.append("<h3>Most frequent warnings</h3>")
        parts.append(
            _table(
                ["warning", "letters"],
                [[escape(r["key"]), _fmt(r["count"])] for r in summary["top_warnings"]],
                {1},
                "warnings",
            )
        )
    if summary["error_reasons"]:
        parts.append("<h3>Errors</h3>")
        parts.append(
            _table(
                ["error", "inputs"],
                [[escape(r["key"]), _fmt(r["count"])] for r in summary["error_reasons"]],
                {1},
                "errors",
            )
        )

    def outcome_section(name: str, section: dict[str, Any], key_name: str, css: str, note: str = "") -> None:
        parts.append(f"<h2>{escape(name)}</h2>")
        if not section.get("available", True):
            parts.append(_not_available(name))
            return
        if note:
            parts.append(f'<p class="muted">{escape(note)}</p>')
        if not section["rows"]:
            parts.append('<p class="muted">No items.</p>')
            return
        plot = _outcome_plot(plt, section["rows"], name, css) if plt else ""
        parts.append(f'<div class="plot">{plot}{_outcome_table(section["rows"], key_name, css)}</div>')

    outcome_section("Outcomes by decision year", summary["by_decision_year"], "year", "by-year")
    outcome_section("Outcomes by service type", summary["by_service_type"], "service type", "by-service-type")
    outcome_section(
        "Outcomes by drug class",
        summary["by_drug_class"],
        "drug class",
        "by-drug-class",
        f"{summary['by_drug_class']['items_naming_a_drug']} items name a drug.",
    )
    outcome_section(
        "Outcomes by guideline source (reviewer)",
        summary["by_guideline_source"],
        "source",
        "by-guideline-source",
        "Each item counted once per distinct source its reviewer guideline line cites.",
    )
    outcome_section(
        "Outcomes by guideline document (reviewer)",
        summary["by_guideline_document"],
        "document",
        "by-guideline-document",
        "Each item counted once per distinct document its reviewer guideline line cites.",
    )
    outcome_section("Top requested drugs", summary["top_drugs"], "drug (generic)", "top-drugs")
    outcome_section(
        "Reasons given in the rationale",
        summary["reasons"],
        "reason",
        "reasons",
        "Each item counted once per distinct reason.",
    )

    # MME per day.
    m = summary["mme_per_day"]
    parts.append("<h2>MME per day</h2>")
    parts.append(
        f'<p class="muted">{m["items_with_mme"]} items with a computed MME per day, of {m["opioid_items"]} opioid items. '
        + (
            f"{m['items_with_range_only']} more have only a range (units per dose given as a range)."
            if m["items_with_range_only"] is not None
            else ""
        )
        + "</p>"
    )
    stats_table = _table(
        ["n", "min", "median", "mean", "max"],
        [[_fmt(m["n"]), _fmt(m["min"]), _fmt(m["median"]), _fmt(m["mean"]), _fmt(m["max"])]],
        {0, 1, 2, 3, 4},
        "mme-stats",
    )
    bins_table = _table(
        ["MME per day", "items"], [[escape(b["bin"]), _fmt(b["count"])] for b in m["bins"]], {1}, "mme-bins"
    )
    plot = (
        _count_plot(
            plt,
            [b["bin"] for b in m["bins"]],
            [b["count"] for b in m["bins"]],
            "MME per day",
            "items",
            "mme",
            True,
        )
        if plt and m["n"]
        else ""
    )
    parts.append(f'<div class="plot">{plot}<div>{stats_table}{bins_table}</div></div>')

    # Days from assignment to decision.
    d = summary["days_assignment_to_decision"]
    parts.append("<h2>Days from assignment to decision</h2>")
    if not d["available"]:
        parts.append(_not_available("Date assigned"))
    else:
        stats_table = _table(
            ["letters", "min", "median", "mean", "max"],
            [[_fmt(d["n"]), _fmt(d["min"]), _fmt(d["median"]), _fmt(d["mean"]), _fmt(d["max"])]],
            {0, 1, 2, 3, 4},
            "days-stats",
        )
        bins_table = _table(
            ["days", "letters"], [[escape(b["bin"]), _fmt(b["count"])] for b in d["bins"]], {1}, "days-bins"
        )
        plot = (
            _count_plot(
                plt,
                [b["bin"] for b in d["bins"]],
                [b["count"] for b in d["bins"]],
                "Days from assignment to decision",
                "letters",
                "days",
                True,
            )
            if plt and d["n"]
            else ""
        )
        parts.append(f'<div class="plot">{plot}<div>{stats_table}{bins_table}</div></div>')

    # Reviewer specialties.
    s = summary["reviewer_specialties"]
    parts.append("<h2>Reviewer specialties</h2>")
    if not s["available"]:
        parts.append(_not_available("Reviewer specialties"))
    elif s["rows"]:
        rows = [
            [
                escape(r["key"]),
                _fmt(r["letters"]),
                _fmt(r["items"]),
                _fmt(r["upheld"]),
                _fmt(r["overturned"]),
                _pct(r["overturn_rate"]),
            ]
            for r in s["rows"]
        ]
        table = _table(
            ["specialty", "letters", "items", "upheld", "overturned", "overturn rate"],
            rows,
            {1, 2, 3, 4, 5},
            "specialties",
        )
        top = s["rows"][:15]
        plot = (
            _count_plot(
                plt,
                [r["key"] for r in top],
                [r["letters"] for r in top],
                "Reviewer specialties",
                "letters",
                "specialties",
                False,
            )
            if plt
            else ""
        )
        parts.append(f'<div class="plot">{plot}{table}</div>')

    # Partial certifications.
    p = summary["partial_certifications"]
    parts.append("<h2>Partial certifications</h2>")
    parts.append(
        f"<p>{p['items']} items were partially certified by UR ({p['upheld']} upheld, {p['overturned']} overturned at IMR).</p>"
    )
    if p["rows"]:
        rows = [
            [
                escape(r["case_number"] or r["id"] or ""),
                escape(r["request"]),
                escape(r["original_request"]),
                escape(r["ur_authorized"] or "—"),
                escape(r["outcome"]),
            ]
            for r in p["rows"]
        ]
        parts.append(
            _table(
                ["letter", "request (decided)", "original request", "UR authorized", "outcome"],
                rows,
                set(),
                "partial",
            )
        )
    parts.append(
        '<p class="muted">Made by imr_nlp (imr-nlp report). Overturn rate = overturned / (upheld + overturned).</p>'
    )
    return page(title, "\n".join(parts))
