"""What ``spacy train --code`` imports: the project's tokenizer, the gazetteer component, the domain augmenter and the BLAS callback the
configs name."""
import pipeline.blas  # noqa: F401
import pipeline.gazetteer  # noqa: F401
import pipeline.ner_domain  # noqa: F401
import pipeline.tokenizer  # noqa: F401
