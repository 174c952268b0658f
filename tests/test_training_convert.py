"""Arguments of the NER conversion step (training/scripts/convert.py) that are checked before any corpus is read."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "scripts"))
import convert  # noqa: E402


@pytest.mark.parametrize("value", ["bc5cdr", "bc5cdr=0", "bc5cdr=two", "=2"])
def test_repeat_wants_corpus_equals_a_positive_count(tmp_path, capsys, value):
    with pytest.raises(SystemExit) as exit_info:
        convert.main([str(tmp_path / "corpora"), str(tmp_path / "out"), "--repeat", value])
    assert exit_info.value.code == 2
    assert "--repeat wants CORPUS=N" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()
