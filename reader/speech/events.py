"""Events the speech manager reports to its listeners.

Every event names the utterance it belongs to and, where it makes sense, a
span of *source* offsets (offsets into the text the caller handed over, e.g.
``Article.text``), so a listener can move the caret with the voice without
knowing anything about the engine.  Events are delivered on the caller's side
(through the ``dispatch`` callable given to :class:`~reader.speech.manager.SpeechManager`)
and never after a ``stop()`` that came before them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SpeechEvent:
    """Base class; ``request`` is the id returned by the call that queued the speech."""

    request: int


@dataclass(frozen=True, slots=True)
class UtteranceStarted(SpeechEvent):
    """The first sound of an utterance is about to be heard."""

    utterance: int
    start: int
    end: int
    text: str  # the source text of the utterance (what a caption or braille line shows)


@dataclass(frozen=True, slots=True)
class WordProgress(SpeechEvent):
    """The voice reached the word at ``start:end`` (source offsets)."""

    utterance: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class UtteranceDone(SpeechEvent):
    """The utterance was heard to its end."""

    utterance: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class AllDone(SpeechEvent):
    """The queue ran dry: everything asked for was spoken (not sent after a stop)."""


@dataclass(frozen=True, slots=True)
class SpeechError(SpeechEvent):
    """The engine failed; ``message`` is one line for the user."""

    message: str


__all__ = [
    "AllDone",
    "SpeechError",
    "SpeechEvent",
    "UtteranceDone",
    "UtteranceStarted",
    "WordProgress",
]
