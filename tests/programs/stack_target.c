/* A program built with frame pointers, whose user stack the stack tests
 * read through a uprobe: main() calls nubpf_stack_outer(), which calls
 * nubpf_stack_inner(). It then prints `called` and waits for a signal, so
 * that nubpf-run can still read its memory map when it names the frames. */
#include <stdio.h>
#include <unistd.h>

/* No inlining or cloning, so that each function keeps its own frame. */
#define TEST_FUNCTION __attribute__((noipa))

TEST_FUNCTION int nubpf_stack_inner(int value) { return value + 1; }

TEST_FUNCTION int nubpf_stack_outer(int value) {
  /* Used after the call, so that the call is not a tail call. */
  int inner = nubpf_stack_inner(value);
  return inner * 2;
}

int main(void) {
  printf("called %d\n", nubpf_stack_outer(1));
  fflush(stdout);
  pause();
  return 0;
}
