"""The Kafka header that says why a generated record was made (valid, invalid:<kind>, duplicate,
late), so a test can predict each record's fate. Its own module: a reader of the header (the step
library) need not import the generator, whose Faker start-up costs half a second."""

from __future__ import annotations

INTENT_HEADER = "x-orderflow-intent"
