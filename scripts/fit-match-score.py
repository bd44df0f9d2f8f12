#!/usr/bin/env python3
"""Fits the text score of MatchEngine.TextScore and reports it cross-validated.

Input: the pairs file of `techtransfer eval ... --pairs FILE` (every dev demand's top 30 candidates with their
evidence and silver label; title demands once more against the null market). The model is a logistic regression
of four absolute evidence measures; folds are by demand (5-fold), so no demand's pairs are both fitted and scored.
Prints the out-of-fold ROC AUC and pushes/precision/recall at each threshold, then the coefficients fitted on all
pairs (the ones to put in MatchEngine.TextScore). Needs numpy and scikit-learn (Debian: python3-sklearn).

    python3 scripts/fit-match-score.py pairs.tsv ../shared/data/demands-dev.jsonl
"""
import csv, json, random, sys

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

FEATURES = ["demand_coverage", "achievement_coverage", "declared", "specific"]


def main(pairs_path, demands_path):
    rows = list(csv.DictReader(open(pairs_path, encoding="utf-8"), delimiter="\t", quoting=csv.QUOTE_NONE))
    for r in rows:
        r["x"] = [float(r[f]) for f in FEATURES]
        r["y"] = int(int(r["grade"]) > 0)
        r["null"] = int(r["null"])
    relevant = {}
    for line in open(demands_path, encoding="utf-8"):
        d = json.loads(line)
        relevant[d["id"]] = len(d["relevant"])

    demands = sorted({r["demand"] for r in rows})
    random.Random(1).shuffle(demands)
    fold = {d: i % 5 for i, d in enumerate(demands)}
    for k in range(5):
        train = [r for r in rows if fold[r["demand"]] != k]
        model = LogisticRegression(max_iter=2000).fit([r["x"] for r in train], [r["y"] for r in train])
        test = [r for r in rows if fold[r["demand"]] == k]
        for r, p in zip(test, model.predict_proba([r["x"] for r in test])[:, 1]):
            r["p"] = p
        print(f"fold {k}: coefficients {model.coef_.round(2).tolist()} intercept {model.intercept_.round(2).tolist()}")

    def pick(kind, null):
        return [r for r in rows if r["kind"] == kind and r["null"] == null and r["p"] > 0]

    for kind in ["title", "keywords"]:
        part = [r for r in rows if r["kind"] == kind and r["null"] == 0]
        print(f"out-of-fold ROC AUC {kind}: {roc_auc_score([r['y'] for r in part], [r['p'] for r in part]):.3f}")

    print("threshold | title pushes/demand, precision, recall | keywords … | null pushes/demand (top 10 pushed when ≥ threshold)")
    for t in [5, 10, 12, 14, 15, 16, 18, 20, 25, 30, 40, 50]:
        cells = []
        for kind, null in [("title", 0), ("keywords", 0), ("title", 1)]:
            by = {}
            for r in pick(kind, null) + [r for r in rows if r["kind"] == kind and r["null"] == null]:
                by.setdefault(r["demand"], {})[id(r)] = r
            pushes = good = 0
            recall = 0.0
            for demand, rs in by.items():
                top = sorted(rs.values(), key=lambda r: -r["p"])[:10]
                pushed = [r for r in top if 100 * r["p"] >= t]
                pushes += len(pushed)
                good += sum(r["y"] for r in pushed)
                recall += sum(r["y"] for r in pushed) / max(relevant[demand], 1)
            n = len(by)
            cells.append(f"{pushes / n:.2f}" if null else f"{pushes / n:.2f}, {good / max(pushes, 1):.2f}, {recall / n:.2f}")
        print(f"{t:>3} | " + " | ".join(cells))

    model = LogisticRegression(max_iter=2000).fit([r["x"] for r in rows], [r["y"] for r in rows])
    print(f"all pairs: coefficients {model.coef_.round(2).tolist()} ({', '.join(FEATURES)}) intercept {model.intercept_.round(2).tolist()}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
