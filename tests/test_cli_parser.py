"""The command line builds only the parsers its command needs, and they are the same parsers."""

from __future__ import annotations

import argparse
import importlib

import pytest

from aitui.cli import COMMAND_MODULES, COMMANDS, build_parser, modules_for


def registered(module: str) -> set[str]:
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(module).register(subparsers)
    return set(subparsers.choices)


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_the_table_names_every_command_of_each_module_and_no_other(module: str) -> None:
    assert registered(module) == {name for name, where in COMMANDS.items() if where == module}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_command_gets_the_parser_the_whole_command_line_has(command: str) -> None:
    whole = subcommands(build_parser())[command]
    alone = build_parser([command])
    assert set(subcommands(alone)) == registered(COMMANDS[command])
    assert subcommands(alone)[command].format_help() == whole.format_help()


@pytest.mark.parametrize(
    ("argv", "needed"),
    [
        ([], COMMAND_MODULES),  # the dashboard
        (["--help"], COMMAND_MODULES),
        (["lss"], COMMAND_MODULES),  # a typo: argparse lists every choice
        (["-L", "work", "ls"], ("aitui.cli.scripting",)),
        # a command's word as an option's value: one module more, the command's still there
        (["--shell", "ls", "attach"], ("aitui.cli.server_commands", "aitui.cli.scripting")),
    ],
)
def test_modules_for_a_command_line(argv: list[str], needed: tuple[str, ...]) -> None:
    assert modules_for(argv) == needed


def test_a_typo_is_told_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        build_parser(["lss"]).parse_args(["lss"])
    said = capsys.readouterr().err
    assert all(f"'{name}'" in said for name in COMMANDS), said
