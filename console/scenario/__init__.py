"""Training scenarios: the model and its TOML files (uses the domain only)."""
