"""`make bench`: time whole builds of the synthetic corpus at several sizes (issue 13).

Usage: .venv/bin/python bench/bench_scale.py [SIZE ...] [--seed 13] [--keep DIR] [--dask]
(default sizes 100 300 1000; `make bench SIZES="100 300" DASK=1`)

For each size, bench/synthetic.py writes the corpus (with its few scans, read by OCR: `scans`
in the JSON) into a temporary raw folder, then `python -m pipelines.build run` (the same command
as `make run`, in-process executor) builds it into a temporary warehouse three times:

* cold: a new warehouse and Dagster home, every file extracted;
* no change: the same folder again (the build's fingerprint says `warehouse up to date`);
* one new file: report N+1 of the same seed added to the folder, the rest reused.

With `--dask`, after the cold build the same folder is built cold again on a local Dask cluster
(bench/dask_cluster.py: `dask scheduler` and two `dask worker` processes on 127.0.0.1, two
extraction steps side by side, one extraction process per worker), into its own warehouse, whose
marts must equal the local build's row for row (`dask_cold` in the JSON).

Measured per build: wall time of the command, peak RSS summed over its process tree (psutil,
sampled every 0.1 s: the build process, the extraction workers and dbt); per stage from the
Dagster run's step events: discover (`extract/raw_reports` and `extract/plan`), extract (from
the first extraction step's start to the last one's end: `extract/shard_<k>`, results written
as Parquet), stage (`staged_tables`: the Parquet loaded into DuckDB), dbt (`warehouse_models`),
publish (`published_warehouse`), and checks (asset-check steps); start-up is
the wall time outside the steps (Python, Dagster and definitions import). Then PDF pages/s and
reports/s of the extract stage, and the extraction accuracy: every truth cell against the
published `extract.cells` (pipelines.scoring.compare).

After the builds, the extraction-to-floor ratio (bench/floor.py) on a fixed sample of the size's
text-layer PDFs (every k-th by name, at most 40 files): `extract_document` in this process
against its floor, pypdfium2 text of every page plus bare pdfplumber `extract_tables()` on the
pages `read_pdf` parses for tables (goal ≤ 1.3×).

Writes bench/results/<UTC timestamp>.json and prints the table with the cost per report.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import psutil
import pypdfium2 as pdfium

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.dask_cluster import differing_marts, local_cluster, worker_env  # noqa: E402
from bench.floor import measure  # noqa: E402
from bench.synthetic import DEFAULT_SEED, generate, is_scan  # noqa: E402
from pipelines.scoring import compare  # noqa: E402

RESULTS = REPO / "bench" / "results"
DASK_WORKERS = 2  # workers of the `--dask` cluster (and extraction steps of its build)
FLOOR_FILES = 40  # PDFs of a size's corpus timed against the floor, at most
STAGES = ("startup", "discover", "extract", "stage", "dbt", "publish", "checks")
STEP_STAGE = {
    "extract__raw_reports": "discover",
    "extract__plan": "discover",
    "staged_tables": "stage",
    "warehouse_models": "dbt",
    "published_warehouse": "publish",
}
# Extraction steps (`extract/shard_<k>`) may run side by side (Dask): their stage is the wall
# time from the first one's start to the last one's end.
SHARD_STEP = "extract__shard_"


class PeakRss:
    """Sample the summed RSS of a process and all its descendants until stopped."""

    def __init__(self, pid: int) -> None:
        self.root = psutil.Process(pid)
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                procs = [self.root, *self.root.children(recursive=True)]
            except psutil.NoSuchProcess:
                return
            total = 0
            for proc in procs:
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    continue
            self.peak = max(self.peak, total)
            self._stop.wait(0.1)

    def stop(self) -> int:
        """Stop sampling; return the peak in bytes."""
        self._stop.set()
        self._thread.join()
        return self.peak


def run_build(env: dict[str, str]) -> dict[str, Any]:
    """Run `python -m pipelines.build run` once; return wall seconds, peak RSS and its output."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.build", "run"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    sampler = PeakRss(process.pid)
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    peak = sampler.stop()
    if process.returncode != 0:
        msg = f"build failed ({process.returncode}):\n{output[-3000:]}"
        raise RuntimeError(msg)
    return {"wall_s": wall, "peak_rss_mb": peak / 2**20, "up_to_date": "up to date" in output}


def stage_times(dagster_home: Path, wall: float) -> dict[str, float]:
    """Return seconds per stage of the latest run in a Dagster home, from its step events."""
    code = f"""
import json
import dagster as dg
from dagster import DagsterEventType as T
instance = dg.DagsterInstance.from_config({str(dagster_home)!r})
run = instance.get_runs(limit=1)[0]
steps = {{}}
for entry in instance.all_logs(run.run_id, of_type={{T.STEP_START, T.STEP_SUCCESS}}):
    steps.setdefault(entry.step_key, {{}})[entry.dagster_event.event_type.value] = entry.timestamp
print(json.dumps(steps))
"""
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    steps = json.loads(found.stdout.strip().splitlines()[-1])
    stages = dict.fromkeys(STAGES, 0.0)
    shards: list[tuple[float, float]] = []
    for key, marks in steps.items():
        if "STEP_START" not in marks or "STEP_SUCCESS" not in marks:
            continue
        if key.startswith(SHARD_STEP):
            shards.append((marks["STEP_START"], marks["STEP_SUCCESS"]))
        else:
            stages[STEP_STAGE.get(key, "checks")] += marks["STEP_SUCCESS"] - marks["STEP_START"]
    if shards:
        stages["extract"] = max(end for _, end in shards) - min(start for start, _ in shards)
    stages["startup"] = max(0.0, wall - sum(stages.values()))
    return stages


def accuracy(warehouse: Path, raw: Path) -> dict[str, Any]:
    """Compare every truth file's cells with the published extraction of its report."""
    with duckdb.connect(str(warehouse), read_only=True) as conn:
        reports = conn.sql(
            "select source_path, status, agency, year, era from extract.reports"
        ).fetchall()
        cells = conn.sql("select report_id, table_name, row_key, col_key, value from extract.cells")
        cell_rows = cells.fetchall()
        checks = conn.sql(
            "select report_id, check_id, scope, status, severity from extract.checks"
        ).fetchall()
    outs: dict[str, dict[str, Any]] = {}
    for path, status, agency, year, era in reports:
        document = {"agency": agency, "year": year, "era": era}
        outs[path] = {"status": status, "document": document, "cells": [], "checks": []}
    for report_id, table, row, col, value in cell_rows:
        out = outs[report_id].setdefault(table, {})
        if col is None:
            out[row] = value
        else:
            out.setdefault(row, {})[col] = value
    for report_id, check, scope, status, severity in checks:
        outs[report_id]["checks"].append(
            {"check": check, "scope": scope, "status": status, "severity": severity}
        )
    total = correct = files_exact = 0
    for truth_path in sorted(raw.glob("*.truth.json")):
        name = truth_path.name.removesuffix(".truth.json")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        out = outs.get(truth["source"]["path"], {})
        score = compare(out, truth, name)
        total += score.total
        correct += score.correct
        files_exact += score.correct == score.total and score.meta_ok
    files = len(list(raw.glob("*.truth.json")))
    return {
        "cells": total,
        "cells_correct": correct,
        "cell_accuracy": correct / total if total else 1.0,
        "files": files,
        "files_exact": files_exact,
    }


def pdf_pages(paths: list[Path]) -> int:
    """Return the number of pages of the given PDFs."""
    pages = 0
    for path in paths:
        document = pdfium.PdfDocument(path)
        pages += len(document)
        document.close()
    return pages


def dask_build(env: dict[str, str], folder: Path, local: Path) -> dict[str, Any]:
    """Build the same raw folder cold on a local Dask cluster (a scheduler and two workers as
    separate processes, two extraction steps, one extraction process per worker: the machine's
    two cores); return its wall time, stages and the marts that differ from the local build."""
    home, warehouse = folder / "dagster_home", folder / "wh" / "w.duckdb"
    dask_env = {
        **env,
        "DISCLOSURE_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(home),
        "DISCLOSURE_OCR_CACHE": str(folder / "ocr_cache"),
        "DISCLOSURE_EXTRACT_SHARDS": str(DASK_WORKERS),
        "DISCLOSURE_WORKERS": "1",
    }
    with local_cluster(dask_env, folder / "logs", workers=DASK_WORKERS) as (address, _):
        build = run_build(worker_env(dask_env, address))
    build["stages"] = stage_times(home, build["wall_s"])
    build["workers"] = DASK_WORKERS
    build["differing_marts"] = differing_marts(local, warehouse)
    return build


def bench_size(size: int, seed: int, folder: Path, dask: bool = False) -> dict[str, Any]:
    """Generate a corpus of `size` reports and time its three builds (and, with `dask`, a cold
    build on a local Dask cluster); return the measures."""
    raw, home, warehouse = folder / "raw", folder / "dagster_home", folder / "wh" / "w.duckdb"
    started = time.perf_counter()
    generate(raw, size, seed)
    generated = time.perf_counter() - started
    # Report N+1 of the same seed, for the one-new-file rebuild (same bytes as in an N+1 corpus).
    extra = generate(folder / "extra", size + 1, seed)[-1]
    env = {
        **os.environ,
        "DISCLOSURE_RAW": str(raw),
        "DISCLOSURE_WAREHOUSE": str(warehouse),
        "DAGSTER_HOME": str(home),
        "DISCLOSURE_OCR_CACHE": str(folder / "ocr_cache"),
    }
    builds: dict[str, Any] = {}
    cold = run_build(env)
    cold["stages"] = stage_times(home, cold["wall_s"])
    builds["cold"] = cold
    if dask:
        builds["dask_cold"] = dask_build(env, folder / "dask", warehouse)
    builds["no_change"] = run_build(env)
    shutil.copy2(extra, raw / extra.name)
    one_new = run_build(env)
    one_new["stages"] = stage_times(home, one_new["wall_s"])
    builds["one_new_file"] = one_new
    pdfs = sorted(path for path in raw.glob("*.pdf") if path.name != extra.name)
    pages = pdf_pages(pdfs)
    extract_s = cold["stages"]["extract"]
    sample = floor_sample(pdfs)
    floor = measure(sample)
    return {
        "size": size,
        "seed": seed,
        "generate_s": generated,
        "pdf_files": len(pdfs),
        "scans": sum(map(is_scan, range(size))),
        "pdf_pages": pages,
        "builds": builds,
        "pdf_pages_per_s_extract": pages / extract_s if extract_s else None,
        "reports_per_s_extract": size / extract_s if extract_s else None,
        "reports_per_s_build": size / cold["wall_s"],
        "cost_s_per_report": cold["wall_s"] / size,
        "accuracy": accuracy(warehouse, raw),
        "floor": {**floor.to_dict(), "sample": [path.name for path in sample]},
    }


def floor_sample(pdfs: list[Path], limit: int = FLOOR_FILES) -> list[Path]:
    """Return every k-th of the PDFs (sorted by the caller), k chosen so at most `limit` remain."""
    step = max(1, -(-len(pdfs) // limit))
    return pdfs[::step]


def table(results: list[dict[str, Any]]) -> str:
    """Return the printed table of a bench run."""
    head = (
        f"{'size':>5} {'cold s':>7} {'s/rep':>6} {'nochg s':>7} {'+1 s':>6} "
        + " ".join(f"{stage[:7]:>7}" for stage in STAGES)
        + f" {'pdf p/s':>7} {'rep/s':>6} {'RSS MB':>7} {'acc':>7} {'floor×':>6}"
    )
    lines = [head]
    for r in results:
        cold = r["builds"]["cold"]
        local = ("cold", "no_change", "one_new_file")
        peak = max(r["builds"][name]["peak_rss_mb"] for name in local)
        no_change, one_new = r["builds"]["no_change"], r["builds"]["one_new_file"]
        lines.append(
            f"{r['size']:>5} {cold['wall_s']:7.1f} {r['cost_s_per_report']:6.3f} "
            f"{no_change['wall_s']:7.1f} {one_new['wall_s']:6.1f} "
            + " ".join(f"{cold['stages'][stage]:7.1f}" for stage in STAGES)
            + f" {r['pdf_pages_per_s_extract'] or 0:7.1f} {r['reports_per_s_build']:6.2f}"
            f" {peak:7.0f} {r['accuracy']['cell_accuracy']:7.2%}"
            f" {r['floor']['ratio'] or 0:6.2f}"
        )
    for r in results:
        if dask := r["builds"].get("dask_cold"):
            lines.append(
                f"{r['size']:>5} on Dask ({dask['workers']} workers): cold {dask['wall_s']:.1f} s,"
                f" extract {dask['stages']['extract']:.1f} s, dbt {dask['stages']['dbt']:.1f} s,"
                " marts "
                + (
                    "identical to the local build"
                    if not dask["differing_marts"]
                    else "DIFFERENT: " + ", ".join(dask["differing_marts"])
                )
            )
    lines.append(
        "cold/nochg/+1: wall seconds of `pipelines.build run`; stages of the cold build (s);"
        " pdf p/s: PDF pages per second of the extract stage; rep/s: reports per second of the"
        " cold build; RSS: peak over the process tree of the three builds; acc: truth cells"
        " read right; floor×: extract_document over pypdfium2 text + bare extract_tables() on"
        " a sample of the PDFs (goal ≤ 1.3)"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Parse the command line, run the sizes, write the JSON and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[100, 300, 1000])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--keep", type=Path, help="keep the corpora and warehouses here")
    parser.add_argument(
        "--dask", action="store_true", help="also build each corpus cold on a local Dask cluster"
    )
    args = parser.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as scratch:
        base = args.keep or Path(scratch)
        for size in args.sizes:
            folder = base / f"n{size}"
            shutil.rmtree(folder, ignore_errors=True)
            print(f"==> {size} reports", flush=True)
            results.append(bench_size(size, args.seed, folder, args.dask))
            print(table(results[-1:]).splitlines()[1], flush=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{stamp}.json"
    machine = {"cpus": os.cpu_count(), "memory_gb": psutil.virtual_memory().total / 2**30}
    payload = {"timestamp": stamp, "machine": machine, "results": results}
    out.write_text(json.dumps(payload, indent=1), encoding="utf-8")
    print(table(results))
    print(f"written {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
