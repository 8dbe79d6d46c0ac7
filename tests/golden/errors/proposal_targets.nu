# The original proposal's spellings need well-formed targets.
bpf_probe kernel:func(f) {|e| count }
bpf_probe kernel:function() {|e| count }
bpf_tracepoint syscalls {|e| count }
bpf_tracepoint a:b:c {|e| count }
