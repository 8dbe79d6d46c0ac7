# `def` with typed positionals, an optional one, defaults and flags with short forms.
def helper [a: int, b: string = "x", c?, --flag: int = 1, --verbose (-v), --name (-n): string] {
    let sum = $a + $flag
    $sum
}
def "quoted name" [] { }
def no_types [first second] { count }
def multi_line [
    first: int     # the first
    --limit: int = 10240
] {
    return $first
}
probe tracepoint:syscalls:sys_exit_read {|e| count }
