"""Step 2 (train): ``spacy train`` on one CPU thread, recording the wall-clock time.

    python training/scripts/train.py CONFIG TRAIN_SPACY DEV_SPACY OUTPUT_DIR [-- extra spacy overrides]

Writes OUTPUT_DIR/model-best, OUTPUT_DIR/model-last (by spaCy) and OUTPUT_DIR/train_time.json.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def train(config: Path, train_path: Path, dev_path: Path, output: Path, overrides: list[str]) -> float:
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    command = [
        sys.executable, "-m", "spacy", "train", str(config), "--output", str(output),
        "--code", str(REPO / "training" / "scripts" / "spacy_code.py"),
        "--paths.train", str(train_path), "--paths.dev", str(dev_path), *overrides,
    ]
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - start
    (output / "train_time.json").write_text(json.dumps({"seconds": round(seconds), "threads": 1}) + "\n")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", type=Path)
    parser.add_argument("train_path", type=Path)
    parser.add_argument("dev_path", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("overrides", nargs="*", help="spaCy config overrides, e.g. --training.max_steps 2000")
    args, unknown = parser.parse_known_args()
    seconds = train(args.config.resolve(), args.train_path.resolve(), args.dev_path.resolve(), args.output.resolve(),
                    [*args.overrides, *unknown])
    print(f"trained in {seconds / 60:.1f} min")


if __name__ == "__main__":
    main()
