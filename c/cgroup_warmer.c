/*
 * Keeps the kernel's cgroup migration lock warm while runo prepares a
 * process it will move into cgroups (lib/cgroups/prime.ts says why).
 *
 * A thread of runo's writes runo's own pid to a cgroup.procs runo is
 * already in (a move to where it is), at once and then every WARM_EVERY_NS,
 * until the last runo_cgroup_warm_stop. The first write waits for an RCU
 * grace period; the later ones find the lock's reader fast path still off
 * and take microseconds, and so does the real move that comes meanwhile.
 * Before each later write the thread checks that /proc/self/cgroup still
 * reads as it did at the start, so that it never moves runo back from
 * where somebody else moved it; a change, a failure or WARM_MAX_WRITES
 * ends the loop early. Nothing here is needed for correctness: a loop that
 * ends early only loses the gain.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cleanup.h"
#include "libnsexec.h"

/* Well under a grace period (8-15 ms measured here): the lock stays warm
 * for about one after its last writer. */
#define WARM_EVERY_NS 2000000L
/* ~10 s: a caller that never stops cannot keep it going for ever. */
#define WARM_MAX_WRITES 5000
#define OWN_CGROUP_MAX 8192

struct warmer {
	pthread_t thread;
	int stop;
	char procs[4096];
};

static pthread_mutex_t warm_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t warm_wake = PTHREAD_COND_INITIALIZER;
static struct warmer *warm_current; /* the running loop, if any */
static int warm_users;              /* its starts not yet stopped */

/* /proc/self/cgroup into buf; its length, or -1. */
static ssize_t read_own_cgroup(char *buf, size_t len)
{
	cleanup_close int fd = open("/proc/self/cgroup", O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -1;
	n = RETRY(read(fd, buf, len));
	return n > 0 && (size_t)n < len ? n : -1;
}

static int write_own_pid(const char *procs)
{
	char pid[16];
	int n = snprintf(pid, sizeof(pid), "%d", (int)getpid());
	cleanup_close int fd = open(procs, O_WRONLY | O_CLOEXEC);

	return fd >= 0 && write(fd, pid, (size_t)n) == n ? 0 : -1;
}

/* Sleeps WARM_EVERY_NS unless stopped first; returns whether to go on. */
static int wait_next(struct warmer *w)
{
	struct timespec until;
	int go_on;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_nsec += WARM_EVERY_NS;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&warm_lock);
	while (!w->stop && pthread_cond_clockwait(&warm_wake, &warm_lock, CLOCK_MONOTONIC, &until) == 0)
		;
	go_on = !w->stop;
	pthread_mutex_unlock(&warm_lock);
	return go_on;
}

static void *warm_loop(void *arg)
{
	struct warmer *w = arg;
	char start[OWN_CGROUP_MAX], now[OWN_CGROUP_MAX];
	ssize_t len = read_own_cgroup(start, sizeof(start));

	if (len < 0)
		return NULL;
	for (int i = 0; i < WARM_MAX_WRITES; i++) {
		if (i > 0 && (read_own_cgroup(now, sizeof(now)) != len || memcmp(start, now, (size_t)len)))
			break;
		if (write_own_pid(w->procs) < 0 || !wait_next(w))
			break;
	}
	return NULL;
}

/* Under warm_lock: a new loop on procs; 0 or an errno. */
static int start_loop(const char *procs)
{
	struct warmer *w = calloc(1, sizeof(*w));
	int rc;

	if (w == NULL)
		return ENOMEM;
	strcpy(w->procs, procs);
	if ((rc = pthread_create(&w->thread, NULL, warm_loop, w)) != 0) {
		free(w);
		return rc;
	}
	warm_current = w;
	return 0;
}

/* Starts the loop on procs (or counts one more user of the running one).
 * Each successful start needs one runo_cgroup_warm_stop. */
int runo_cgroup_warm_start(const char *procs)
{
	int rc = 0;

	if (strlen(procs) >= sizeof(warm_current->procs))
		return -ENAMETOOLONG;
	pthread_mutex_lock(&warm_lock);
	if (warm_current == NULL)
		rc = start_loop(procs);
	if (rc == 0)
		warm_users++;
	pthread_mutex_unlock(&warm_lock);
	return -rc;
}

/* Ends one start; the last one stops the loop and waits for its thread
 * (at most one write in progress: the first may wait a grace period). */
int runo_cgroup_warm_stop(void)
{
	struct warmer *w = NULL;

	pthread_mutex_lock(&warm_lock);
	if (warm_users > 0 && --warm_users == 0) {
		w = warm_current;
		warm_current = NULL;
		w->stop = 1;
		pthread_cond_broadcast(&warm_wake);
	}
	pthread_mutex_unlock(&warm_lock);
	if (w != NULL) {
		pthread_join(w->thread, NULL);
		free(w);
	}
	return 0;
}

/* The library is unloaded (Deno's exit): its thread must not outlive its code. */
__attribute__((destructor)) static void stop_on_unload(void)
{
	pthread_mutex_lock(&warm_lock);
	warm_users = warm_current != NULL ? 1 : 0;
	pthread_mutex_unlock(&warm_lock);
	runo_cgroup_warm_stop();
}
