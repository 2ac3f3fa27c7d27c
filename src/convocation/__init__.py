"""convocation: the meeting cycle of a treaty secretariat, as data."""

__version__ = "0.1.0"
