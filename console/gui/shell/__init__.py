"""The console's frame: application start, main window, status bar, tray, theme and settings."""
