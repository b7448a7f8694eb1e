"""Who is at the keyboard: logon, enrollment of one-time codes, the device lock."""
