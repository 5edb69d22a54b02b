"""taxsim — crypto tax-impact simulator (DE/AT)."""

__version__ = "0.1.0"
