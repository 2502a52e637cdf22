"""
bench/run's report: the WordPress figures it reads and the verdict on each
goal. The run itself is checked end to end by `bench/run --smoke` in CI.
"""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

import full  # noqa: E402

BASELINE = """\
# WordPress

## Classic theme
| page | c=16 req/s | c=16 p50 | c=16 p99 | c=1 p50 |
|---|---|---|---|---|
| home `/` | 60.4 | 234 ms | 409 ms | — |

## Side by side, 2026-12-01
| page | WordPress c=16 req/s | newsarchive c=16 req/s | ratio | WordPress c=1 p50 | newsarchive c=1 p50 |
|---|---|---|---|---|---|
| feature article, 50 comments | 47.6 | 64.0 | 1.34× | 39.1 ms | 15.0 ms |
| home `/` | 43.7 | 87.4 | 2.00× | 33.1 ms | 11.7 ms |
| search "harbor" | 32.9 | 40.2 | 1.22× | 60.2 ms | 40.3 ms |
"""


def wrk_figures(rps, p99=5.0, p50=0.5):
    return {"rps": rps, "p50_ms": p50, "p99_ms": p99, "non_2xx": 0}


def a_report(*, cached_share=0.7, cached_p99=5.0, worker_mb=80.0):
    pages = {}
    for page in full.PAGES:
        static = 1000.0
        pages[page.key] = {
            "path": page.path,
            "label": page.label,
            "cached": wrk_figures(static * cached_share, cached_p99),
            "uncached": wrk_figures(700.0),
            "uncached_c1": wrk_figures(300.0, p50=3.0),
            "cached_vs_static": cached_share,
            "static": wrk_figures(static),
        }
    return {
        "pages": pages,
        "rss_mb": {"cached": [worker_mb, 70.0], "uncached": [75.0, 76.0]},
        "comment_post": {
            "cases": [
                {
                    "case": "Akismet answering in 50 ms",
                    "p99_ms": 80.0,
                    "goal_p99_ms": 120,
                    "met": True,
                },
                {
                    "case": "Akismet timing out (2 s)",
                    "p99_ms": 2050.0,
                    "goal_p99_ms": 2100,
                    "met": True,
                },
            ],
            "posted": 30,
            "stored": 30,
            "all_saved": True,
        },
        "scale": None,
    }


def verdicts(report):
    return {row["goal"]: row["met"] for row in full.goals(report)}


def test_the_wordpress_figures_come_from_the_side_by_side_table(tmp_path, monkeypatch):
    baseline = tmp_path / "wordpress-baseline.md"
    baseline.write_text(BASELINE)
    monkeypatch.setattr(full, "BASELINE", baseline)

    figures = full.wordpress_baseline()

    assert figures == {
        "feature": {"rps": 47.6, "c1_p50_ms": 39.1},
        "home": {"rps": 43.7, "c1_p50_ms": 33.1},
        "search": {"rps": 32.9, "c1_p50_ms": 60.2},
    }


def test_without_the_baseline_file_there_are_no_wordpress_figures(
    tmp_path, monkeypatch
):
    monkeypatch.setattr(full, "BASELINE", tmp_path / "missing.md")

    assert full.wordpress_baseline() == {}


def test_every_goal_met_reads_met_and_scale_not_run_reads_neither():
    found = verdicts(a_report())

    assert found.pop("archive scale (100k / 1M)") is None
    assert all(found.values()), found


@pytest.mark.parametrize(
    ("report", "goal"),
    [
        (a_report(cached_share=0.59), "cached pages at ≥ 60% of the static-file rate"),
        (a_report(cached_p99=15.0), "cached p99 < 15 ms at c=16"),
        (a_report(worker_mb=100.0), "each app worker < 100 MB RSS after the run"),
    ],
)
def test_a_figure_past_its_bound_misses_the_goal(report, goal):
    assert verdicts(report)[goal] is False


def test_a_comment_not_saved_misses_the_goal():
    report = a_report()
    report["comment_post"].update(stored=29, all_saved=False)

    assert verdicts(report)["every comment posted is saved"] is False


def obstacles(report) -> list[str]:
    report["goals"] = full.goals(report)
    return full.in_the_way(report)


def test_nothing_stands_in_the_way_when_every_goal_is_met():
    assert obstacles(a_report()) == []


def test_a_missed_uncached_goal_names_its_in_process_time_and_ceiling():
    report = a_report()
    report["pages"]["home"]["uncached"] = wrk_figures(314.0)
    report["profile"] = {
        "pages": [
            {
                "label": "home",
                "path": "/",
                "ms": 5.0,
                "queries": 1,
                "top": [["own time: templates", 40.0], ["own time: ORM", 20.0]],
            }
        ]
    }

    (line,) = obstacles(report)

    assert line.startswith("- **Uncached home**: 314 of 600 req/s.")
    assert f"serve about {full.CORES * 1000 / 5.0:.0f} req/s" in line
    assert f"{full.CORES * 1000 / 600:.1f} ms or less" in line
    assert "own time: templates 40 %" in line


def test_missed_cached_goals_tell_even_runs_from_uneven_ones():
    report = a_report()
    for row in report["pages"].values():
        row["cached"]["connections_per_worker"] = [8, 8]
    home = report["pages"]["home"]
    home["cached_vs_static"] = 0.3
    home["cached"]["connections_per_worker"] = [16, 0]

    lines = obstacles(report)

    assert any(
        "sat unevenly" in line and ": 1; 0 met the share" in line for line in lines
    )
    assert any("sat evenly" in line for line in lines)
    assert any("home 30% (16+0" in line for line in lines)


def test_a_missed_uncached_goal_says_how_its_connections_sat():
    report = a_report()
    report["pages"]["home"]["uncached"] = {
        **wrk_figures(325.0),
        "connections_per_worker": [15, 1],
    }

    (line,) = obstacles(report)

    assert "connections sat 15+1 on the workers" in line
    assert "unevenly" in line


def test_a_missed_p99_goal_sets_it_beside_the_static_files_own_tail():
    report = a_report(cached_p99=24.0)
    for index, row in enumerate(report["pages"].values()):
        # Two turns where the file alone stays under the goal.
        row["static"]["p99_ms"] = 10.0 if index < 2 else 20.0

    lines = obstacles(report)

    (line,) = [line for line in lines if "static file's own p99" in line]
    assert "10.0–20.0 ms, under 15 ms in 2 of 11 turns" in line
    assert "median ×1.20" in line


def test_the_static_files_tail_is_not_named_when_the_p99_goal_is_met():
    report = a_report(cached_share=0.3)

    assert not any("static file's own p99" in line for line in obstacles(report))
