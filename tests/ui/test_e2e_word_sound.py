"""Word movement heard for real: every Ctrl+→ is answered by sound, never by silence.

``.venv/bin/reader`` runs in tmux with the automatic engine (espeak-ng) and a
private PulseAudio null sink recorded by ``parec``, as in ``test_e2e_sound``.
In "今天，银行发布了报告。报告说，…" each Ctrl+→ must be heard (the old app
stopped on "，" and "。" and said nothing there), and ``x`` on a comma must be
heard too (its name, "逗号").  Every wait polls with a deadline.
"""

from __future__ import annotations


def test_every_word_step_and_x_on_a_comma_are_heard(
    app_in_article,
):
    term, ear, log = app_in_article
    term.key("Down")  # 今天，银行发布了报告。报告说，…
    term.wait_for(r"第2段/共6段")
    ear.wait_quiet(0.8, timeout=30)

    # 银行 发布 了 报告 | 报告 说 : six steps over "，", "。" and "，"; each one heard
    for step in range(6):
        t_key = term.key("C-Right")
        heard = ear.wait_sound(t_key, timeout=3)
        assert heard is not None, f"step {step + 1} was silent; the app: {log.after(t_key)}"
        ear.wait_quiet(0.4, timeout=10)
    said = [r["text"] for r in log.records() if r["event"] == "speak"]
    assert said[-6:] == ["银行", "发布", "了", "报告", "报告", "说"], said
    assert not any(s in ("，", "。") for s in said)

    # x on a comma: → from 说 is the "，" after it (said "逗号" by character movement)
    term.key("Right")
    ear.wait_quiet(0.4, timeout=10)
    before = len(log.records())
    t_x = term.key("x")
    assert ear.wait_sound(t_x, timeout=3) is not None, f"x on a comma: {log.after(t_x)}"
    ear.wait_quiet(0.4, timeout=10)
    said = [r["text"] for r in log.records()[before:] if r["event"] in ("say", "speak")]
    assert said == ["逗号"], said
    term.key("q")
    term.wait_exit(timeout=5)
