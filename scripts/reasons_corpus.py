"""Annotate the reasons of item rationales (corpus/reasons/README.md).

    python scripts/reasons_corpus.py show --split train [--letters ...]   # numbered sentences per item
    python scripts/reasons_corpus.py build corpus/reasons/train_labels.txt --split train \
        --annotator NAME --output corpus/reasons/train.jsonl
    python scripts/reasons_corpus.py split corpus/reasons/train.jsonl --output-dir training/reasons-corpus --dev-every 3

``show`` runs the shipped pipeline over the letters of ``corpus/splits.json`` with the given
split and prints every item's rationale cut into numbered sentences (the splitter of
``imr_nlp.normalize.reasons``). The annotator writes one line per item,
``<letter id> <item index>: CODE=<sentence> ...`` (``-`` when the rationale states no
reason); ``build`` turns those lines into the span/textcat JSONL records (offsets into the
rationale text, plus the rationale's offset in the letter). ``split`` validates records and
writes ``train.jsonl`` / ``dev.jsonl`` for training: every ``--dev-every``-th letter (sorted by
path) goes to dev, whole letters only.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import srsly

from imr_nlp.normalize.reasons import REASONS, split_sentences

CODES = {
    "NR": "not_recommended",
    "NFI": "no_functional_improvement",
    "EXC": "exceeds_limits",
    "IND": "indication_not_documented",
    "MON": "monitoring_not_documented",
    "INC": "request_incomplete",
    "DEP": "depends_on_other_request",
    "MET": "criteria_met",
    "OTH": "other",
}
ROOT = Path(__file__).resolve().parent.parent


def split_letters(splits_path: Path, split: str) -> list[str]:
    """Letter paths (relative to the repository) of one split, sorted."""
    letters = srsly.read_json(splits_path)["letters"]
    return sorted(path for path, value in letters.items() if value == split)


def iter_items(paths: list[str], root: Path = ROOT) -> Iterator[dict]:
    """One dict per disputed item with a rationale: source, id, item, rationale text and offset."""
    import imr_nlp

    nlp = imr_nlp.load()
    texts = [(root / p).read_text(encoding="utf8") for p in paths]
    for path, doc in zip(paths, nlp.pipe(texts), strict=True):
        for index, item in enumerate(doc._.items or []):
            rationale = item["rationale"]
            if rationale is None:
                continue
            yield {
                "source": path,
                "id": Path(path).stem,
                "item": index,
                "rationale_start": rationale["start"],
                "text": rationale["text"],
                "request": item["request"]["text"],
                "outcome": item["outcome"],
            }


def show(items: list[dict]) -> None:
    for item in items:
        request = " ".join(item["request"].split())
        print(f"=== {item['id']} {item['item']} [{item['outcome'].upper()}] REQ: {request}")
        for k, (s, e) in enumerate(split_sentences(item["text"])):
            print(f"  {k}: {' '.join(item['text'][s:e].split())}")


def parse_labels(path: Path) -> dict[tuple[str, int], list[tuple[str, int]]]:
    """``{(letter id, item index): [(reason, sentence number), ...]}`` of a label file."""
    labels: dict[tuple[str, int], list[tuple[str, int]]] = {}
    for number, line in enumerate(path.read_text(encoding="utf8").splitlines(), 1):
        line = line.split("#", 1)[0].strip() if line.lstrip().startswith("#") else line.strip()
        if not line:
            continue
        key, _, body = line.partition(":")
        letter, index = key.split()
        pairs = []
        for token in body.split():
            if token == "-":
                continue
            code, _, sentence = token.partition("=")
            if code not in CODES:
                raise ValueError(f"{path}:{number}: unknown code {code!r}")
            pairs.append((CODES[code], int(sentence)))
        if len({r for r, _ in pairs}) != len(pairs):
            raise ValueError(f"{path}:{number}: a reason is given twice")
        labels[(letter, int(index))] = pairs
    return labels


def make_record(item: dict, pairs: list[tuple[str, int]], annotator: str, split: str) -> dict:
    """The JSONL record of one item (format: corpus/reasons/README.md)."""
    sentences = split_sentences(item["text"])
    spans = []
    for reason, k in pairs:
        if not 0 <= k < len(sentences):
            raise ValueError(f"{item['id']} item {item['item']}: no sentence {k}")
        start, end = sentences[k]
        spans.append({"start": start, "end": end, "label": reason})
    spans.sort(key=lambda s: (s["start"], s["label"]))
    chosen = {r for r, _ in pairs}
    return {
        "text": item["text"],
        "cats": {reason: int(reason in chosen) for reason in REASONS},
        "spans": spans,
        "meta": {
            "source": item["source"],
            "id": item["id"],
            "item": item["item"],
            "rationale_start": item["rationale_start"],
            "request": item["request"],
            "outcome": item["outcome"],
            "annotator": annotator,
            "split": split,
        },
    }


def validate_record(record: dict, letter_text: str | None = None) -> None:
    """Raise ValueError when a record breaks the format (spans inside the text, one per reason,
    cats agreeing with spans, rationale text found at its offset in the letter)."""
    text = record["text"]
    if set(record["cats"]) != set(REASONS):
        raise ValueError(f"cats must list the {len(REASONS)} reasons")
    labels = [s["label"] for s in record["spans"]]
    if len(labels) != len(set(labels)):
        raise ValueError("one span per reason")
    if {r for r, v in record["cats"].items() if v} != set(labels):
        raise ValueError("cats and spans disagree")
    for span in record["spans"]:
        if not 0 <= span["start"] < span["end"] <= len(text):
            raise ValueError(f"span outside the text: {span}")
    if letter_text is not None:
        start = record["meta"]["rationale_start"]
        if letter_text[start : start + len(text)] != text:
            raise ValueError("rationale text not found at meta.rationale_start")


def split_records(path: Path, output_dir: Path, dev_every: int) -> int:
    """Validate the records of ``path`` and write train / dev files (whole letters, every
    ``dev_every``-th letter in path order to dev)."""
    records = list(srsly.read_jsonl(path))
    texts: dict[str, str] = {}
    for record in records:
        source = record["meta"]["source"]
        if source not in texts:
            texts[source] = (ROOT / source).read_text(encoding="utf8")
        validate_record(record, texts[source])
    letters = sorted(texts)
    dev = {letter for i, letter in enumerate(letters) if dev_every and i % dev_every == dev_every - 1}
    output_dir.mkdir(parents=True, exist_ok=True)
    parts = {"train": [r for r in records if r["meta"]["source"] not in dev],
             "dev": [r for r in records if r["meta"]["source"] in dev]}
    for name, part in parts.items():
        srsly.write_jsonl(output_dir / f"{name}.jsonl", part)
    print(f"{len(records)} valid records: {len(parts['train'])} train, {len(parts['dev'])} dev ({len(dev)} letters) -> {output_dir}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=["show", "build", "split"])
    parser.add_argument("labels", nargs="?", type=Path, help="label file (build) or record file (split)")
    parser.add_argument("--output-dir", type=Path, help="split: where train.jsonl / dev.jsonl go")
    parser.add_argument("--dev-every", type=int, default=3, help="split: every N-th letter is dev")
    parser.add_argument("--split", default="train")
    parser.add_argument("--splits", type=Path, default=ROOT / "corpus" / "splits.json")
    parser.add_argument("--letters", nargs="*", help="only these letter ids")
    parser.add_argument("--annotator", default="annotator")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    if args.command == "split":
        if args.labels is None or args.output_dir is None:
            parser.error("split needs a record file and --output-dir")
        return split_records(args.labels, args.output_dir, args.dev_every)
    paths = split_letters(args.splits, args.split)
    if args.letters:
        paths = [p for p in paths if Path(p).stem in set(args.letters)]
    items = list(iter_items(paths))
    if args.command == "show":
        show(items)
        return 0
    if args.labels is None or args.output is None:
        parser.error("build needs a label file and --output")
    labels = parse_labels(args.labels)
    records = []
    missing = []
    for item in items:
        key = (item["id"], item["item"])
        if key not in labels:
            missing.append(key)
            continue
        record = make_record(item, labels.pop(key), args.annotator, args.split)
        validate_record(record, (ROOT / item["source"]).read_text(encoding="utf8"))
        records.append(record)
    if labels:
        print(f"labels for items the pipeline does not find: {sorted(labels)}", file=sys.stderr)
    if missing:
        print(f"{len(missing)} items without labels: {missing[:5]}...", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"{len(records)} records -> {args.output}")
    return 1 if missing or labels else 0


if __name__ == "__main__":
    raise SystemExit(main())
