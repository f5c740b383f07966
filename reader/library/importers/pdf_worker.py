"""pdfminer.six in a child process with a memory and CPU-time limit.

:mod:`reader.library.importers.pdf_limits` counts what a PDF makes pdfminer
do (decoded bytes, glyphs, pages, nesting) and refuses early with a precise
reason.  Counters only cover what was foreseen, and pdfminer is a large
pure-Python parser: an array of ten million numbers, a pathological font or
an unknown slow path could still take all the memory or hours.  So the
extraction runs here, in a fresh interpreter (``python -m
reader.library.importers.pdf_worker``) that

* limits its own address space (``RLIMIT_AS``) and CPU time (``RLIMIT_CPU``)
  before reading anything, so the worst case is a ``MemoryError`` or a
  ``SIGXCPU`` in the child, never a frozen or killed app;
* is the only place the bounded stream decoding is installed
  (:func:`~reader.library.importers.pdf_limits.install_bounded_decoding`);
* reads the PDF on stdin and writes one JSON object on stdout: the pages'
  text lines with their geometry, or a refusal (message, code, details).

The parent (:func:`extract_lines`) also stops the child after a wall-clock
timeout.  JSON rather than pickle: the child has read hostile data, so what
it sends back is parsed as data only.  The child's stderr is captured (never
shown on the app's screen) and pdfminer's logging is silenced in it.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

from reader.library.importers import ImportRefused, human_size
from reader.library.importers.pdf_limits import Budget, Limits

#: The child's address-space limit: this much plus four times the file size limit.
MEMORY_BASE = 1 << 30
#: The child's CPU seconds: this much plus this many per MB of PDF.  pdfminer
#: reads about 20,000 characters a second (a 700 KB, 300-page reportlab book
#: of 180,000 characters takes 9 s), so a dense text PDF needs ~15 s per MB.
CPU_BASE = 120
CPU_PER_MB = 30

#: A text line: (text, indented, x1, y1, y0, print size).
Line = tuple[str, bool, float, float, float, float]
#: A text box: (lines, x1, x0).
Box = tuple[list[Line], float, float]


def memory_limit(max_bytes: int) -> int:
    """Bytes of address space the child may map for a file under ``max_bytes``."""
    return MEMORY_BASE + 4 * max_bytes


def cpu_limit(size: int) -> int:
    """CPU seconds the child may use for a PDF of ``size`` bytes."""
    return CPU_BASE + CPU_PER_MB * (size >> 20)


# -- the child -----------------------------------------------------------------


def extract(data: bytes, limits: Limits) -> tuple[list[list[Box]], list[float]]:
    """Every page's text boxes (lines with geometry) and page heights, within ``limits``.

    Installs the bounded decoding: call it only in the worker process.
    """
    from pdfminer.layout import LAParams, LTChar, LTTextBox, LTTextLine
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFSyntaxError
    from pdfminer.psparser import PSException

    from reader.library.importers.pdf import line_size
    from reader.library.importers.pdf_limits import bounded_tools, install_bounded_decoding

    budget = Budget(limits)
    install_bounded_decoding(budget)
    device, interpreter = bounded_tools(budget, LAParams())
    pages: list[list[Box]] = []
    heights: list[float] = []
    try:
        for pdf_page in PDFPage.get_pages(io.BytesIO(data)):
            interpreter.process_page(pdf_page)
            if budget.refusal is not None:
                raise budget.refusal
            page = device.get_result()
            boxes: list[Box] = []
            for element in page:
                if not isinstance(element, LTTextBox):
                    continue
                lines: list[Line] = []
                for line in element:
                    if isinstance(line, LTTextLine) and line.get_text().strip():
                        # Indentation marks a paragraph's first line.
                        indent = line.x0 - element.x0 > max(2.0, line.height * 0.8)
                        lines.append(
                            (
                                line.get_text().strip(),
                                indent,
                                line.x1,
                                line.y1,
                                line.y0,
                                line_size(line, LTChar),
                            )
                        )
                if lines:
                    boxes.append((lines, element.x1, element.x0))
            pages.append(boxes)
            heights.append(page.height or 1.0)
    except ImportRefused:
        raise
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise ImportRefused(
            "an encrypted PDF (needs a password)", code="encrypted", format="pdf"
        ) from None
    except (PDFSyntaxError, PSException):
        if budget.refusal is not None:
            raise budget.refusal from None
        raise ImportRefused(
            "a corrupt PDF (its structure cannot be parsed)", code="corrupt", format="pdf"
        ) from None
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        if budget.refusal is not None:  # a refusal pdfminer wrapped in its own error
            raise budget.refusal from None
        if "encrypt" in type(exc).__name__.lower() or "password" in str(exc).lower():
            raise ImportRefused(
                "an encrypted PDF (needs a password)", code="encrypted", format="pdf"
            ) from None
        raise ImportRefused(
            f"a corrupt PDF ({type(exc).__name__})", code="corrupt", format="pdf"
        ) from None
    if budget.refusal is not None:
        raise budget.refusal
    return pages, heights


def _limit_self(memory: int, seconds: int) -> None:
    """Cap this process's address space and CPU time; SIGXCPU becomes an exception."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not POSIX: the parent's timeout still applies
        return
    for which, soft in ((resource.RLIMIT_AS, memory), (resource.RLIMIT_CPU, seconds)):
        _, hard = resource.getrlimit(which)
        wanted_hard = soft + 10 if which == resource.RLIMIT_CPU else soft
        if hard != resource.RLIM_INFINITY:
            soft, wanted_hard = min(soft, hard), min(wanted_hard, hard)
        resource.setrlimit(which, (soft, wanted_hard))

    def out_of_time(signum: int, frame: object) -> None:
        raise _OutOfTime

    signal.signal(signal.SIGXCPU, out_of_time)


class _OutOfTime(BaseException):
    """Raised in the child when its CPU time runs out (a BaseException, so pdfminer's
    ``except Exception`` cannot swallow it)."""


def _over_limits(resource: str, limit: int, *, clock: str = "processor") -> ImportRefused:
    """The refusal for a worker stopped by its memory or time limit."""
    if resource == "memory":
        said = f"needed more than {human_size(limit)} of memory"
    else:
        said = f"took more than {limit} second{'' if limit == 1 else 's'} of {clock} time"
    return ImportRefused(
        f"reading this PDF {said}: refused",
        code="over_limits",
        format="pdf",
        resource=resource,
        limit=limit,
    )


def main() -> int:
    """The worker: ``argv`` gives the limits as JSON, stdin the PDF, stdout the answer."""
    import logging

    settings = json.loads(sys.argv[1])
    _limit_self(settings["memory"], settings["seconds"])
    logging.disable(logging.CRITICAL)
    limits = Limits(**settings["limits"])
    data = sys.stdin.buffer.read()
    answer: dict[str, Any]
    failure = ""
    try:
        pages, heights = extract(data, limits)
        answer = {"pages": pages, "heights": heights}
    except ImportRefused as exc:
        answer = {"refused": [str(exc), exc.code, exc.details]}
    except MemoryError:
        failure = "memory"
    except _OutOfTime:
        failure = "time"
    except RecursionError:
        failure = "nesting"
    # Outside the handlers the traceback, and the memory it holds, is gone.
    if failure == "memory":
        exc = _over_limits("memory", settings["memory"])
        answer = {"refused": [str(exc), exc.code, exc.details]}
    elif failure == "time":
        exc = _over_limits("time", settings["seconds"])
        answer = {"refused": [str(exc), exc.code, exc.details]}
    elif failure == "nesting":
        answer = {"refused": ["a PDF nested too deeply to read", "too_complex", {"format": "pdf"}]}
    sys.stdout.write(json.dumps(answer, ensure_ascii=False))
    sys.stdout.flush()
    return 0


# -- the parent ----------------------------------------------------------------


def extract_lines(
    data: bytes, *, max_bytes: int, memory: int | None = None, seconds: int | None = None
) -> tuple[list[list[Box]], list[float]]:
    """:func:`extract` run in a limited worker process; refusals come back as they were.

    ``memory`` (bytes of address space) and ``seconds`` (of CPU) override
    :func:`memory_limit` and :func:`cpu_limit`, for tests of those limits.
    """
    limits = Limits.for_size_limit(max_bytes)
    memory = memory or memory_limit(max_bytes)
    seconds = seconds or cpu_limit(len(data))
    settings = {"memory": memory, "seconds": seconds, "limits": limits.__dict__}
    root = str(Path(__file__).resolve().parents[3])
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    command = [sys.executable, "-m", "reader.library.importers.pdf_worker", json.dumps(settings)]
    try:
        child = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            start_new_session=True,  # a Ctrl+C in the terminal is the app's to handle
        )
    except OSError as exc:
        raise ImportRefused(
            f"the PDF reader cannot start ({exc.strerror or exc})", code="no_support", format="pdf"
        ) from None
    try:
        # the wall clock allows for a busy machine; the CPU limit is the real bound
        out, err = child.communicate(data, timeout=seconds * 2 + 10)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        raise _over_limits("time", seconds * 2 + 10, clock="clock") from None
    except BaseException:
        child.kill()
        child.communicate()
        raise
    if child.returncode < 0:
        signum = -child.returncode
        if signum in (signal.SIGXCPU, signal.SIGKILL):
            # SIGKILL: the CPU hard limit, or the system ran out of memory
            raise _over_limits(
                "time" if signum == signal.SIGXCPU else "memory",
                seconds if signum == signal.SIGXCPU else memory,
            )
        raise ImportRefused(
            f"a PDF that crashed the PDF reader ({signal.Signals(signum).name})",
            code="corrupt",
            format="pdf",
        )
    try:
        answer = json.loads(out)
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        told = err.decode("utf-8", "replace").strip().splitlines()
        reason = " ".join(told[-1].split())[:200] if told else f"exit status {child.returncode}"
        raise ImportRefused(
            f"the PDF reader failed to start ({reason})", code="no_support", format="pdf"
        )
    if "refused" in answer:
        message, code, details = answer["refused"]
        raise ImportRefused(message, code=code, **details)
    pages = [
        [([tuple(line) for line in lines], x1, x0) for lines, x1, x0 in boxes]
        for boxes in answer["pages"]
    ]
    return pages, [float(h) for h in answer["heights"]]  # type: ignore[return-value]


if __name__ == "__main__":
    sys.exit(main())
