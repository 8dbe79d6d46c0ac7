/* The benchmark's workload: calls getppid(2) CALLS times in a tight loop, or
 * at a set rate, and prints how many calls it made and how long they took as
 * one JSON line:
 *
 *   bench_getppid CALLS [CALLS_PER_SECOND [MAX_SECONDS]]
 *   {"calls": 2000000, "seconds": 0.41, "ns_per_call": 205.3}
 *
 * A rate of 0 means as fast as it goes. With MAX_SECONDS the loop stops
 * early once that much time has passed, so that a tracer that slows each
 * call down cannot stretch the run. getppid goes through syscall(2), so a
 * libc that caches it cannot skip the system call. The calls go in batches
 * of 1000, and at a set rate each batch starts at its scheduled time, so
 * the rate holds on average over each batch. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define BATCH 1000

static double now_seconds(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

static void sleep_until(double deadline) {
  struct timespec until = {(time_t)deadline, (long)((deadline - (time_t)deadline) * 1e9)};
  clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL);
}

int main(int argc, char **argv) {
  if (argc < 2 || argc > 4) {
    fprintf(stderr, "usage: bench_getppid CALLS [CALLS_PER_SECOND [MAX_SECONDS]]\n");
    return 1;
  }
  long calls = atol(argv[1]);
  double rate = argc >= 3 ? atof(argv[2]) : 0;
  double max_seconds = argc == 4 ? atof(argv[3]) : 0;
  if (calls <= 0 || rate < 0 || max_seconds < 0) {
    fprintf(stderr, "bench_getppid: CALLS must be positive, and the rate and MAX_SECONDS not negative\n");
    return 1;
  }

  double start = now_seconds();
  long done = 0;
  while (done < calls) {
    if (rate > 0)
      sleep_until(start + done / rate);
    long batch_end = done + BATCH < calls ? done + BATCH : calls;
    for (; done < batch_end; done++)
      syscall(SYS_getppid);
    if (max_seconds > 0 && now_seconds() - start >= max_seconds)
      break;
  }
  double seconds = now_seconds() - start;

  printf("{\"calls\": %ld, \"seconds\": %.6f, \"ns_per_call\": %.2f}\n", done, seconds,
         seconds * 1e9 / done);
  return 0;
}
