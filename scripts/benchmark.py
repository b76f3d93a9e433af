"""Benchmark imr_nlp: speed against spaCy's blank tokenizer, multiprocessing, memory over a long batch.

SPEC §8 asks for speed as a ratio to ``spacy.blank("en")`` on the same texts in the same
run, letters/second with one and with several processes, and memory that stays flat
over a long batch. This script measures all three:

1. speed: words/s and letters/s of the blank tokenizer and of the full pipeline
   (``imr_nlp.load()``) on the same letters, best of ``--repeats`` runs; the pipeline
   again with ``n_process=2``; the single-process comparison again on seed-style letters
   (the 2014 template, ``--seed-samples``), in the same run;
2. cold start, apart: in a fresh process, seconds to import and ``load()`` the pipeline
   and to parse the first letter (lexicons and patterns are built at load);
3. the batch path of ``imr-nlp parse`` (read files, parse, build JSON records) with one
   process and with ``--n-process`` worker processes, letters/s;
4. memory: ``--n-letters`` letter files (the sample letters cycled, each copy with its own
   case number so the vocabulary sees new strings) parsed by the batch path of
   ``imr-nlp parse`` (``parse_records``: read, pipeline, JSON record), sampling the
   resident set size every ``--rss-every`` letters.

Writes a JSON result file and prints a Markdown table. ``--quick`` (a few hundred
letters, well under 30 s) is meant for CI.

    python scripts/benchmark.py --n-letters 5000 --output benchmark.json
    python scripts/benchmark.py --quick
    python scripts/benchmark.py --samples samples/letters/seeds-2014   # seed-style letters only
"""

from __future__ import annotations

import itertools
import json
import os
import platform
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated, Any

import spacy
import typer

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SAMPLES = [
    ROOT / "samples" / "letters" / "seeds-2014",
    ROOT / "samples" / "letters" / "2016-2017" / "txt",
]
# The 2014 template (long, narrative letters with many citations) is measured apart, in the
# same run: it is the slowest kind of letter per word.
DEFAULT_SEED_SAMPLES = [ROOT / "samples" / "letters" / "seeds-2014"]
CASE_NUMBER = re.compile(r"\bCM(\d{2})-(\d{7})\b")

app = typer.Typer(add_completion=False, help=__doc__)


def rss_mb() -> float:
    """Current resident set size of this process in MiB."""
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except (OSError, ValueError, IndexError):
        pass
    try:
        import psutil

        return psutil.Process().memory_info().rss / 2**20
    except ImportError:  # last resort: the peak, not the current value
        return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident set size of this process in MiB (ru_maxrss is KiB on Linux, bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


def sample_texts(folders: list[Path]) -> list[str]:
    paths = sorted(p for folder in folders for p in folder.glob("*.txt"))
    if not paths:
        raise typer.BadParameter(f"no .txt letters under {', '.join(map(str, folders))}")
    return [p.read_text(encoding="utf8") for p in paths]


def make_letters(samples: list[str], n: int) -> list[str]:
    """n letters cycling the samples; copy k gets its own case numbers (new strings for the vocab)."""
    letters = []
    for k, text in enumerate(itertools.islice(itertools.cycle(samples), n)):
        copy = k // len(samples)
        letters.append(
            text
            if copy == 0
            else CASE_NUMBER.sub(
                lambda m, c=copy: f"CM{m.group(1)}-{(int(m.group(2)) + c) % 10**7:07d}", text
            )
        )
    return letters


def timed(run, repeats: int) -> float:
    """Best wall time of ``repeats`` calls of run()."""
    return timed_pair({"x": run}, repeats)["x"][0]


def timed_pair(runs: dict[str, Any], repeats: int) -> dict[str, tuple[float, float]]:
    """Best (wall, CPU) seconds of each run, the runs interleaved repeat by repeat so that
    load from other processes on a shared machine weighs on all of them alike."""
    best = {name: (float("inf"), float("inf")) for name in runs}
    for _ in range(repeats):
        for name, run in runs.items():
            wall, cpu = time.perf_counter(), time.process_time()
            run()
            wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
            best[name] = (min(best[name][0], wall), min(best[name][1], cpu))
    return best


def _drain(model, texts: list[str], batch_size: int, **kwargs):
    return lambda: sum(1 for _ in model.pipe(texts, batch_size=batch_size, **kwargs))


def single_speed(nlp, texts: list[str], batch_size: int, repeats: int) -> dict[str, Any]:
    """Blank tokenizer and pipeline, one process, interleaved, best of ``repeats``."""
    blank = spacy.blank("en")
    # "words": non-space tokens of the blank English tokenizer, counted once, used for both rates.
    words = sum(1 for doc in blank.pipe(texts) for t in doc if not t.is_space)
    from imr_nlp.tokenizer_warmup import warm_tokenizer

    # the blank tokenizer given the same cache warm-up as the pipeline's (imr_nlp.tokenizer_warmup)
    warm_blank = warm_tokenizer(spacy.blank("en"))
    list(nlp.pipe(texts[:8]))  # warm-up (first-call costs)
    best = timed_pair(
        {
            "blank": _drain(blank, texts, batch_size),
            "nlp": _drain(nlp, texts, batch_size),
            "tokenizer": _drain(nlp.tokenizer, texts, batch_size),
            "warm_blank": _drain(warm_blank, texts, batch_size),
        },
        repeats,
    )
    (t_blank, cpu_blank), (t_nlp, cpu_nlp) = best["blank"], best["nlp"]
    t_tokenizer, t_warm_blank = best["tokenizer"][0], best["warm_blank"][0]
    return {
        "letters": len(texts),
        "words": words,
        "blank_words_per_s": words / t_blank,
        "blank_letters_per_s": len(texts) / t_blank,
        "pipeline_words_per_s": words / t_nlp,
        "pipeline_letters_per_s": len(texts) / t_nlp,
        "pipeline_over_blank": t_blank / t_nlp,
        "pipeline_over_blank_cpu": cpu_blank / cpu_nlp,
        # the pipeline's own tokenizer (cache warmed at load) and its components, apart
        "pipeline_tokenizer_over_blank": t_blank / t_tokenizer,
        "components_seconds_over_blank": (t_nlp - t_tokenizer) / t_blank,
        "pipeline_over_warm_blank": t_warm_blank / t_nlp,
    }


def speed(nlp, texts: list[str], batch_size: int, repeats: int, n_process: int) -> dict[str, Any]:
    result = single_speed(nlp, texts, batch_size, repeats)
    t_multi = timed(_drain(nlp, texts, batch_size, n_process=n_process), repeats)
    words = result["words"]
    result |= {
        "n_process": n_process,
        "multi_words_per_s": words / t_multi,
        "multi_letters_per_s": len(texts) / t_multi,
    }
    result["multi_speedup"] = result["multi_letters_per_s"] / result["pipeline_letters_per_s"]
    return result


_COLD = """
import sys, time, json
t0 = time.perf_counter()
import imr_nlp
nlp = imr_nlp.load(sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else None)
t1 = time.perf_counter()
nlp(open(sys.argv[2], encoding="utf8").read())
t2 = time.perf_counter()
print(json.dumps({"import_and_load_s": t1 - t0, "first_letter_s": t2 - t1}))
"""


def cold_start(pipeline: Path | None, letter: str, repeats: int) -> dict[str, Any]:
    """Import + load() and the first letter in a fresh process (best of ``repeats``)."""
    with tempfile.TemporaryDirectory(prefix="imr_cold_") as tmp:
        path = Path(tmp) / "letter.txt"
        path.write_text(letter, encoding="utf8")
        runs = []
        for _ in range(repeats):
            out = subprocess.run(
                [sys.executable, "-c", _COLD, str(pipeline or ""), str(path)],
                capture_output=True, text=True, check=True, env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
            )
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return {key: round(min(r[key] for r in runs), 3) for key in runs[0]}


def batch(nlp, letters: list[str], n_process: int, batch_size: int, repeats: int) -> dict[str, Any]:
    """The ``imr-nlp parse`` batch path over letter files: one process and ``n_process``."""
    from imr_nlp.cli import parse_records

    with tempfile.TemporaryDirectory(prefix="imr_batch_") as tmp:
        paths = []
        for k, text in enumerate(letters):
            path = Path(tmp) / f"letter_{k:06d}.txt"
            path.write_text(text, encoding="utf8")
            paths.append(path)

        def run(n: int):
            return lambda: sum(1 for _ in parse_records(paths, nlp=nlp, n_process=n, batch_size=batch_size))

        best = timed_pair({"one": run(1), "multi": run(n_process)}, repeats)
        t_one, t_multi = best["one"][0], best["multi"][0]
    return {
        "letters": len(letters),
        "n_process": n_process,
        "one_letters_per_s": len(letters) / t_one,
        "multi_letters_per_s": len(letters) / t_multi,
        "speedup": t_one / t_multi,
    }


def memory(nlp, letters: list[str], every: int, batch_size: int) -> dict[str, Any]:
    """Parse the letters as files through the batch path, sampling RSS every `every` letters."""
    from imr_nlp.cli import parse_records

    with tempfile.TemporaryDirectory(prefix="imr_bench_") as tmp:
        paths = []
        for k, text in enumerate(letters):
            path = Path(tmp) / f"letter_{k:06d}.txt"
            path.write_text(text, encoding="utf8")
            paths.append(path)
        samples = [(0, rss_mb())]
        n_items = failed = 0
        start = time.perf_counter()
        for k, record in enumerate(parse_records(paths, nlp=nlp, batch_size=batch_size), 1):
            n_items += len(record.get("items") or [])
            failed += "error" in record
            if k % every == 0 or k == len(paths):
                samples.append((k, rss_mb()))
        elapsed = time.perf_counter() - start
    middle = min(samples, key=lambda s: abs(s[0] - len(letters) / 2))
    first = samples[1] if len(samples) > 1 else samples[0]
    return {
        "letters": len(letters),
        "items": n_items,
        "failed": failed,
        "letters_per_s": len(letters) / elapsed,
        "rss_every": every,
        "rss_mb_samples": [[k, round(mb, 1)] for k, mb in samples],
        "rss_mb_start": round(samples[0][1], 1),
        "rss_mb_first_sample": round(first[1], 1),
        "rss_mb_middle": round(middle[1], 1),
        "rss_mb_end": round(samples[-1][1], 1),
        "rss_mb_growth_second_half": round(samples[-1][1] - middle[1], 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def markdown(result: dict[str, Any]) -> str:
    s, m, c, b = result["speed"], result["memory"], result["cold"], result["batch"]
    n = s["n_process"]
    rows = [
        (
            '`spacy.blank("en")` tokenizer',
            f"{s['blank_words_per_s']:,.0f}",
            f"{s['blank_letters_per_s']:,.0f}",
            "1.00",
        ),
        (
            "imr_nlp pipeline, 1 process",
            f"{s['pipeline_words_per_s']:,.0f}",
            f"{s['pipeline_letters_per_s']:,.1f}",
            f"{s['pipeline_over_blank']:.3f}",
        ),
        (
            f"imr_nlp pipeline, `n_process={n}`",
            f"{s['multi_words_per_s']:,.0f}",
            f"{s['multi_letters_per_s']:,.1f}",
            f"{s['multi_words_per_s'] / s['blank_words_per_s']:.3f}",
        ),
    ]
    seeds = result.get("speed_seed_style")
    if seeds:
        rows.append(
            (
                f"imr_nlp pipeline, 1 process, seed-style letters ({seeds['letters']:,}; "
                f"blank {seeds['blank_words_per_s']:,.0f} words/s)",
                f"{seeds['pipeline_words_per_s']:,.0f}",
                f"{seeds['pipeline_letters_per_s']:,.1f}",
                f"{seeds['pipeline_over_blank']:.3f} (CPU {seeds['pipeline_over_blank_cpu']:.3f})",
            )
        )
    split = [
        f"{name}: the pipeline's tokenizer alone {x['pipeline_tokenizer_over_blank']:.2f}x the blank "
        f"tokenizer's speed, its components {x['components_seconds_over_blank']:.2f}x the blank "
        f"tokenizer's time; against a blank tokenizer with the same cache warm-up the pipeline is "
        f"{x['pipeline_over_warm_blank']:.3f}x."
        for name, x in [("Sample letters", s), ("Seed-style letters", seeds)]
        if x and "pipeline_tokenizer_over_blank" in x
    ]
    lines = [
        f"Speed on {s['letters']:,} letters ({s['words']:,} words), {result['env']['cpus']} CPUs "
        f"(ratio in CPU time, one process: {s['pipeline_over_blank_cpu']:.3f}):",
        "",
        "| | words/s | letters/s | ratio to blank |",
        "|---|---:|---:|---:|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
        "",
        *[line + "\n" for line in split],
        f"Cold start (fresh process): import + load {c['import_and_load_s']:.2f} s, "
        f"first letter {c['first_letter_s'] * 1000:.0f} ms.",
        "",
        f"`imr-nlp parse` batch path on {b['letters']:,} letter files: 1 process "
        f"{b['one_letters_per_s']:,.1f} letters/s, {b['n_process']} processes "
        f"{b['multi_letters_per_s']:,.1f} letters/s ({b['speedup']:.2f}x).",
        "",
        f"Memory over {m['letters']:,} letters through the `imr-nlp parse` batch path "
        f"({m['letters_per_s']:,.1f} letters/s, {m['items']:,} items):",
        "",
        "| after letters | 0 (pipeline loaded) | " + " | ".join(f"{k:,}" for k, _ in _picks(m)) + " |",
        "|---|---:|" + "---:|" * len(_picks(m)),
        f"| RSS (MiB) | {m['rss_mb_start']} | " + " | ".join(f"{mb}" for _, mb in _picks(m)) + " |",
        "",
        f"Peak RSS {m['peak_rss_mb']} MiB; growth over the second half {m['rss_mb_growth_second_half']:+} MiB.",
    ]
    return "\n".join(lines)


def _picks(m: dict[str, Any]) -> list[tuple[int, float]]:
    """First, middle and last RSS samples (the table stays short)."""
    samples = [tuple(s) for s in m["rss_mb_samples"][1:]]
    if len(samples) <= 3:
        return samples
    mid = min(samples, key=lambda s: abs(s[0] - m["letters"] / 2))
    return [samples[0], mid, samples[-1]]


@app.command()
def main(
    n_letters: Annotated[
        int, typer.Option("--n-letters", min=1, help="Letters in the long (memory) batch.")
    ] = 5000,
    speed_letters: Annotated[
        int, typer.Option("--speed-letters", min=1, help="Letters in each speed run.")
    ] = 1000,
    repeats: Annotated[
        int, typer.Option("--repeats", min=1, help="Speed runs per setting; the best is kept.")
    ] = 3,
    rss_every: Annotated[int, typer.Option("--rss-every", min=1, help="Sample RSS every N letters.")] = 250,
    n_process: Annotated[
        int, typer.Option("--n-process", min=2, help="Processes for the multiprocessing run.")
    ] = 2,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="nlp.pipe batch size.")] = 32,
    quick: Annotated[
        bool, typer.Option("--quick", help="CI mode: a few hundred letters, one repeat.")
    ] = False,
    samples: Annotated[
        list[Path] | None,
        typer.Option("--samples", help="Folders of .txt letters (default: samples/letters)."),
    ] = None,
    seed_samples: Annotated[
        list[Path] | None,
        typer.Option(
            "--seed-samples",
            help="Folders of seed-style (2014 template) .txt letters, measured apart in the same "
            "run (default: samples/letters/seeds-2014).",
        ),
    ] = None,
    no_seed_run: Annotated[
        bool, typer.Option("--no-seed-run", help="Skip the seed-style speed run.")
    ] = False,
    pipeline: Annotated[
        Path | None, typer.Option("--pipeline", help="Pipeline directory (default: shipped).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="JSON result file.")] = Path(
        "benchmark.json"
    ),
) -> None:
    """Measure and report; see the module docstring."""
    sys.path.insert(0, str(ROOT / "src"))
    import imr_nlp

    if quick:
        n_letters, speed_letters, repeats, rss_every = min(n_letters, 300), min(speed_letters, 150), 1, 50
    texts = sample_texts(samples or DEFAULT_SAMPLES)
    letters = make_letters(texts, max(n_letters, speed_letters))
    started = time.perf_counter()
    t0 = time.perf_counter()
    nlp = imr_nlp.load(pipeline)
    load_s = time.perf_counter() - t0
    typer.echo(f"speed runs on {speed_letters} letters ...", err=True)
    speed_result = speed(nlp, letters[:speed_letters], batch_size, repeats, n_process)
    seed_result = None
    if not no_seed_run:
        seed_letters = make_letters(sample_texts(seed_samples or DEFAULT_SEED_SAMPLES), speed_letters)
        typer.echo(f"speed runs on {speed_letters} seed-style letters ...", err=True)
        seed_result = single_speed(nlp, seed_letters, batch_size, repeats)
    typer.echo("cold start ...", err=True)
    cold_result = cold_start(pipeline, letters[0], repeats)
    typer.echo(f"batch path on {speed_letters} letter files ...", err=True)
    batch_result = batch(nlp, letters[:speed_letters], n_process, batch_size, repeats)
    typer.echo(f"memory run on {n_letters} letters ...", err=True)
    memory_result = memory(nlp, letters[:n_letters], rss_every, batch_size)
    result = {
        "env": {
            "python": platform.python_version(),
            "spacy": spacy.__version__,
            "imr_nlp": imr_nlp.__version__,
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "sample_letters": len(texts),
            "quick": quick,
        },
        "load_seconds": round(load_s, 2),
        "speed": speed_result,
        "speed_seed_style": seed_result,
        "cold": cold_result,
        "batch": batch_result,
        "memory": memory_result,
        "total_seconds": round(time.perf_counter() - started, 1),
    }
    output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf8")
    typer.echo(markdown(result))
    typer.echo(f"\n(results written to {output}; {result['total_seconds']} s)", err=True)


if __name__ == "__main__":
    app()
