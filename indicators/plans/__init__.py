"""Plan documents: read a published plan (text, HTML, Word, PDF), find its quantitative targets as candidates.

`extract.extract_file(path)` is the whole path: read -> normalise -> candidates, each with its verbatim
quote.
"""
