"""The graph as linked data that people can open: entity pages, their RDF, the article's
evidence view, a static site of the same pages, and a guarded read-only SPARQL endpoint."""
