"""The domain layer: messages, records, codes and field rules. Depends on nothing else."""
