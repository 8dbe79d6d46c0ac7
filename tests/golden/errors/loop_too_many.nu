# The verifier walks every iteration, so loops have a maximum trip count,
# nested loops multiplied, and a budget for string commands inside them.
probe tracepoint:syscalls:sys_enter_openat {|e|
    for x in 0..5000 { count }
    for x in 0..<64 {
        for y in 0..<32 { count }
    }
    mut i = 0
    while $i < 2000 { $i += 1 }
    for x in 1..10..100000 { count }
    for x in 0..<10 {
        if ($e.filename | str contains "tmp") { count }
    }
}
