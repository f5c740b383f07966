"""``reader say``, ``reader speak`` and ``reader voices``: speech from the command line.

These run the same speech manager as the app, with its events delivered to
the main thread through a queue, so Ctrl+C stops the voice at once (the
handler calls ``stop()``, which cancels the engine) instead of waiting for a
sentence to end.
"""

from __future__ import annotations

import argparse
import queue
import sys
from typing import Any

from reader.commands.strings import add_lang_option, user_error
from reader.errors import UserError

DRIVERS = ("auto", "espeak", "pyttsx3", "silent")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("say", help="speak TEXT and return when done (Ctrl+C stops at once)")
    p.add_argument("text", nargs="+", help="the text to speak")
    p.add_argument(
        "--show",
        action="store_true",
        help="print exactly what each utterance sends to the engine; speak nothing",
    )
    _common(p)
    p.set_defaults(func=cmd_say)

    p = sub.add_parser(
        "speak", help="read an article aloud, printing each sentence as it is spoken"
    )
    p.add_argument("id", help="article id (or a unique prefix, or its number in 'reader list')")
    p.add_argument("--sentence", type=int, default=1, help="start at this sentence (1-based)")
    _common(p)
    p.set_defaults(func=cmd_speak)

    p = sub.add_parser("voices", help="list voice profiles and the engine's installed voices")
    p.add_argument("--all", action="store_true", help="list every installed engine voice")
    p.set_defaults(func=cmd_voices)

    for name in ("say", "speak", "voices"):
        add_lang_option(sub.choices[name])


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--profile", "--voice", dest="profile", help="voice profile (see 'reader voices')"
    )
    p.add_argument("--driver", choices=DRIVERS, default="auto", help="speech engine (default auto)")
    p.add_argument("--rate", type=int, help="speaking rate 0-100")
    p.add_argument("--volume", type=int, help="volume 0-100")


def _announce(line: str) -> None:
    print(f"reader: {line}", file=sys.stderr)


def _manager(args: argparse.Namespace, dispatch: Any):
    from reader.speech.manager import SpeechManager

    mgr = SpeechManager.create(
        args.profile, dispatch=dispatch, driver=args.driver, announce=_announce
    )
    for name in ("rate", "volume"):
        value = getattr(args, name, None)
        if value is not None:
            if not 0 <= value <= 100:
                mgr.close()
                raise user_error(
                    "option_range",
                    f"--{name} must be from 0 to 100, not {value}",
                    option=f"--{name}",
                    low=0,
                    high=100,
                    value=value,
                )
            getattr(mgr, f"set_{name}")(value)
    return mgr


def _run(mgr, start: Any, on_event: Any = None) -> int:
    """Start speech, then deliver events on this thread until AllDone (or an error)."""
    from reader.speech import events

    inbox: queue.SimpleQueue = queue.SimpleQueue()
    mgr.dispatch = lambda fn, *a: inbox.put((fn, a))
    outcome: dict[str, Any] = {}

    def listener(event: Any) -> None:
        if on_event is not None:
            on_event(event)
        if isinstance(event, events.AllDone):
            outcome["done"] = True
        elif isinstance(event, events.SpeechError):
            outcome["error"] = event.message

    mgr.add_listener(listener)
    try:
        start()
        while "done" not in outcome and "error" not in outcome:
            try:
                fn, a = inbox.get(timeout=0.1)
            except queue.Empty:
                if not mgr.speaking and not mgr.paused:
                    break
                continue
            fn(*a)
    except KeyboardInterrupt:
        mgr.stop()
        return 130
    finally:
        mgr.close()
    if "error" in outcome:
        raise UserError(outcome["error"])
    return 0


def cmd_say(args: argparse.Namespace) -> int:
    text = " ".join(args.text)
    if not text.strip():
        raise user_error("say_empty", "nothing to say: the text is empty")
    if args.show:
        return show(text, args)
    mgr = _manager(args, None)
    return _run(mgr, lambda: mgr.say(text))


def show(text: str, args: argparse.Namespace) -> int:
    """Print the plan: per utterance its source span, then the engine's exact input."""
    from reader.speech.plan import plan_text
    from reader.speech.settings import load_profile

    profile = load_profile(args.profile)
    settings = profile.settings
    for name in ("rate", "volume"):
        value = getattr(args, name, None)
        if value is not None:
            settings = settings.with_(**{name: value})
    renderer = _renderer(args.driver if args.driver != "auto" else profile.engine)
    style_script = settings.script
    from reader.speech.plan import PlanStyle

    style = PlanStyle(script=style_script, primary=settings.language)  # type: ignore[arg-type]
    for utt in plan_text(text, style=style):
        print(f"# utterance {utt.id} [{utt.start}:{utt.end}] {utt.text}")
        print(renderer(utt, settings))
    return 0


def _renderer(engine: str):
    if engine == "silent":
        from reader.speech.plan import render_plain

        return render_plain
    if engine == "pyttsx3" or (engine == "auto" and sys.platform in ("win32", "darwin")):
        from reader.speech.drivers.pyttsx3 import render_text

        return render_text
    from reader.speech.drivers.espeak import render_ssml

    return render_ssml


def cmd_speak(args: argparse.Namespace) -> int:
    from reader.library.store import Library
    from reader.speech import events
    from reader.text.units import Document

    article = Library().get(args.id)
    doc = Document.from_article(article)
    sentences = doc.sentences()
    if not sentences:
        raise user_error(
            "article_no_text", f"article {article.id} has no text to read", id=article.id
        )
    if not 1 <= args.sentence <= len(sentences):
        raise user_error(
            "option_range",
            f"--sentence must be from 1 to {len(sentences)}, not {args.sentence}",
            option="--sentence",
            low=1,
            high=len(sentences),
            value=args.sentence,
        )
    start = sentences[args.sentence - 1].start
    mgr = _manager(args, None)
    heard: dict[str, int] = {}

    def on_event(event: Any) -> None:
        if isinstance(event, events.UtteranceStarted):
            unit = doc.unit_at("sentence", event.start)
            number = unit.index + 1 if unit is not None else 0
            heard["sentence"] = number
            print(f"[{number}/{len(sentences)}] {event.text}", flush=True)

    print(f"{article.title}（{len(sentences)}句）", flush=True)
    code = _run(mgr, lambda: mgr.read_all(doc, start), on_event)
    if code == 130 and "sentence" in heard:
        print(
            f"reader: stopped at sentence {heard['sentence']} "
            f"(continue with: reader speak {article.id} --sentence {heard['sentence']})",
            file=sys.stderr,
        )
    return code


def cmd_voices(args: argparse.Namespace) -> int:
    from reader.speech.settings import ProfileError, load_profile, profile_names

    print("Voice profiles (reader say --profile NAME):")
    for name in profile_names():
        try:
            prof = load_profile(name)
        except ProfileError as exc:
            print(f"  {name}: invalid: {exc}")
            continue
        s = prof.settings
        print(
            f"  {prof.name:16} engine={prof.engine} voice={s.voice} latin={s.latin_voice or '-'} "
            f"rate={s.rate} volume={s.volume} pitch={s.pitch}  {prof.description}"
        )
    print()
    try:
        from reader.speech.drivers import _libespeak

        found = _libespeak.voices()
    except Exception as exc:  # no engine: say so, do not fail the listing
        print(
            f"espeak-ng voices: none ({str(exc).splitlines()[0] if str(exc) else 'not installed'})"
        )
        found = []
    if found:
        useful = ("cmn", "yue", "en", "zh")
        shown = [v for v in found if args.all or v[2].split("-")[0] in useful]
        print(f"espeak-ng voices ({len(shown)} of {len(found)}; --all lists every one):")
        for ident, name, lang in shown:
            print(f"  {lang:18} {name:40} {ident}")
    if sys.platform in ("win32", "darwin"):
        from reader.speech.drivers.pyttsx3 import list_voices

        print("\nSystem voices (pyttsx3):")
        for vid, desc in list_voices():
            print(f"  {vid}  {desc}")
    return 0
