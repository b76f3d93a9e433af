"""The Dask runner gives the same records as the single-process path, and loses none."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import LETTERS_2016, SEEDS

from imr_nlp import distributed as dist
from imr_nlp.batch import parse_records
from imr_nlp.tables import COLUMNS, item_rows

HAS_DASK = True
try:
    import distributed  # noqa: F401
    import pyarrow.parquet as pq
except ImportError:  # pragma: no cover - depends on the install
    HAS_DASK = False

needs_dask = pytest.mark.skipif(not HAS_DASK, reason="dask[distributed] and pyarrow not installed")


@pytest.fixture(scope="module")
def letters(tmp_path_factory) -> list[Path]:
    """Ten inputs: eight real letters, an empty file and a missing path, in a fixed order."""
    d = tmp_path_factory.mktemp("dask_in")
    (d / "empty.txt").write_bytes(b"")
    chosen = SEEDS[:2] + LETTERS_2016[10:16]
    return chosen[:3] + [d / "empty.txt"] + chosen[3:] + [d / "missing.txt"]


@pytest.fixture(scope="module")
def single(letters) -> list[dict]:
    return list(parse_records(letters))


def _read_parts(out: Path) -> tuple[list[dict], list[dict]]:
    records = [
        json.loads(line)
        for f in sorted(out.glob("part-*.jsonl"))
        for line in f.read_text("utf8").splitlines()
    ]
    rows = pq.read_table(sorted(out.glob("part-*.parquet"))).to_pylist() if HAS_DASK else []
    return records, rows


def _items(record: dict) -> list[tuple[str, str]]:
    return [(" ".join(i["request"]["text"].split()), i["outcome"]) for i in record.get("items", [])]


@needs_dask
def test_local_cluster_matches_single_process(letters, single, tmp_path):
    out = tmp_path / "out"
    summary = dist.run_dask(letters, out, n_workers=2, partition_size=3)
    records, rows = _read_parts(out)
    assert [r["path"] for r in records] == [str(p) for p in letters]
    assert [_items(r) for r in records] == [_items(r) for r in single]
    assert any(_items(r) for r in records)
    assert records == single
    assert rows == [row for r in single for row in item_rows(r)]
    assert list(rows[0]) == COLUMNS
    assert summary["inputs"] == len(letters) and summary["partitions"] == 4
    assert summary["failed"] == 2 and summary["ok"] + summary["warned"] == len(letters) - 2
    assert summary["lost_partitions"] == []
    assert sorted(Path(f).name for f in summary["files"]) == sorted(
        f"part-{i:05d}{s}" for i in range(4) for s in (".parquet", ".jsonl")
    )
    errors = {r["path"]: r["error"] for r in records if "error" in r}
    assert errors == {str(letters[3]): "empty file", str(letters[-1]): "file not found"}


@needs_dask
def test_cli_parse_dask(letters, single, tmp_path):
    out = tmp_path / "cli_out"
    cmd = [
        sys.executable,
        "-m",
        "imr_nlp.cli",
        "parse-dask",
        *map(str, letters),
        "--output-dir",
        str(out),
        "--n-workers",
        "2",
        "--partition-size",
        "4",
        "--no-progress",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=180)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"imr-nlp: {len(letters)} inputs:" in proc.stderr and "2 failed; 3 partition(s)" in proc.stderr
    records, _ = _read_parts(out)
    assert records == single
    # a second run must not mix its parts with the first run's
    again = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
    assert again.returncode == 2 and "--overwrite" in again.stderr


def test_pipeline_loaded_once_per_worker(monkeypatch, tmp_path):
    import imr_nlp

    calls = []
    real_load = imr_nlp.load
    monkeypatch.setattr(imr_nlp, "load", lambda path=None: calls.append(path) or real_load(path))
    monkeypatch.setattr(dist, "_PIPELINES", {})
    pytest.importorskip("pyarrow")
    first = dist.process_partition(0, [str(p) for p in SEEDS[:2]], str(tmp_path))
    second = dist.process_partition(1, [str(p) for p in SEEDS[2:3]], str(tmp_path))
    assert calls == [None]
    assert (first["inputs"], second["inputs"]) == (2, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "part-00000.jsonl",
        "part-00000.parquet",
        "part-00001.jsonl",
        "part-00001.parquet",
    ]


def test_lost_partition_still_gives_a_record_per_input(tmp_path):
    pytest.importorskip("pyarrow")
    paths = [str(p) for p in SEEDS[:2]]
    summary = dist._lost_partition(7, paths, ["s0", "s1"], tmp_path, RuntimeError("worker killed"))
    records = [json.loads(line) for line in (tmp_path / "part-00007.jsonl").read_text("utf8").splitlines()]
    assert [r["path"] for r in records] == paths
    assert [r["id"] for r in records] == ["s0", "s1"]
    assert all("worker killed" in r["error"] for r in records)
    assert summary["failed"] == 2 and summary["rows"] == 2


def test_importing_imr_nlp_does_not_import_dask():
    code = (
        "import sys, imr_nlp, imr_nlp.cli, imr_nlp.distributed\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('dask', 'distributed')))"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[]"


def test_missing_dask_is_a_clear_error(tmp_path):
    code = (
        "import sys; sys.modules['distributed'] = None\n"
        "from imr_nlp.cli import main\n"
        f"sys.argv = ['imr-nlp', 'parse-dask', {str(SEEDS[0])!r}, '--output-dir', {str(tmp_path)!r}]\n"
        "main()"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert "pip install 'imr_nlp[dask]'" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_distributed_does_not_import_the_cli():
    """The batch engine is imr_nlp.batch: the Dask runner needs nothing of the CLI (no cycle)."""
    code = "import sys, imr_nlp.distributed\nprint('imr_nlp.cli' in sys.modules, 'imr_nlp.batch' in sys.modules)"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["False", "True"]


def test_plan_cuts_paths_and_run_wide_ids_into_partitions(tmp_path):
    for sub in ("a", "b"):
        (tmp_path / sub).mkdir()
        for stem in ("x", "y", sub):
            (tmp_path / sub / f"{stem}.txt").write_text("t", encoding="utf8")
    plan = dist._plan([tmp_path], 4)
    assert plan.n_inputs == 6
    assert [len(p) for p in plan.parts] == [4, 2]
    # ids are unique over the whole run, not per partition
    assert plan.ids == [["a", "a/x.txt", "a/y.txt", "b"], ["b/x.txt", "b/y.txt"]]
    assert [Path(p).relative_to(tmp_path).as_posix() for part in plan.parts for p in part] == [
        "a/a.txt", "a/x.txt", "a/y.txt", "b/b.txt", "b/x.txt", "b/y.txt"
    ]


def test_prepare_output_dir_refuses_or_removes_earlier_parts(tmp_path):
    out = tmp_path / "out"
    assert dist._prepare_output_dir(out, overwrite=False) == out and out.is_dir()
    for name in ("part-00000.jsonl", "part-00000.parquet", "notes.txt"):
        (out / name).write_text("x", encoding="utf8")
    with pytest.raises(FileExistsError, match="2 partition file"):
        dist._prepare_output_dir(out, overwrite=False)
    dist._prepare_output_dir(out, overwrite=True)
    assert sorted(p.name for p in out.iterdir()) == ["notes.txt"]


def test_run_summary_adds_up_partitions_in_order(tmp_path):
    def part(i: int, ok: int, warned: int, failed: int) -> dict:
        n = ok + warned + failed
        return {"partition": i, "inputs": n, "ok": ok, "warned": warned, "failed": failed, "rows": n + 1,
                "files": [f"p{i}.parquet", f"p{i}.jsonl"]}

    summary = dist._run_summary([part(1, 2, 0, 1), part(0, 1, 1, 0)], [1], tmp_path)
    assert summary == {
        "inputs": 5, "ok": 3, "warned": 1, "failed": 1, "rows": 7, "partitions": 2, "lost_partitions": [1],
        "output_dir": str(tmp_path), "files": ["p0.parquet", "p0.jsonl", "p1.parquet", "p1.jsonl"],
    }
