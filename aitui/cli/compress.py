"""``aitui compress [FILE|-] [--command CMD] [--exit-code N] [--budget N] [--format text|json]``.

Reads raw terminal output (bytes, ANSI codes and all) from FILE or stdin and prints the
compressed text, and on stderr a one-line summary of the token figures (``--quiet`` leaves
it out). ``--budget N`` caps the result at N real tokens (the default grows with the input);
the lines left out are summarised with their line numbers in the input, and FILE (or
``--source``) is named as the place to read them. ``--format json`` prints an object with
the text, the detected kind and the raw and compressed token counts. ``AITUI_EVAL_COMMAND``
and ``AITUI_EVAL_EXIT_CODE`` are the defaults of ``--command`` and ``--exit-code`` (the
contract of the compression benchmark).
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import sys
from collections.abc import Sequence
from typing import Any

ENV_COMMAND = "AITUI_EVAL_COMMAND"
ENV_EXIT_CODE = "AITUI_EVAL_EXIT_CODE"


def _exit_code(text: str | None) -> int | None:
    if text is None or not text.strip():
        return None
    try:
        return int(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"exit code must be an integer, got {text!r}") from None


def _budget(text: str) -> int:
    from aitui.core.compress.limits import MIN_BUDGET

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"budget must be an integer, got {text!r}") from None
    if value < MIN_BUDGET:
        raise argparse.ArgumentTypeError(f"budget must be at least {MIN_BUDGET} tokens")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "file", nargs="?", default="-", help="file holding the output ('-' or none: stdin)"
    )
    parser.add_argument(
        "--command",
        "-c",
        default=None,
        help=f"the command line that produced the output (default: ${ENV_COMMAND})",
    )
    parser.add_argument(
        "--exit-code",
        "-e",
        type=_exit_code,
        default=None,
        help=f"the command's exit status (default: ${ENV_EXIT_CODE})",
    )
    parser.add_argument(
        "--kind", default=None, help="force a parser (pytest, cargo, gcc, npm, git-diff, ...)"
    )
    parser.add_argument(
        "--budget",
        "-b",
        type=_budget,
        default=None,
        help="at most this many tokens of output (default: grows with the input's size)",
    )
    parser.add_argument(
        "--source",
        default=None,
        help="where the raw output can be read, named when lines are left out (default: FILE)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.add_argument(
        "--quiet", "-q", action="store_true", help="text format: no token summary on stderr"
    )
    parser.add_argument(
        "--encoding", default=None, help="token encoding of the figures (default o200k_base)"
    )


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "compress",
        help="compress command output for an AI agent's context",
        description=(__doc__ or "").split("\n\n")[1] if __doc__ else None,
    )
    add_arguments(parser)
    parser.set_defaults(func=run)


def _read_input(path: str) -> bytes:
    if path == "-":
        if sys.stdin is None:  # started with descriptor 0 closed (``<&-``)
            raise OSError(errno.EBADF, "standard input is closed")
        return sys.stdin.buffer.read()
    with open(path, "rb") as handle:
        return handle.read()


def run(args: argparse.Namespace) -> int:
    from aitui.core.compress import compress

    try:
        data = _read_input(args.file)
    except OSError as exc:
        where = "stdin" if args.file == "-" else args.file
        print(f"aitui compress: cannot read {where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    command = args.command if args.command is not None else os.environ.get(ENV_COMMAND)
    exit_code = args.exit_code
    if exit_code is None:
        try:
            exit_code = _exit_code(os.environ.get(ENV_EXIT_CODE))
        except argparse.ArgumentTypeError:
            exit_code = None
    if args.kind is not None:
        from aitui.core.compress import compressors

        if args.kind not in compressors():
            known = ", ".join(sorted(compressors()))
            print(f"aitui compress: unknown kind {args.kind!r} (known: {known})", file=sys.stderr)
            return 2
    as_json = args.format == "json"
    summarise = as_json or not args.quiet
    encoding = args.encoding or "o200k_base"
    try:
        result = compress(
            data,
            command=command,
            exit_code=exit_code,
            kind=args.kind,
            count=summarise or args.budget is not None,
            encoding=encoding,
            budget=args.budget,
            source=args.source or (args.file if args.file != "-" else None),
        )
    except Exception as exc:  # a ConfigError for an unknown encoding, mostly
        print(f"aitui compress: {exc}", file=sys.stderr)
        return 2
    if as_json:
        text = json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = result.text + _line_end(data, result.text, args.budget, encoding)
    if not _write(text):
        return 1
    if not as_json and summarise:
        print(
            summary_line(result.kind, result.raw_tokens, result.compressed_tokens, encoding),
            file=sys.stderr,
        )
    return 0


def _line_end(data: bytes, text: str, budget: int | None, encoding: str) -> str:
    """The newline that ends the printed text: only when the input ended with one. Added to
    an input without it (``printf abc``), it was a token more than the input (1 -> 2), and the
    result must never have more tokens than what it was given, nor than ``--budget``."""
    if not text or text.endswith("\n") or not data.endswith(b"\n"):
        return ""
    if budget is not None:
        from aitui.core.tokens import count_tokens

        if count_tokens(text + "\n", encoding) > budget:
            return ""
    return "\n"


def _write(text: str) -> bool:
    """Print ``text`` as UTF-8 bytes whatever the locale (the output holds the tools' own
    characters); False, said on stderr, when stdout cannot take it (closed by ``>&-``, a full
    disk): those were tracebacks."""
    try:
        if sys.stdout is None:
            raise OSError(errno.EBADF, "standard output is closed")
        sys.stdout.buffer.write(text.encode("utf-8", "replace"))
        sys.stdout.flush()
    except BrokenPipeError:
        raise  # the reader left (``| head -1``): ``aitui.cli.main`` ends quietly, 141
    except OSError as exc:
        print(f"aitui compress: cannot write the output: {exc.strerror or exc}", file=sys.stderr)
        return False
    return True


def summary_line(kind: str, raw: int | None, compressed: int | None, encoding: str) -> str:
    """``aitui compress: pytest, 12,345 -> 1,234 tokens (-90.0%, o200k_base)``."""
    raw = raw or 0
    compressed = compressed or 0
    saved = (1 - compressed / raw) * 100 if raw else 0.0
    return f"aitui compress: {kind}, {raw:,} -> {compressed:,} tokens (-{saved:.1f}%, {encoding})"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="aitui compress", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
