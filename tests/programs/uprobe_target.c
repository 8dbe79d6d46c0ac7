/* A program whose functions and USDT probes the compiler tests resolve.
 * CMake builds it three ways: as a PIE executable, as a non-PIE executable
 * and as a shared library. The names, argument operands and semaphore are
 * fixed here, so that the tests can check them by name.
 *
 * Run as `uprobe_target --code NAME`, it prints in hex the first 16 bytes
 * of the function NAME as they are in the process's memory, so that a test
 * can compare them with the bytes at the file offset it computed. Run
 * without arguments, it calls every function and fires every probe once.
 * Run as `uprobe_target --wait`, it first prints `waiting` and waits for
 * SIGUSR1, so that a test can attach to the running process, and then does
 * the same with argc 2. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "usdt_note.h"

/* No inlining, cloning or merging of identical functions, so that each
 * function keeps exactly one symbol of its own name. */
#define TEST_FUNCTION __attribute__((noipa))

TEST_USDT_BASE_SECTION;

/* The semaphore of `nubpf_test:with_semaphore`. sdt.h semaphores live in
 * the allocated, writable section `.probes`. */
unsigned short nubpf_test_semaphore
    __attribute__((section(".probes"), used, visibility("hidden")));

/* Read by a %rip-relative argument, which the reader rejects. */
int nubpf_test_counter = 5;

struct nubpf_test_record {
  long first;
  int second;
  short third;
};

int nubpf_test_other_file(int value); /* in uprobe_target_other.c */

TEST_FUNCTION int nubpf_test_add(int a, int b) { return a + b; }
TEST_FUNCTION int nubpf_test_read_one(int value) { return value + 1; }
TEST_FUNCTION int nubpf_test_read_two(int value) { return value * 2; }
TEST_FUNCTION int nubpf_test_reader(int value) { return value - 3; }
TEST_FUNCTION int nubpf_test_write(int value) { return value ^ 4; }

/* Shares its name with a static function of uprobe_target_other.c. */
static TEST_FUNCTION int nubpf_test_local(int value) { return value + 5; }

/* An indirect function: its symbol is the resolver, which picks the
 * implementation when the program is loaded. */
static int nubpf_test_indirect_implementation(int value) { return value + 6; }
static int (*nubpf_test_resolve_indirect(void))(int) {
  return nubpf_test_indirect_implementation;
}
int nubpf_test_indirect(int value) __attribute__((ifunc("nubpf_test_resolve_indirect")));

/* Fires one probe of each argument kind. Register variables pin each
 * operand to a known register, so the argument strings are fixed:
 *   registers   -4@%edi 8@%rsi -2@%dx 1@%cl 4@%r8d
 *   memory      -4@8(%rbx) 8@-16(%r12) 2@(%rbx)
 *   constants   4@$42 -8@$-7
 *   unsupported 8@(%rax,%rcx,8) 4@nubpf_test_counter(%rip) 8@%rcx */
TEST_FUNCTION void nubpf_test_fire_probes(const struct nubpf_test_record* record,
                                          long number) {
  register int int_value __asm__("rdi") = (int)number;
  register unsigned long long_value __asm__("rsi") = (unsigned long)number * 3;
  register short short_value __asm__("rdx") = (short)(number - 1);
  register unsigned char char_value __asm__("rcx") = (unsigned char)number;
  register unsigned int r8_value __asm__("r8") = (unsigned int)number + 9;
  TEST_USDT("nubpf_test", "registers", "0", "-4@%0 8@%1 -2@%2 1@%3 4@%4",
            "r"(int_value), "r"(long_value), "r"(short_value), "r"(char_value),
            "r"(r8_value));

  register const struct nubpf_test_record* base __asm__("rbx") = record;
  register const char* past_first __asm__("r12") = (const char*)record + 16;
  TEST_USDT("nubpf_test", "memory", "0", "-4@8(%0) 8@-16(%1) 2@(%0)", "r"(base),
            "r"(past_first), "m"(*record));

  TEST_USDT("nubpf_test", "constants", "0", "4@%0 -8@%1", "i"(42), "i"(-7));

  register const long* array __asm__("rax") = &record->first;
  register long index __asm__("rcx") = 0;
  TEST_USDT("nubpf_test", "unsupported", "0",
            "8@(%0,%1,8) 4@nubpf_test_counter(%%rip) 8@%1", "r"(array), "r"(index),
            "m"(nubpf_test_counter));

  TEST_USDT("nubpf_test", "twice", "0", "");
}

/* Fires `nubpf_test:with_semaphore` only while a tracer attaches it, and a
 * second site of `nubpf_test:twice`. */
TEST_FUNCTION void nubpf_test_fire_more(long number) {
  if (nubpf_test_semaphore) {
    register long value __asm__("rdx") = number;
    TEST_USDT("nubpf_test", "with_semaphore", "nubpf_test_semaphore", "8@%0",
              "r"(value));
  }
  TEST_USDT("nubpf_test", "twice", "0", "");
  TEST_USDT("nubpf_other", "no_arguments", "0", "");
}

struct named_function {
  const char* name;
  const void* address;
};

static const struct named_function named_functions[] = {
    {"nubpf_test_add", (const void*)nubpf_test_add},
    {"nubpf_test_read_one", (const void*)nubpf_test_read_one},
    {"nubpf_test_read_two", (const void*)nubpf_test_read_two},
    {"nubpf_test_reader", (const void*)nubpf_test_reader},
    {"nubpf_test_write", (const void*)nubpf_test_write},
    {"nubpf_test_fire_probes", (const void*)nubpf_test_fire_probes},
};

static int print_code(const char* name) {
  for (size_t i = 0; i < sizeof(named_functions) / sizeof(named_functions[0]); ++i) {
    if (strcmp(named_functions[i].name, name) != 0) continue;
    const unsigned char* code = named_functions[i].address;
    for (int byte = 0; byte < 16; ++byte) printf("%02x", code[byte]);
    printf("\n");
    return 0;
  }
  fprintf(stderr, "uprobe_target: unknown function `%s`\n", name);
  return 2;
}

/* SIGUSR1 is blocked before `waiting` prints, so a signal sent after the
 * line is read waits for sigwait() instead of killing the process. */
static int wait_for_signal(void) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGUSR1);
  if (sigprocmask(SIG_BLOCK, &signals, NULL) != 0) return 2;
  printf("waiting\n");
  fflush(stdout);
  int received = 0;
  return sigwait(&signals, &received) == 0 ? 0 : 2;
}

int main(int argc, char** argv) {
  if (argc == 3 && strcmp(argv[1], "--code") == 0) return print_code(argv[2]);
  if (argc == 2 && strcmp(argv[1], "--wait") == 0 && wait_for_signal() != 0) return 2;

  struct nubpf_test_record record = {1, 2, 3};
  nubpf_test_fire_probes(&record, argc);
  nubpf_test_fire_more(argc);
  int total = nubpf_test_add(argc, 1) + nubpf_test_read_one(argc) +
              nubpf_test_read_two(argc) + nubpf_test_reader(argc) +
              nubpf_test_write(argc) + nubpf_test_local(argc) +
              nubpf_test_indirect(argc) + nubpf_test_other_file(argc);
  printf("%d\n", total);
  return 0;
}
