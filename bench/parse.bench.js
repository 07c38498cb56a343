#!/usr/bin/env node
// `npm run bench` (after `npm run build`): is parsing linear?
//
// Times parse() of a generated 22,000-line and 220,000-line sysvinit file (entries of every
// kind, comments, indented comments, blanks, a few broken lines) and fails when the big one
// takes more than 12 times the small one. Also reports a typical 40-line file and the CLI's
// cold start. Speed goals live here, never in timed tests.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parse } from "../dist/src/document/index.js";

const MAX_RATIO = 12;
const root = fileURLToPath(new URL("..", import.meta.url));

/** A realistic mix: every line kind the document knows, and colons and `#` in processes. */
function generate(lines) {
  const out = [];
  for (let i = 0; i < lines; i++) {
    const n = i % 16;
    const id = (i % 1296).toString(36).padStart(2, "0");
    switch (n) {
      case 0: out.push(`# section ${i}: entries below are generated`); break;
      case 1: out.push(""); break;
      case 2: out.push(`${id}:2345:respawn:/sbin/getty 38400 tty${i % 63}`); break;
      case 3: out.push(`l${i % 7}:${i % 7}:wait:/etc/init.d/rc ${i % 7}`); break;
      case 4: out.push("   # an indented comment"); break;
      case 5: out.push(`${id}::powerwait:/etc/init.d/powerfail start`); break;
      case 6: out.push(`${id}:3:once:/bin/sh -c 'echo a:b # not a comment; sleep ${i % 9}'`); break;
      case 7: out.push(`${id}:S:wait:/sbin/sulogin --force`); break;
      case 8: out.push("\t"); break;
      case 9: out.push(`${id}:23:respawn:/usr/sbin/daemon --config=/etc/daemon/${i}.conf --foreground`); break;
      case 10: out.push(`${id}:3:initdefault`); break; // broken: two colons
      case 11: out.push(`si::sysinit:/etc/init.d/rcS`); break;
      case 12: out.push(`${id}:2345:respawn:/sbin/agetty -L ${115200} ttyS${i % 4} vt102`); break;
      case 13: out.push("#" + "-".repeat(70)); break;
      case 14: out.push(`${id}:12345:ctrlaltdel:/sbin/shutdown -t3 -r now`); break;
      default: out.push(`${id}:35:ondemand:/usr/local/bin/job --id ${i}`);
    }
  }
  return out.join("\n") + "\n";
}

/**
 * The fastest of `runs` runs, in CPU milliseconds (user + system of this process) and in wall
 * milliseconds. CPU time and the minimum keep the ratio meaningful on a busy machine, where
 * other processes stretch the wall clock of any single run.
 */
function time(fn, runs) {
  let cpu = Infinity;
  let wall = Infinity;
  for (let i = 0; i < runs; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall = Math.min(wall, performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu = Math.min(cpu, (c.user + c.system) / 1000);
  }
  return { cpu, wall };
}

const small = generate(22_000);
const big = generate(220_000);
const typical = generate(40);

// Warm the JIT on the same code paths first.
for (let i = 0; i < 3; i++) parse(small, { dialect: "sysvinit" });

const check = (text, lines) => {
  const doc = parse(text, { dialect: "sysvinit" });
  if (doc.lines.length !== lines) throw new Error(`expected ${lines} lines, got ${doc.lines.length}`);
};
check(small, 22_000);
check(big, 220_000);

const smallMs = time(() => parse(small, { dialect: "sysvinit" }), 7);
const bigMs = time(() => parse(big, { dialect: "sysvinit" }), 3);
const typicalMs = time(() => parse(typical, { dialect: "sysvinit" }), 200);
const autoMs = time(() => parse(small), 5);
const ratio = bigMs.cpu / smallMs.cpu;

// Cold start: a fresh `inittab parse` of the Debian sample, as a user runs it.
const cold = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["bin/inittab.js", "parse", "samples/debian-desktop.inittab"], { cwd: root });
  cold.push(performance.now() - t0);
  if (r.status !== 0) throw new Error(`inittab parse failed: ${r.stderr}`);
}
cold.sort((a, b) => a - b);

const fmt = (ms) => `${ms.toFixed(1)} ms`;
const both = (t) => `${fmt(t.cpu)} CPU (${fmt(t.wall)} wall)`;
console.log(`parse    22,000 lines (${(small.length / 1e6).toFixed(2)} MB): ${both(smallMs)}; with --dialect auto: ${both(autoMs)}`);
console.log(`parse   220,000 lines (${(big.length / 1e6).toFixed(2)} MB): ${both(bigMs)}`);
console.log(`ratio   ${ratio.toFixed(2)} (CPU; limit ${MAX_RATIO}; 10 means linear)`);
console.log(`parse   40-line file: ${(typicalMs.wall * 1000).toFixed(0)} µs wall`);
console.log(`CLI     cold start (inittab parse, median of 5): ${fmt(cold[2])}`);
if (ratio > MAX_RATIO) {
  console.error(`parse is not linear: 10x the lines took ${ratio.toFixed(2)}x the time (limit ${MAX_RATIO})`);
  process.exit(1);
}
