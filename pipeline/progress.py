"""A progress line on stderr (documents, characters, rate, ETA) when stderr is a terminal, and
the one-line summary every run ends with."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import TextIO


class Progress:
    """Counts documents by status, characters and claims; redraws at most every `interval`
    seconds. The total is an estimate (from file sizes), so the percentage stops at 99% until
    the run has finished, and the last line drawn says exactly 100%."""

    def __init__(self, enabled: bool = True, total_chars: int | None = None,
                 stream: TextIO | None = None, interval: float = 0.2):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total_chars = total_chars
        self.interval = interval
        self.statuses: Counter[str] = Counter()
        self.chars = 0
        self.claims = 0
        self.warned = 0  # documents read with a warning (damaged bytes)
        self.finished = False
        self._started = time.monotonic()
        self._drawn = 0.0

    @property
    def documents(self) -> int:
        return sum(self.statuses.values())

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type, *_exc) -> None:
        self.finished = exc_type is None
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def _rate(self) -> float:
        return self.chars / max(time.monotonic() - self._started, 1e-9)

    def line(self) -> str:
        rate = self._rate()
        text = f"zhfacts: {self.documents} documents, {self.chars:,} chars, {rate:,.0f} chars/s"
        if self.finished:
            text += ", 100%"
        elif self.total_chars and rate > 0:
            remaining = max(self.total_chars - self.chars, 0) / rate
            percent = min(99, int(100 * self.chars / self.total_chars))
            text += f", {percent}%, ETA {remaining:.0f}s"
        return text

    def summary(self, cached: int = 0) -> str:
        """`zhfacts: 72 documents (70 ok, 1 skipped, 1 failed), 9,866 claims, 1,163,432 chars in
        2.9 s (401,183 chars/s)`, and how many came from the cache."""
        elapsed = time.monotonic() - self._started
        text = (f"zhfacts: {self.documents} documents ({self.statuses['ok']} ok, "
                f"{self.statuses['skipped']} skipped, {self.statuses['error']} failed"
                f"{f', {self.warned} with warnings' if self.warned else ''}), "
                f"{self.claims:,} claims, {self.chars:,} chars in {elapsed:.1f} s "
                f"({self._rate():,.0f} chars/s)")
        return text + (f"; {cached} from the cache" if cached else "")

    def _draw(self) -> None:
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()
        self._drawn = time.monotonic()

    def advance(self, chars: int, status: str = "ok", claims: int = 0, warned: bool = False) -> None:
        self.statuses[status] += 1
        self.warned += warned
        self.chars += chars
        self.claims += claims
        if self.enabled and time.monotonic() - self._drawn >= self.interval:
            self._draw()

    def log(self, message: str) -> None:
        """A message that must be seen whatever the progress setting (errors)."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
        self.stream.write(message + "\n")
        self.stream.flush()
