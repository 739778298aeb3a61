import threading

from ctnet.lib.checkpointed import CheckpointedHolder, State


def make(states: list[State]) -> tuple[CheckpointedHolder[str], list[State]]:
    builds: list[State] = []

    def build(state: State) -> str:
        builds.append(state)
        return f"index@{state[0]}:{state[1]}"

    return CheckpointedHolder(lambda: states[-1], build), builds


def test_builds_once_per_state_and_rebuilds_when_it_moves() -> None:
    states: list[State] = [("e1", 1)]
    holder, builds = make(states)
    assert holder.held() is None
    assert holder.get() == "index@e1:1"
    assert holder.get() == "index@e1:1"
    assert builds == [("e1", 1)]
    states.append(("e1", 2))
    assert holder.get() == "index@e1:2"
    states.append(("e2", 2))  # a new database with the same checkpoint number
    assert holder.get() == "index@e2:2"
    assert builds == [("e1", 1), ("e1", 2), ("e2", 2)]


def test_reset_forgets() -> None:
    holder, builds = make([("e", 1)])
    holder.get()
    holder.reset()
    assert holder.held() is None
    holder.get()
    assert len(builds) == 2


def test_concurrent_first_use_builds_once() -> None:
    gate = threading.Event()
    builds: list[State] = []

    def slow_build(state: State) -> str:
        gate.wait(2)
        builds.append(state)
        return "x"

    holder = CheckpointedHolder(lambda: ("e", 1), slow_build)
    threads = [threading.Thread(target=holder.get) for _ in range(8)]
    for t in threads:
        t.start()
    gate.set()
    for t in threads:
        t.join()
    assert builds == [("e", 1)]
