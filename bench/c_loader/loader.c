/* The benchmark's floor: a small libbpf loader for the hand-written BPF
 * programs in bench/programs. It opens and loads an object, attaches every
 * program by its section name, prints the records of a ring buffer named
 * `events` as JSON lines, and prints every map as JSON lines on exit.
 *
 *   c_loader OBJECT                      run until SIGINT or SIGTERM
 *   c_loader OBJECT --exit-after-attach  attach, print the maps, exit
 *   c_loader --version                   print libbpf's version
 *
 * "attached N probes" on stderr marks the moment every program is attached,
 * as nubpf-run prints it. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "records.h"

#define MAX_LINKS 16
#define MAX_CPUS 1024

static volatile sig_atomic_t stop_requested;

static void request_stop(int signal_number) {
  (void)signal_number;
  stop_requested = 1;
}

/* Prints a C string as a JSON string, escaping quotes, backslashes and
 * control bytes. */
static void print_json_string(const char *text, size_t max_len) {
  putchar('"');
  for (size_t i = 0; i < max_len && text[i] != '\0'; i++) {
    unsigned char c = (unsigned char)text[i];
    if (c == '"' || c == '\\')
      printf("\\%c", c);
    else if (c < 0x20)
      printf("\\u%04x", c);
    else
      putchar(c);
  }
  putchar('"');
}

static int print_record(void *context, void *data, size_t size) {
  (void)context;
  __u32 kind;
  if (size < sizeof(kind))
    return 0;
  memcpy(&kind, data, sizeof(kind));

  if (kind == RECORD_GETPPID && size >= sizeof(struct getppid_record)) {
    const struct getppid_record *record = data;
    printf("{\"pid\": %u, \"comm\": ", record->pid);
    print_json_string(record->comm, COMM_LEN);
    printf(", \"ts\": %llu}\n", (unsigned long long)record->ts);
    return 0;
  }
  if (kind == RECORD_OPEN && size >= sizeof(struct open_record)) {
    const struct open_record *record = data;
    printf("{\"pid\": %u, \"comm\": ", record->pid);
    print_json_string(record->comm, COMM_LEN);
    printf(", \"file\": ");
    print_json_string(record->file, PATH_LEN);
    printf("}\n");
    return 0;
  }
  fprintf(stderr, "c_loader: record of unknown kind %u and %zu bytes\n", kind, size);
  return 0;
}

/* Prints a map key: a 16-byte key is a process name, a 4- or 8-byte key an
 * integer. */
static void print_key(const void *key, __u32 key_size) {
  if (key_size == COMM_LEN) {
    print_json_string(key, COMM_LEN);
    return;
  }
  if (key_size == sizeof(__u32)) {
    __u32 value;
    memcpy(&value, key, sizeof(value));
    printf("%u", value);
    return;
  }
  __s64 value;
  memcpy(&value, key, sizeof(value));
  printf("%lld", (long long)value);
}

/* Sums a u64 value over the CPUs of a per-CPU map; other maps have one. */
static int read_value(int map_fd, const void *key, bool per_cpu, int cpus, __u64 *sum) {
  static __u64 values[MAX_CPUS];
  if (bpf_map_lookup_elem(map_fd, key, values) != 0)
    return -errno;

  *sum = 0;
  for (int cpu = 0; cpu < (per_cpu ? cpus : 1); cpu++)
    *sum += values[cpu];
  return 0;
}

/* Prints each entry of a hash or array map of u64 values as
 * {"map": NAME, "key": KEY, "value": N}, leaving out zero array slots. The
 * map `lost` prints as {"lost_events": N}, as nubpf-run names losses. */
static void print_map(const struct bpf_map *map, int cpus) {
  enum bpf_map_type type = bpf_map__type(map);
  bool per_cpu = type == BPF_MAP_TYPE_PERCPU_ARRAY || type == BPF_MAP_TYPE_PERCPU_HASH;
  bool array = type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_PERCPU_ARRAY;
  bool hash = type == BPF_MAP_TYPE_HASH || type == BPF_MAP_TYPE_PERCPU_HASH;
  const char *name = bpf_map__name(map);
  if ((!array && !hash) || strchr(name, '.') != NULL || bpf_map__value_size(map) != sizeof(__u64))
    return;

  int fd = bpf_map__fd(map);
  __u32 key_size = bpf_map__key_size(map);
  char key[64], next_key[64];
  if (key_size > sizeof(key))
    return;

  void *previous = NULL;
  while (bpf_map_get_next_key(fd, previous, next_key) == 0) {
    memcpy(key, next_key, key_size);
    previous = key;

    __u64 sum = 0;
    if (read_value(fd, key, per_cpu, cpus, &sum) != 0 || (array && sum == 0))
      continue;
    if (strcmp(name, "lost") == 0) {
      printf("{\"lost_events\": %llu}\n", (unsigned long long)sum);
      continue;
    }
    printf("{\"map\": \"%s\", \"key\": ", name);
    print_key(key, key_size);
    printf(", \"value\": %llu}\n", (unsigned long long)sum);
  }
}

static int silence_debug(enum libbpf_print_level level, const char *format, va_list args) {
  if (level == LIBBPF_DEBUG)
    return 0;
  return vfprintf(stderr, format, args);
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--version") == 0) {
    printf("libbpf %s\n", libbpf_version_string());
    return 0;
  }
  bool exit_after_attach = argc == 3 && strcmp(argv[2], "--exit-after-attach") == 0;
  if (argc != 2 && !exit_after_attach) {
    fprintf(stderr, "usage: c_loader OBJECT [--exit-after-attach] | --version\n");
    return 1;
  }
  libbpf_set_print(silence_debug);

  /* A signal that comes while loading or attaching ends the run once the
   * probes are attached, so that the maps still print. */
  signal(SIGINT, request_stop);
  signal(SIGTERM, request_stop);

  /* Open and load the object. */
  struct bpf_object *object = bpf_object__open_file(argv[1], NULL);
  if (object == NULL) {
    fprintf(stderr, "c_loader: cannot open %s: %s\n", argv[1], strerror(errno));
    return 2;
  }
  int err = bpf_object__load(object);
  if (err != 0) {
    fprintf(stderr, "c_loader: cannot load %s: %s\n", argv[1], strerror(-err));
    bpf_object__close(object);
    return 2;
  }

  /* Attach every program by its section name. */
  struct bpf_link *links[MAX_LINKS];
  int link_count = 0;
  struct bpf_program *program;
  bpf_object__for_each_program(program, object) {
    if (link_count == MAX_LINKS) {
      fprintf(stderr, "c_loader: more than %d programs in %s\n", MAX_LINKS, argv[1]);
      err = -E2BIG;
      goto cleanup;
    }
    struct bpf_link *link = bpf_program__attach(program);
    if (link == NULL) {
      err = -errno;
      fprintf(stderr, "c_loader: cannot attach %s: %s\n", bpf_program__name(program), strerror(errno));
      goto cleanup;
    }
    links[link_count++] = link;
  }
  fprintf(stderr, "attached %d probes\n", link_count);

  /* Print the ring buffer's records until SIGINT or SIGTERM. */
  struct ring_buffer *ring_buffer = NULL;
  struct bpf_map *events = bpf_object__find_map_by_name(object, "events");
  if (events != NULL && !exit_after_attach) {
    ring_buffer = ring_buffer__new(bpf_map__fd(events), print_record, NULL, NULL);
    if (ring_buffer == NULL) {
      err = -errno;
      fprintf(stderr, "c_loader: cannot open the ring buffer: %s\n", strerror(errno));
      goto cleanup;
    }
  }
  while (!exit_after_attach && !stop_requested) {
    if (ring_buffer == NULL) {
      pause();
      continue;
    }
    int polled = ring_buffer__poll(ring_buffer, 100);
    if (polled < 0 && polled != -EINTR) {
      fprintf(stderr, "c_loader: polling the ring buffer failed: %s\n", strerror(-polled));
      break;
    }
    if (polled > 0)
      fflush(stdout);
  }
  if (ring_buffer != NULL)
    ring_buffer__consume(ring_buffer);
  ring_buffer__free(ring_buffer);

  /* Print the maps. */
  int cpus = libbpf_num_possible_cpus();
  if (cpus > MAX_CPUS)
    cpus = MAX_CPUS;
  struct bpf_map *map;
  bpf_object__for_each_map(map, object) print_map(map, cpus);
  fflush(stdout);

cleanup:
  while (link_count > 0)
    bpf_link__destroy(links[--link_count]);
  bpf_object__close(object);
  return err == 0 ? 0 : 2;
}
