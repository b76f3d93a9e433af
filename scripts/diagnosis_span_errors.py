"""List DIAGNOSIS span errors of the pipeline on annotated (training) letters.

Development aid for the DIAGNOSIS rules: prints recall / precision (exact and overlap) and
every gold span not found exactly (with the overlapping predicted span, if any) and every
predicted span with no exact gold match. Never run it on evaluation letters while writing
rules (``corpus/splits.json``).

    python scripts/diagnosis_span_errors.py corpus/annotated/train_2016_2017_c.jsonl
    python scripts/diagnosis_span_errors.py corpus/annotated/batch2_train.jsonl --disable imr_diagnosis_tagger
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import srsly
import typer

import imr_nlp

sys.path.insert(0, str(Path(__file__).parent))
from evaluate_unseen_vocabulary import dev_only_heads, without_heads  # noqa: E402

LABEL = "DIAGNOSIS"
app = typer.Typer(add_completion=False, help=__doc__)


def _flat(text: str) -> str:
    return " ".join(text.split())


@app.command()
def main(
    gold: Annotated[list[Path], typer.Argument(help="Span JSONL files")],
    disable: Annotated[list[str], typer.Option("--disable", "-d", help="Component to switch off")] = [],  # noqa: B006
    quiet: Annotated[bool, typer.Option(help="Only the scores")] = False,
    unseen: Annotated[
        list[Path], typer.Option(help="Other training letters: remove the lexicon heads only GOLD's spans use")
    ] = [],  # noqa: B006
) -> None:
    """Print DIAGNOSIS span scores and errors."""
    records = [r for path in gold for r in srsly.read_jsonl(path)]
    nlp = imr_nlp.load()
    if unseen:  # simulate conditions the lexicon was not written from (evaluate_unseen_vocabulary.py)
        others = [r for path in unseen for r in srsly.read_jsonl(path)]
        heads = dev_only_heads(records, others, nlp)
        print(f"removed {len(heads)} heads: {sorted(heads)}")
        without_heads(nlp, heads)
    n_gold = n_pred = exact = overlap_gold = overlap_pred = 0
    with nlp.select_pipes(disable=[d for d in disable if d in nlp.pipe_names]):
        for record, doc in zip(records, nlp.pipe(r["text"] for r in records), strict=True):
            text = record["text"]
            spans = {(s["start"], s["end"]) for s in record["spans"] if s["label"] == LABEL}
            pred = {(e.start_char, e.end_char) for e in doc.ents if e.label_ == LABEL}
            n_gold += len(spans)
            n_pred += len(pred)
            exact += len(spans & pred)
            overlap_gold += sum(any(ps < ge and gs < pe for ps, pe in pred) for gs, ge in spans)
            overlap_pred += sum(any(gs < pe and ps < ge for gs, ge in spans) for ps, pe in pred)
            if quiet:
                continue
            name = Path(record.get("meta", {}).get("source", "?")).stem
            for gs, ge in sorted(spans - pred):
                near = [_flat(text[ps:pe]) for ps, pe in sorted(pred) if ps < ge and gs < pe]
                print(f"MISS {name} {_flat(text[gs:ge])!r} <- {near}  ...{_flat(text[ge : ge + 40])!r}")
            for ps, pe in sorted(pred - spans):
                if not any(gs < pe and ps < ge for gs, ge in spans):
                    print(f"FP   {name} {_flat(text[ps:pe])!r}  ...{_flat(text[pe : pe + 40])!r}")
    print(
        f"gold {n_gold} pred {n_pred} exact P {exact / max(n_pred, 1):.3f} R {exact / max(n_gold, 1):.3f}"
        f" | overlap P {overlap_pred / max(n_pred, 1):.3f} R {overlap_gold / max(n_gold, 1):.3f}"
    )


if __name__ == "__main__":
    app()
