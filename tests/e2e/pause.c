/*
 * The pause process of the CRI test's pods (tests/e2e/image.ts builds it
 * into a one-file image): pid 1 of the pod, holding its namespaces, doing
 * nothing until SIGINT or SIGTERM ends it. It reaps what is reparented to
 * it, as a pod's init must.
 */
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

static void stop(int sig)
{
	(void)sig;
	_exit(0);
}

static void reap(int sig)
{
	(void)sig;
	while (waitpid(-1, 0, WNOHANG) > 0) {
	}
}

int main(void)
{
	signal(SIGINT, stop);
	signal(SIGTERM, stop);
	signal(SIGCHLD, reap);
	for (;;)
		pause();
}
