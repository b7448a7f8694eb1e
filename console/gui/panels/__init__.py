"""Where a question is asked: the query panels and the command line."""
