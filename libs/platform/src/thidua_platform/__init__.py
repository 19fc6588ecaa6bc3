"""thidua's own library, shared by every service. It imports no service."""
