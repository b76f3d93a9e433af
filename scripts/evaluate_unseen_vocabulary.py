"""Score rules vs rules + trained component on dev letters as if their conditions were unseen.

The rules' DIAGNOSIS lexicon was written while reading the training letters, dev included,
so on dev the rules miss almost nothing and a model can only add false spans; the held-out
letters must not be used to tune the combination. This check simulates unseen vocabulary
on dev instead: every lexicon head that occurs in a dev letter's gold DIAGNOSIS spans but in
no other training letter's gold is removed from the lexicon, then DIAGNOSIS is scored for
the rules alone and for rules + model at several operating points (the ``margin`` of
``imr_diagnosis_tagger``, the ``threshold`` of ``imr_linear_ner``).

    python scripts/evaluate_unseen_vocabulary.py training/corpus/dev.jsonl corpus/annotated \\
        --weights training/diagnosis_tagger --output metrics/unseen-vocabulary.md
    python scripts/evaluate_unseen_vocabulary.py training/corpus/dev.jsonl corpus/annotated \\
        --pipeline training/assembled --model imr_linear_ner --values 0,0.5,0.9,0.98
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from evaluate import evaluate_pipeline, read_gold
from spacy.language import Language

import imr_nlp
import imr_nlp.normalize.diagnoses as diagnoses
from imr_nlp.resources import using

LABEL = "DIAGNOSIS"


def dev_only_heads(dev: list[dict], others: list[dict], nlp: Language | None = None) -> set[str]:
    """Lexicon heads found inside dev gold DIAGNOSIS spans and in no other letter's gold
    (the lexicon of ``nlp``'s entity rules; default: the packaged lexicon)."""
    data = nlp.get_pipe("imr_entity_rules").data if nlp is not None else None
    with using(data):
        lexicon = diagnoses.load_lexicon()

    def gold_texts(records: list[dict]) -> list[str]:
        return [
            " ".join(r["text"][s["start"] : s["end"]].lower().split())
            for r in records for s in r["spans"] if s["label"] == LABEL
        ]

    seen = "\n".join(gold_texts(others))
    heads = set()
    for text in gold_texts(dev):
        for m in lexicon.heads.finditer(text):
            head = " ".join(m.group().split())
            if diagnoses._norm(head) not in lexicon.bound and head not in seen:
                heads.add(head)
    return heads


def _kept(words, heads: set[str]):
    """``words`` (a list, or a dict keyed by phrase) without the phrases in ``heads``."""
    keep = [w for w in words if w.lower() not in heads and w.lower().rstrip("s") not in heads]
    return {w: words[w] for w in keep} if isinstance(words, dict) else keep


def ablated_lexicon(files: dict, heads: set[str]) -> dict:
    """The lexicon files ``diagnoses.json`` and ``diagnoses_icd10cm.json`` of ``files``
    (``{file name: content}``) with the condition heads in ``heads`` removed."""
    out = dict(files)
    for name in ("diagnoses.json", "diagnoses_icd10cm.json"):
        content = dict(files[name])
        content["heads"] = {group: _kept(words, heads) for group, words in content["heads"].items()}
        out[name] = content
    return out


def without_heads(nlp: Language, heads: set[str], component: str = "imr_entity_rules") -> None:
    """Make the pipeline's entity rules use their lexicon minus ``heads``: the lexicon held
    by the component is edited (``set_data``); other pipelines are not affected."""
    rules = nlp.get_pipe(component)
    rules.set_data(ablated_lexicon(rules.data_files, heads))


def main(
    dev: Path = typer.Argument(..., help="Dev letters (span JSONL, e.g. training/corpus/dev.jsonl)"),
    corpus: list[Path] = typer.Argument(..., help="Annotated letters (files or folders); only train letters are used"),
    pipeline: Path | None = typer.Option(None, "--pipeline", "-p", help="Pipeline dir or .cfg (default: imr_nlp.load())"),
    model: str = typer.Option("imr_diagnosis_tagger", help="The trained component"),
    weights: Path | None = typer.Option(None, help="Load the trained component's weights from this folder"),
    splits: Path = typer.Option(Path("corpus/splits.json"), help="Split file: letters other than 'train' are ignored"),
    values: str = typer.Option("0,1,2,4,8", help="Operating points to try (margin or threshold)"),
    output: Path | None = typer.Option(None, "--output", "-o", help="Write the Markdown table here"),
) -> None:
    """Print DIAGNOSIS scores on dev with dev-only lexicon heads removed."""
    dev_records = read_gold([dev])
    dev_sources = {r["meta"].get("source") for r in dev_records}
    split_of = json.loads(splits.read_text(encoding="utf8"))["letters"]
    others = [
        r for r in read_gold(corpus)
        if r["meta"].get("source") not in dev_sources
        and split_of.get(r["meta"].get("source"), r["meta"].get("split")) == "train"
    ]
    nlp = imr_nlp.load(pipeline)
    heads = dev_only_heads(dev_records, others, nlp)
    without_heads(nlp, heads)
    component = nlp.get_pipe(model)
    if weights is not None:
        component.from_disk(weights, exclude=["vocab"])
    attribute = "margin" if hasattr(component, "margin") else "threshold"
    rows = [("rules only", evaluate_pipeline(nlp, dev_records, [LABEL], disable=[model])["scores"])]
    for value in (float(v) for v in values.split(",")):
        setattr(component, attribute, value)
        rows.append((f"rules + model, {attribute} {value:g}", evaluate_pipeline(nlp, dev_records, [LABEL])["scores"]))
    lines = [
        f"DIAGNOSIS on {len(dev_records)} dev letters, {len(heads)} dev-only lexicon heads removed",
        "",
        "| | exact P | exact R | exact F1 | overlap P | overlap R | overlap F1 |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, scores in rows:
        e, o = scores["exact"]["micro"], scores["overlap"]["micro"]
        lines.append(
            f"| {name} | {e['p']:.3f} | {e['r']:.3f} | {e['f']:.3f} | {o['p']:.3f} | {o['r']:.3f} | {o['f']:.3f} |"
        )
    table = "\n".join(lines) + "\n"
    typer.echo(table)
    if output is not None:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(table, encoding="utf8")


if __name__ == "__main__":
    typer.run(main)
