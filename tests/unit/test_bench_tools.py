"""The benchmark tools read wrk's report and compare runs correctly (no database, no server)."""

from bench.harness import Bench
from bench.loadtest import parse_wrk
from bench.run import FLOOR, _compare_queries, _floor_ratios

WRK_WITH_ERRORS = """Running 30s test @ http://127.0.0.1:8123/viec-cua-toi/
  2 threads and 20 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency   183.20ms   40.11ms   1.20s    80.55%
    Req/Sec    55.32     11.41    90.00     67.50%
  Latency Distribution
     50%  850.00us
     75%  190.12ms
     90%  240.51ms
     99%    1.12s
  3260 requests in 30.01s, 41.02MB read
  Socket errors: connect 0, read 2, write 0, timeout 3
  Non-2xx or 3xx responses: 4
Requests/sec:    108.63
Transfer/sec:      1.37MB
"""


def test_wrk_report_gives_rate_percentiles_in_ms_and_counts_every_error():
    figures = parse_wrk(WRK_WITH_ERRORS)
    assert figures["requests"] == 3260
    assert figures["requests_per_s"] == 108.63
    assert figures["p50_ms"] == 0.8 and figures["p99_ms"] == 1120.0
    assert figures["socket_errors"] == {"connect": 0, "read": 2, "write": 0, "timeout": 3}
    assert figures["non_2xx_3xx"] == 4
    assert figures["errors"] == 9


def test_clean_wrk_report_has_no_errors():
    clean = "\n".join(
        line for line in WRK_WITH_ERRORS.splitlines() if "errors" not in line and "Non-2xx" not in line
    )
    assert parse_wrk(clean)["errors"] == 0


def test_every_case_gets_its_multiple_of_the_floor():
    results = {FLOOR: {"median_ms": 4.0}, "pages: my work": {"median_ms": 50.0}, "cases_x": {"error": "boom"}}
    _floor_ratios(results)
    assert results["pages: my work"]["x_floor"] == 12.5
    assert "x_floor" not in results[FLOOR] and "x_floor" not in results["cases_x"]


def test_a_floor_timed_between_a_cases_own_calls_is_the_one_its_ratio_uses():
    results = {
        FLOOR: {"median_ms": 4.0},
        "pages: plan": {"median_ms": 10.0, "floor_ms": 2.0, "cold_median_ms": 90.0, "cold_floor_ms": 3.0},
    }
    _floor_ratios(results)
    assert (results["pages: plan"]["x_floor"], results["pages: plan"]["cold_x_floor"]) == (5.0, 30.0)


def test_query_counts_are_compared_with_the_baseline_run():
    results = {"a": {"queries": 12}, "b": {"queries": 9}, "new": {"queries": 3}}
    _compare_queries(results, {"a": {"queries": 12}, "b": {"queries": 8}})
    assert results["a"]["queries_same"] is True
    assert results["b"] == {"queries": 9, "queries_baseline": 8, "queries_same": False}
    assert "queries_same" not in results["new"]


def test_a_filter_naming_a_topic_or_one_of_its_cases_runs_that_topic_only():
    assert Bench().wants_topic("reports: ")
    assert Bench(only="reports").wants_topic("reports: ")
    assert Bench(only="reports: commune PDF").wants_topic("reports: ")
    assert not Bench(only="dashboards").wants_topic("reports: ")


def test_a_cached_page_also_reports_its_figures_rendered_afresh_and_their_ratio():
    results = {
        FLOOR: {"median_ms": 4.0},
        "pages: my work": {"median_ms": 8.0, "queries": 4, "cold_median_ms": 60.0, "cold_queries": 21},
    }
    _floor_ratios(results)
    _compare_queries(results, {"pages: my work": {"queries": 4, "cold_queries": 20}})
    page = results["pages: my work"]
    assert (page["x_floor"], page["cold_x_floor"]) == (2.0, 15.0)
    assert page["queries_same"] is True and page["cold_queries_same"] is False


def test_a_page_is_measured_from_the_cache_and_with_the_cache_emptied_before_each_call(monkeypatch):
    bench, emptied, calls = Bench(repeat=3), [], []

    def fake_get(self, name, client, url, *, before=None, **kwargs):
        calls.append(name)
        if before is not None:
            before()
        self.results[name] = {"median_ms": 50.0 if before else 5.0, "p95_ms": 1.0, "queries": 2}
        return self.results[name]

    monkeypatch.setattr(Bench, "get", fake_get)
    monkeypatch.setattr(
        "bench.harness.caches", {"pages": type("Store", (), {"clear": lambda s: emptied.append(1)})()}
    )
    result = bench.page("pages: x", client=None, url="/x/")
    assert calls == ["pages: x", "pages: x [cold]"] and emptied == [1]
    assert list(bench.results) == ["pages: x"]
    assert (result["median_ms"], result["cold_median_ms"]) == (5.0, 50.0)
