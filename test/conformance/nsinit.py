#!/usr/bin/python3
"""
Boot one real init (sysvinit or BusyBox) on one inittab, as PID 1 of fresh namespaces.

Run by harness.ts as:
    setpriv --pdeathsig KILL unshare --pid --fork --mount --kill-child --propagation private \
        python3 nsinit.py WORK TEMPLATE [NAME=PROGRAM...] [--runtime]

WORK holds `inittab` (the file under test), `console` (an empty plain file) and `root/` (an
empty directory). TEMPLATE holds the init binary as `init` and the shared libraries it needs
under `lib/` and `lib64/` (nothing else: no shell, no programs).

This process starts as PID 1 of a new pid namespace, in a private mount namespace, so every
mount below disappears with the namespace and the host never sees it. It builds the scratch
root on a tmpfs over WORK/root, binds /dev/log as a unix datagram socket, then forks:
  * the child listens on /dev/log and writes each datagram to stdout as `L <hex>` lines; when
    its stdin closes it drains what is still queued, writes `END` and exits;
  * the parent (PID 1) chroots into the scratch root, drops every capability and execs init,
    so init runs as PID 1 with /dev/console being WORK/console (a plain file).

Nothing the inittab names exists in the scratch root: there is no /bin/sh and no program, so
every entry init tries to start fails with "cannot execute" / "can't run". Without
capabilities even init itself cannot remount, mknod or reach outside the read-only binds.
Only the harness's own tests pass NAME=PROGRAM (a static program, bound read-only as
/bin/NAME), for fixed lines of their own: the shell-form test binds a static shell as /bin/sh,
the re-read tests bind a static BusyBox as /bin/sleep, whose processes mark each entry.
--runtime adds what the re-read tests observe: an empty /var/log/wtmp (sysvinit appends a record for every process it starts and reaps) and
plain files /dev/tty1../dev/tty4 (BusyBox opens an entry's tty before running it).
While it runs, a line `HUP` on the listener's stdin sends SIGHUP to PID 1, the init: the
listener lives in the namespace, where PID 1 is always this run's init.
Python is used because Node has no unix datagram sockets.
"""
import ctypes
import os
import resource
import select
import signal
import socket
import sys

MS_RDONLY = 1
MS_REMOUNT = 32
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_CAP_AMBIENT = 47
PR_CAP_AMBIENT_CLEAR_ALL = 4

libc = ctypes.CDLL(None, use_errno=True)


def die(msg):
    sys.stderr.write("nsinit: " + msg + "\n")
    sys.stderr.flush()
    os._exit(111)


def check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        die("%s: %s" % (what, os.strerror(err)))


def mount(source, target, fstype, flags, data=None):
    check(
        libc.mount(
            source.encode() if source else None,
            target.encode(),
            fstype.encode() if fstype else None,
            ctypes.c_ulong(flags),
            data.encode() if data else None,
        ),
        "mount %s" % target,
    )


def bind_ro(source, target):
    # A read-only bind takes two steps: bind, then remount the bind read-only.
    mount(source, target, None, MS_BIND | MS_REC)
    mount(None, target, None, MS_BIND | MS_REMOUNT | MS_RDONLY)


class CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]


class CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]


def drop_all_capabilities():
    """Empty the bounding, ambient and inheritable sets: after exec, init (uid 0) has none."""
    cap = 0
    while libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) == 0:
        cap += 1
    if cap == 0:
        die("cannot drop capabilities")
    libc.prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    header = CapHeader(0x20080522, 0)
    data = (CapData * 2)()
    check(libc.capget(ctypes.byref(header), data), "capget")
    data[0].inheritable = 0
    data[1].inheritable = 0
    check(libc.capset(ctypes.byref(header), data), "capset")
    check(libc.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs")


def listen(sock):
    """Forward every datagram to stdout until stdin closes, then drain the queue and say END."""
    out = sys.stdout.buffer
    out.write(b"READY\n")
    out.flush()
    stdin = sys.stdin.fileno()
    while True:
        ready, _, _ = select.select([sock, stdin], [], [])
        if sock in ready:
            out.write(b"L " + sock.recv(65536).hex().encode() + b"\n")
            out.flush()
        if stdin in ready:
            data = os.read(stdin, 4096)
            if data:
                for _ in range(data.count(b"HUP\n")):
                    os.kill(1, signal.SIGHUP)
                continue
            # Every message init logged before the harness decided to stop is already queued.
            sock.setblocking(False)
            while True:
                try:
                    out.write(b"L " + sock.recv(65536).hex().encode() + b"\n")
                except BlockingIOError:
                    break
            out.write(b"END\n")
            out.flush()
            os._exit(0)


def main():
    if len(sys.argv) < 3:
        die("usage: nsinit.py WORK TEMPLATE [NAME=PROGRAM...] [--runtime]")
    work, template = sys.argv[1], sys.argv[2]
    runtime = "--runtime" in sys.argv[3:]
    programs = [a.split("=", 1) for a in sys.argv[3:] if a != "--runtime"]
    for name, _ in programs:
        if not name or "/" in name:
            die("bad program name: %r" % name)
    if os.getpid() != 1:
        die("not PID 1 of a new pid namespace")
    root = os.path.join(work, "root")
    # unshare already made every mount private; say it again so nothing can propagate out.
    mount(None, "/", None, MS_REC | MS_PRIVATE)
    mount("tmpfs", root, "tmpfs", 0, "mode=755,size=16m")
    # /run: sysvinit makes its initctl FIFO there and waits on it in select() with a time-out.
    # Without it, init waits for its children in pause(), and a SIGCHLD that arrives between
    # its last check and pause() leaves it asleep for good (seen under load).
    for d in ("etc", "dev", ".init", "var", "var/run", "run") + (("var/log",) if runtime else ()):
        os.mkdir(os.path.join(root, d), 0o755)
    if runtime:
        open(os.path.join(root, "var", "log", "wtmp"), "wb").close()
        for n in range(1, 5):
            open(os.path.join(root, "dev", "tty%d" % n), "wb").close()
    bind_ro(template, os.path.join(root, ".init"))
    # The dynamic loader and libraries are found at their usual paths (/lib, /lib64, ...)
    # through symlinks into the read-only template.
    for name in os.listdir(template):
        if name != "init":
            os.symlink(".init/" + name, os.path.join(root, name))
    if programs:
        os.mkdir(os.path.join(root, "bin"), 0o755)
    for name, program in programs:
        open(os.path.join(root, "bin", name), "wb").close()
        bind_ro(program, os.path.join(root, "bin", name))
    with open(os.path.join(work, "inittab"), "rb") as f:
        data = f.read()
    with open(os.path.join(root, "etc", "inittab"), "wb") as f:
        f.write(data)
    console = os.path.join(root, "dev", "console")
    open(console, "wb").close()
    mount(os.path.join(work, "console"), console, None, MS_BIND)
    log = os.path.join(root, "dev", "log")
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    sock.bind(log)
    os.chmod(log, 0o666)
    # A fairly large receive buffer so that init never blocks on a full queue.
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    sys.stdout.flush()
    pid = os.fork()
    if pid == 0:
        listen(sock)
        os._exit(0)
    sock.close()
    # init's own stdio is the console; the harness keeps stdin/stdout for the listener.
    fd = os.open(console, os.O_RDWR | os.O_NOCTTY)
    os.chroot(root)
    os.chdir("/")
    for target in (0, 1, 2):
        os.dup2(fd, target)
    if fd > 2:
        os.close(fd)
    # "Enter runlevel:" on a plain-file console is re-written in a loop (read gives EOF): cap
    # the console's growth until the harness stops init.
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, 1 << 20))
    drop_all_capabilities()
    # As the kernel starts it: sysvinit writes its title ("init [2]") over argv[0]'s bytes, which
    # must be long enough to hold it. The re-read tests read that title.
    argv0 = "/sbin/init" if runtime else "init"
    os.execve("/.init/init", [argv0], {"HOME": "/", "TERM": "linux"})


main()
