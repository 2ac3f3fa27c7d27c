"""Render times of the CSP12 invitation in each format, after warm-up (part of `make bench`).

Run with DJANGO_SETTINGS_MODULE=convocation.settings against a database holding the demo.
Prints one line per format and writes var/bench/letters.json.
"""

import datetime as dt
import json
import statistics
import time
from pathlib import Path

import django

django.setup()

from convocation.letters.composition import compose_letter, letter_facts  # noqa: E402
from convocation.letters.rendering import render  # noqa: E402
from convocation.meetings.queries import meeting_with_schedule  # noqa: E402

ROUNDS = {"txt": 200, "html": 200, "docx": 50, "pdf": 20}
TARGET_MS = {"txt": 100, "html": 100, "docx": 100, "pdf": 300}


def main() -> None:
    facts = letter_facts(meeting_with_schedule("att-csp12-wg"))
    results = {}
    for language in ("en", "fr", "es"):
        letter = compose_letter(facts, language=language, letter_date=dt.date(2026, 1, 16))
        for fmt, rounds in ROUNDS.items():
            render(letter, fmt)  # warm-up: imports, fonts, the Word template
            times = []
            for _ in range(rounds):
                start = time.perf_counter()
                render(letter, fmt)
                times.append((time.perf_counter() - start) * 1000)
            results[f"{language}/{fmt}"] = {
                "rounds": rounds,
                "median_ms": round(statistics.median(times), 1),
                "max_ms": round(max(times), 1),
                "target_ms": TARGET_MS[fmt],
            }
    start = time.perf_counter()
    for _ in range(20):
        compose_letter(facts, language="en", letter_date=dt.date(2026, 1, 16))
    compose_ms = (time.perf_counter() - start) * 1000 / 20
    print(f"compose (en): {compose_ms:.1f} ms")
    for key, figures in results.items():
        verdict = "ok" if figures["median_ms"] <= figures["target_ms"] else "OVER TARGET"
        print(
            f"{key:8} median {figures['median_ms']:7.1f} ms  max {figures['max_ms']:7.1f} ms  "
            f"({figures['rounds']} rounds; target {figures['target_ms']} ms: {verdict})"
        )
    out = Path("var/bench/letters.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"compose_ms": round(compose_ms, 1), "render": results}, indent=2))


if __name__ == "__main__":
    main()
