# Statements outside a probe are valid Nushell, but they would never run.
let x = 1
loop { }
if true { count }
for i in 1..2 { }
print "hello"
