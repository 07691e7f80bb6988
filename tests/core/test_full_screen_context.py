"""What a full-screen program drew is not context: vim, htop and less once filled a 4,096-token
window ("4,550 / 4,096 tokens (111%)") with the bytes of their repaints."""

from __future__ import annotations

import asyncio

from aitui.core.command_observer import FULL_SCREEN_NOTE, CommandCompleted
from tests.conftest import SessionFactory

#: An alternate-screen program that repaints a lot, typed at the prompt by a person.
FULL_SCREEN = (
    r"printf '\033[?1049h'; for i in $(seq 1 40); do seq 1 100; done; printf '\033[?1049l'"
)


async def completed(session, line: str) -> CommandCompleted:  # type: ignore[no-untyped-def]
    done: asyncio.Future[CommandCompleted] = asyncio.get_running_loop().create_future()

    def seen(event: object) -> None:
        if isinstance(event, CommandCompleted) and not done.done():
            done.set_result(event)

    unsubscribe = session.subscribe(seen)
    try:
        await session.send_input(line + "\r")
        return await asyncio.wait_for(done, 30)
    finally:
        unsubscribe()


async def test_a_full_screen_programs_screens_are_not_counted_as_context(
    make_session: SessionFactory,
) -> None:
    session = await make_session("bash", enable_ai_features=True)
    event = await completed(session, FULL_SCREEN)
    assert event.output == FULL_SCREEN_NOTE
    (message,) = session.get_ai_context().messages
    assert FULL_SCREEN_NOTE in message.content and "seq 1 100" in message.content
    assert session.get_ai_context().stats().tokens_in_context < 100

    plain = await completed(session, "seq 1 3")  # ordinary output is kept as it was
    assert plain.output == "1\n2\n3\n"
