/* Writes USDT probes in the layout that sdt.h (systemtap-sdt-dev) uses, so
 * that the tests need no extra package. Each probe is a `nop` at the probe
 * site and a note in `.note.stapsdt`:
 *
 *   namesz, descsz, type   three 4-byte words: 8, the descriptor's size, 3
 *   "stapsdt\0"            the owner
 *   pc, base, semaphore    three 8-byte addresses
 *   provider\0 name\0 arguments\0, then padding to 4 bytes
 *
 * `base` is the address of `test_usdt_base`, the one byte of the section
 * `.stapsdt.base`, which TEST_USDT_BASE_SECTION defines once per file. The
 * note section is not allocated, so the linker writes the link-time
 * addresses into it and no dynamic relocation touches it.
 *
 * `arguments` is the argument string, with `%0`, `%1`... where the
 * compiler writes the asm operands that follow, such as "-4@%0" with
 * "r"(value) becoming `-4@%edi`. */
#ifndef NUBPF_TESTS_PROGRAMS_USDT_NOTE_H
#define NUBPF_TESTS_PROGRAMS_USDT_NOTE_H

#define TEST_USDT_BASE_SECTION                                    \
  __asm__(".pushsection .stapsdt.base, \"a\", @progbits\n"        \
          "test_usdt_base: .space 1\n"                            \
          ".popsection\n")

/* `semaphore` is a symbol name as a string, or "0" for none. */
#define TEST_USDT(provider, name, semaphore, arguments, ...)                \
  __asm__ __volatile__("990: nop\n"                                         \
                       ".pushsection .note.stapsdt, \"\", @note\n"          \
                       ".balign 4\n"                                        \
                       ".4byte 992f - 991f, 994f - 993f, 3\n"               \
                       "991: .asciz \"stapsdt\"\n"                          \
                       "992: .balign 4\n"                                   \
                       "993: .8byte 990b, test_usdt_base, " semaphore "\n"  \
                       ".asciz \"" provider "\", \"" name "\", \""          \
                       arguments "\"\n"                                     \
                       "994: .balign 4\n"                                   \
                       ".popsection\n"                                      \
                       :                                                    \
                       : __VA_ARGS__)

#endif
