#!/usr/bin/env python3
"""End-to-end smoke test of build/runo-init without Deno: builds bootstrap
messages with struct.pack, runs the init with the fds in place, reads the
init pipe. Run as root from the repo: python3 tests/c/smoke.py"""
import os, socket, struct, sys, json, subprocess, tempfile, shutil, re

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
INIT = os.path.join(ROOT, "build", "runo-init")

def ids():
    """Reads the numbers from c/ids.h so the driver never drifts."""
    out = {}
    for line in open(os.path.join(ROOT, "c", "ids.h")):
        m = re.match(r"#define RUNO_(\w+) \(?(\d+)(?: << (\d+))?\)?", line)
        if m:
            v = int(m.group(2))
            out[m.group(1)] = v << int(m.group(3)) if m.group(3) else v
    return out

I = ids()

def attr(t, payload):
    n = 4 + len(payload)
    return struct.pack("<HH", n, t) + payload + b"\0" * ((4 - n % 4) % 4)

def s(v): return v.encode() + b"\0"
def u32(v): return struct.pack("<I", v)
def u64(v): return struct.pack("<Q", v)

def op(code, **f):
    body = attr(I["FIELD_CODE"], u32(I["OP_" + code]))
    for k, v in f.items():
        t = I["FIELD_" + k.upper().rstrip("S") if k in ("args", "envs") else "FIELD_" + k.upper()]
        if k == "args":
            body += b"".join(attr(I["FIELD_ARG"], s(a)) for a in v)
        elif k == "envs":
            body += b"".join(attr(I["FIELD_ENV"], s(a)) for a in v)
        elif isinstance(v, str):
            body += attr(t, s(v))
        elif k in ("flags", "dev", "value", "value2"):
            body += attr(t, u64(v))
        else:
            body += attr(t, u32(v))
    return attr(I["ATTR_OP"], body)

def message(clone_flags=0, ops=(), extra=b"", log_level=3):
    body = attr(I["ATTR_CLONE_FLAGS"], u32(clone_flags))
    body += attr(I["ATTR_LOG_LEVEL"], u32(log_level)) + extra + b"".join(ops)
    return struct.pack("<IHHII", 16 + len(body), I["INIT_MSG"], 0, 0, 0) + body

def run(msg, replies=(), stdout=subprocess.PIPE):
    parent, child = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
    logr, logw = os.pipe()
    os.set_inheritable(child.fileno(), True); os.set_inheritable(logw, True)
    p = subprocess.Popen(["runo:init", str(child.fileno()), str(logw)], executable=INIT,
                         pass_fds=(child.fileno(), logw), env={}, stdout=stdout,
                         stderr=subprocess.STDOUT)
    child.close(); os.close(logw)
    parent.send(msg)
    packets, replies = [], list(replies)
    while True:
        pkt = parent.recv(65536)
        if not pkt:
            break
        m = json.loads(pkt)
        packets.append(m)
        if m["type"] == "procReady" and replies:
            parent.send(replies.pop(0))
        if m["type"] == "procError":
            break
    out = p.stdout.read().decode() if p.stdout else ""
    p.wait()
    # Stages 1 and 2 are our children too (CLONE_PARENT): reap them, as runo does.
    for m in packets:
        if m["type"] == "procPids":
            for pid in (m["stage1_pid"], m["stage2_pid"]):
                try: os.waitpid(pid, 0)
                except ChildProcessError: pass
    try:
        while os.waitpid(-1, os.WNOHANG)[0]: pass
    except ChildProcessError: pass
    log = os.read(logr, 1 << 16).decode(); os.close(logr)
    return packets, out, log

failures = 0
def check(name, cond, detail=""):
    global failures
    print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  " + str(detail)))
    failures += 0 if cond else 1

CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWPID, CLONE_NEWUSER = 0x20000, 0x04000000, 0x20000000, 0x10000000

# 1. host, no namespaces: MOUNT_IN_ROOT that is skipped (IF_EXISTS), then exec echo.
pk, out, log = run(message(0, [
    op("SET_ROOT", target="/"),
    op("MOUNT_IN_ROOT", target="/nonexistent-runo", fstype="tmpfs", source="tmpfs", flags=0, opts=I["MOUNTOPT_IF_EXISTS"] | I["MOUNTOPT_FSMOUNT"]),
    op("LOOKUP_EXEC", source="echo", data="/usr/bin:/bin"),
    op("CLOSE_INIT_PIPE"),
    op("EXEC", args=["echo", "hello"]),
]))
check("plain exec echo", out == "hello\n" and pk and pk[0]["type"] == "procPids", (pk, out, log))

# 2. uts+pid+mnt namespaces, hostname, sync ready/run.
pk, out, log = run(message(CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS, [
    op("SETHOSTNAME", data="runo-smoke"),
    op("SYNC_READY"),
    op("LOOKUP_EXEC", source="sh", data="/bin"),
    op("CLOSE_INIT_PIPE"),
    op("EXEC", args=["sh", "-c", "echo $(hostname) $$"]),
]), replies=[b'{"type":"procRun"}'])
check("namespaces + hostname + pid 1", out == "runo-smoke 1\n" and [m["type"] for m in pk] == ["procPids", "procReady"], (pk, out, log))

# 3. an error names the op index.
pk, out, log = run(message(0, [op("SET_ROOT", target="/"), op("CHDIR", target="/nonexistent-runo")]))
check("procError op index", pk[-1]["type"] == "procError" and pk[-1]["op"] == 1 and pk[-1]["errno"] == 2, pk)

# 4. rejects a bad bootstrap.
pk, out, log = run(message(0) + b"\0\0\0\0")
check("bad bootstrap rejected", pk and pk[-1]["type"] == "procError" and pk[-1]["op"] == -1, pk)

# 5. busybox rootfs: pivot_root into it with proc and a device.
rootfs = tempfile.mkdtemp(prefix="runo-smoke-")
os.makedirs(rootfs + "/bin")
shutil.copy("/bin/busybox", rootfs + "/bin/busybox")
for a in ("sh", "cat", "ls", "hostname"):
    os.symlink("busybox", rootfs + "/bin/" + a)
os.symlink("/../../..", rootfs + "/escape")
pk, out, log = run(message(CLONE_NEWUTS | CLONE_NEWPID | CLONE_NEWNS, [
    op("MOUNT", target="/", flags=0x4000 | 0x40000),  # MS_REC|MS_PRIVATE
    op("MOUNT", source=rootfs, target=rootfs, flags=0x1000 | 0x4000),  # MS_BIND|MS_REC
    op("SET_ROOT", target=rootfs),
    op("MOUNT_IN_ROOT", source="proc", target="/escape/proc", fstype="proc", flags=0, opts=I["MOUNTOPT_MKDIR"] | I["MOUNTOPT_FSMOUNT"]),
    op("MKNOD_IN_ROOT", target="/dev/null", mode=0o20666, dev=(1 << 8) | 3, uid=0, gid=0),
    op("SYMLINK_IN_ROOT", source="/proc/self/fd", target="/dev/fd"),
    op("PIVOT_ROOT", target=rootfs),
    op("MASK_PATH", target="/proc/kcore"),
    op("READONLY_PATH", target="/proc/sys"),
    op("REMOUNT", target="/", flags=1),  # MS_RDONLY
    op("LOOKUP_EXEC", source="sh", data="/bin"),
    op("CLOSE_INIT_PIPE"),
    op("EXEC", args=["sh", "-c", "cat /proc/1/cmdline; echo; ls /; ls -l /dev/fd/ | head -1; echo x > /x 2>&1 || echo rofs; cat /proc/kcore | wc -c"], envs=["PATH=/bin"]),
]))
check("busybox rootfs", "/proc/escape" not in out and "escape" in out and "rofs" in out and out.strip().endswith("0"), (pk, out, log))
check("no escape through the symlink", not os.path.exists("/proc/escape") and os.path.isdir(rootfs + "/proc"), rootfs)
shutil.rmtree(rootfs, ignore_errors=True)

# 6. user namespace with maps (as root: map 0 -> 100000).
pk, out, log = run(message(CLONE_NEWUSER | CLONE_NEWUTS | CLONE_NEWNS, [
    op("LOOKUP_EXEC", source="sh", data="/bin"),
    op("CLOSE_INIT_PIPE"),
    op("EXEC", args=["sh", "-c", "id -u; cat /proc/self/uid_map"]),
], extra=attr(I["ATTR_UID_MAP"], s("0 100000 65536\n")) + attr(I["ATTR_GID_MAP"], s("0 100000 65536\n"))))
check("user namespace", out.split()[:4] == ["0", "0", "100000", "65536"], (pk, out, log))

# 7. a stage-1 failure (namespace path) is reported, and nothing is left behind.
pk, out, log = run(message(CLONE_NEWUTS, [op("EXEC", source="/bin/true")],
                           extra=attr(I["ATTR_NS_PATH"], u32(CLONE_NEWUTS) + s("/nonexistent-runo/ns"))))
check("stage 1 failure", pk and pk[-1]["type"] == "procError" and pk[-1]["op"] == -1
      and "open namespace" in pk[-1]["message"], pk)

# 8. after CLOSE_INIT_PIPE, a failure goes to the log pipe.
pk, out, log = run(message(0, [op("CLOSE_INIT_PIPE"), op("EXEC", source="/nonexistent-runo")]))
check("error after CLOSE_INIT_PIPE is logged", [m["type"] for m in pk] == ["procPids"]
      and '"level":"error"' in log and "nonexistent-runo" in log, (pk, log))

# 9. joining a namespace by path: the uts namespace of a helper process.
helper = subprocess.Popen(["unshare", "--uts", "sh", "-c", "hostname joined-uts; sleep 30"])
import time
for _ in range(50):
    if os.readlink("/proc/%d/ns/uts" % helper.pid) != os.readlink("/proc/self/ns/uts"):
        break
    time.sleep(0.05)
time.sleep(0.1)
for _ in range(50):
    kids = open("/proc/%d/task/%d/children" % (helper.pid, helper.pid)).read().split()
    if kids:
        break
    time.sleep(0.05)
target = kids[0] if kids else str(helper.pid)
pk, out, log = run(message(0, [op("LOOKUP_EXEC", source="hostname", data="/bin"), op("CLOSE_INIT_PIPE"),
                               op("EXEC", args=["hostname"])],
                           extra=attr(I["ATTR_NS_PATH"], u32(CLONE_NEWUTS) + s("/proc/%s/ns/uts" % target))))
helper.kill(); helper.wait()
check("setns by path", out == "joined-uts\n", (pk, out, log))

sys.exit(1 if failures else 0)
