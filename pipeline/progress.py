"""A progress line on stderr (documents, characters, rate, ETA) when stderr is a terminal."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """Counts documents and characters; redraws at most every `interval` seconds."""

    def __init__(self, enabled: bool = True, total_chars: int | None = None,
                 stream: TextIO | None = None, interval: float = 0.2):
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total_chars = total_chars
        self.interval = interval
        self.documents = 0
        self.chars = 0
        self._started = time.monotonic()
        self._drawn = 0.0

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, *_exc) -> None:
        if self.enabled:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self._started, 1e-9)
        rate = self.chars / elapsed
        text = f"zhfacts: {self.documents} documents, {self.chars:,} chars, {rate:,.0f} chars/s"
        if self.total_chars and rate > 0:
            remaining = max(self.total_chars - self.chars, 0) / rate
            text += f", {100 * self.chars / self.total_chars:.0f}%, ETA {remaining:.0f}s"
        return text

    def _draw(self) -> None:
        self.stream.write("\r\x1b[K" + self.line())
        self.stream.flush()
        self._drawn = time.monotonic()

    def advance(self, chars: int) -> None:
        self.documents += 1
        self.chars += chars
        if self.enabled and time.monotonic() - self._drawn >= self.interval:
            self._draw()

    def log(self, message: str) -> None:
        """A message that must be seen whatever the progress setting (errors)."""
        if self.enabled:
            self.stream.write("\r\x1b[K")
        self.stream.write(message + "\n")
        self.stream.flush()
