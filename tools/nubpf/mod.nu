# Signatures of nubpf's probe commands, so that Nushell's parser, `nu
# --ide-check` and editors running `nu --lsp` accept probe files and check
# the flags and argument types of each call. nubpfc compiles these commands
# to BPF; none of them does anything in a Nushell session.
#
# Use it with the `tools` folder on the library path:
#
#   nu --include-path tools --ide-check 100 samples/opensnoop.nu
#
# where the probe file begins with `use nubpf *`, or list `tools` in
# NU_LIB_DIRS for an editor. Commands of other phases (`def main`, `print`,
# `str starts-with`) are Nushell's own and need no stub.

# Raises the error that every stub raises when Nushell itself runs it.
def only-in-probe [] {
    error make --unspanned {
        msg: "this command runs only inside a probe compiled by nubpfc"
        help: "compile the file with `nubpfc FILE -o FILE.bpf.o` and run the object with `nubpf-run`"
    }
}

# Attach a closure to a kernel event; nubpfc compiles the closure to BPF.
export def probe [
    target: string  # the event, such as tracepoint:syscalls:sys_enter_openat
    body: closure   # {|e| ... }, run on every hit with the probe record
]: nothing -> nothing {
    only-in-probe
}

# Attach a closure to a kernel function; the proposal's spelling of `probe`.
export def bpf_probe [
    target: string  # the function, as kernel:function("NAME")
    body: closure   # {|event| ... }, run on every call with the probe record
]: nothing -> nothing {
    only-in-probe
}

# Attach a closure to a tracepoint; the proposal's spelling of `probe`.
export def bpf_tracepoint [
    target: string  # the tracepoint, as CATEGORY:NAME
    body: closure   # {|event| ... }, run on every hit with the probe record
]: nothing -> nothing {
    only-in-probe
}

# Send a record to nubpf-run through the ring buffer.
export def emit [
    event?: record  # the record to send; or pipe it in
]: [nothing -> nothing, record -> nothing] {
    only-in-probe
}

# Send one value to nubpf-run; the proposal's spelling of `emit`.
export def send [
    value?: any  # the value to send; or pipe it in
]: [nothing -> nothing, any -> nothing] {
    only-in-probe
}

# Count calls of this line, or calls per distinct piped-in value.
export def count [
    --by: any             # the key to count per, instead of piping it in
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
]: [nothing -> nothing, any -> nothing] {
    only-in-probe
}

# Add up an int, a duration or a file size, per key with --by.
export def "math sum" [
    --by: any             # the key to keep one sum per
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
]: [int -> nothing, duration -> nothing, filesize -> nothing] {
    only-in-probe
}

# Keep the mean of an int, a duration or a file size, per key with --by.
export def "math avg" [
    --by: any             # the key to keep one mean per
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
]: [int -> nothing, duration -> nothing, filesize -> nothing] {
    only-in-probe
}

# Keep the smallest value seen, per key with --by.
export def "math min" [
    --by: any             # the key to keep one minimum per
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
]: [int -> nothing, duration -> nothing, filesize -> nothing] {
    only-in-probe
}

# Keep the largest value seen, per key with --by.
export def "math max" [
    --by: any             # the key to keep one maximum per
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
]: [int -> nothing, duration -> nothing, filesize -> nothing] {
    only-in-probe
}

# Keep the count, sum, mean, minimum and maximum of a value, per key with --by.
export def "stats" [
    --by: any             # the key to keep one set of statistics per
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
]: [int -> nothing, duration -> nothing, filesize -> nothing] {
    only-in-probe
}

# Count values in power-of-two buckets, or equal-width ones with --linear.
#
# In a file that runs `use nubpf *`, this stub hides Nushell's own `histogram`.
export def histogram [
    --by: any             # the key to keep one histogram per
    --linear: int         # buckets of equal width: --linear MIN MAX STEP
    --as: string          # the aggregation's name, which sites of one name share
    --max-entries: int    # the keys a keyed aggregation holds (default 10240)
    --lru                 # evict the least recently used key when full, instead of dropping
    ...bounds: int        # MAX and STEP after --linear MIN
]: [int -> nothing, duration -> nothing, filesize -> nothing] {
    only-in-probe
}

# Store the current time under a key, for `stop-timer`.
export def start-timer [
    name?: string       # the timer's store; `timer` without it
    --key: any          # the key to store the time under, such as $e.tid
    --max-entries: int  # the keys the store holds at most; 10240 without it
]: nothing -> nothing {
    only-in-probe
}

# Return the time since `start-timer` stored one under the key, and delete
# the key; null when no time was stored.
export def stop-timer [
    name?: string  # the timer's store; `timer` without it
    --key: any     # the key that `start-timer` used
]: nothing -> any {
    only-in-probe
}

# Store the piped-in value under a key of the store NAME, which every probe
# can read with `store get`.
export def "store set" [
    name: string        # the store, such as last_fd
    --key: any          # the key: a value, or a record of values
    --max-entries: int  # the keys the store holds at most; 10240 without it
]: [int -> nothing, duration -> nothing, filesize -> nothing, bool -> nothing] {
    only-in-probe
}

# Return the value stored under a key of the store NAME, or null when the
# key has none.
export def "store get" [
    name: string  # the store, such as last_fd
    --key: any    # the key that `store set` used
]: nothing -> any {
    only-in-probe
}

# Delete a key and its value from the store NAME.
export def "store delete" [
    name: string  # the store, such as last_fd
    --key: any    # the key that `store set` used
]: nothing -> nothing {
    only-in-probe
}

# Return the NUL-terminated string at a piped-in address in the memory of
# the process that the probe fires in, such as a uretprobe's `retval`.
export def read-user-string []: int -> string {
    only-in-probe
}
