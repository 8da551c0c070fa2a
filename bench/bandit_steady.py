"""bandit in steady state, for bench/analyzer-bench.js: its manager run over a folder inside
one warm Python process (start-up and plugin loading excluded). Prints the median CPU
milliseconds of the scan over RUNS runs.

    python bench/bandit_steady.py FOLDER TESTS RUNS
"""

import statistics
import sys
import time

from bandit.core import config, manager


def scan_cpu_ms(folder: str, tests: set) -> float:
    mgr = manager.BanditManager(
        config.BanditConfig(), "file", quiet=True, profile={"include": tests, "exclude": set()}
    )
    mgr.discover_files([folder], recursive=True)
    start = time.process_time()
    mgr.run_tests()
    return (time.process_time() - start) * 1000


def main() -> None:
    folder, tests, runs = sys.argv[1], set(sys.argv[2].split(",")), int(sys.argv[3])
    scan_cpu_ms(folder, tests)  # warm-up: imports, plugin loading, caches
    print(round(statistics.median(scan_cpu_ms(folder, tests) for _ in range(runs)), 1))


if __name__ == "__main__":
    main()
