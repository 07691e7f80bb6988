"""``aitui replay FILE.cast [--dump] [--dump-format text|json]``, in-process and as a program."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from aitui.cli import main

CASTS = Path(__file__).resolve().parents[1] / "fixtures" / "casts"
ROOT = CASTS.parents[2]


def expected(name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads(
        (CASTS / f"{name}.expected.json").read_text(encoding="utf-8")
    )
    return data


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m aitui.cli ARGS`` in a fresh interpreter (UTF-8 output whatever the locale)."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "aitui.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env=env,
        timeout=120,
        check=False,
    )


# ------------------------------------------------------------------------------ in-process


@pytest.mark.parametrize("name", ["vim", "vim_quit", "python_repl", "wide_chars", "htop"])
def test_dump_prints_the_final_screen(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(CASTS / f"{name}.cast"), "--dump"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == "\n".join(expected(name)["rows"]) + "\n"  # type: ignore[arg-type]


def test_dump_prints_a_wide_character_once(capsys: pytest.CaptureFixture[str]) -> None:
    main(["replay", str(CASTS / "wide_chars.cast"), "--dump-format", "text"])
    lines = capsys.readouterr().out.split("\n")
    assert lines[0] == "CJK: 日本語のテキスト 中文 한국어 ｆｕｌｌｗｉｄｔｈ"
    assert lines[11] == "end: 漢字"
    assert len(lines) == 24 + 1  # 24 rows and the final newline


def dump_json(name: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["replay", str(CASTS / f"{name}.cast"), "--dump-format", "json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_json_dump_layout(capsys: pytest.CaptureFixture[str]) -> None:
    data = dump_json("edit_ops", capsys)
    want = expected("edit_ops")
    assert set(data) == {
        "width", "height", "cursor", "title", "alternate_screen", "rows", "cells"
    }  # fmt: skip
    assert (data["width"], data["height"]) == (80, 24)
    assert data["cursor"] == want["cursor"]  # hidden cursor: {"row", "col", "visible": False}
    assert data["title"] == "edit ops title"
    assert data["alternate_screen"] is False
    assert data["rows"] == want["rows"]
    cells = data["cells"]
    assert isinstance(cells, list) and len(cells) == 24
    assert all(len(row) == 80 for row in cells)
    # every cell is {"char": ...} plus only its non-default attributes
    assert cells[23][0] == {"char": " "}
    row = next(r for r in cells if "".join(c["char"] for c in r).startswith("256 true all"))
    assert row[0] == {"char": "2", "fg": 208}
    assert row[4] == {"char": "t", "fg": "#010203"}
    assert row[9] == {
        "char": "a", "bold": True, "italic": True, "underline": True, "reverse": True,
        "strike": True,
    }  # fmt: skip
    assert row[3] == {"char": " "}
    box = next(r for r in cells if "".join(c["char"] for c in r).startswith("┌────┐"))
    assert box[0] == {"char": "┌"}


def test_json_dump_wide_characters(capsys: pytest.CaptureFixture[str]) -> None:
    data = dump_json("wide_chars", capsys)
    cells = data["cells"]
    assert isinstance(cells, list)
    # "CJK: 日本語..." : 日 takes columns 5 and 6
    assert cells[0][5] == {"char": "日", "width": 2}
    assert cells[0][6] == {"char": ""}
    assert cells[0][7] == {"char": "本", "width": 2}
    # a combining mark stays in its base character's cell
    assert cells[2][11] == {"char": "e\u0301"}
    assert cells[9][0] == {"char": "赤", "width": 2, "fg": 1}
    assert cells[9][5]["reverse"] is True


def test_json_dump_alternate_screen(capsys: pytest.CaptureFixture[str]) -> None:
    assert dump_json("vim", capsys)["alternate_screen"] is True
    assert dump_json("vim_quit", capsys)["alternate_screen"] is False


def test_without_dump_and_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(CASTS / "tiny.cast")]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert "needs a terminal" in err
    assert "--dump" in err


async def test_without_dump_it_plays_in_the_dashboard() -> None:
    """The dashboard plays the recording (fast) and ends on the screen tmux showed."""
    from aitui.core.activity import Activity
    from aitui.core.asciicast import load as load_cast
    from aitui.dashboard.playback import playback_app
    from aitui.dashboard.widgets.status_line import StatusLine

    app = playback_app(load_cast(CASTS / "python_repl.cast"), "python_repl", speed=100.0)
    want = [row.rstrip() for row in expected("python_repl")["rows"]]
    async with app.run_test(size=(140, 40)) as pilot:
        screen = app.views[0].source.screen
        for _ in range(500):
            if screen.text().split("\n") == want:
                break
            await pilot.pause(0.01)
        assert screen.text().split("\n") == want
        # You should see the recording's end said, and its row no longer running.
        status = app.query_one(StatusLine)
        for _ in range(500):
            if "the recording has ended" in status.text:
                break
            await pilot.pause(0.01)
        assert "the recording has ended" in status.text and "prefix q quits" in status.text
        assert app.views[0].info.activity is Activity.EXITED
        assert "None" not in app.views[0].info.detail
        await app.action_quit()


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "nope.cast"
    assert main(["replay", str(missing), "--dump"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.strip() == f"aitui replay: error: no such file: {missing}"


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["replay", str(tmp_path), "--dump"]) == 2
    assert "is a directory" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "the file is empty"),
        (b"{oops\n", "line 1: the header is not valid JSON"),
        (b'{"version": 1, "width": 80, "height": 24}\n', "line 1: unsupported asciicast version 1"),
        (b'{"version": 2, "height": 24}\n', 'line 1: the header has no "width"'),
        (b'{"version": 2, "width": 80, "height": 24}\n[0, "o", "a"]\n\n[1, "o"]\n', "line 4: "),
        (b'{"version": 2, "width": 80, "height": 24}\n[0, "o", "\xff"]\n', "line 2: not UTF-8"),
    ],
)
def test_malformed_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, fragment: str
) -> None:
    path = tmp_path / "bad.cast"
    path.write_bytes(content)
    assert main(["replay", str(path), "--dump"]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.startswith("aitui replay: error: malformed recording: ")
    assert str(path) in err
    assert fragment in err


TOO_LARGE = {
    # 80 bytes that made --dump allocate 1.6 GB and run 12 s
    "10000x10000 header": '{"version": 2, "width": 10000, "height": 10000}\n[0, "o", "x"]\n',
    "just past a million cells": '{"version": 2, "width": 1001, "height": 1000}\n',
    "one side past 10,000": '{"version": 2, "width": 10001, "height": 1}\n',
    "a resize past the bound": '{"version": 2, "width": 80, "height": 24}\n'
    '[0.1, "o", "abc"]\n[0.2, "r", "2000x1000"]\n',
}


@pytest.mark.parametrize("name", list(TOO_LARGE))
@pytest.mark.parametrize("mode", [["--dump"], ["--dump-format", "json"], []])
def test_a_recording_too_large_for_a_terminal_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, mode: list[str]
) -> None:
    """Refused before a screen is made, for --dump and for the dashboard's playback (no
    --dump) alike: status 2 and one line saying why."""
    path = tmp_path / "huge.cast"
    path.write_text(TOO_LARGE[name], encoding="utf-8")
    assert main(["replay", str(path), *mode]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"aitui replay: error: malformed recording: {path}, line ")
    assert "too large for a terminal: at most 1,000,000 cells" in err


def test_a_recording_at_the_bound_replays(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "big.cast"
    path.write_text('{"version": 2, "width": 1000, "height": 1000}\n[0, "o", "x"]\n')
    assert main(["replay", str(path), "--dump"]) == 0
    rows = capsys.readouterr().out.split("\n")
    assert rows[0] == "x" and len(rows) == 1001


def test_resize_events_resize_the_screen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "resize.cast"
    path.write_text(
        '{"version": 2, "width": 10, "height": 3}\n'
        '[0.1, "o", "abc"]\n'
        '[0.2, "r", "20x5"]\n'
        '[0.3, "i", "ignored input"]\n'
        '[0.4, "m", "a marker"]\n'
        '[0.5, "o", "\\r\\n0123456789012345"]\n',
        encoding="utf-8",
    )
    assert main(["replay", str(path), "--dump-format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["width"], data["height"]) == (20, 5)
    assert data["rows"][:2] == ["abc", "0123456789012345"]
    assert len(data["rows"]) == 5
    assert data["cursor"] == {"row": 1, "col": 16, "visible": True}


def test_terminal_queries_in_a_recording_are_harmless(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Replies to device-status queries have nowhere to go in a replay: they are dropped."""
    path = tmp_path / "queries.cast"
    path.write_text(
        '{"version": 2, "width": 20, "height": 2}\n'
        '[0, "o", "\\u001b[6n\\u001b[c\\u001b[>c\\u001b]11;?\\u0007ok"]\n',
        encoding="utf-8",
    )
    assert main(["replay", str(path), "--dump"]) == 0
    assert capsys.readouterr().out == "ok\n\n"


def test_unknown_dump_format_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["replay", str(CASTS / "tiny.cast"), "--dump-format", "html"])
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


# ------------------------------------------------------------------------------ subprocess


def test_program_dump_text() -> None:
    proc = run_cli("replay", str(CASTS / "python_repl.cast"), "--dump")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split("\n")[:-1] == expected("python_repl")["rows"]


def test_program_dump_json() -> None:
    proc = run_cli("replay", str(CASTS / "less.cast"), "--dump", "--dump-format", "json")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    want = expected("less")
    assert data["rows"] == want["rows"]
    assert data["cursor"] == want["cursor"]


def test_program_errors() -> None:
    proc = run_cli("replay", "does/not/exist.cast", "--dump")
    assert proc.returncode == 2
    assert "no such file: does/not/exist.cast" in proc.stderr
    proc = run_cli("replay", str(CASTS / "tiny.cast"))
    assert proc.returncode == 2
    assert "needs a terminal" in proc.stderr
    assert proc.stdout == ""


def test_installed_entry_point(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "aitui"
    if not script.exists():
        pytest.skip("the aitui script is not installed next to this interpreter")
    bad = tmp_path / "bad.cast"
    bad.write_text('{"version": 2, "width": 80, "height": 24}\n[0, "o"]\n', encoding="utf-8")
    proc = subprocess.run(
        [str(script), "replay", str(bad), "--dump"],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert f"{bad}, line 2: an event must be a JSON array" in proc.stderr
    proc = subprocess.run(
        [str(script), "replay", str(CASTS / "tiny.cast"), "--dump"],
        capture_output=True, text=True, encoding="utf-8", timeout=120, check=False,
    )  # fmt: skip
    assert proc.returncode == 0
    assert proc.stdout.split("\n")[:2] == ["hello tiny world", "reverse ok"]


HEADER = b'{"version": 2, "width": 20, "height": 3}\n'


@pytest.mark.parametrize(
    "cut", [b'[0.2, "o", " wor', b'[0.2, "o", "\xc3', b"[0.2"], ids=["text", "utf8", "time"]
)
def test_a_recording_cut_off_mid_write_replays_up_to_the_cut(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: bytes
) -> None:
    """A recorder killed mid-write leaves its last line unfinished: every event before it is
    whole, and the recording could not be played at all."""
    path = tmp_path / "cut.cast"
    path.write_bytes(HEADER + b'[0.1, "o", "hello"]\n' + cut)
    assert main(["replay", str(path), "--dump"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[0] == "hello"
    assert "line 3 was cut off" in err and "warning" in err


@pytest.mark.parametrize(
    "content",
    [
        HEADER + b'[0.1, "o", "he\n[0.2, "o", "x"]',  # a bad line that is not the last
        HEADER + b'[0.1, "o", "a"]\n[0.2, "o"]\n',  # the last line ends: it is malformed
        b'{"version": 2, "wid',  # the header itself cut: nothing to replay
    ],
    ids=["middle", "ended", "header"],
)
def test_only_an_unfinished_last_line_is_forgiven(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "bad.cast"
    path.write_bytes(content)
    assert main(["replay", str(path), "--dump"]) == 2
    assert "malformed recording" in capsys.readouterr().err


@pytest.mark.parametrize("speed", ["nan", "inf", "0", "-1"])
def test_a_speed_that_is_not_a_positive_number_is_refused(
    capsys: pytest.CaptureFixture[str], speed: str
) -> None:
    assert main(["replay", str(CASTS / "vim.cast"), "--speed", speed]) == 2
    assert "--speed must be a positive number" in capsys.readouterr().err
