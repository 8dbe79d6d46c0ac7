# `def --env` and `def --wrapped` are valid Nushell that a probe cannot use.
def --env f [] { }
def --wrapped g [...rest] { }
