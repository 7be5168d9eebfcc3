/* Stage 0's writes into a child's /proc/<pid>: id maps, setgroups, oom. */
#ifndef RUNO_IDMAP_H
#define RUNO_IDMAP_H

#include <sys/types.h>

/* Writes data to <pid>/<name> (pid 0: self/<name>) under the verified
 * procfs handle proc (c/procfs.h), in one write(2). */
int runo_write_proc(int proc, pid_t pid, const char *name, const char *data);

/* Writes map ("inner outer count" lines) as pid's uid_map or gid_map (name),
 * or, when helper is set, runs helper (newuidmap/newgidmap) with
 * "<pid> inner outer count ..." and waits for it to succeed. */
int runo_write_idmap(int proc, pid_t pid, const char *name, const char *map, const char *helper);

#endif
