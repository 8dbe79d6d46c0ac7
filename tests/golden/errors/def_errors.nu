# Malformed `def` declarations.
def [] { }
def f { }
def g [$a: int] { }
def h [...rest: int] { }
def i []: int -> int { }
def j [--bad] --flag { }
