"""ecozone: smart, green and eco-industrial parks from data to decisions."""

__version__ = "0.1.0"
