"""What ``spacy train --code`` imports: the project's tokenizer and the gazetteer component the configs name."""
import pipeline.gazetteer  # noqa: F401
import pipeline.tokenizer  # noqa: F401
