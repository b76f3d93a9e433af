"""Pure normalizers: text of a tagged span in, plain JSON-able values out.

Each module is independent of spaCy so it can be tested with tables of real spellings.
"""
