"""What came back: candidate lists, the record viewer, its actions, print and export."""
