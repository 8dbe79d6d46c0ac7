/* The second source file of uprobe_target: its static function has the
 * same name as one in uprobe_target.c, so `.symtab` lists the name twice. */

static __attribute__((noipa)) int nubpf_test_local(int value) { return value + 7; }

int nubpf_test_other_file(int value) { return nubpf_test_local(value); }
