"""Speech as data: plans, the utterance manager and engine drivers (no Textual here).

The public API (stable; the UI builds on it)::

    from reader.speech import SpeechManager, events

    mgr = SpeechManager.create(profile=None,            # "mandarin" (voices/*.toml) by default
                               dispatch=app.call_from_thread,  # how events reach your thread
                               driver="auto")            # "espeak" | "pyttsx3" | "silent"
    mgr.add_listener(callback)   # gets events.UtteranceStarted / WordProgress / UtteranceDone /
                                 # AllDone / SpeechError; offsets are source offsets
    mgr.say(text, interrupt=True)                     # announcements (UI strings, any language)
    mgr.spell(ch, reading=None, doc=None, offset=None)  # 行 -> "行，xíng，行走的行", reading fixed
    mgr.speak_units(doc, start, end=None, interrupt=True)  # a span of a Document
    mgr.read_all(doc, from_offset)                    # say-all with read-ahead
    mgr.stop(); mgr.pause(); mgr.resume()
    mgr.set_rate(0-100); mgr.set_volume(0-100); mgr.set_pitch(0-100)
    mgr.next_voice(); mgr.set_profile(name); mgr.describe_settings(lang)
    mgr.position        # source offset of the last word heard (None before any)
    mgr.plan(text); mgr.render(utterance)   # what would be sent to the engine (say --show)
    mgr.wait(timeout)   # block until idle (command line only)
    mgr.close()

    from reader.speech.spelling import spell_text, example_word   # display text, "行" -> "行走"
    from reader.speech.export import export_audio   # article -> WAV (+ MP3/OGG) and timing file

Modules: :mod:`~reader.speech.plan` (utterances, segments, word marks),
:mod:`~reader.speech.manager` (queue, generations, read-ahead),
:mod:`~reader.speech.drivers` (espeak-ng: libespeak-ng in a helper process
playing on its own PulseAudio stream; pyttsx3 in a killable worker process;
silent), :mod:`~reader.speech.settings` (voice profiles).
"""

from reader.speech import events
from reader.speech.manager import SpeechManager
from reader.speech.settings import ProfileError, VoiceProfile, VoiceSettings, load_profile

__all__ = [
    "ProfileError",
    "SpeechManager",
    "VoiceProfile",
    "VoiceSettings",
    "events",
    "load_profile",
]
