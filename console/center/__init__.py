"""Centre layer: the shared PostgreSQL database of a dispatch centre (accounts, audit trail)."""
