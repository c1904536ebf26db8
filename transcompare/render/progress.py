"""What a long run shows on stderr while it works: the batch's progress bar, and the stage a
compare is in. Both draw with rich, imported only when they are used."""
from __future__ import annotations

from contextlib import contextmanager


#: how long a compare runs before its stages are shown on stderr (seconds)
STAGES_AFTER = 1.5


class Stages:
    """A line on stderr naming the stage a compare is in, shown only on a terminal and only once
    the compare has run :data:`STAGES_AFTER` seconds (a quick one prints nothing)."""

    def __init__(self) -> None:
        import threading

        from rich.console import Console

        self.console = Console(stderr=True)
        self.stage = "starting"
        self.status = None
        self.lock = threading.Lock()
        self.timer = threading.Timer(STAGES_AFTER, self._show) if self.console.is_terminal else None
        if self.timer is not None:
            self.timer.daemon = True
            self.timer.start()

    def _show(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.status = self.console.status(f"transcompare: {self.stage}")
                self.status.start()

    def __call__(self, stage: str) -> None:
        with self.lock:
            self.stage = stage
            if self.status is not None:
                self.status.update(f"transcompare: {stage}")

    def close(self) -> None:
        with self.lock:
            if self.timer is not None:
                self.timer.cancel()
                self.timer = None
            if self.status is not None:
                self.status.stop()
                self.status = None


@contextmanager
def stages():
    shown = Stages()
    try:
        yield shown
    finally:
        shown.close()


def batch_bar(total: int):
    """A rich progress bar on stderr and the callback that moves it. Rate and ETA count only the
    pairs compared in this run (pairs kept from an earlier run arrive at once, at the start)."""
    import time

    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("[bold]batch"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   TextColumn("{task.fields[rate]}"), console=Console(stderr=True))
    task = bar.add_task("pairs", total=total, rate="")
    state: dict = {"t0": None, "first": 0}

    def progress(done: int, total: int) -> None:
        if state["t0"] is None:
            state["t0"], state["first"] = time.perf_counter(), done
        dt = time.perf_counter() - state["t0"]
        rate = ""
        if dt > 0 and done > state["first"]:
            per_s = (done - state["first"]) / dt
            left = (total - done) / per_s
            rate = f"{per_s:.2f} pairs/s, ETA {int(left // 60)}:{int(left % 60):02d}"
        bar.update(task, completed=done, rate=rate)
    bar.start()
    return bar, progress
