"""Throughput benchmark: ``python -m flows.bench [--n 2000] [--processes 2]`` (``make bench``). Not a test.

Builds a JSONL corpus of N articles from ``../shared/articles`` (fakehealth + cochrane_pls, replicated with changed
ids past their 3,116 articles), then in one process measures, on the same pipeline and the same texts:
the bare ``nlp.pipe``; the full flow with 1 process (scan, batches, tables, review report); a second, unchanged run;
the flow on a local Dask cluster of ``--processes`` workers (pre-warmed: each has loaded the model). Peak memory is
sampled (this process plus its children). Prints a report and writes ``bench.json`` in the work folder.
"""
from __future__ import annotations

import argparse
import json
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from flows.settings import configure_prefect_env

configure_prefect_env()

import psutil  # noqa: E402

from flows import batch  # noqa: E402
from flows.extract import extract_claims  # noqa: E402
from pipeline.ingest import plan_corpus, read_article  # noqa: E402
from pipeline.paths import shared_dir  # noqa: E402

SOURCES = ("fakehealth/fakehealth.jsonl", "cochrane_pls/cochrane_pls.jsonl")


def build_corpus(n: int, path: Path) -> int:
    """N articles: the shared ones in order, then again with ids suffixed ``~2``, ``~3``, ... Returns N."""
    lines = []
    for source in SOURCES:
        lines += [json.loads(line) for line in (shared_dir() / "articles" / source).read_text(encoding="utf-8").splitlines() if line.strip()]
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            record = dict(lines[i % len(lines)])
            if i >= len(lines):
                record["id"] = f"{record['id']}~{i // len(lines) + 1}"
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return n


class MemorySampler:
    """Peak resident memory of this process + its children, sampled every 0.2 s, per named phase."""

    def __init__(self):
        self.peaks: dict[str, float] = {}
        self.phase = ""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _rss(self) -> int:
        me = psutil.Process()
        total = me.memory_info().rss
        for child in me.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                pass
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            phase = self.phase  # read once: the main thread may end the phase meanwhile
            if phase:
                self.peaks[phase] = max(self.peaks.get(phase, 0), self._rss() / 2**20)

    @contextmanager
    def measure(self, phase: str):
        self.phase = phase
        try:
            yield
        finally:
            self.peaks[phase] = max(self.peaks.get(phase, 0), self._rss() / 2**20)
            self.phase = ""

    def stop(self) -> None:
        self._stop.set()


def bare_pipe(corpus: Path, pipe_batch_size: int) -> tuple[float, int, int]:
    """Seconds, articles and words of ``nlp.pipe`` over the analysed texts (reading not timed)."""
    texts = []
    for ref in plan_corpus(corpus):
        try:
            texts.append(read_article(ref).text)
        except ValueError:
            continue
    nlp = batch.shared_pipeline()
    started, cpu = time.perf_counter(), time.process_time()
    for _ in nlp.pipe(texts, batch_size=pipe_batch_size):
        pass
    bare_cpu_s.append(time.process_time() - cpu)
    return time.perf_counter() - started, len(texts), sum(len(t.split()) for t in texts)


bare_cpu_s: list[float] = []


def local_cluster_runner(processes: int):
    """A local Dask cluster whose workers have already loaded the pipeline (start-up timed separately)."""
    from distributed import Client, LocalCluster
    from prefect_dask import DaskTaskRunner

    from flows.settings import local_cluster_kwargs

    cluster = LocalCluster(**local_cluster_kwargs(processes))
    with Client(cluster) as client:
        client.run(lambda: batch.shared_pipeline() and None)
    return cluster, DaskTaskRunner(address=cluster.scheduler_address)  # (a cluster object is not picklable)


def flow_memory(n: int, work: Path, batch_size: int) -> dict:
    """Only the 1-process flow in this fresh process: its time and peak memory (for memory vs N).

    ``peak_rss_mb`` is this process's own peak (getrusage); ``peak_total_mb`` adds its children (Prefect's
    temporary API server), sampled every 0.2 s.
    """
    import resource

    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "bench.jsonl"
    build_corpus(n, corpus)
    memory = MemorySampler()
    started = time.perf_counter()
    with memory.measure("flow"):
        summary = extract_claims(str(corpus), str(work / "out-mem"), batch_size=batch_size, force=True)
    memory.stop()
    return {"n": n, "flow_s": time.perf_counter() - started, "words": summary["words"],
            "mentions": summary["mentions"], "claims": summary["claims"], "timings": summary["timings"],
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "peak_total_mb": memory.peaks["flow"]}


def run_bench(n: int, processes: int, work: Path, pipe_batch_size: int, batch_size: int) -> dict:
    work.mkdir(parents=True, exist_ok=True)
    corpus = work / "bench.jsonl"
    build_corpus(n, corpus)
    memory = MemorySampler()
    report: dict = {"n": n, "processes": processes, "pipe_batch_size": pipe_batch_size, "batch_size": batch_size}
    with memory.measure("model_load"):
        started = time.perf_counter()
        batch.shared_pipeline()
        report["model_load_s"] = time.perf_counter() - started
    with memory.measure("bare"):
        report["bare_s"], report["bare_articles"], report["words"] = bare_pipe(corpus, pipe_batch_size)
    warm = work / "warm"
    warm.mkdir(exist_ok=True)
    (warm / "a.txt").write_text("Aspirin can cause stomach bleeding.")
    extract_claims(str(warm), str(work / "warm-out"))  # starts Prefect's temporary server: not timed below
    out1 = work / "out-1"
    with memory.measure("flow_1"):
        started, cpu = time.perf_counter(), time.process_time()
        first = extract_claims(str(corpus), str(out1), batch_size=batch_size, pipe_batch_size=pipe_batch_size, force=True)
        report["flow_1_s"] = time.perf_counter() - started
        report["flow_1_cpu_s"] = time.process_time() - cpu
    report["bare_cpu_s"] = bare_cpu_s[-1]
    report["flow_1_timings"] = first["timings"]
    report["articles_failed"] = first["articles_failed"]
    with memory.measure("unchanged"):
        started = time.perf_counter()
        second = extract_claims(str(corpus), str(out1), batch_size=batch_size)
        report["unchanged_s"] = time.perf_counter() - started
    report["unchanged_analysed"] = second["articles_analysed"]
    if processes > 1:
        with memory.measure(f"flow_{processes}"):
            started = time.perf_counter()
            cluster, runner = local_cluster_runner(processes)
            report["cluster_start_s"] = time.perf_counter() - started
            started = time.perf_counter()
            many = extract_claims.with_options(task_runner=runner)(str(corpus), str(work / f"out-{processes}"),
                                                                   batch_size=batch_size, pipe_batch_size=pipe_batch_size, force=True)
            report[f"flow_{processes}_s"] = time.perf_counter() - started
            report[f"flow_{processes}_timings"] = many["timings"]
            cluster.close()
    memory.stop()
    report["peak_rss_mb"] = memory.peaks
    report["load_average"] = list(psutil.getloadavg())
    report["cpu_count"] = psutil.cpu_count()
    return report


def format_report(r: dict) -> str:
    n, words = r["n"], r["words"]
    lines = [
        f"corpus: {n} articles, {words} words; nlp.pipe batch {r['pipe_batch_size']}, {r['batch_size']} articles per task",
        f"model load:          {r['model_load_s']:.1f} s",
        f"bare nlp.pipe:       {r['bare_s']:.1f} s  {r['bare_articles'] / r['bare_s']:.1f} articles/s  {words / r['bare_s']:.0f} words/s",
        f"flow, 1 process:     {r['flow_1_s']:.1f} s  {n / r['flow_1_s']:.1f} articles/s  {words / r['flow_1_s']:.0f} words/s"
        f"  (scan {r['flow_1_timings']['scan_s']:.1f} s, write {r['flow_1_timings']['write_s']:.1f} s)",
        f"flow / bare:         {r['bare_s'] / r['flow_1_s']:.3f} (throughput ratio, wall clock); "
        f"{r['bare_cpu_s'] / r['flow_1_cpu_s']:.3f} on CPU time (bare {r['bare_cpu_s']:.1f} s, flow {r['flow_1_cpu_s']:.1f} s)",
        f"unchanged re-run:    {r['unchanged_s']:.1f} s  = {100 * r['unchanged_s'] / r['flow_1_s']:.1f}% of the first run"
        f"  ({r['unchanged_analysed']} articles analysed)",
    ]
    p = r["processes"]
    if p > 1:
        lines.append(f"flow, {p} processes:   {r[f'flow_{p}_s']:.1f} s  {n / r[f'flow_{p}_s']:.1f} articles/s  "
                     f"speed-up {r['flow_1_s'] / r[f'flow_{p}_s']:.2f}x over 1 process  (cluster start + model loads "
                     f"{r['cluster_start_s']:.1f} s, not included)")
        if f"flow_{p}_timings" in r:
            one, many = r["flow_1_timings"]["nlp_s"], r[f"flow_{p}_timings"]["nlp_s"]
            lines.append(f"  NLP time summed over batches: {one:.1f} s in 1 process, {many:.1f} s over {p} "
                         f"({many / one:.2f}x: each process is slower when all cores are busy)")
    lines.append(f"machine: {r['cpu_count']} CPUs, load average at the end {r['load_average'][0]:.1f} (other jobs count)")
    lines.append("peak memory (this process + children): " + ", ".join(f"{k} {v:.0f} MB" for k, v in r["peak_rss_mb"].items()))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m flows.bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=2000, help="articles (default 2000)")
    parser.add_argument("--processes", type=int, default=2, help="worker processes for the scaling run (default 2)")
    parser.add_argument("--pipe-batch-size", type=int, default=batch.DEFAULT_PIPE_BATCH_SIZE, help="nlp.pipe batch size")
    parser.add_argument("--batch-size", type=int, default=50, help="articles per task (default 50)")
    parser.add_argument("--work", default="", help="work folder (default: a temporary folder)")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the 1-process flow in a fresh process: its peak RSS (compare two --n values)")
    args = parser.parse_args(argv)
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="drugclaims-bench-"))
    if args.memory_only:
        result = flow_memory(args.n, work, args.batch_size)
        (work / "memory.json").write_text(json.dumps(result, indent=2))
        print(f"flow over {result['n']} articles ({result['words']} words, {result['mentions']} mentions, "
              f"{result['claims']} claims): {result['flow_s']:.1f} s, write {result['timings']['write_s']:.1f} s; "
              f"peak RSS {result['peak_rss_mb']:.0f} MB (with children {result['peak_total_mb']:.0f} MB)")
        return 0
    report = run_bench(args.n, args.processes, work, args.pipe_batch_size, args.batch_size)
    (work / "bench.json").write_text(json.dumps(report, indent=2))
    print(format_report(report))
    print(f"details: {work / 'bench.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
