// The workload of the soak test: THREADS threads call getppid(2) in a
// tight loop, CALLS calls in all, and the program then writes the number
// of calls it made to COUNT_FILE. It writes nothing to stdout, which it
// shares with the nubpf-run that starts it.
//
// Usage: getppid_loop CALLS THREADS COUNT_FILE

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_THREADS 16

struct thread_work {
  unsigned long long calls;
  unsigned long long calls_made;
};

// Calls the system call directly, so that no C library can return a
// cached value without entering the kernel.
static void *call_getppid(void *argument) {
  struct thread_work *work = argument;
  for (unsigned long long i = 0; i < work->calls; ++i) {
    syscall(SYS_getppid);
    ++work->calls_made;
  }
  return NULL;
}

int main(int argc, char **argv) {
  if (argc != 4) {
    fprintf(stderr, "usage: %s CALLS THREADS COUNT_FILE\n", argv[0]);
    return 2;
  }
  unsigned long long calls = strtoull(argv[1], NULL, 10);
  int threads = atoi(argv[2]);
  if (threads < 1 || threads > MAX_THREADS) {
    fprintf(stderr, "%s: THREADS must be 1 to %d\n", argv[0], MAX_THREADS);
    return 2;
  }

  // The first thread takes the remainder, so the calls add up to CALLS.
  pthread_t ids[MAX_THREADS];
  struct thread_work work[MAX_THREADS] = {0};
  for (int i = 0; i < threads; ++i) {
    work[i].calls = calls / threads + (i == 0 ? calls % threads : 0);
    if (pthread_create(&ids[i], NULL, call_getppid, &work[i]) != 0) {
      fprintf(stderr, "%s: cannot start thread %d\n", argv[0], i);
      return 1;
    }
  }
  unsigned long long calls_made = 0;
  for (int i = 0; i < threads; ++i) {
    pthread_join(ids[i], NULL);
    calls_made += work[i].calls_made;
  }

  FILE *out = fopen(argv[3], "w");
  if (out == NULL || fprintf(out, "%llu\n", calls_made) < 0 || fclose(out) != 0) {
    perror(argv[3]);
    return 1;
  }
  return 0;
}
