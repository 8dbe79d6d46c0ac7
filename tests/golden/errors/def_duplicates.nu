# Commands and parameters are declared once.
def f [a: int, a: string] { }
def f [] { }
