"""Copies per second from one client, and the server's memory (issue #14, item 4).

The portal in production mode on loopback (bench/production.py: a scratch PostgreSQL
database, gunicorn with ONE sync worker, an SMTP server; no task worker is needed: sign-in
codes are sent at once). A customer signs in by the code read from the mail the SMTP server
received, then takes complete access answers (POST of the PDF register extract, as the
button does) one after the other for N seconds, each checked to be a PDF. The repeat window
(PORTAL_COPY_REPEAT_SECONDS, a second click within it gives the copy just made) is set to 0,
so every POST makes and records a new copy.

People: a customer in all four registers with 5 orders (each with an invoice), as Fides'
1 customer and 5 orders, and the demo's Maija Meikäläinen (all four registers, 36 orders).
Each copy records an access request that the next copy lists, so a person's PDF grows copy by
copy: each round of the 5-order customer is a fresh customer; Maija's later rounds list more.
Memory: RSS (and PSS, which counts pages shared after fork once) of the gunicorn master and
its worker, read from /proc after each copy; the peak is reported.

    .venv/bin/python bench/throughput.py [seconds per run] [rounds]
"""

import statistics
import sys
import time

from machine import reference_loop_seconds
from production import Portal

PDF = "/en/my-data/extract.pdf"
MAIJA = "maija.meikalainen@example.fi"


def run(portal, browser, seconds) -> dict:
    form = browser.form("/en/my-data/", action=PDF)
    copies, peak_rss, peak_pss, times = 0, 0, 0, []
    until = time.monotonic() + seconds
    started = time.monotonic()
    while time.monotonic() < until:
        t = time.perf_counter()
        status, headers, content = browser.post(PDF, form)
        times.append(time.perf_counter() - t)
        assert status == 200 and content.startswith(b"%PDF"), (status, content[:300])
        copies += 1
        memory = portal.memory()
        peak_rss, peak_pss = max(peak_rss, memory["rss_kib"]), max(peak_pss, memory["pss_kib"])
    elapsed = time.monotonic() - started
    return {
        "copies": copies,
        "per_s": copies / elapsed,
        "median_s": statistics.median(times),
        "rss_mb": peak_rss / 1024,
        "pss_mb": peak_pss / 1024,
    }


def main(seconds: float, rounds: int) -> None:
    env = {"PORTAL_COPY_REPEAT_SECONDS": "0"}
    with Portal(workers=1, env=env, demo=True) as portal:
        # Each copy records an access request, which the next copy lists: with the repeat
        # window at 0 the PDF grows copy by copy. So each round of the 5-order customer is a
        # fresh customer (bench1..N); Maija is one person, and her later rounds list more.
        portal.seed(1, rounds + 1, 5)
        fresh = iter(range(1, rounds + 2))
        maija = portal.browser()
        portal.rehearsal_sign_in(maija, MAIJA)

        def five_orders():
            browser = portal.browser()
            portal.rehearsal_sign_in(browser, f"bench{next(fresh)}@example.fi")
            return browser

        print(f"reference loop {reference_loop_seconds():.2f} s (the machine's speed now)")
        idle = portal.memory()
        print(f"idle: RSS {idle['rss_kib'] / 1024:.0f} MB, PSS {idle['pss_kib'] / 1024:.0f} MB "
              f"({idle['pids']} processes)")  # fmt: skip
        run(portal, five_orders(), 3)  # warm-up: imports, fonts, caches
        results = {"5 orders": [], "Maija, 36 orders": []}
        for r in range(rounds):  # the people alternate, so a slower hour hits both alike
            for name in results:
                browser = five_orders() if name == "5 orders" else maija
                result = run(portal, browser, seconds)
                results[name].append(result)
                print(f"round {r + 1} {name}: {result['copies']} copies, "
                      f"{result['per_s']:.2f}/s, median {result['median_s'] * 1000:.0f} ms, "
                      f"peak RSS {result['rss_mb']:.0f} MB, PSS {result['pss_mb']:.0f} MB",
                      flush=True)  # fmt: skip
        print()
        for name, runs in results.items():
            rates = [r["per_s"] for r in runs]
            print(f"{name}: copies/s median {statistics.median(rates):.2f} "
                  f"(min {min(rates):.2f}, max {max(rates):.2f}, "
                  f"{len(runs)} runs of {seconds:.0f} s); "
                  f"peak RSS {max(r['rss_mb'] for r in runs):.0f} MB, "
                  f"PSS {max(r['pss_mb'] for r in runs):.0f} MB")  # fmt: skip
        print(f"reference loop {reference_loop_seconds():.2f} s at the end")


if __name__ == "__main__":
    main(
        float(sys.argv[1]) if len(sys.argv) > 1 else 20,
        int(sys.argv[2]) if len(sys.argv) > 2 else 3,
    )
