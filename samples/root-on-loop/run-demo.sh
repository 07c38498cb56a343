#!/usr/bin/env bash
# Boot Debian's sysvinit as PID 1 of a private pid and mount namespace whose root is an ext4
# image on a loop device, halt it with shutdown-pivot.sh (pivot into a tmpfs, then telinit U),
# and report whether the old root was really unmounted and its loop device detached.
#
#   run-demo.sh [--reexec request|none|usr1|usr2] [--pause]
#   run-demo.sh --check
#
#   --reexec request   send the `telinit U` request made by `inittab initctl encode U` (default)
#   --reexec none      control run: the same shutdown without it
#   --reexec usr1      control run: `kill -USR1 1` instead (init re-opens its FIFO)
#   --reexec usr2      control run: `kill -USR2 1` instead (init closes its FIFO)
#   --pause            when the shutdown script is done and init still runs, print
#                      `paused: init PID, loop DEVICE` and wait for a line on stdin before the
#                      namespace halts (for an observer outside it)
#   --check            only check that this machine can run the demo and fetch the packages:
#                      exit 0 with `ready: VERSIONS`, or 3
#
# Exit: 0 the old root was unmounted and its loop device detached; 1 it was not (or the run
# failed); 2 bad arguments; 3 this machine cannot run the demo (one line says why).
# Needs root, loop devices, unshare and setpriv (util-linux), mkfs.ext4 (e2fsprogs), apt-get
# and dpkg-deb (it fetches sysvinit-core and busybox-static into node_modules/.cache/root-on-loop,
# or $ROOT_ON_LOOP_CACHE), and the CLI
# built by `npm ci`. Every mount it makes is inside the namespace; it detaches the loop device
# it attached and removes its temporary directory on every exit, Ctrl-C included.
# shellcheck disable=SC2317  # functions run through trap and wait_for
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# Where the Debian packages are kept between runs; npm ci starts it afresh.
CACHE=${ROOT_ON_LOOP_CACHE:-$REPO/node_modules/.cache/root-on-loop}
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

reexec=request
pause=0
check=0
while [ $# -gt 0 ]; do
    case $1 in
        --reexec)
            case ${2:-} in
                request | none | usr1 | usr2) reexec=$2 ;;
                *) echo "run-demo.sh: --reexec request|none|usr1|usr2" >&2; exit 2 ;;
            esac
            shift 2 ;;
        --pause) pause=1; shift ;;
        --check) check=1; shift ;;
        -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "run-demo.sh: unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
done

cannot() {
    echo "cannot run the demo here: $*"
    exit 3
}
fail() {
    echo "$*"
    exit 1
}

# --- Cleanup, on every path ----------------------------------------------------------------

download=""
work=""
ns_pid=""
console_pid=""
loop=""
interrupted=""
undetached=""
cleanup() {
    local status=$? devices tries=0
    trap - EXIT INT TERM HUP
    if [ -n "$ns_pid" ] && kill -0 "$ns_pid" 2>/dev/null; then
        # unshare --kill-child: init dies with it, and with init every process and mount of
        # the namespace. init itself is never signalled by pid.
        kill -KILL "$ns_pid" 2>/dev/null
        wait "$ns_pid" 2>/dev/null
    fi
    if [ -n "$console_pid" ]; then
        kill "$console_pid" 2>/dev/null
        wait "$console_pid" 2>/dev/null
    fi
    [ -n "$download" ] && rm -rf "$download"
    if [ -n "$work" ]; then
        [ -z "$loop" ] && loop=$(cat "$work/loop" 2>/dev/null)
        # Only devices whose backing file is our image. The namespace's mounts go with its last
        # process; until then LOOP_CLR_FD only arms auto-clear, hence the retries.
        while :; do
            devices=$( {
                if [ -n "$loop" ] && grep -qF "$work/" "/sys/block/${loop#/dev/}/loop/backing_file" 2>/dev/null; then
                    echo "$loop"
                fi
                losetup -n -O NAME -j "$work/part/root.img" 2>/dev/null
            } | sort -u)
            [ -z "$devices" ] && break
            if [ "$tries" -ge 50 ]; then
                echo "run-demo.sh: could not detach $devices" >&2
                status=1
                undetached=$devices
                break
            fi
            for d in $devices; do losetup -d "$d" 2>/dev/null; done
            sleep 0.1
            tries=$((tries + 1))
        done
        rm -rf "$work"
    fi
    if [ -n "$interrupted" ]; then
        if [ -n "$undetached" ]; then
            echo "interrupted ($interrupted): namespace ended, $undetached still attached"
        else
            echo "interrupted ($interrupted): namespace ended${loop:+, $loop detached}, temporary files removed"
        fi
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'interrupted=SIGINT; exit 130' INT
trap 'interrupted=SIGTERM; exit 143' TERM
trap 'interrupted=SIGHUP; exit 129' HUP

# --- What the machine must have ------------------------------------------------------------

[ "$(uname -s)" = Linux ] || cannot "not Linux"
[ "$(id -u)" = 0 ] || cannot "not root (it needs loop devices, mounts and namespaces)"
for tool in unshare:util-linux setpriv:util-linux losetup:mount mount:mount chroot:coreutils \
    mkfs.ext4:e2fsprogs dpkg-deb:dpkg apt-get:apt ldd:libc-bin node:nodejs stat:coreutils; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || cannot "${tool%%:*} not found (apt-get install ${tool#*:})"
done
[ -e /dev/loop-control ] || cannot "no loop devices (/dev/loop-control is missing; modprobe loop)"
err=$(unshare --pid --fork --mount true 2>&1) || cannot "namespaces not permitted: ${err%%$'\n'*}"
node "$REPO/bin/inittab.js" --version >/dev/null 2>&1 || cannot "the inittab CLI is not built (npm ci)"

# Fetch a Debian package and unpack it into $CACHE/NAME once. Unpacked aside and renamed, so
# that two runs at once never see half a tree.
fetch() {
    local name=$1 dir=$CACHE/$1 deb
    [ -f "$dir/VERSION" ] && return 0
    if ! mkdir -p "$CACHE" || ! download=$(mktemp -d "$CACHE/dl-$name.XXXXXX"); then
        why="cannot write $CACHE"
        return 1
    fi
    if ! err=$(cd "$download" && apt-get download -o APT::Sandbox::User=root "$name" 2>&1); then
        why="apt-get download $name: ${err##*$'\n'}"
        return 1
    fi
    deb=$(find "$download" -maxdepth 1 -name '*.deb' | head -n 1)
    if [ -z "$deb" ] || ! dpkg-deb -x "$deb" "$download/root"; then
        why="cannot unpack $name"
        return 1
    fi
    dpkg-deb -f "$deb" Package Version | paste -sd' ' | sed 's/Package: //; s/ Version: / /' >"$download/root/VERSION"
    mv -T "$download/root" "$dir" 2>/dev/null || [ -f "$dir/VERSION" ] || { why="cannot write $dir"; return 1; }
    rm -rf "$download"
    download=""
}
for package in sysvinit-core busybox-static; do
    why=""
    fetch "$package" || cannot "cannot fetch $package: $why"
done
SYSVINIT=$CACHE/sysvinit-core
BUSYBOX=$CACHE/busybox-static/bin/busybox
if [ ! -x "$SYSVINIT/sbin/init" ] || [ ! -x "$SYSVINIT/sbin/halt" ]; then
    cannot "sysvinit-core in $CACHE has no /sbin/init or /sbin/halt"
fi
[ -x "$BUSYBOX" ] || cannot "busybox-static in $CACHE has no /bin/busybox"
if [ "$check" = 1 ]; then
    echo "ready: $(cat "$SYSVINIT/VERSION"), $(cat "$CACHE/busybox-static/VERSION")"
    exit 0
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/root-on-loop.XXXXXX") || cannot "cannot create a temporary directory"

# --- The image -----------------------------------------------------------------------------

tree=$work/tree
mkdir -p "$tree"/{bin,sbin,etc/init.d,etc/default,lib/shutdown-root,run,dev,proc,sys,tmp,host,var/log} \
    "$work/part" "$work/root"
cp "$SYSVINIT/sbin/init" "$SYSVINIT/sbin/halt" "$tree/sbin/"
for lib in $(ldd "$SYSVINIT/sbin/init" "$SYSVINIT/sbin/halt" |
    sed -n 's/.*=> \(\/[^ ]*\) (0x.*/\1/p; s/^[[:space:]]*\(\/[^ ]*\) (0x.*/\1/p' | sort -u); do
    if ! mkdir -p "$tree$(dirname "$lib")" || ! cp -L "$lib" "$tree$lib"; then
        fail "cannot copy $lib into the image"
    fi
done
cp "$BUSYBOX" "$tree/bin/busybox"
for applet in $("$BUSYBOX" --list); do
    case $applet in busybox | init | halt | poweroff | reboot | linuxrc) ;; *) ln -s busybox "$tree/bin/$applet" ;; esac
done
ln -s ../run "$tree/var/run"
cp "$HERE/image.inittab" "$tree/etc/inittab"
install -m 0755 "$HERE/shutdown-pivot.sh" "$tree/etc/init.d/shutdown-pivot"
cat >"$tree/etc/init.d/rc" <<'EOF'
#!/bin/sh
# rc LEVEL: runs the start scripts of the level, as Debian's rc does (the demo has none).
for script in /etc/rc"$1".d/S*; do
    [ -x "$script" ] && "$script" start
done
echo "rc $1: done"
EOF
chmod 0755 "$tree/etc/init.d/rc"
# Step 0 of docs/root-unmount.md, at "package install time": the dummy and the request.
err=$(node "$REPO/bin/inittab.js" --root "$tree" tmpfs -o "$tree/lib/shutdown-root/inittab" 2>&1) ||
    fail "inittab tmpfs failed on image.inittab: $err"
node "$REPO/bin/inittab.js" initctl encode U -o "$tree/lib/shutdown-root/reload-init.bin" ||
    fail "inittab initctl encode U failed"
cat >"$tree/etc/default/shutdown-pivot" <<EOF
# Written by run-demo.sh.
REEXEC=$reexec
# No -h: the disks are the host's, and halt in a pid namespace only ends the namespace.
HALT="/sbin/halt -d -p"
HOLD_BEFORE_HALT=/run/shutdown-pivot.release
EOF
mkfs.ext4 -q -F -L demo-root -d "$tree" "$work/part/root.img" 24M >/dev/null 2>&1 ||
    fail "mkfs.ext4 -d failed (e2fsprogs 1.43 or later is needed)"
rm -rf "$tree"
: >"$work/console"
# The console is a FIFO that a reader of ours copies to $work/console: init opens the console
# for each message and writes from its start, so a plain file would be overwritten. The reader
# holds the FIFO open for writing too, so it never sees an end of file.
mkfifo "$work/console.fifo"
( exec 3<>"$work/console.fifo"; exec cat <&3 >"$work/console" ) &
console_pid=$!

# --- Boot: PID 1 of the namespace is sysvinit, its root the loop-mounted image ---------------
# Inside, as an initramfs would: the partition holding the image ($work/part, bound to itself
# so that it is a mount of the namespace) is where the loop device gets its file; the image is
# mounted, /run, /dev and /proc are mounted in it, the partition is moved to /host, and init
# starts with the image as its root.
# shellcheck disable=SC2016  # expanded by the shell inside the namespace
inside='
set -e
work=$1
mount --bind "$work/part" "$work/part"
loop=$(losetup -f --show "$work/part/root.img")
echo "$loop" >"$work/loop"
root=$work/root
mount -t ext4 "$loop" "$root"
mount -t tmpfs -o mode=0755,size=16m run "$root/run"
mount -t tmpfs -o mode=0755,size=1m dev "$root/dev"
: >"$root/dev/console"
mount --bind "$work/console.fifo" "$root/dev/console"
mknod -m 666 "$root/dev/null" c 1 3
majmin=$(cat "/sys/block/${loop#/dev/}/dev")
mknod -m 600 "$root/dev/${loop#/dev/}" b "${majmin%:*}" "${majmin#*:}"
mount -t proc proc "$root/proc"
mount --move "$work/part" "$root/host"
cd /
exec env -i "$(command -v chroot)" "$root" /sbin/init
'
(
    # Nothing of ours leaks into init: an inherited descriptor would be one more thing it holds.
    for fd in /proc/"$BASHPID"/fd/*; do
        fd=${fd##*/}
        [ "$fd" -gt 2 ] && eval "exec $fd>&-"
    done
    exec setpriv --pdeathsig KILL unshare --pid --fork --mount --propagation private --kill-child \
        /bin/sh -c "$inside" inside "$work" </dev/null >"$work/inside.log" 2>&1
) &
ns_pid=$!

console_tail() {
    tr -d '\r' <"$work/console" | tr -c '\n[:print:]' '?' | tail -n "${1:-20}" | sed 's/^/  /'
}
alive() {
    kill -0 "$ns_pid" 2>/dev/null
}
init_child() {
    local pid
    for pid in $(cat "/proc/$ns_pid/task/$ns_pid/children" 2>/dev/null); do
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = init ] && { echo "$pid"; return 0; }
    done
    return 1
}
booted() {
    init_child >/dev/null
}

# Wait until COMMAND succeeds, at most SECONDS, while the namespace lives.
wait_for() {
    local seconds=$1 tries=0
    shift
    until "$@"; do
        alive || return 1
        [ "$tries" -ge $((seconds * 10)) ] && return 1
        sleep 0.1
        tries=$((tries + 1))
    done
}

wait_for 20 booted || { sed 's/^/  /' "$work/inside.log"; fail "init did not start"; }
init_pid=$(init_child)
loop=$(cat "$work/loop" 2>/dev/null)
loop_name=${loop#/dev/}
loop_dev=$(cat "/sys/block/$loop_name/dev" 2>/dev/null)
[ -n "$loop_dev" ] || fail "no loop device was attached"
echo "booted $(cat "$SYSVINIT/VERSION") as PID 1 (host pid $init_pid); root: ext4 on $loop; a '$reexec' run"

in_runlevel() {
    [ "$(cat "/proc/$init_pid/root/run/runlevel" 2>/dev/null)" = "$1" ]
}
wait_for 20 in_runlevel 2 || { console_tail; fail "init did not reach runlevel 2"; }
echo "runlevel 2; inittab initctl send 0 to its FIFO"
err=$(node "$REPO/bin/inittab.js" initctl send 0 --fifo "/proc/$init_pid/root/run/initctl" 2>&1) ||
    fail "inittab initctl send 0 failed: $err"

status_file=/proc/$init_pid/root/run/shutdown-pivot.status
shutdown_done() {
    grep -qx "done" "$status_file" 2>/dev/null
}
wait_for 60 shutdown_done || { console_tail 40; fail "the shutdown script did not finish"; }
cp "$status_file" "$work/status"

# --- What the namespace holds, read from outside while init is alive -----------------------
# Devices as major:minor. The old root is the loop device and every mount at or under /oldroot.

dev_of() {
    stat -L -c '%Hd:%Ld' "$1" 2>/dev/null
}
tmpfs_dev=$(dev_of "/proc/$init_pid/root")
old_mounts=$(awk '$5 == "/oldroot" || $5 ~ /^\/oldroot\// { print $3, $5 }' "/proc/$init_pid/mountinfo")
old_devs=" $loop_dev $(echo "$old_mounts" | awk '{ printf "%s ", $1 }')"
# Paths as the namespace sees them: its root is mounted where the image was.
ns_path() {
    local path
    path=$(readlink "$1" 2>/dev/null) || return
    path=${path#"$work/root"}
    echo "${path:-/}"
}
# Every file a process refers to: "DEV WHAT PATH" for exe, cwd, root, each fd and mapped file.
references() {
    local p=$1 f
    for f in exe cwd root; do
        echo "$(dev_of "/proc/$p/$f") $f $(ns_path "/proc/$p/$f")"
    done
    for f in /proc/"$p"/fd/*; do
        [ -L "$f" ] && echo "$(dev_of "$f") fd ${f##*/} $(ns_path "$f")"
    done
    awk '$6 ~ /^\// { split($4, d, ":"); print d[1], d[2], $6 }' "/proc/$p/maps" 2>/dev/null | sort -u |
        while read -r major minor path; do
            echo "$((16#$major)):$((16#$minor)) mapped ${path#"$work/root"}"
        done
}
where() {
    if [ "$1" = "$loop_dev" ]; then echo "the image"; elif [ "$1" = "$tmpfs_dev" ]; then echo "the tmpfs"
    else echo "$old_mounts" | awk -v d="$1" '$1 == d { print $2; exit }'; fi
}

pidns=$(readlink "/proc/$init_pid/ns/pid")
holders=""
pid1_outside=0
for p in /proc/[0-9]*; do
    p=${p#/proc/}
    [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$pidns" ] || continue
    name="PID $(awk '/^NSpid:/ { print $NF }' "/proc/$p/status" 2>/dev/null) ($(cat "/proc/$p/comm" 2>/dev/null))"
    while read -r dev what path; do
        [ -n "$dev" ] || continue
        if [ "${old_devs#* "$dev" }" != "$old_devs" ]; then
            holders+="    $name: $what $path ($dev, $(where "$dev"))"$'\n'
        fi
        if [ "$p" = "$init_pid" ] && [ "$dev" != "$tmpfs_dev" ]; then
            pid1_outside=$((pid1_outside + 1))
            [ "${old_devs#* "$dev" }" = "$old_devs" ] && holders+="    $name: $what $path ($dev, not the tmpfs)"$'\n'
        fi
    done < <(references "$p")
done
backing=$(cat "/sys/block/$loop_name/loop/backing_file" 2>/dev/null)

echo "the console:"
console_tail 60
echo "seen from outside, init still running:"
if [ -n "$old_mounts" ]; then
    echo "  still mounted: $(echo "$old_mounts" | awk '{ printf "%s%s", sep, $2; sep = " " }')"
else
    echo "  nothing is mounted at or under /oldroot"
fi
if [ "$pid1_outside" = 0 ]; then
    echo "  PID 1 ($(ns_path "/proc/$init_pid/exe")): exe, cwd, root, every fd and mapped file" \
        "on the tmpfs ($tmpfs_dev)"
fi
if [ -n "$holders" ]; then
    echo "  held outside the tmpfs:"
    printf '%s' "$holders"
fi
if [ -n "$backing" ]; then
    echo "  $loop: attached to ${backing#"$work/root"}"
else
    echo "  $loop: detached"
fi

if [ "$pause" = 1 ]; then
    echo "paused: init $init_pid, loop $loop"
    read -r _ || true
fi

# --- Let it halt ---------------------------------------------------------------------------
touch "/proc/$init_pid/root/run/shutdown-pivot.release" 2>/dev/null
halted() {
    ! alive
}
wait_for 30 halted
if halted; then
    wait "$ns_pid"
    ns_status=$?
    ns_pid=""
    # reboot(2) in a pid namespace kills its init; HALT and POWER_OFF report it as SIGINT.
    if [ "$ns_status" = 130 ]; then
        echo "halted: sysvinit's halt from the tmpfs ended the namespace"
    else
        echo "the namespace ended with status $ns_status"
    fi
else
    echo "the namespace did not halt within 30 s"
fi

if [ -z "$old_mounts" ] && [ -z "$backing" ] && [ "$pid1_outside" = 0 ] && grep -qx 'umount /oldroot ok' "$work/status"
then
    echo "old root unmounted, $loop detached"
    exit 0
fi
why=$(sed -n 's/^umount \/oldroot failed //p' "$work/status")
if [ -n "$backing" ]; then
    echo "old root not unmounted${why:+ ($why)}, $loop not detached"
else
    echo "old root not unmounted${why:+ ($why)}, $loop detached"
fi
exit 1
