"""Check that every URL answers 200, and warm the server's cache before the load.

Usage: python bench/warm_up.py NAME=URL ...
Twenty GETs per URL, so that each gunicorn worker has most likely rendered each page once
already: the cold cache is measured by bench/queries.py, not by the load.
"""

import sys
import time
import urllib.request


def main() -> None:
    urls = [pair.split("=", 1)[1] for pair in sys.argv[1:]]
    if not all(url.startswith("http://127.0.0.1:") for url in urls):
        sys.exit("bench/warm_up.py: only http://127.0.0.1 URLs")
    for _ in range(100):  # the server may still be starting its workers
        try:
            urllib.request.urlopen(urls[0], timeout=5).read()
            break
        except OSError:
            time.sleep(0.1)
    for url in urls:
        for _ in range(20):
            with urllib.request.urlopen(url, timeout=10) as response:
                if response.status != 200:
                    sys.exit(f"bench/warm_up.py: GET {url} answered {response.status}")
                response.read()
    print(f"warmed {len(urls)} URLs, 20 requests each")


if __name__ == "__main__":
    main()
