#!/bin/sh
# shutdown-pivot: the last step of a sysvinit shutdown when the root file system is an image on a
# loop device (way (b) of docs/root-unmount.md). Give it a `wait` entry of its own, after the rc
# entry of the level, and generate the dummy inittab from the live file, which then keeps this
# entry (`inittab tmpfs` keeps the last wait entry of the level):
#
#   l0:0:wait:/etc/init.d/rc 0
#   lp:0:wait:/etc/init.d/shutdown-pivot
#
# It must be the very process init started: a parent shell (rc running it as a child) would
# still run /bin/sh from the image and keep the image busy.
#
# What it does:
#   1. mounts a tmpfs and puts into it sysvinit's /sbin/init and /sbin/halt with the libraries
#      they load, BusyBox, the dummy inittab (`inittab tmpfs`) and the request file
#      (`inittab initctl encode U`), then execs BusyBox's shell from the tmpfs;
#   2. pivot_root into the tmpfs, moves /dev and /proc out of the old root;
#   3. writes the request to init's FIFO in the old root: init re-executes /sbin/init, which is
#      now the tmpfs's, and the new init creates its FIFO in the tmpfs; waits for that FIFO;
#   4. unmounts everything under the old root and the old root itself (never lazily), detaches
#      its loop device, unmounts the partition that held the image;
#   5. halts with sysvinit's halt.
# Every outcome goes to the console and, one line each, to /run/shutdown-pivot.status.
#
# POSIX sh, runs under BusyBox. Settings: /etc/default/shutdown-pivot (see the defaults below).

set -u

SHUTDOWN_STORE=/lib/shutdown-root  # holds `inittab` (the dummy) and `reload-init.bin` (telinit U)
SHUTDOWN_TMPFS=/run/shutdown-root  # where the tmpfs is mounted before the pivot
HOST_MOUNT=/host                   # the partition holding the image, inside the image; "" if none
INIT_FIFO=/run/initctl             # init's FIFO (sysvinit 2.89 and later; Debian's 2.88 too)
BUSYBOX=/bin/busybox               # static (busybox-static): its shell starts before the pivot,
                                   # so a dynamic one would load its libraries from the image
HALT="/sbin/halt -d -h -p"         # sysvinit's halt; -d: the old root, with wtmp, is gone
REEXEC=request                     # request: send reload-init.bin; none, usr1, usr2: the control
                                   # runs of docs/root-unmount.md, which leave the old root busy
FIFO_WAIT=10                       # seconds to wait for the new init's FIFO
HOLD_BEFORE_HALT=""                # a file name: wait (at most 600 s) until it exists before halting
                                   # (lets an observer read /proc while init is still alive)

# shellcheck disable=SC1091
[ -r /etc/default/shutdown-pivot ] && . /etc/default/shutdown-pivot

STATUS=/run/shutdown-pivot.status

say() {
    echo "shutdown-pivot: $*"
}

# One outcome: `report STEP RESULT [DETAIL]` (RESULT: ok, failed, skipped, attached, ...).
report() {
    say "$*"
    echo "$*" >>"$STATUS"
}

init_holds_fifo() {
    for fd in /proc/1/fd/*; do
        case $(readlink "$fd") in *"$INIT_FIFO"*) return 0 ;; esac
    done
    return 1
}

is_mounted() {
    awk -v m="$1" '$2 == m { found = 1 } END { exit !found }' /proc/mounts
}

# Copy a file to the same path under $SHUTDOWN_TMPFS, following symlinks.
copy_in() {
    mkdir -p "$SHUTDOWN_TMPFS$(dirname "$1")" && cp -L "$1" "$SHUTDOWN_TMPFS$1"
}

# The dynamic loader: with --list it prints what `ldd` prints (ldd itself calls it so), and
# --verify exits 1 for a program that is not dynamically linked, as ldd asks it first: --list
# crashes on a static program.
find_loader() {
    for ld in /lib64/ld-linux-*.so.* /lib/ld-linux-*.so.* /lib/ld-linux.so.*; do
        [ -x "$ld" ] && { echo "$ld"; return 0; }
    done
    return 1
}

is_dynamic() {
    loader=$(find_loader) || return 1
    "$loader" --verify "$1" >/dev/null 2>&1
    case $? in 0 | 2) return 0 ;; *) return 1 ;; esac
}

# Copy a program and every library it loads (a static program loads none).
copy_with_libraries() {
    copy_in "$1" || return 1
    is_dynamic "$1" || return 0
    libs=$("$loader" --list "$1" 2>/dev/null) || return 1
    for lib in $(echo "$libs" | sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p'); do
        copy_in "$lib" || return 1
    done
}

# Step 1, from the image: fill the tmpfs and continue in its shell.
prepare_tmpfs() {
    mkdir -p "$SHUTDOWN_TMPFS" &&
        mount -t tmpfs -o mode=0755 shutdown-root "$SHUTDOWN_TMPFS" || return 1
    cd "$SHUTDOWN_TMPFS" || return 1
    mkdir -p bin sbin etc run dev proc oldroot || return 1
    [ -n "$HOST_MOUNT" ] && { mkdir -p ".$HOST_MOUNT" || return 1; }
    copy_with_libraries /sbin/init || return 1
    copy_with_libraries /sbin/halt || return 1
    if is_dynamic "$BUSYBOX"; then
        say "$BUSYBOX is dynamically linked; install busybox-static"
        return 1
    fi
    cp -L "$BUSYBOX" bin/busybox || return 1
    # Applets by name, for a shell that runs before /proc is back (BusyBox finds itself
    # through /proc/self/exe); sysvinit's own programs keep their names.
    for applet in $(bin/busybox --list); do
        case $applet in
            busybox | init | halt | poweroff | reboot | linuxrc) ;;
            *) [ -e "bin/$applet" ] || ln -s busybox "bin/$applet" ;;
        esac
    done
    cp "$SHUTDOWN_STORE/inittab" etc/inittab || return 1
    cp "$SHUTDOWN_STORE/reload-init.bin" reload-init.bin || return 1
    cp "$0" shutdown-pivot || return 1
}

# Steps 2 to 5, from the tmpfs's shell; the working directory is the tmpfs.
finish_in_tmpfs() {
    if ! err=$(pivot_root . oldroot 2>&1); then
        say "pivot_root failed: $err; the root stays mounted"
        exec $HALT
    fi
    cd /
    export PATH=/bin:/sbin
    # /proc first: the mount table is read from it. /dev holds the console this script writes
    # to; moved, not unmounted, it stops being a mount under the old root.
    mount --move /oldroot/proc /proc || mount -t proc proc /proc
    : >"$STATUS"
    report pivot_root ok
    if is_mounted /oldroot/dev; then
        if mount --move /oldroot/dev /dev; then report "move /dev" ok; else report "move /dev" failed; fi
    fi

    old_fifo=/oldroot$INIT_FIFO
    case $REEXEC in
        request)
            if dd if=/reload-init.bin of="$old_fifo" bs=384 count=1 2>/dev/null; then
                report "telinit U" sent
            else
                report "telinit U" failed "cannot write to $old_fifo"
            fi ;;
        usr1)
            kill -USR1 1 && report "kill -USR1 1" sent ;;
        usr2)
            kill -USR2 1 && report "kill -USR2 1" sent ;;
        none)
            report "telinit U" skipped ;;
    esac
    if [ "$REEXEC" = usr2 ]; then
        # SIGUSR2 closes the FIFO and creates none: wait until init holds no initctl.
        waited=0
        while init_holds_fifo && [ "$waited" -lt $((FIFO_WAIT * 10)) ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if init_holds_fifo; then
            report "init's FIFO" open
        else
            report "init's FIFO" closed
        fi
    elif [ "$REEXEC" != none ]; then
        waited=0
        while [ ! -p "$INIT_FIFO" ] && [ "$waited" -lt $((FIFO_WAIT * 10)) ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
        if [ -p "$INIT_FIFO" ]; then
            report "new $INIT_FIFO" ok "after $((waited / 10)).$((waited % 10)) s"
        else
            report "new $INIT_FIFO" failed "none after $FIFO_WAIT s"
        fi
    fi
    # The FIFO alone does not prove a re-exec (SIGUSR1 re-creates it too); the executable does.
    if [ "$(stat -L -c %d /proc/1/exe 2>/dev/null)" = "$(stat -c %d /)" ]; then
        report "PID 1 runs /sbin/init from" tmpfs
    else
        report "PID 1 runs /sbin/init from" "old root"
    fi

    if [ -n "$HOST_MOUNT" ] && is_mounted "/oldroot$HOST_MOUNT"; then
        if mount --move "/oldroot$HOST_MOUNT" "$HOST_MOUNT"; then
            report "move $HOST_MOUNT" ok
        else
            report "move $HOST_MOUNT" failed
        fi
    fi
    loop=$(awk '$2 == "/oldroot" { dev = $1 } END { print dev }' /proc/mounts)

    # Deepest first: a mount with mounts below it is busy. /proc/mounts writes a blank as \040.
    for m in $(awk '$2 ~ /^\/oldroot\// { print $2 }' /proc/mounts | sort -r); do
        m=$(printf '%b' "$m")
        if err=$(umount "$m" 2>&1); then report "umount $m" ok; else report "umount $m" failed "$err"; fi
    done
    if err=$(umount /oldroot 2>&1); then
        report "umount /oldroot" ok
    else
        report "umount /oldroot" failed "$err"
        # What a shutdown does when it cannot unmount: keep the file system consistent.
        if err=$(mount -o remount,ro /oldroot 2>&1); then
            report "remount,ro /oldroot" ok
        else
            report "remount,ro /oldroot" failed "$err"
        fi
    fi

    case $loop in
        /dev/loop*)
            # LOOP_CLR_FD on a device still in use succeeds but only arms auto-clear, so ask
            # the device afterwards whether it is really free.
            err=$(losetup -d "$loop" 2>&1) || report "losetup -d $loop" failed "$err"
            if losetup "$loop" >/dev/null 2>&1; then
                report "loop $loop" attached
            else
                report "loop $loop" detached
            fi ;;
        *) report loop none "the old root was ${loop:-not mounted}" ;;
    esac

    if [ -n "$HOST_MOUNT" ] && is_mounted "$HOST_MOUNT"; then
        if err=$(umount "$HOST_MOUNT" 2>&1); then
            report "umount $HOST_MOUNT" ok
        else
            report "umount $HOST_MOUNT" failed "$err"
            mount -o remount,ro "$HOST_MOUNT" 2>/dev/null
        fi
    fi
    report "done"

    if [ -n "$HOLD_BEFORE_HALT" ]; then
        waited=0
        while [ ! -e "$HOLD_BEFORE_HALT" ] && [ "$waited" -lt 6000 ]; do
            sleep 0.1
            waited=$((waited + 1))
        done
    fi
    sync
    exec $HALT
}

case ${1:-} in
    --in-tmpfs)
        finish_in_tmpfs ;;
    *)
        if ! prepare_tmpfs; then
            say "cannot prepare $SHUTDOWN_TMPFS; the root stays mounted"
            exec $HALT
        fi
        export SHUTDOWN_STORE SHUTDOWN_TMPFS HOST_MOUNT INIT_FIFO BUSYBOX HALT REEXEC FIFO_WAIT HOLD_BEFORE_HALT
        exec "$SHUTDOWN_TMPFS/bin/busybox" sh "$SHUTDOWN_TMPFS/shutdown-pivot" --in-tmpfs ;;
esac
