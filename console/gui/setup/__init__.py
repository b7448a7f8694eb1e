"""The first-run set-up wizard: agency, switch, certificates and the first operator."""
