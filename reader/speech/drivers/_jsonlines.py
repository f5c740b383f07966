"""The event stream of a driver's helper process: one JSON object per line.

The espeak and pyttsx3 drivers run their engines in child processes that
report events on stdout, one JSON object a line.  Reading that stream is the
same for both; what each event means (ready, fatal, a stale worker's events)
and what the end of the stream means (a crash, or a worker the driver killed
itself) differ, so those stay in each driver.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any


def messages(lines: Iterable[str]) -> Iterator[dict[str, Any]]:
    """Each JSON object in ``lines``, as soon as its line arrives, until the stream ends.

    A line that is not a JSON object (a stray print in the child) is skipped
    rather than ending the stream: the driver would otherwise take a noisy
    but working helper for a dead one.
    """
    for line in lines:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        if isinstance(msg, dict):
            yield msg
