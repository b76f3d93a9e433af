"""Train ``imr_diagnosis_tagger`` (the DIAGNOSIS tagger that reads the rules' output).

The tagger's input features are the rule entities and lexicon classes, so it must be
trained on rule output that looks like the rules' output on letters nobody has read. The
rules' lexicon was written while reading the older training letters: on them the rules are
nearly perfect, and a model trained there would only learn to copy. So the older training
letters are *cross-fitted*: they are split into folds and the rules run on each fold with
the lexicon heads that only that fold's gold uses removed (the heads the other letters
never needed: the same simulation as ``compare-unseen``). Letters no rule was written from
(``--fresh``, default the 2016-2017 batch-2 letters) run with the full lexicon.

    python scripts/train_diagnosis_tagger.py corpus/annotated --output training/diagnosis_tagger
    python scripts/train_diagnosis_tagger.py corpus/annotated --final --output src/imr_nlp/data/diagnosis_tagger

Without ``--final``, every 3rd training letter is dev (as ``convert_corpus.py``): the
number of epochs is picked on dev (DIAGNOSIS exact F1 of rules + tagger) and the dev scores
are written (``--metrics``). With ``--final`` all training letters are used for the given
``--epochs``. Evaluation letters (``corpus/splits.json``) are never read.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterable
from pathlib import Path
from typing import Annotated

import spacy
import typer
from convert_corpus import assign_splits, load_split_file, read_records, record_id, validate_record
from evaluate_unseen_vocabulary import _kept, dev_only_heads
from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import fix_random_seed
from thinc.api import Adam

import imr_nlp.normalize.diagnoses as diagnoses
from imr_nlp.entity_rules import split_tokens_at
from imr_nlp.pipeline import default_config_path
from imr_nlp.scoring import add_counts, count_matches, scores_from_counts

NAME = "imr_diagnosis_tagger"
LABEL = "DIAGNOSIS"

app = typer.Typer(add_completion=False, help=__doc__)


def training_records(inputs: list[Path], splits: Path, dev_every: int) -> dict[str, list[dict]]:
    """Valid train/dev records (eval letters left out; dev empty when ``dev_every`` is 0)."""
    rows = read_records(inputs)
    errors = [f"{f}:{n}: {p}" for f, n, r in rows for p in validate_record(r)]
    if errors:
        raise typer.BadParameter("invalid gold:\n" + "\n".join(errors[:20]))
    groups = assign_splits([r for _, _, r in rows], load_split_file(splits), None, dev_every)
    return {"train": groups["train"], "dev": groups["dev"]}


def is_fresh(record: dict, fresh: str) -> bool:
    return bool(fresh) and fresh in str((record.get("meta") or {}).get("source", ""))


class LexiconAblation:
    """Run the rules with some lexicon heads removed (and, with ``drop`` > 0, a random
    share of every head and modifier list), then restore the lexicon."""

    def __init__(self, heads: set[str], drop: float = 0.0, seed: int = 0) -> None:
        self.heads = heads
        self.drop = drop
        self.seed = seed

    def __enter__(self) -> None:
        self.original = diagnoses._read
        if self.heads:
            without_heads_in_process(self.heads)
        if self.drop > 0:
            thinned(self.drop, self.seed)

    def __exit__(self, *exc: object) -> None:
        diagnoses._read = self.original
        diagnoses.load_lexicon.cache_clear()


def without_heads_in_process(heads: set[str]) -> None:
    """Make the packaged rule data's lexicon lack ``heads`` (this process only, until the
    ablation ends): the rules and the tagger's lexicon features then both miss them while
    the rule docs are made, and the tagger trains on the full lexicon's features, as before
    the components held their data (``evaluate_unseen_vocabulary.without_heads`` edits one
    pipeline's component instead)."""
    read = diagnoses._read

    def ablated() -> dict:
        data = dict(read())
        data["heads"] = {group: _kept(words, heads) for group, words in data["heads"].items()}
        return data

    diagnoses._read = ablated
    diagnoses.load_lexicon.cache_clear()


def thinned(drop: float, seed: int) -> None:
    """Make the rules use a lexicon with a random share ``drop`` of its head, modifier and
    location words removed (this process only): the rules then miss conditions and cut
    condition phrases short the way they do on letters with words nobody listed, which is
    what the tagger must learn to repair."""
    read = diagnoses._read
    rng = random.Random(seed)

    def keep(words: list) -> list:
        return [w for w in words if rng.random() >= drop]

    def ablated() -> dict:
        data = dict(read())
        data["heads"] = {group: keep(words) for group, words in data["heads"].items()}
        data["premodifiers"] = {k: keep(v) if isinstance(v, list) else v for k, v in data["premodifiers"].items()}
        post = dict(data["postmodifiers"])
        for key in ("nouns", "inner_qualifiers", "trailing_nouns"):
            post[key] = keep(post[key])
        data["postmodifiers"] = post
        return data

    diagnoses._read = ablated
    diagnoses.load_lexicon.cache_clear()


def rule_docs(nlp: Language, records: list[dict]) -> list[Doc]:
    """The letters run through the rules (the tagger switched off)."""
    disable = [name for name in nlp.pipe_names if name in (NAME, "imr_items")]
    with nlp.select_pipes(disable=disable):
        return list(nlp.pipe(r["text"] for r in records))


def cross_fitted_docs(
    nlp: Language, records: list[dict], fresh: str, folds: int, seed: int, drop: float = 0.0
) -> list[Doc]:
    """Rule-annotated docs: fresh letters with the full lexicon, the others cross-fitted;
    with ``drop`` > 0 every letter also loses that share of the lexicon (``thinned``)."""
    docs: dict[int, Doc] = {}
    fresh_ids = [i for i, r in enumerate(records) if is_fresh(r, fresh)]
    with LexiconAblation(set(), drop, seed):
        for i, doc in zip(fresh_ids, rule_docs(nlp, [records[i] for i in fresh_ids]), strict=True):
            docs[i] = doc
    old = [i for i, r in enumerate(records) if not is_fresh(r, fresh)]
    random.Random(seed).shuffle(old)
    for k in range(folds if old else 0):
        part = old[k::folds]
        rest = [records[i] for i in old if i not in set(part)]
        heads = dev_only_heads([records[i] for i in part], rest) if folds > 1 else set()
        with LexiconAblation(heads, drop, seed * 100 + k):
            for i, doc in zip(part, rule_docs(nlp, [records[i] for i in part]), strict=True):
                docs[i] = doc
    return [docs[i] for i in range(len(records))]


def gold_doc(nlp: Language, record: dict) -> Doc:
    doc = nlp.make_doc(record["text"])
    spans = sorted((s["start"], s["end"], s["label"]) for s in record["spans"])
    split_tokens_at(doc, spans)
    doc.set_ents([doc.char_span(s, e, label=lab) for s, e, lab in spans], default="outside")
    return doc


def score(nlp: Language, docs_bytes: list[bytes], records: list[dict], labels: Iterable[str] = (LABEL,)) -> dict:
    """Scores of rules + tagger (the tagger applied to copies of the rule docs)."""
    tagger = nlp.get_pipe(NAME)
    total: dict = {}
    docs = [Doc(nlp.vocab).from_bytes(b) for b in docs_bytes]
    docs = list(tagger.pipe(docs))
    for doc, record in zip(docs, records, strict=True):
        gold = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        pred = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        add_counts(total, count_matches(gold, pred, list(labels)))
    return scores_from_counts(total, list(labels))


def train(
    nlp: Language, examples: list[Example], epochs: int, seed: int, learn_rate: float, batch_size: int,
    on_epoch=None, dropout: float = 0.0, l2: float = 0.0,
) -> None:
    """Plain minibatch training of the tagger (initialize, update, averaged Adam)."""
    fix_random_seed(seed)
    tagger = nlp.get_pipe(NAME)
    tagger.initialize(lambda: examples, nlp=nlp)
    optimizer = Adam(learn_rate, use_averages=True, L2=l2, L2_is_weight_decay=True, grad_clip=1.0)
    rng = random.Random(seed)
    order = list(examples)
    for epoch in range(1, epochs + 1):
        rng.shuffle(order)
        losses: dict[str, float] = {}
        for first in range(0, len(order), batch_size):
            tagger.update(order[first : first + batch_size], drop=dropout, sgd=optimizer, losses=losses)
        if on_epoch is not None:
            with tagger.model.use_params(optimizer.averages):
                on_epoch(epoch, losses.get(NAME, 0.0))
    for node in tagger.model.walk():  # keep the averaged weights
        for name in node.param_names:
            if (node.id, name) in optimizer.averages:
                node.set_param(name, optimizer.averages[(node.id, name)].copy())


def build_nlp(merge: str | None = None, margin: float | None = None) -> Language:
    """The shipped pipeline (``data/config.cfg``) with an untrained tagger (same model settings)."""
    config = spacy.util.load_config(default_config_path())
    config["initialize"]["components"].pop(NAME, None)
    if merge is not None:
        config["components"][NAME]["merge"] = merge
    if margin is not None:
        config["components"][NAME]["margin"] = margin
    nlp = spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
    nlp.initialize()
    return nlp


def make_examples(nlp: Language, records: list[dict], docs: list[Doc]) -> list[Example]:
    return [Example(doc, gold_doc(nlp, r)) for doc, r in zip(docs, records, strict=True)]


@app.command()
def main(
    inputs: Annotated[list[Path], typer.Argument(help="Annotated span JSONL files or folders", exists=True)],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the trained tagger here")] = None,
    splits: Annotated[Path, typer.Option(help="Split file (eval letters are never read)")] = Path("corpus/splits.json"),
    final: Annotated[bool, typer.Option("--final", help="Train on every training letter (no dev)")] = False,
    dev_every: Annotated[int, typer.Option(help="Every Nth training letter is dev (without --final)")] = 3,
    epochs: Annotated[int, typer.Option(help="Epochs (without --final: the most tried; the best on dev is kept)")] = 12,
    fraction: Annotated[float, typer.Option(help="Train on this fraction of the training letters (learning curve)")] = 1.0,
    folds: Annotated[int, typer.Option(help="Cross-fitting folds for letters the rules were written from")] = 4,
    fresh: Annotated[str, typer.Option(help="Letters whose source contains this were not used to write rules")] = "2016-2017-batch2",
    merge: Annotated[str | None, typer.Option(help="add, new or replace (default: data/config.cfg)")] = None,
    margin: Annotated[float | None, typer.Option(help="Log-probability margin a change needs (default: config)")] = None,
    learn_rate: Annotated[float, typer.Option(help="Adam learning rate")] = 0.01,
    batch_size: Annotated[int, typer.Option(help="Letters per update")] = 4,
    fresh_weight: Annotated[int, typer.Option(help="Copies of each fresh letter in an epoch")] = 1,
    dropout: Annotated[float, typer.Option(help="Feature dropout in training")] = 0.0,
    lexicon_drop: Annotated[
        float, typer.Option(help="Also remove this random share of the lexicon's words when making rule features")
    ] = 0.0,
    seed: Annotated[int, typer.Option(help="Random seed")] = 0,
    metrics: Annotated[Path | None, typer.Option(help="Write dev scores per epoch (JSON) here")] = None,
) -> None:
    """Train the DIAGNOSIS tagger on rule output of the training letters."""
    groups = training_records(inputs, splits, 0 if final else dev_every)
    train_records = sorted(groups["train"], key=record_id)
    if fraction < 1.0:
        keep = max(1, round(len(train_records) * fraction))
        train_records = sorted(random.Random(seed).sample(train_records, keep), key=record_id)
    dev_records = [] if final else groups["dev"]
    typer.echo(f"train: {len(train_records)} letters, dev: {len(dev_records)} letters")
    nlp = build_nlp(merge, margin)
    train_docs = cross_fitted_docs(nlp, train_records, fresh, folds, seed, lexicon_drop)
    examples = make_examples(nlp, train_records, train_docs)
    examples += [eg for eg, r in zip(examples, train_records, strict=True) if is_fresh(r, fresh)] * (fresh_weight - 1)
    history: list[dict] = []
    dev_sets: dict[str, tuple[list[bytes], list[dict]]] = {}
    if dev_records:
        others = train_records
        dev_sets["dev"] = ([d.to_bytes() for d in rule_docs(nlp, dev_records)], dev_records)
        old_dev = [r for r in dev_records if not is_fresh(r, fresh)]
        heads = dev_only_heads(old_dev, others)
        with LexiconAblation(heads):
            dev_sets["dev-unseen"] = ([d.to_bytes() for d in rule_docs(nlp, old_dev)], old_dev)

    def on_epoch(epoch: int, loss: float) -> None:
        row = {"epoch": epoch, "loss": round(loss, 2)}
        for name, (docs_bytes, records) in dev_sets.items():
            result = score(nlp, docs_bytes, records)
            row[name] = {m: round(result[m]["micro"]["f"], 4) for m in ("exact", "overlap")}
            row[name]["overlap_r"] = round(result["overlap"]["micro"]["r"], 4)
        history.append(row)
        typer.echo(json.dumps(row))

    train(nlp, examples, epochs, seed, learn_rate, batch_size, on_epoch if dev_sets else None, dropout=dropout)
    if dev_sets:
        tagger = nlp.get_pipe(NAME)
        with nlp.select_pipes(disable=[NAME]):
            baseline = {name: score_rules(nlp, db, recs) for name, (db, recs) in dev_sets.items()}
        typer.echo("rules only: " + json.dumps(baseline))
        if metrics is not None:
            metrics.parent.mkdir(parents=True, exist_ok=True)
            metrics.write_text(json.dumps({"rules": baseline, "epochs": history}, indent=2), encoding="utf8")
        del tagger
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        nlp.get_pipe(NAME).to_disk(output, exclude=["vocab"])
        typer.echo(f"tagger written to {output}")


def score_rules(nlp: Language, docs_bytes: list[bytes], records: list[dict]) -> dict:
    total: dict = {}
    for b, record in zip(docs_bytes, records, strict=True):
        doc = Doc(nlp.vocab).from_bytes(b)
        gold = [(s["start"], s["end"], s["label"]) for s in record["spans"]]
        pred = [(e.start_char, e.end_char, e.label_) for e in doc.ents]
        add_counts(total, count_matches(gold, pred, [LABEL]))
    result = scores_from_counts(total, [LABEL])
    return {m: round(result[m]["micro"]["f"], 4) for m in ("exact", "overlap")} | {
        "overlap_r": round(result["overlap"]["micro"]["r"], 4)
    }


if __name__ == "__main__":
    app()
