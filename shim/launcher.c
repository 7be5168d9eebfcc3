/*
 * containerd-shim-runo-v2, the launcher containerd executes. containerd
 * runs a shim binary twice per task (`start`, then `delete` once the task's
 * connection closes), and a Deno process costs 15-90 ms to start, so the
 * two calls that have nothing to decide are answered here:
 *
 *   start   when the group's server (shim/address.ts) is running and takes
 *           runo.shim.v1.Manager/Claim for -id: write the bundle's
 *           `address` file and print the address;
 *   delete  when the bundle holds no runo-shim.json (the server deleted the
 *           task itself): print containerd's DeleteResponse.
 *
 * Everything else (no server yet, a server that refuses, a task left by a
 * dead server, the server itself) is the TypeScript shim: this program
 * execs containerd-shim-runo-v2.sh beside it with the same arguments. It
 * decides nothing the TypeScript side would decide differently: the server
 * says whether it serves the task.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#define SOCKET_DIR "/run/containerd/s"
#define MANAGER "runo.shim.v1.Manager"

struct flags {
	const char *namespace, *address, *id, *bundle, *action;
};

/* Go's flag syntax: -name value, -name=value, --name; bools take no value. */
static int parse(int argc, char **argv, struct flags *f)
{
	static const char *strs[] = { "namespace", "address", "publish-binary", "id", "bundle",
				      "socket", NULL };
	const char **out[] = { &f->namespace, &f->address, NULL, &f->id, &f->bundle, NULL };
	int i;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		const char *body = argv[i] + (argv[i][1] == '-' ? 2 : 1), *eq = strchr(body, '=');
		size_t len = eq ? (size_t)(eq - body) : strlen(body);
		int k;

		if (!strcmp(body, "debug") || !strcmp(body, "v"))
			return -1; /* -v and -debug: the TypeScript shim */
		for (k = 0; strs[k]; k++)
			if (strlen(strs[k]) == len && !strncmp(body, strs[k], len))
				break;
		if (!strs[k] || (!eq && i + 1 >= argc))
			return -1;
		if (out[k])
			*out[k] = eq ? eq + 1 : argv[i + 1];
		if (!eq)
			i++;
	}
	f->action = i < argc ? argv[i] : "";
	return 0;
}

/* FNV-1a 64 of the group, as shim/address.ts computes it. */
static void socket_path(const struct flags *f, char *out, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[] = { f->address, f->namespace };

	for (int p = 0; p < 2; p++) {
		for (const unsigned char *c = (const unsigned char *)parts[p]; *c; c++)
			h = (h ^ *c) * 0x100000001b3ULL;
		h = (h ^ 0) * 0x100000001b3ULL;
	}
	snprintf(out, n, SOCKET_DIR "/runo-%016llx", (unsigned long long)h);
}

static size_t put_varint(uint8_t *p, uint64_t v)
{
	size_t n = 0;

	do {
		p[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		v >>= 7;
	} while (v);
	return n;
}

static size_t put_bytes(uint8_t *p, int field, const void *data, size_t len)
{
	size_t n = 0;

	p[n++] = (uint8_t)(field << 3 | 2);
	n += put_varint(p + n, len);
	memcpy(p + n, data, len);
	return n + len;
}

static int get_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	*v = 0;
	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		uint8_t b = *(*p)++;

		*v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return 0;
	}
	return -1;
}

/* A ttrpc.Response without an error status (field 1, a google.rpc.Status with a code). */
static int response_ok(const uint8_t *p, const uint8_t *end)
{
	while (p < end) {
		uint64_t tag, len;

		if (get_varint(&p, end, &tag) || (tag & 7) != 2 || get_varint(&p, end, &len) ||
		    len > (uint64_t)(end - p))
			return 0;
		if (tag >> 3 == 1 && len > 0 && p[0] == 0x08 && p[1] != 0)
			return 0; /* Status.code != 0 */
		p += len;
	}
	return 1;
}

static int write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w, n -= (size_t)w;
	}
	return 0;
}

/* runo.shim.v1.Manager/Claim {id} on the group's socket: 0 when the server took it. */
static int claim(const char *path, const char *id)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	uint8_t req[1024], payload[600], frame[1100], resp[4096];
	size_t plen, rlen, got = 0;
	int fd, ok = -1;

	if (strlen(path) >= sizeof(addr.sun_path) || strlen(id) > 500)
		return -1;
	strcpy(addr.sun_path, path);
	plen = put_bytes(payload, 1, id, strlen(id));
	rlen = put_bytes(req, 1, MANAGER, strlen(MANAGER));
	rlen += put_bytes(req + rlen, 2, "Claim", 5);
	rlen += put_bytes(req + rlen, 3, payload, plen);
	/* ttrpc frame: length, stream id 1 (big endian), type 1 (request), flags 0 */
	memset(frame, 0, 10);
	frame[2] = (uint8_t)(rlen >> 8), frame[3] = (uint8_t)rlen, frame[7] = 1, frame[8] = 1;
	memcpy(frame + 10, req, rlen);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0 &&
	    write_all(fd, frame, 10 + rlen) == 0) {
		for (ssize_t n; got < sizeof(resp) && (n = read(fd, resp + got, sizeof(resp) - got)) > 0;) {
			got += (size_t)n;
			if (got >= 10) {
				size_t len = (size_t)resp[0] << 24 | (size_t)resp[1] << 16 |
					     (size_t)resp[2] << 8 | resp[3];

				if (len > sizeof(resp) - 10)
					break;
				if (got >= 10 + len) {
					ok = resp[8] == 2 && response_ok(resp + 10, resp + 10 + len) ? 0 : -1;
					break;
				}
			}
		}
	}
	close(fd);
	return ok;
}

static int start(const struct flags *f)
{
	char path[108], address[128];
	char buf[4096];
	int fd;

	socket_path(f, path, sizeof(path));
	if (claim(path, f->id) != 0)
		return -1;
	while (read(0, buf, sizeof(buf)) > 0) {
		/* the task's options: Create carries them too */
	}
	snprintf(address, sizeof(address), "unix://%s", path);
	if ((fd = open("address", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)) < 0 ||
	    write_all(fd, (const uint8_t *)address, strlen(address)) != 0)
		return -1;
	close(fd);
	return write_all(1, (const uint8_t *)address, strlen(address));
}

/* containerd.task.v2.DeleteResponse {exit_status: 137, exited_at: now}. */
static int deleted(const struct flags *f)
{
	char record[4200];
	uint8_t ts[24], out[40];
	struct timespec now;
	size_t n = 0, tn = 0;

	snprintf(record, sizeof(record), "%s/runo-shim.json", *f->bundle ? f->bundle : ".");
	if (access(record, F_OK) == 0 || errno != ENOENT)
		return -1;
	clock_gettime(CLOCK_REALTIME, &now);
	ts[tn++] = 0x08, tn += put_varint(ts + tn, (uint64_t)now.tv_sec);
	ts[tn++] = 0x10, tn += put_varint(ts + tn, (uint64_t)now.tv_nsec);
	out[n++] = 0x10, n += put_varint(out + n, 128 + 9);
	n += put_bytes(out + n, 3, ts, tn);
	return write_all(1, out, n);
}

int main(int argc, char **argv)
{
	struct flags f = { "", "", "", "", "" };
	char self[4096], deno[4200];
	ssize_t len;

	if (parse(argc, argv, &f) == 0 && *f.namespace) {
		if (!strcmp(f.action, "start") && start(&f) == 0)
			return 0;
		if (!strcmp(f.action, "delete") && deleted(&f) == 0)
			return 0;
	}
	if ((len = readlink("/proc/self/exe", self, sizeof(self) - 1)) < 0)
		return 1;
	self[len] = 0;
	snprintf(deno, sizeof(deno), "%s.sh", self);
	argv[0] = deno;
	execv(deno, argv);
	fprintf(stderr, "containerd-shim-runo-v2: cannot run %s: %s\n", deno, strerror(errno));
	return 1;
}
