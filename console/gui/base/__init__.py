"""What every room shares: the broker bridge, the ports, the table model base, small widgets."""
