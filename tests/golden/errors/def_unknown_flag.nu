# `def` takes only `--env` and `--wrapped`.
def --export f [] { }
