"""Parse large letter collections on a Dask cluster (optional extra ``imr_nlp[dask]``).

The input paths are expanded and cut into partitions of ``partition_size`` letters.
Each partition is one Dask task that runs :func:`imr_nlp.batch.parse_records` in a
worker and writes two files into ``output_dir``:

- ``part-00000.parquet``: one row per disputed item (``tables.COLUMNS``), plus one row
  per letter without items or that failed (the same rows as ``imr-nlp parse -f parquet``);
- ``part-00000.jsonl``: one letter record per input, error records included.

Partition numbers follow input order, and records inside a partition keep input order,
so concatenating the parts in name order gives the same result as ``imr-nlp parse``.
Each worker process loads the pipeline once (a module-level cache) and reuses it for
every partition it runs. Files are written under a temporary name and renamed when
complete, so a task Dask re-runs after a worker died never leaves half a file. If a
partition still fails (e.g. its worker was killed twice), the client writes error
records for its inputs, so every input keeps a record.

With a remote scheduler, ``output_dir`` and the input paths must be visible to the
workers under the same names (a shared file system).

Dask is imported only when :func:`run_dask` is called: ``import imr_nlp`` never needs it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import srsly

from .batch import parse_records, record_status
from .inputs import LetterInput, error_record, iter_input_paths, letter_ids
from .records import Record
from .resources import MAX_CHARS
from .tables import item_rows, write_table

__all__ = ["run_dask", "process_partition", "partition_name", "DaskMissingError"]

MISSING_DASK = (
    "parse-dask needs Dask's distributed scheduler, which is not installed: "
    "pip install 'imr_nlp[dask]'  (or: pip install 'dask[distributed]' pyarrow)"
)

# One pipeline per worker process, keyed by pipeline path ("" = the shipped default).
_PIPELINES: dict[str, Any] = {}
# Partitions in one worker process run one at a time: the pipeline's error handler is
# per-call state, and a worker with several threads would otherwise mix them up.
_LOCK = threading.Lock()


class DaskMissingError(ImportError):
    """dask.distributed (or pyarrow) is not installed."""


def _require_dask() -> Any:
    try:
        import distributed  # noqa: F401
        import pyarrow  # noqa: F401
    except ImportError as err:
        raise DaskMissingError(MISSING_DASK) from err
    return distributed


def partition_name(index: int, suffix: str) -> str:
    """File name of partition ``index``: part-00000.parquet, part-00000.jsonl, ..."""
    return f"part-{index:05d}{suffix}"


def _cached_pipeline(pipeline: str | None) -> Any:
    key = str(Path(pipeline).resolve()) if pipeline else ""
    nlp = _PIPELINES.get(key)
    if nlp is None:
        from . import load

        nlp = load(pipeline)
        _PIPELINES[key] = nlp
    return nlp


def _write_partition(records: Iterable[Record], index: int, output_dir: Path) -> dict[str, Any]:
    """Write one partition's JSONL and Parquet files atomically; return its summary."""
    counts = {"inputs": 0, "ok": 0, "warned": 0, "failed": 0}
    jsonl = output_dir / partition_name(index, ".jsonl")
    parquet = output_dir / partition_name(index, ".parquet")
    tmp_jsonl = jsonl.with_name(f".{jsonl.name}.{os.getpid()}.tmp")
    tmp_parquet = parquet.with_name(f".{parquet.name}.{os.getpid()}.tmp")

    def rows(fh) -> Iterator[dict[str, Any]]:  # noqa: ANN001
        for record in records:
            counts["inputs"] += 1
            counts[record_status(record)] += 1
            fh.write(srsly.json_dumps(record) + "\n")
            yield from item_rows(record)

    try:
        with tmp_jsonl.open("w", encoding="utf8") as fh:
            n_rows = write_table(rows(fh), tmp_parquet, "parquet")
        os.replace(tmp_jsonl, jsonl)
        os.replace(tmp_parquet, parquet)
    finally:
        for tmp in (tmp_jsonl, tmp_parquet):
            if tmp.exists():
                tmp.unlink()
    return {"partition": index, **counts, "rows": n_rows, "files": [str(parquet), str(jsonl)]}


def process_partition(
    index: int,
    paths: Sequence[str],
    output_dir: str,
    pipeline: str | None = None,
    max_chars: int = MAX_CHARS,
    ids: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Dask task: parse one partition of letters with the worker's cached pipeline.

    ``ids`` are the records' ids (unique over the whole run; default: file stems made
    unique within the partition).
    """
    with _LOCK:
        nlp = _cached_pipeline(pipeline)
        # A memory zone (spaCy >= 3.8) frees the strings this partition added to the
        # vocab, so a long-lived worker stays flat; records are plain dicts by then.
        zone = nlp.memory_zone() if hasattr(nlp, "memory_zone") else contextlib.nullcontext()
        with zone:
            # Dask's own workers fill the cores: no reader thread beside each.
            records = parse_records(paths, nlp=nlp, n_process=1, max_chars=max_chars, ids=ids, read_ahead=False)
            return _write_partition(records, index, Path(output_dir))


def _lost_partition(
    index: int, paths: Sequence[str], ids: Sequence[str], output_dir: Path, exc: BaseException
) -> dict[str, Any]:
    """Client side: error records for a partition whose task failed for good."""
    reason = f"partition {index} failed on the cluster: {type(exc).__name__}: {exc}"[:500]
    records = (error_record(LetterInput(name, str(p), None, [], reason)) for p, name in zip(paths, ids))
    return _write_partition(records, index, output_dir)


def _partitions(paths: list[str], size: int) -> list[list[str]]:
    return [paths[i : i + size] for i in range(0, len(paths), size)]


def existing_parts(output_dir: Path) -> list[Path]:
    """Partition files already in output_dir (a previous run)."""
    if not output_dir.is_dir():
        return []
    return sorted(
        p for p in output_dir.iterdir() if p.name.startswith("part-") and p.suffix in (".parquet", ".jsonl")
    )


def run_dask(
    paths: Iterable[str | Path],
    output_dir: str | Path,
    *,
    scheduler: str | None = None,
    n_workers: int = 2,
    partition_size: int = 200,
    pipeline: str | Path | None = None,
    max_chars: int = MAX_CHARS,
    overwrite: bool = False,
    progress: bool | None = False,
) -> dict[str, Any]:
    """Parse letters on a Dask cluster; write part-NNNNN.parquet/.jsonl files; return a summary.

    ``scheduler=None`` starts a local cluster of ``n_workers`` single-threaded worker
    processes; an address such as ``"tcp://host:8786"`` uses an existing cluster.
    The summary has ``inputs``, ``ok``, ``warned``, ``failed``, ``partitions``,
    ``lost_partitions`` (tasks whose records the client had to write) and ``files``.
    """
    distributed = _require_dask()
    if partition_size < 1:
        raise ValueError("partition_size must be >= 1")
    out = _prepare_output_dir(Path(output_dir).resolve(), overwrite)
    plan = _plan(paths, partition_size)
    pipeline_arg = str(Path(pipeline).resolve()) if pipeline is not None else None
    with _client(distributed, scheduler, n_workers) as client:
        futures = {
            client.submit(
                process_partition, i, part, str(out), pipeline_arg, max_chars, plan.ids[i], pure=False, retries=1
            ): i
            for i, part in enumerate(plan.parts)
        }
        summaries, lost = _collect(distributed, futures, plan, out, _progress_bar(plan.n_inputs, progress))
    return _run_summary(summaries, lost, out)


class _Plan(NamedTuple):
    """The partitions of a run: input paths and record ids, partition by partition."""

    parts: list[list[str]]
    ids: list[list[str]]
    n_inputs: int


def _prepare_output_dir(out: Path, overwrite: bool) -> Path:
    """Create ``out``; remove an earlier run's part-* files (only with ``overwrite``)."""
    out.mkdir(parents=True, exist_ok=True)
    old = existing_parts(out)
    if old and not overwrite:
        raise FileExistsError(
            f"{out} already holds {len(old)} partition file(s) (part-*) from an earlier run; "
            "remove them or pass --overwrite (overwrite=True)"
        )
    for path in old:
        path.unlink()
    return out


def _plan(paths: Iterable[str | Path], partition_size: int) -> _Plan:
    """Expand the input paths; cut them and their run-wide unique ids into partitions."""
    listed = list(iter_input_paths(paths))
    return _Plan(
        _partitions([str(p) for p in listed], partition_size),
        _partitions(letter_ids(listed), partition_size),
        len(listed),
    )


@contextlib.contextmanager
def _client(distributed: Any, scheduler: str | None, n_workers: int) -> Iterator[Any]:
    """A client of ``scheduler``, or of a local cluster of ``n_workers`` single-threaded processes."""
    cluster = None
    if scheduler is None:
        cluster = distributed.LocalCluster(
            n_workers=n_workers, threads_per_worker=1, processes=True, dashboard_address=None
        )
        client = distributed.Client(cluster)
    else:
        client = distributed.Client(scheduler)
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _progress_bar(total: int, progress: bool | None) -> Any:
    """A tqdm bar over the letters on stderr (``None``: only when stderr is a terminal), or None."""
    if progress is False:
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="letter", file=sys.stderr, disable=None if progress is None else False)


def _collect(
    distributed: Any, futures: dict[Any, int], plan: _Plan, out: Path, bar: Any
) -> tuple[list[dict[str, Any]], list[int]]:
    """Partition summaries as tasks finish; a task that failed for good gets the client's error records."""
    summaries: list[dict[str, Any]] = []
    lost: list[int] = []
    for future in distributed.as_completed(futures):
        i = futures[future]
        try:
            summary = future.result()
        except Exception as exc:  # the task failed for good: keep every letter anyway
            summary = _lost_partition(i, plan.parts[i], plan.ids[i], out, exc)
            lost.append(i)
        summaries.append(summary)
        if bar is not None:
            bar.update(summary["inputs"])
    if bar is not None:
        bar.close()
    return summaries, lost


def _run_summary(summaries: list[dict[str, Any]], lost: list[int], out: Path) -> dict[str, Any]:
    """The totals of a run, partitions in order."""
    summaries = sorted(summaries, key=lambda s: s["partition"])
    return {
        "inputs": sum(s["inputs"] for s in summaries),
        "ok": sum(s["ok"] for s in summaries),
        "warned": sum(s["warned"] for s in summaries),
        "failed": sum(s["failed"] for s in summaries),
        "rows": sum(s["rows"] for s in summaries),
        "partitions": len(summaries),
        "lost_partitions": sorted(lost),
        "output_dir": str(out),
        "files": [f for s in summaries for f in s["files"]],
    }
