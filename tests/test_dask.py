"""`--executor dask` (issue 10): the corpus through a Dask cluster gives the
same JSON as the local executor; a real `dask scheduler` with two `dask
worker` processes survives one worker killed mid-batch; a file that keeps
killing workers is reported failed and the batch goes on."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

distributed = pytest.importorskip("distributed")

from click.testing import CliRunner  # noqa: E402

from pipeline.cli import main  # noqa: E402
from pipeline.executors import ExecutorSpec, Lost, run_ordered  # noqa: E402
from pipeline.run import run_batch  # noqa: E402
from tests.test_resume import generated_orders  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ORDERS = sorted((ROOT / "corpus").glob("*.txt"))
BIN = Path(sys.executable).parent


def _same_outputs(a: Path, b: Path) -> None:
    names = sorted(p.name for p in a.glob("*.json") if p.name != "_run.json")
    assert names and names == sorted(p.name for p in b.glob("*.json") if p.name != "_run.json")
    for n in names:
        assert (a / n).read_bytes() == (b / n).read_bytes(), n


@pytest.fixture(scope="module")
def local_cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  silence_logs=40) as cluster, distributed.Client(cluster) as client:
        yield client


def test_corpus_through_a_local_cluster_is_byte_identical_to_the_local_executor(local_cluster, tmp_path):
    local = run_batch(ORDERS, tmp_path / "local", progress=False)
    sent = run_batch(ORDERS, tmp_path / "bytes", progress=False,
                     executor=ExecutorSpec(kind="dask", scheduler=local_cluster))
    shared = run_batch(ORDERS, tmp_path / "shared", progress=False,
                       executor=ExecutorSpec(kind="dask", scheduler=local_cluster, shared_fs=True))
    assert local.ok == sent.ok == shared.ok == len(ORDERS)
    _same_outputs(tmp_path / "local", tmp_path / "bytes")
    _same_outputs(tmp_path / "local", tmp_path / "shared")
    assert [r.model_dump(exclude={"output"}) for r in sent.results] == [r.model_dump(exclude={"output"}) for r in local.results]


def _scan_of_three_pages(tmp_path) -> list[Path]:
    """A 3-page scanned PDF and a 2-page photo TIFF: the first pages of the Осетия 2023 order."""
    import pypdfium2 as pdfium
    from PIL import Image

    from tests.conftest_formats import fixture_path

    src = pdfium.PdfDocument(str(fixture_path("scan", "north-ossetia-employment-committee-2023-09-09-78-r", "pdf")))
    pdf = pdfium.PdfDocument.new()
    pdf.import_pages(src, [0, 1, 2])
    scan = tmp_path / "in" / "scan-3-pages.pdf"
    scan.parent.mkdir()
    pdf.save(str(scan))
    with Image.open(fixture_path("photo", "north-ossetia-employment-committee-2023-09-09-78-r", "tiff")) as im:
        frames = []
        for k in (0, 1):
            im.seek(k)
            frames.append(im.copy())
    tiff = tmp_path / "in" / "photos-2-pages.tiff"
    frames[0].save(tiff, save_all=True, append_images=frames[1:], compression="tiff_deflate", dpi=(200, 200))
    return [scan, tiff]


@pytest.mark.skipif(not __import__("pipeline.readers.tesseract", fromlist=["x"]).tesseract_status("tesseract", "rus")[0],
                    reason="tesseract with rus data not installed")
def test_pages_of_a_scan_are_separate_tasks_and_the_json_is_the_local_one(local_cluster, tmp_path):
    files = _scan_of_three_pages(tmp_path)
    local = run_batch(files, tmp_path / "local", progress=False)
    with distributed.get_task_stream(local_cluster) as ts:
        sent = run_batch(files, tmp_path / "dask", progress=False,
                         executor=ExecutorSpec(kind="dask", scheduler=local_cluster))
    assert local.ok == sent.ok == 2
    _same_outputs(tmp_path / "local", tmp_path / "dask")
    pages = {t["key"] for t in ts.data if str(t["key"]).startswith("registry-page-")}
    files_run = {t["key"] for t in ts.data if str(t["key"]).startswith("registry-") and t["key"] not in pages}
    assert len(files_run) == 2 and len(pages) == 3 + 2  # one task per file, one per page
    assert len({t["worker"] for t in ts.data if t["key"] in pages}) == 2  # the pages spread over both workers


def test_ingest_through_a_local_cluster_stores_what_the_local_executor_stores(local_cluster, tmp_path):
    from pipeline.ingest import ingest
    from pipeline.store import Store

    reports = {}
    for name, spec in (("local", None), ("dask", ExecutorSpec(kind="dask", scheduler=local_cluster))):
        with Store.open(tmp_path / f"{name}.sqlite") as store:
            reports[name] = ingest(store, ORDERS[:3], executor=spec, progress=False)
            rows = store.conn.execute("SELECT path, sha256, json FROM extractions ORDER BY id").fetchall()
            reports[name + "-rows"] = [tuple(r) for r in rows]
    assert reports["dask"].summary() == reports["local"].summary() == "3 files: 3 added, 0 changed, 0 unchanged, 0 failed"
    assert reports["dask-rows"] == reports["local-rows"]


def _die_on_poison(arg):
    if arg == "poison":
        os._exit(1)  # what a segfault in a C library does to the worker
    return f"ok {arg}"


def test_a_poison_task_is_reported_after_the_allowed_tries(tmp_path):
    """KilledWorker after `allowed-failures` + 1 worker deaths, in each of two rounds: reported as lost, the rest done."""
    import cloudpickle
    import dask

    from pipeline.dask_executor import DaskExecutor

    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers cannot import tests/
    # one task per worker at a time (no innocent queued beside the poison): the count is exact
    with dask.config.set({"distributed.scheduler.allowed-failures": 1, "distributed.scheduler.worker-saturation": 1.0}), \
            distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                     silence_logs=50) as cluster, distributed.Client(cluster) as client:
        args = ["a", "poison", "b", "c"]
        out = dict(run_ordered(DaskExecutor(_die_on_poison, client), len(args), args.__getitem__))
    assert out[0] == "ok a" and out[2] == "ok b" and out[3] == "ok c"
    assert isinstance(out[1], Lost) and "worker died while extracting it, 4 times (in 2 rounds of 2)" in out[1].reason


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _workers(client) -> int:
    return len(client.scheduler_info(n_workers=-1)["workers"])


def test_a_real_scheduler_and_two_workers_survive_a_worker_killed_mid_batch(tmp_path):
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, CI="1")
    procs = [subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port),
                               "--no-dashboard"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        workers = [subprocess.Popen([str(BIN / "dask"), "worker", address, "--nthreads", "1", "--no-nanny",
                                     "--no-dashboard", "--name", f"w{k}"], cwd=ROOT, env=env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL) for k in (1, 2)]
        procs += workers
        with distributed.Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
            # warm both workers' imports so the batch below is mostly extraction
            client.run(lambda: __import__("pipeline.run") and None)

            out = tmp_path / "out"
            # enough files that the batch is still running when a worker is killed, however fast extraction gets
            files = generated_orders(tmp_path / "orders", 200)
            batch = subprocess.Popen([sys.executable, "-m", "pipeline", "extract", *map(str, files), "-o", str(out),
                                      "-q", "--executor", "dask", "--scheduler", address], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            first = next(a for a, w in client.scheduler_info(n_workers=-1)["workers"].items() if w["name"] == "w1")
            end = time.monotonic() + 240
            # mid-batch (results coming back), with a task on the worker: it and the rest must go to the other
            while not (out / "_index.jsonl").exists() or not client.processing().get(first):
                assert batch.poll() is None, batch.communicate()
                assert time.monotonic() < end
                time.sleep(0.02)
            os.kill(workers[0].pid, signal.SIGKILL)
            stdout, stderr = batch.communicate(timeout=600)
            assert batch.returncode == 0, stderr
            assert f"{len(files)} files: {len(files)} ok" in stdout
            assert _workers(client) == 1
        reference = tmp_path / "reference"
        assert CliRunner().invoke(main, ["extract", *map(str, files), "-o", str(reference), "-q"]).exit_code == 0
        _same_outputs(reference, out)
    finally:
        for p in reversed(procs):
            if p.poll() is None:
                p.terminate()
        for p in procs:
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()
