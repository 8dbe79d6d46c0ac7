# Calls nested deeper than the inlining limit.
def d0 [] { d1 }
def d1 [] { d2 }
def d2 [] { d3 }
def d3 [] { d4 }
def d4 [] { d5 }
def d5 [] { d6 }
def d6 [] { d7 }
def d7 [] { d8 }
def d8 [] { d9 }
def d9 [] { d10 }
def d10 [] { d11 }
def d11 [] { d12 }
def d12 [] { d13 }
def d13 [] { d14 }
def d14 [] { d15 }
def d15 [] { d16 }
def d16 [] { d17 }
def d17 [] { 1 }
probe tracepoint:syscalls:sys_exit_read {|e| emit {n: (d0)} }
