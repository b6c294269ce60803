"""Read a folder of feed documents the way ``smmod queue import --format feed`` does.

    uv run python bench/bench_feed_corpus.py DIR [--now 2026-12-02T10:00:00Z] [--show N]

For example, a public feed parser's test corpus (a checkout's ``tests/`` folder). Every
file goes through ``parse_bytes(..., fmt="feed")``, and the script prints:
  * how many imported (and how many of those had entries skipped), and how many were
    refused, grouped by the first words of the reason;
  * how many raised anything other than a readable ``SmmodError`` (a traceback for the
    user): this must be 0;
  * how many files expat alone calls well-formed, and how many of those were refused;
  * reading time per file as a ratio to a bare expat parse of the same bytes.

Nothing is stored and nothing is fetched.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import time
import traceback
import xml.parsers.expat
from datetime import datetime
from pathlib import Path

from smmod.errors import SmmodError
from smmod.queue.parsers import parse_bytes


def well_formed(data: bytes) -> bool:
    """Plain expat, entities allowed (defaults only): the XML spec's well-formedness."""
    parser = xml.parsers.expat.ParserCreate()
    parser.SetParamEntityParsing(xml.parsers.expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except (xml.parsers.expat.ExpatError, ValueError, LookupError):
        return False
    return True


def reason_group(message: str) -> str:
    reason = message.split(": ", 1)[-1]
    reason = re.sub(r"\(.*", "", reason)
    reason = re.sub(r"'[^']*'", "'…'", reason)
    return reason.strip()[:70]


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("folder", type=Path)
    parser.add_argument("--now", default="2026-12-02T10:00:00+00:00")
    parser.add_argument("--show", type=int, default=3, help="example files per refusal reason")
    args = parser.parse_args()
    now = datetime.fromisoformat(args.now)
    suffixes = (".xml", ".rdf", ".atom", ".rss")
    files = sorted(p for p in args.folder.rglob("*") if p.is_file() and p.suffix in suffixes)
    imported = with_skips = crashed = 0
    refused: collections.Counter[str] = collections.Counter()
    examples: dict[str, list[str]] = collections.defaultdict(list)
    wf_total = wf_refused = 0
    wf_refusals: collections.Counter[str] = collections.Counter()
    ours = bare = 0.0
    for path in files:
        data = path.read_bytes()
        started = time.perf_counter()
        good = well_formed(data)
        bare += time.perf_counter() - started
        wf_total += good
        started = time.perf_counter()
        try:
            result = parse_bytes(data, path.name, fmt="feed", now=now)
        except SmmodError as err:
            group = reason_group(str(err))
            refused[group] += 1
            if len(examples[group]) < args.show:
                examples[group].append(str(path.relative_to(args.folder)))
            if good:
                wf_refused += 1
                wf_refusals[group] += 1
        except Exception:
            crashed += 1
            print(f"TRACEBACK for {path}:", file=sys.stderr)
            traceback.print_exc()
        else:
            imported += 1
            with_skips += bool(result.problems)
        ours += time.perf_counter() - started
    print(f"files: {len(files)}")
    print(f"imported: {imported} ({with_skips} with some entries skipped and listed)")
    print(f"refused with a one-line reason: {sum(refused.values())}")
    for group, count in refused.most_common():
        print(f"  {count:5d}  {group}   e.g. {', '.join(examples[group])}")
    print(f"tracebacks: {crashed}")
    print(f"well-formed per expat: {wf_total}; of those refused: {wf_refused}")
    for group, count in wf_refusals.most_common():
        print(f"  {count:5d}  {group}")
    if bare:
        print(f"reading time: {ours / bare:.1f}x a bare expat parse of the same bytes")
    return 1 if crashed else 0


if __name__ == "__main__":
    raise SystemExit(main())
