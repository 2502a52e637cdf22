"""The benchmark's servers: how wrk's connections sit on the workers."""

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import servers  # noqa: E402

SS = """\
0 0 127.0.0.1:8299 127.0.0.1:51000 users:(("gunicorn",pid=101,fd=9))
0 0 127.0.0.1:8299 127.0.0.1:51002 users:(("gunicorn",pid=101,fd=10))
0 0 127.0.0.1:8299 127.0.0.1:51004 users:(("gunicorn",pid=101,fd=11))
0 0 127.0.0.1:8299 127.0.0.1:51006 users:(("gunicorn",pid=102,fd=9))
0 0 127.0.0.1:8299 127.0.0.1:51008 users:(("gunicorn",pid=999,fd=9))
"""


def test_connections_are_counted_per_worker_most_first():
    assert servers.spread(SS, ["102", "101"]) == [3, 1]


def test_a_worker_with_no_connection_counts_zero():
    assert servers.spread(SS, ["101", "102", "103"]) == [3, 1, 0]


def test_connections_of_other_processes_are_left_out():
    assert sum(servers.spread(SS, ["101", "102"])) == 4


def test_the_benchmark_caps_each_worker_as_make_run_does():
    makefile = (Path(__file__).resolve().parents[2] / "Makefile").read_text()
    threads = int(re.search(r"--threads (\d+)", makefile).group(1))
    cap = int(re.search(r"--worker-connections (\d+)", makefile).group(1))

    assert servers.worker_connections(threads) == cap


def test_two_workers_at_the_cap_hold_wrks_sixteen_connections():
    # At the cap a worker stops accepting: 16 must fit, with room to spare.
    assert 2 * servers.worker_connections(2) > 16
