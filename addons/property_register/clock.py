# This file is part of the coastal customer service project.
"""The one clock of the customer centre's modules: every module reads the
time as clock.now(), so a test sets it by patching this one function"""
import datetime as dt


def now():
    "The current time, as naive UTC like every Tryton timestamp"
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
