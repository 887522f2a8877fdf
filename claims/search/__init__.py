"""Finding things across articles: "checked before" matching and the search boxes.

- `text`: words, stems, numbers and the 0..1 similarity of two claims, in Python;
- `engine`: the database's own text search (PostgreSQL full-text, SQLite FTS5): the
  only module that knows which one it talks to;
- `indexing`: the search entries and matching's entries of the checked claims,
  rewritten in the transaction of every change to the text they cover;
- `matching`: earlier checked claims like a claim, stored as matches, and the services
  that reuse or reject one;
- `querying`: the desk's and the public's search, with filters and snippets.
"""
