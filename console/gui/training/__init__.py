"""Training in the console: scenarios, the exercise clock and the debrief."""
