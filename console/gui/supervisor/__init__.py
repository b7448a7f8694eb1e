"""Supervisor windows: operator accounts and the audit review."""
