#!/usr/bin/env python3
"""How far the dev set's title demands can be pushed from what a demand shows: the labels' own rule, applied to the
demand's text instead of the hidden source record's keywords.

A title demand's relevant achievements share keywords with the source record's author keywords (README of the data:
"specific" = a keyword at most 5 records use), which the demand never shows; only its title does. This pushes, for
every title demand, each achievement (2–8 declared keywords, as label sources have) that declares a keyword found whole
in the demand's title and used by at most MAXDF records, for several MAXDF, and with one or two such keywords. The null
demands' market is the dev market without the demand's relevant achievements, so their pushes are the non-relevant
ones. Prints pushes per demand, precision and recall of the pushes, and null pushes per demand, to set beside
`techtransfer eval`'s curve (docs/matching.md).

    python3 scripts/title-label-ceiling.py ../shared/data/achievements-dev.jsonl ../shared/data/demands-dev.jsonl
"""
import collections, json, sys


def main(achievements_path, demands_path):
    achievements = [json.loads(line) for line in open(achievements_path, encoding="utf-8")]
    demands = [d for d in map(json.loads, open(demands_path, encoding="utf-8")) if d["kind"] == "title"]
    used_by = collections.Counter(k.lower() for a in achievements for k in set(a["keywords"]))
    declarers = [(a["id"], {k.lower() for k in a["keywords"] if len(k) >= 2}) for a in achievements if 2 <= len(a["keywords"]) <= 8]
    print("max records per keyword | shared keywords | pushes/demand | precision | recall | null pushes/demand")
    for max_df in [2, 3, 5, 8, 20]:
        for min_shared in [1, 2]:
            pushes = good = 0
            recall = 0.0
            for d in demands:
                text = d["text"].lower()
                pushed = [i for i, keywords in declarers
                          if sum(1 for k in keywords if k in text and used_by[k] <= max_df) >= min_shared]
                hits = sum(1 for i in pushed if i in d["relevant"])
                pushes, good, recall = pushes + len(pushed), good + hits, recall + hits / len(d["relevant"])
            n = len(demands)
            print(f"{max_df} | {min_shared} | {pushes / n:.2f} | {good / max(pushes, 1):.2f} | {recall / n:.2f} | {(pushes - good) / n:.2f}")


if __name__ == "__main__":
    main(*sys.argv[1:3])
