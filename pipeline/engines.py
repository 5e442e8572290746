"""Where documents are extracted: in this process, in a pool of worker processes, or on a Dask
cluster. Every engine turns a stream of raw documents into a stream of `DocumentRows` in any
order (the writer sorts), keeps a bounded number of batches in flight so memory does not grow
with the corpus, and reports a document whose worker died as that document's error while the
rest complete.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from functools import partial

from pipeline.cache import ExtractionCache
from pipeline.export import DocumentRows, document_rows
from pipeline.extract import Extraction, _error_document, extract_document, gc_paused
from pipeline.read import RawDocument, UsageError
from pipeline.segment import DEFAULT_SEGMENTER

BATCH_CHARS = 200_000  # text per task: large enough to amortise sending, small enough to balance
BATCH_DOCUMENTS = 64
TASKS_PER_WORKER = 2  # batches in flight per worker: one running, one queued


def extract_batch(raws: list[RawDocument], segmenter: str, ner_model: bool) -> list[DocumentRows]:
    """The task every engine runs: extract and CSV-encode a batch of documents, each inside one
    pause of the garbage collector (see `gc_paused`)."""
    batch = []
    for raw in raws:
        with gc_paused():
            batch.append(document_rows(extract_document(raw, segmenter, ner_model)))
    return batch


def _crashed(raw: RawDocument, reason: str) -> DocumentRows:
    return document_rows(Extraction(_error_document(raw, f"{raw.source}: line 0: {reason}")))


@dataclass
class Run:
    """One extraction run's settings, and its counts for the summary line."""

    segmenter: str = DEFAULT_SEGMENTER
    ner_model: bool = False
    workers: int = 1
    engine: str = "local"
    scheduler: str | None = None  # a Dask scheduler address; None starts a LocalCluster
    cache: ExtractionCache | None = None

    def rows(self, raws: Iterable[RawDocument]) -> Iterator[DocumentRows]:
        """The rows of every document; unreadable ones and cache hits never reach a worker."""
        pending: dict[str, RawDocument] = {}  # doc_id → raw, for documents sent to be extracted
        batches = self._batches(raws, pending)
        if self.engine == "dask":
            results = _dask_map(batches, self)
        elif self.workers > 1:
            results = _pool_map(batches, self)
        else:
            results = (extract_batch(batch, self.segmenter, self.ner_model)
                       if isinstance(batch, list) else [batch] for batch in batches)
        for group in results:
            for rows in group:
                raw = pending.pop(rows.doc_id, None)
                if raw is not None and self.cache is not None:
                    self.cache.put(raw, rows)
                yield rows

    def _batches(self, raws: Iterable[RawDocument],
                 pending: dict[str, RawDocument]) -> Iterator[list[RawDocument] | DocumentRows]:
        """Batches of documents to extract, and the finished rows of those that need no work."""
        batch: list[RawDocument] = []
        chars = 0
        limit = BATCH_CHARS if self.workers > 1 or self.engine == "dask" else 0
        for raw in raws:
            if raw.text is None:  # its error (or skip) row, made where every other one is
                yield document_rows(extract_document(raw))
                continue
            cached = self.cache.get(raw) if self.cache is not None else None
            if cached is not None:
                yield cached
                continue
            pending[raw.doc_id] = raw
            batch.append(raw)
            chars += len(raw.text)
            if chars >= limit or len(batch) >= BATCH_DOCUMENTS:
                yield batch
                batch, chars = [], 0
        if batch:
            yield batch


def _bounded(batches: Iterator, window: int, submit: Callable, wait_any: Callable,
             on_failure: Callable) -> Iterator[list[DocumentRows]]:
    """Run batches with at most `window` in flight, yielding each finished batch's rows.

    `wait_any(futures)` returns the finished ones; a failed batch goes to `on_failure(batch,
    error, alone)`, which returns rows to yield now and batches to run again.
    """
    in_flight: dict = {}
    retry: deque = deque()
    exhausted = False
    while True:
        limit = 1 if retry else window  # after a crash, one at a time: the culprit is then known
        while len(in_flight) < limit and not (exhausted and not retry):
            if retry:
                batch = retry.popleft()
            else:
                batch = next(batches, None)
                if batch is None:
                    exhausted = True
                    continue
            if isinstance(batch, DocumentRows):
                yield [batch]
                continue
            in_flight[submit(batch)] = batch
        if not in_flight:
            return
        for future in wait_any(list(in_flight)):
            batch = in_flight.pop(future)
            try:
                yield future.result()
            except Exception as error:  # the worker died (or the task could not be sent)
                rows, again = on_failure(batch, error, alone=not in_flight and limit == 1)
                yield rows
                retry.extend(again)


def _split_after_crash(batch: list[RawDocument], error: Exception, alone: bool):
    """A batch lost with its worker is run again one document at a time; a lone document that
    fails again is the culprit and becomes an error row."""
    if len(batch) == 1 and alone:
        reason = f"the worker process died while extracting it ({type(error).__name__}: {error})"
        return [_crashed(batch[0], reason)], []
    return [], [[raw] for raw in batch]


def _pool_map(batches: Iterator, run: Run) -> Iterator[list[DocumentRows]]:
    """Worker processes on this machine (forked: they start without importing anything again)."""
    import multiprocessing

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods()
                                          else None)
    task = partial(extract_batch, segmenter=run.segmenter, ner_model=run.ner_model)
    pool = [ProcessPoolExecutor(max_workers=run.workers, mp_context=context)]

    def submit(batch):
        try:
            return pool[0].submit(task, batch)
        except BrokenProcessPool:  # a crash broke the pool: a fresh one for what follows
            pool[0].shutdown(wait=False, cancel_futures=True)
            pool[0] = ProcessPoolExecutor(max_workers=run.workers, mp_context=context)
            return pool[0].submit(task, batch)

    def wait_any(futures):
        done, _ = wait(futures, return_when=FIRST_COMPLETED)
        return done

    try:
        yield from _bounded(batches, run.workers * TASKS_PER_WORKER, submit, wait_any, _split_after_crash)
    finally:
        pool[0].shutdown(wait=True, cancel_futures=True)


def _dask_map(batches: Iterator, run: Run) -> Iterator[list[DocumentRows]]:
    """Tasks on a dask.distributed cluster: the one at `run.scheduler`, or a LocalCluster of
    `run.workers` single-threaded worker processes."""
    try:
        import logging

        from distributed import Client, LocalCluster, as_completed
    except ImportError as exc:
        raise UsageError("--engine dask needs dask.distributed: pip install 'zhfacts[dask]'") from exc
    cluster = None
    if run.scheduler:
        client = Client(run.scheduler)
    else:
        cluster = LocalCluster(n_workers=run.workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=logging.ERROR)
        client = Client(cluster)
    try:
        threads = sum(client.nthreads().values()) or 1
        finished = as_completed()

        def submit(batch):
            future = client.submit(extract_batch, batch, run.segmenter, run.ner_model, pure=False)
            finished.add(future)
            return future

        def wait_any(_futures):
            return [next(finished)]

        yield from _bounded(batches, threads * TASKS_PER_WORKER, submit, wait_any, _split_after_crash)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
