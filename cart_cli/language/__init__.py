"""Reading what people write: one normaliser, the word data, and the free-text reader.

- ``normalise``: text folded for matching (Unicode NFKC, every apostrophe read as ``'``,
  invisible format characters removed, look-alike Cyrillic and Greek letters read as Latin,
  accents and case folded) and split into words. The text a person typed is always stored as
  typed; only matching reads the folded form.
- ``lexicon``: word classes (things and states), negation and hedge triggers, small words.
- ``concepts``: every sign cart recognises in words, as data: a name, a level, the line of
  docs/clinical-basis.md it comes from, the vocabulary symptom it equals, and its patterns.
- ``reader``: reads a phrase into the concepts it names, those it denies, and the words it
  could not read.
- ``medicines``: the names of medicines that can hide a fever, read with typo tolerance.

Nothing here is imported at start-up by commands that do not read free text.
"""
