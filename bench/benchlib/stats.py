"""Medians and ratios over repeated runs."""

import statistics


def median(values):
    values = [value for value in values if value is not None]
    return statistics.median(values) if values else None


def ratio(value, floor):
    if value is None or floor is None or floor == 0:
        return None
    return value / floor
