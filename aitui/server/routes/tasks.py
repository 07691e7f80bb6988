"""Tasks over the coordination layer's ``TaskDistributor``.

Submitting a task distributes it at once to a capable agent (as a ``TaskAssignment`` message);
a task whose requirements no agent has waits, with the reason in ``reason``. Only the explicit
``complete`` makes a task done: an agent going quiet is not success.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field, StrictStr

from aitui.core.agents import Task, TaskId, TaskInfo, TaskNotFoundError, TaskPriority, TaskState
from aitui.server.errors import AUTH, BODY, Responses, doc
from aitui.server.models import Seconds
from aitui.server.routes.agents import _name
from aitui.server.state import ServerState, get_state

router = APIRouter(tags=["tasks"])
State = Annotated[ServerState, Depends(get_state)]
TASK_404: Responses = {404: doc("No task has that id")}
STATE_409: Responses = {409: doc("The task is not in a state that allows this")}


class SubmitTask(BaseModel):
    model_config = ConfigDict(extra="ignore")
    description: StrictStr = Field(max_length=65_536)
    requirements: list[StrictStr] = Field(default_factory=list, max_length=100)
    priority: TaskPriority = TaskPriority.MEDIUM
    estimated_effort_s: Seconds = 0.0
    metadata: Any = None
    dependencies: list[StrictStr] = Field(default_factory=list, max_length=100)


class TaskView(BaseModel):
    id: str
    description: str
    requirements: list[str]
    priority: str
    estimated_effort_s: float
    metadata: Any
    dependencies: list[str]
    state: str
    agent: str | None = Field(description="Name of the agent holding it.")
    agent_id: str | None
    reason: str | None = Field(description="Why a pending task is not assigned.")
    result: Any
    error: str | None


class TaskList(BaseModel):
    tasks: list[TaskView]
    total: int


class Outcome(BaseModel):
    model_config = ConfigDict(extra="ignore")
    result: Any = None
    error: StrictStr | None = Field(default=None, max_length=65_536)
    reason: StrictStr | None = Field(default=None, max_length=65_536)


def _task_id(text: str) -> TaskId:
    try:
        return TaskId.parse_str(text)
    except ValueError:
        raise TaskNotFoundError(f"no task {text!r}") from None


def _view(state: ServerState, info: TaskInfo) -> TaskView:
    agent = info.agent_id
    return TaskView(
        **info.task.to_json(),
        state=info.state.value,
        agent=None if agent is None else _name(state, agent),
        agent_id=None if agent is None else str(agent),
        reason=info.reason,
        result=info.result,
        error=info.error,
    )


@router.post(
    "/tasks",
    response_model=TaskView,
    responses={**AUTH, **BODY, 400: doc("Metadata not JSON"), 404: doc("Unknown dependency")},
)
async def submit_task(body: SubmitTask, state: State) -> TaskView:
    dependencies = [_task_id(d) for d in body.dependencies]
    for dependency in dependencies:
        state.distributor.get_task(dependency)
    task = Task(
        description=body.description,
        requirements=body.requirements,
        priority=body.priority,
        estimated_effort=timedelta(seconds=body.estimated_effort_s),
        metadata=body.metadata,
        dependencies=dependencies,
    )
    await state.distributor.submit_task(task)
    await state.distributor.distribute_tasks()
    return _view(state, state.distributor.get_task(task.id))


@router.get("/tasks", response_model=TaskList, responses=AUTH)
async def list_tasks(
    state: State, task_state: Annotated[TaskState | None, Query(alias="state")] = None
) -> TaskList:
    tasks = [_view(state, info) for info in state.distributor.list_tasks(task_state)]
    return TaskList(tasks=tasks, total=len(tasks))


@router.get("/tasks/{task_id}", response_model=TaskView, responses={**AUTH, **TASK_404})
async def get_task(task_id: str, state: State) -> TaskView:
    return _view(state, state.distributor.get_task(_task_id(task_id)))


Action = Literal["start", "complete", "fail", "cancel", "retry"]


@router.post(
    "/tasks/{task_id}/{action}",
    response_model=TaskView,
    responses={**AUTH, **BODY, **TASK_404, **STATE_409, 400: doc("The result is not JSON")},
)
async def change_task(task_id: str, action: Action, outcome: Outcome, state: State) -> TaskView:
    """start {} (assigned→running), complete {result}, fail {error}, cancel {reason}, retry {}."""
    key = _task_id(task_id)
    distributor = state.distributor
    if action == "start":
        await distributor.start_task(key)
    elif action == "complete":
        await distributor.complete_task(key, outcome.result)
    elif action == "fail":
        await distributor.fail_task(key, outcome.error or "failed")
    elif action == "cancel":
        await distributor.cancel_task(key, outcome.reason or "cancelled")
    else:
        await distributor.retry_task(key)
    # A finished task may unblock its dependants; a retried one needs an agent again.
    await distributor.distribute_tasks()
    return _view(state, distributor.get_task(key))
