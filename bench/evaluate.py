"""Accuracy on the shared gold data: the PETRARCH-2 GSR wire-news set and the seed article.

    .venv/bin/python bench/evaluate.py [--check]

Prints precision, recall and F1 for (source country, target country, root code), for
full codes, and each seed expectation met or missed, then one JSON line. With
``--check`` the exit code is 1 when a target is missed (GSR root-level F1 below 0.6, or
a seed expectation missed). Skips with a message when ../shared is not present.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import shared_or_skip  # noqa: E402

from flashpoint.evaluation import format_summary, run_evaluation  # noqa: E402

GSR = "anchors/petrarch2/up_petr2_gsr/PETR2_GSR_validation.xml"
SEED = "gold/seed"
F1_TARGET = 0.6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    gsr, seed = shared_or_skip(GSR), shared_or_skip(SEED)
    summary = run_evaluation(gsr, seed)
    print(format_summary(summary))
    f1 = summary["gsr"]["root"]["f1"]
    met = sum(r["met"] for r in summary["seed"])
    print(json.dumps({"gsr_root_f1": f1, "gsr_code_f1": summary["gsr"]["code"]["f1"],
                      "gsr_full_f1": summary["gsr"]["full"]["f1"],
                      "seed_met": met, "seed_total": len(summary["seed"])}))
    missed = f1 < F1_TARGET or met < len(summary["seed"])
    if missed:
        print(f"target missed: F1 {f1:.3f} (target {F1_TARGET}), "
              f"seed {met}/{len(summary['seed'])}")
    sys.exit(1 if missed and args.check else 0)


if __name__ == "__main__":
    main()
