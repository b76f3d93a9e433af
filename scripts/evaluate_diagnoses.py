"""Score ICD-10-CM codes of DIAGNOSIS mentions and the letter-level patient diagnoses.

Gold: span JSONL (``{"text", "spans": [...], "meta"}``) where every DIAGNOSIS span carries
``"icd10cm"`` (a code or null) and ``"patient"`` (true when the letter states the condition as
the injured worker's own). The pipeline runs on each letter's text.

(a) Code accuracy, by category (first three characters: M54, G56, F32) and by full code:
    - on gold DIAGNOSIS mentions the pipeline also found (a predicted DIAGNOSIS overlapping
      the gold span; the one sharing most characters), and over all gold mentions (a mention
      the pipeline missed counts as wrong);
    - "coder alone": the coder run on the gold span text itself (no span errors).
    A gold null is matched by a predicted null.
(b) Patient diagnoses: per letter, the set of categories (and, apart, full codes) of gold
    spans with patient true against the categories of the pipeline's ``diagnoses``; TP/FP/FN
    summed over letters (micro-averaged) into precision, recall and F1.

    python scripts/evaluate_diagnoses.py GOLD.jsonl [GOLD2.jsonl ...] [--output scores.json] [--errors]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import srsly
import typer

import imr_nlp
from imr_nlp.normalize.icd10cm import code_diagnosis
from imr_nlp.output import to_dict

app = typer.Typer(add_completion=False, help=__doc__)


def category(code: str | None) -> str | None:
    return code[:3] if code else None


def _code(value: Any) -> str | None:
    """A gold or predicted code: a string, an ``{"code"}`` dict, or None."""
    if isinstance(value, dict):
        value = value.get("code")
    return value.replace(" ", "") if value else None


def _same_full(gold: str | None, pred: str | None) -> bool:
    """Full codes agree; a gold injury code written with its 7th character ("S39.012A")
    matches the coder's code without it ("S39.012")."""
    if gold is None or pred is None:
        return gold == pred
    return gold == pred or (len(gold) == 8 and gold.startswith(pred) and gold[0] in "ST")


def _best_overlap(span: dict, predicted: list[dict]) -> dict | None:
    best, shared = None, 0
    for ent in predicted:
        n = min(span["end"], ent["end"]) - max(span["start"], ent["start"])
        if n > shared:
            best, shared = ent, n
    return best


def score_letter(record: dict, result: dict, counts: dict, errors: list | None) -> None:
    """Add one letter's counts; ``result`` is the pipeline's letter record (to_dict)."""
    text = record["text"]
    gold = [s for s in record["spans"] if s["label"] == "DIAGNOSIS"]
    predicted = [e for e in result["entities"] if e["label"] == "DIAGNOSIS"]
    for span in gold:
        g = _code(span.get("icd10cm"))
        counts["gold_mentions"] += 1
        alone = _code(code_diagnosis(text[span["start"] : span["end"]]))
        counts["alone_category"] += category(alone) == category(g)
        counts["alone_full"] += _same_full(g, alone)
        if errors is not None and category(alone) != category(g):
            errors.append({"kind": "coder_alone", "id": record.get("meta", {}).get("id"),
                           "gold_text": " ".join(text[span["start"]:span["end"]].split()), "gold": g, "pred": alone})
        match = _best_overlap(span, predicted)
        if match is None:
            continue
        p = _code(match.get("icd10cm"))
        counts["matched"] += 1
        counts["matched_category"] += category(p) == category(g)
        counts["matched_full"] += _same_full(g, p)
        if errors is not None and category(p) != category(g):
            errors.append({"kind": "found_mention", "id": record.get("meta", {}).get("id"), "gold_text": " ".join(text[span["start"]:span["end"]].split()),
                           "pred_text": " ".join(match["text"].split()), "gold": g, "pred": p})
    gold_patient = {_code(s.get("icd10cm")) for s in gold if s.get("patient") and _code(s.get("icd10cm"))}
    pred_patient = {_code(d["icd10cm"]) for d in result["diagnoses"] if _code(d["icd10cm"])}
    if errors is not None:
        gold_cats, pred_cats = {category(c) for c in gold_patient}, {category(c) for c in pred_patient}
        for d in result["diagnoses"]:
            c = _code(d["icd10cm"])
            if c and category(c) not in gold_cats:
                errors.append({"kind": "patient_fp", "id": record.get("meta", {}).get("id"), "text": d.get("text"), "pred": c})
        for s in gold:
            c = _code(s.get("icd10cm"))
            if s.get("patient") and c and category(c) not in pred_cats:
                errors.append({"kind": "patient_fn", "id": record.get("meta", {}).get("id"),
                               "text": " ".join(text[s["start"]:s["end"]].split()), "gold": c})
                pred_cats.add(category(c))  # list each missed category once
    for level, key in (("category", category), ("full", lambda c: c)):
        g_set = {key(c) for c in gold_patient}
        p_set = {key(c) for c in pred_patient}
        counts[f"patient_{level}_tp"] += len(g_set & p_set)
        counts[f"patient_{level}_fp"] += len(p_set - g_set)
        counts[f"patient_{level}_fn"] += len(g_set - p_set)


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0}


def summarize(counts: dict) -> dict[str, Any]:
    n, m = counts["gold_mentions"], counts["matched"]
    return {
        "letters": counts["letters"],
        "gold_diagnosis_mentions": n,
        "found_by_pipeline": m,
        "category_accuracy_found": round(counts["matched_category"] / m, 3) if m else None,
        "full_code_accuracy_found": round(counts["matched_full"] / m, 3) if m else None,
        "category_accuracy_all": round(counts["matched_category"] / n, 3) if n else None,
        "full_code_accuracy_all": round(counts["matched_full"] / n, 3) if n else None,
        "coder_alone_category_accuracy": round(counts["alone_category"] / n, 3) if n else None,
        "coder_alone_full_code_accuracy": round(counts["alone_full"] / n, 3) if n else None,
        "patient_categories": _prf(counts["patient_category_tp"], counts["patient_category_fp"], counts["patient_category_fn"]),
        "patient_full_codes": _prf(counts["patient_full_tp"], counts["patient_full_fp"], counts["patient_full_fn"]),
    }


def evaluate(records: list[dict], nlp: Any = None, errors: list | None = None) -> dict[str, Any]:
    nlp = nlp or imr_nlp.load()
    counts: dict = {k: 0 for k in (
        "letters", "gold_mentions", "matched", "matched_category", "matched_full", "alone_category", "alone_full",
        "patient_category_tp", "patient_category_fp", "patient_category_fn",
        "patient_full_tp", "patient_full_fp", "patient_full_fn",
    )}
    for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
        counts["letters"] += 1
        score_letter(record, to_dict(doc), counts, errors)
    return summarize(counts)


@app.command()
def main(
    gold: Annotated[list[Path], typer.Argument(help="Span JSONL files with icd10cm / patient on DIAGNOSIS spans.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the scores as JSON.")] = None,
    show_errors: Annotated[bool, typer.Option("--errors", help="List category errors (found mentions, coder alone) and patient-diagnosis FP/FN.")] = False,
) -> None:
    """Score ICD-10-CM codes and patient diagnoses against gold letters."""
    records = [r for path in gold for r in srsly.read_jsonl(path)]
    errors: list | None = [] if show_errors else None
    result = evaluate(records, errors=errors)
    typer.echo(json.dumps(result, indent=1))
    if errors:
        for e in errors:
            typer.echo(json.dumps(e), err=True)
    if output:
        output.write_text(json.dumps(result, indent=1) + "\n", encoding="utf8")


if __name__ == "__main__":
    app()
