"""How fast this shared machine is at the moment of a run: a fixed piece of pure Python work,
timed. Figures taken at different times are compared through it (or side by side in one run),
never as they stand."""

import time


def reference_loop_seconds() -> float:
    start = time.perf_counter()
    sum(i * i for i in range(10_000_000))
    return time.perf_counter() - start
