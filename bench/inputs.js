// The bench's inputs, generated into a temporary directory: large inittabs that augeas' Inittab
// lens also reads (so the comparison with augtool is like for like), a batch of typical files,
// and pathological files whose findings exercise the rules that once searched the whole file
// per line (duplicate ids, BusyBox merges, exec entries, split long lines, CRLF fixes).
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ALNUM = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** A unique 1-4 byte sysvinit id for entry number i (62^4 of them). */
function idOf(i) {
  let s = "";
  do {
    s = ALNUM[i % 62] + s;
    i = Math.floor(i / 62);
  } while (i > 0 && s.length < 4);
  return s;
}

/**
 * A valid sysvinit inittab of `lines` lines: comments, blank lines and entries of the common
 * actions with unique ids, commands with colons and shell quoting. Valid for augeas too: ids of
 * at most 4 bytes without `#`, and no `#` inside a command.
 */
export function largeInittab(lines) {
  const out = [
    "# generated for the inittab bench",
    "id:3:initdefault:",
    "si::sysinit:/etc/init.d/rcS",
    "~~:S:wait:/sbin/sulogin --force",
  ];
  let entry = 1000;
  const header = new Set(["id", "si", "~~"]);
  const nextId = () => {
    let id;
    do id = idOf(entry++);
    while (header.has(id));
    return id;
  };
  for (let i = out.length; i < lines; i++) {
    const id = nextId();
    switch (i % 10) {
      case 0:
        out.push(`# section ${i}: the entries below run the site's daemons`);
        break;
      case 1:
        out.push("");
        break;
      case 2:
        out.push(`${id}:2345:respawn:/sbin/getty 38400 tty${i}`);
        break;
      case 3:
        out.push(`${id}:${i % 7}:wait:/etc/init.d/rc ${i % 7}`);
        break;
      case 4:
        out.push(`${id}::powerwait:/etc/init.d/powerfail start`);
        break;
      case 5:
        out.push(`${id}:3:once:/bin/sh -c 'echo a:b; sleep ${i % 9}'`);
        break;
      case 6:
        out.push(`${id}:23:respawn:/usr/sbin/daemon --config=/etc/daemon/${i}.conf --foreground`);
        break;
      case 7:
        out.push(`${id}:2345:respawn:/sbin/agetty -L 115200 ttyS${i} vt102`);
        break;
      case 8:
        out.push(`${id}:12345:ctrlaltdel:/sbin/shutdown -t3 -r now`);
        break;
      default:
        out.push(`${id}:35:ondemand:/usr/local/bin/job --id ${i}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** A sysvinit file where most lines have findings that refer to other lines. */
export function pathologicalSysvinit(lines) {
  const out = [];
  for (let i = 0; i < lines; i++) {
    switch (i % 14) {
      case 0:
        out.push(`id:${i % 7}:initdefault:`);
        break;
      case 1:
        out.push(`w${i % 500}:2:wait:/etc/init.d/rc 2`);
        break;
      case 2:
        out.push("l0u:0:exec:/lib/deinit /sbin/halt");
        break;
      case 3:
        out.push(`lg${i % 99}:3:once:/bin/echo ${"x".repeat(300)}`);
        break;
      case 4:
        out.push(`n${i % 99}:3:once:/bin/a\0b`);
        break;
      case 5:
        out.push(`c${i % 99}:3:once:/bin/crlf\r`);
        break;
      case 6:
        out.push("ab:S:respawn:/sbin/sulogin");
        break;
      case 7:
        out.push(`p${i % 99}::powerfail:/sbin/shutdown -h now`);
        break;
      case 8:
        out.push(`x${i % 99}:3:bogus:/bin/true`);
        break;
      case 9:
        out.push("ca::ctrlaltdel:/sbin/shutdown -r now");
        break;
      case 10:
        out.push("   # indented");
        break;
      case 11:
        out.push(`s${i % 99}:sS:once:/bin/sh -c "a; b && c"`);
        break;
      case 12:
        out.push("");
        break;
      default:
        out.push(`r${i % 1000}:2345:respawn:/sbin/getty 38400 tty${i % 63}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** A BusyBox file full of merges, restarts, continuations and comments. */
export function pathologicalBusybox(lines) {
  const out = [];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 9) {
      case 0:
        out.push("::restart:/sbin/init");
        break;
      case 1:
        out.push(`tty${i % 9}::respawn:/sbin/getty \\`, ` 115200 tty${i % 9}`);
        break;
      case 2:
        out.push("::askfirst:-/bin/sh");
        break;
      case 3:
        out.push("  # indented");
        break;
      case 4:
        out.push("S0:3:once:/bin/echo a; echo b # tail");
        break;
      case 5:
        out.push("::sysinit:/etc/init.d/rcS");
        break;
      case 6:
        out.push(`tty${i % 9}::respawn:/sbin/getty ${i % 50}`);
        break;
      case 7:
        out.push(`ttyS${i % 4}::wait:/bin/x\0y`);
        break;
      default:
        out.push("#c");
    }
  }
  return `${out.slice(0, lines).join("\n")}\n`;
}

/** A BusyBox file without a single continuation: gettys, shells and comments. */
export function plainBusybox(lines) {
  const out = [];
  for (let i = 0; out.length < lines; i++) {
    switch (i % 4) {
      case 0:
        out.push(`tty${i}::respawn:/sbin/getty 38400 tty${i}`);
        break;
      case 1:
        out.push(`ttyS${i}::askfirst:-/bin/sh`);
        break;
      case 2:
        out.push(`# console ${i}`);
        break;
      default:
        out.push(`::sysinit:/bin/mount -t tmpfs tmpfs /run/${i}`);
    }
  }
  return `${out.join("\n")}\n`;
}

/** The largest file `inittab` accepts by default (16 MiB, --max-size): large-format lines up to it. */
export const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

function largestAccepted() {
  const text = largeInittab(Math.ceil(DEFAULT_MAX_BYTES / 40));
  return text.length <= DEFAULT_MAX_BYTES ? text : text.slice(0, text.lastIndexOf("\n", DEFAULT_MAX_BYTES - 1) + 1);
}

/** Write every input under `dir`; returns their paths. */
export function writeInputs(dir, { typical }) {
  const paths = { large: {}, sysvinit: {}, busybox: {}, busyboxPlain: {}, crlf: {} };
  paths.largest = join(dir, "largest-accepted.inittab");
  writeFileSync(paths.largest, largestAccepted());
  for (const n of [2_200, 22_000, 220_000]) {
    paths.large[n] = join(dir, `large-${n}.inittab`);
    writeFileSync(paths.large[n], largeInittab(n));
  }
  for (const n of [22_000, 220_000]) {
    paths.sysvinit[n] = join(dir, `pathological-sysvinit-${n}.inittab`);
    writeFileSync(paths.sysvinit[n], pathologicalSysvinit(n));
    paths.busybox[n] = join(dir, `pathological-busybox-${n}.inittab`);
    writeFileSync(paths.busybox[n], pathologicalBusybox(n));
    paths.busyboxPlain[n] = join(dir, `plain-busybox-${n}.inittab`);
    writeFileSync(paths.busyboxPlain[n], plainBusybox(n));
    paths.crlf[n] = join(dir, `crlf-${n}.inittab`);
    writeFileSync(paths.crlf[n], largeInittab(n).replace(/\n/g, "\r\n"));
  }
  // The batch: 1,000 variants of the typical file (a different tty per file, one the file does
  // not already use: tty1-tty6 are taken), in one directory.
  paths.batch = join(dir, "batch");
  mkdirSync(paths.batch);
  const text = readFileSync(typical, "latin1");
  for (let i = 0; i < 1000; i++) {
    writeFileSync(
      join(paths.batch, `board-${String(i).padStart(4, "0")}.inittab`),
      text.replace(/tty1\b/g, `tty${7 + (i % 57)}`),
      "latin1",
    );
  }
  return paths;
}
