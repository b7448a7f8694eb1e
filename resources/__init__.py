"""Packaged resources: icons, style sheets, banner texts."""
