"""Bulk validation on a Dask cluster (dask.distributed).

    from dask.distributed import Client
    import yoshiki.dask
    run = yoshiki.dask.validate(paths, Client("scheduler:8786"), batch_size=500)
    run.summary        # {"files": …, "valid": …, "invalid": …, "unreadable": …, "per_rule": {…}}
    run.report("json") # what `yoshiki validate --json` prints for the same files

The paths are cut into batches; each batch is one task, validated by the
worker's own Engine (built once per worker process and kept: building one
reads the catalogue, schemas and fonts). Results come back in input order,
each a :class:`yoshiki.ValidationResult`. Every worker must see the files
under the same paths (a shared file system) and have yoshiki installed; PDFs
are still parsed in separate PDF worker processes on each machine.
"""
from __future__ import annotations

import threading
from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple

import yoshiki

__all__ = ["validate", "BulkRun"]

# One Engine per worker process and set of options, shared by its threads.
_engines: Dict[Tuple[Any, ...], "yoshiki.Engine"] = {}
_engines_lock = threading.Lock()


def _engine(options: Tuple[Any, ...]) -> "yoshiki.Engine":
    with _engines_lock:
        engine = _engines.get(options)
        if engine is None:
            root, pdf_worker, in_process = options
            engine = yoshiki.Engine(root, pdf_worker=pdf_worker, in_process=in_process)
            _engines[options] = engine
        return engine


def _validate_batch(paths: List[str], options: Tuple[Any, ...], jobs: int, today: str,
                    values: bool, keep: str) -> Any:
    engine = _engine(options)
    # Files as given: the client expanded the folders already.
    results = [engine.validate(p, today=today, values=values) for p in paths] if jobs == 1 else \
        list(engine.validate_bulk(paths, jobs=jobs, today=today, values=values))
    if keep == "all":
        return results
    # Reduced here: the batch's summary and only what is not valid travel.
    return yoshiki.summary(results), [r for r in results if not r.valid]


def _merge(summaries: Iterable[Dict[str, Any]]) -> Dict[str, Any]:
    total: Dict[str, Any] = {"files": 0, "valid": 0, "invalid": 0, "unreadable": 0}
    per_rule: Dict[str, int] = {}
    for s in summaries:
        for k in total:
            total[k] += s[k]
        for rule, n in s["per_rule"].items():
            per_rule[rule] = per_rule.get(rule, 0) + n
    total["per_rule"] = dict(sorted(per_rule.items()))  # the CLI's order (std::map)
    return total


class BulkRun:
    """The results of a distributed validation, in input order."""

    def __init__(self, results: List["yoshiki.ValidationResult"],
                 summary: Optional[Dict[str, Any]] = None) -> None:
        self.results = results  # every file's, or (keep="failing") those not valid
        self._summary = summary

    def __iter__(self) -> Iterator["yoshiki.ValidationResult"]:
        return iter(self.results)

    def __len__(self) -> int:
        return len(self.results)

    @property
    def summary(self) -> Dict[str, Any]:
        """The counts of `yoshiki validate`'s summary (files, valid, invalid, unreadable, per_rule)."""
        return self._summary if self._summary is not None else yoshiki.summary(self.results)

    @property
    def exit_code(self) -> int:
        """What `yoshiki validate` would exit with: 0 all valid, 2 a file unreadable (I/O), else 1."""
        if any(r.io_error for r in self.results):
            return 2
        return 0 if all(r.valid for r in self.results) else 1

    def report(self, format: str = "json", lang: str = "ja", redact: bool = False) -> str:
        """The report `yoshiki validate` prints ("json", "jsonl" or "human") for the results
        kept (with keep="failing": the files not valid, and their counts only)."""
        return yoshiki.report(self.results, format=format, lang=lang, redact=redact)

    def to_dataframe(self) -> Any:
        """One row per file (needs pandas)."""
        return yoshiki.to_dataframe(self.results)


def validate(paths: Iterable[Any], client: Any, *, batch_size: int = 500, jobs: int = 1,
             today: str = "", values: bool = False, keep: str = "all",
             resource_root: Optional[str] = None, pdf_worker: Optional[str] = None,
             in_process: bool = False) -> BulkRun:
    """Validate files on the Dask cluster of ``client``; results in input order.

    Args:
        paths: files and folders (folders expanded as `yoshiki validate` does).
        client: a ``dask.distributed.Client``.
        batch_size: files per task (a task costs the scheduler about a
            millisecond: batches keep that small beside the work).
        jobs: threads of each task (1: Dask's worker threads do the parallel
            work; more for workers with one thread and many cores).
        today, values: as :meth:`yoshiki.Engine.validate`.
        keep: "all" — every file's result comes back; "failing" — each task
            sends its summary and only the results that are not valid (for
            runs too large for one client to take every result; the summary
            is still the whole run's).
        resource_root, pdf_worker, in_process: the workers' Engine (see
            :class:`yoshiki.Engine`); paths as the workers see them.
    """
    if batch_size < 1:
        raise ValueError("batch_size: at least 1")
    if keep not in ("all", "failing"):
        raise ValueError('keep: "all" or "failing"')
    files = yoshiki.expand_paths(paths)
    options = (resource_root, pdf_worker, in_process)
    batches = [files[i:i + batch_size] for i in range(0, len(files), batch_size)]
    futures = client.map(_validate_batch, batches, options=options, jobs=jobs, today=today,
                         values=values, keep=keep, pure=False)
    results: List["yoshiki.ValidationResult"] = []
    summaries = []
    try:
        for batch in client.gather(futures, errors="raise"):
            if keep == "all":
                results.extend(batch)
            else:
                summaries.append(batch[0])
                results.extend(batch[1])
    finally:
        for f in futures:
            f.release()
    return BulkRun(results, None if keep == "all" else _merge(summaries))
