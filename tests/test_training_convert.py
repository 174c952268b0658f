"""Arguments of the NER conversion step (training/scripts/convert.py) that are checked before any corpus is read."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "scripts"))
import convert  # noqa: E402


@pytest.mark.parametrize(("option", "value", "message"), [
    *[("--repeat", v, "--repeat wants CORPUS=N") for v in ("bc5cdr", "bc5cdr=-1", "bc5cdr=two", "=2")],
    *[("--domain-dropout", v, "--domain-dropout wants a share in [0, 1)") for v in ("1", "1.5", "-0.1")],
])
def test_a_bad_option_is_refused_before_any_corpus_is_read(tmp_path, capsys, option, value, message):
    with pytest.raises(SystemExit) as exit_info:
        convert.main([str(tmp_path / "corpora"), str(tmp_path / "out"), option, value])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_the_ade_protocol_fine_tunes_the_three_components_of_an_ade_free_model():
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training" / "relation"))
    import ade_protocol
    from spacy.util import load_config_from_str

    repo = Path(__file__).resolve().parents[1]
    base = repo / "training" / "configs" / "ner.cfg"
    text = ade_protocol.fine_tune_config(base.read_text(), Path("/models/no_ade"), 1500)
    config = load_config_from_str(text, interpolate=False)
    for name in ("gazetteer", "tok2vec", "ner"):
        assert dict(config["components"][name]) == {"source": "/models/no_ade"}
    assert config["training"]["max_steps"] == 1500 and config["training"]["patience"] == 1500
    assert config["nlp"]["pipeline"] == ["gazetteer", "tok2vec", "ner"]
    with pytest.raises(SystemExit, match="expected component sections"):
        ade_protocol.fine_tune_config("[nlp]\n", Path("/models/no_ade"), 1500)
