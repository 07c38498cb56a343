/**
 * The recipes of docs/integrations.md, run as written: each is the fenced block after a
 * `<!-- recipe: NAME -->` line. Ansible's playbooks run with ansible-playbook (ansible-core) on
 * this machine when it is installed, else the command lines the tasks would run are run directly;
 * the Buildroot script with the target directory as $1; the Yocto functions' bodies with bitbake's
 * variables; the CI jobs' inittab steps in a checkout-like directory.
 */
import { afterAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { removeTempDirs } from "../write/support.js";
import { calls, ROOT, shell, workspace } from "./support.js";

afterAll(removeTempDirs);

const DOC = readFileSync(join(ROOT, "docs", "integrations.md"), "utf8");

function recipe(name: string): string {
  const at = DOC.indexOf(`<!-- recipe: ${name} -->\n`);
  if (at === -1) throw new Error(`docs/integrations.md has no recipe ${name}`);
  const open = DOC.indexOf("```", at);
  const start = DOC.indexOf("\n", open) + 1;
  return DOC.slice(start, DOC.indexOf("\n```", start) + 1);
}

const ANSIBLE = spawnSync("ansible-playbook", ["--version"], { encoding: "utf8" }).status === 0;

/** ansible-playbook against this machine, with the workspace's `inittab` on PATH. */
function playbook(
  ws: ReturnType<typeof workspace>,
  yaml: string,
  vars: Record<string, string>,
): { status: number | null; out: string } {
  const file = join(ws.dir, "playbook.yml");
  writeFileSync(file, yaml);
  const r = spawnSync(
    "ansible-playbook",
    [
      "-i",
      "localhost,",
      "-c",
      "local",
      "-e",
      JSON.stringify({ ...vars, ansible_python_interpreter: "/usr/bin/python3" }),
      file,
    ],
    {
      cwd: ws.dir,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        ...process.env,
        PATH: `${ws.bin}:${process.env["PATH"]}`,
        ANSIBLE_NOCOLOR: "1",
        ANSIBLE_LOCAL_TEMP: join(ws.dir, ".ansible"),
        ANSIBLE_REMOTE_TEMP: join(ws.dir, ".ansible"),
        ANSIBLE_HOME: join(ws.dir, ".ansible"),
        ANSIBLE_RETRY_FILES_ENABLED: "0",
      },
    },
  );
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

const BAD_GETTY = "ttyS0:23:respawn:/sbin/getty -L ttyS0 115200 vt100";
const GOOD_GETTY = "T0:23:respawn:/sbin/getty -L ttyS0 115200 vt100";

describe("Ansible", () => {
  it("lineinfile + validate: a refused edit shows the reason, and the file stays as it was", () => {
    const yaml = recipe("ansible-lineinfile");
    const tasks = parseYaml(yaml)[0].tasks;
    expect(tasks[0]["ansible.builtin.lineinfile"].validate).toBe("inittab check --stderr %s");
    const ws = workspace();
    const path = join(ws.dir, "samples", "debian-desktop.inittab");
    const before = readFileSync(path);
    if (ANSIBLE) {
      const refused = playbook(ws, yaml, { inittab_path: path, serial_getty: BAD_GETTY });
      expect(refused.status).not.toBe(0);
      expect(refused.out).toMatch(/failed to validate/);
      expect(refused.out).toMatch(/IT007 init ignores this line: the id .*ttyS0/);
      expect(readFileSync(path)).toEqual(before);
      const ok = playbook(ws, yaml, { inittab_path: path, serial_getty: GOOD_GETTY });
      expect(ok.status, ok.out).toBe(0);
      expect(ok.out).toMatch(/changed=1/);
    } else {
      console.log(
        "ansible-playbook not installed (apt-get install ansible-core): " +
          "running the validate command lineinfile would run",
      );
      const copy = join(ws.dir, "tmpfile");
      writeFileSync(copy, `${before.toString("latin1")}${BAD_GETTY}\n`, "latin1");
      const r = shell(ws, tasks[0]["ansible.builtin.lineinfile"].validate.replace("%s", copy));
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/IT007 init ignores this line/);
    }
  });

  it("the edit commands with changed_when on the JSON: changed, then not; a refusal fails with the reason", () => {
    const yaml = recipe("ansible-edit");
    const task = parseYaml(yaml)[0].tasks[0];
    expect(task.changed_when).toBe("(getty.stdout | from_json).changed");
    const ws = workspace();
    const path = join(ws.dir, "samples", "debian-desktop.inittab");
    if (ANSIBLE) {
      const first = playbook(ws, yaml, { inittab_path: path, serial_getty: GOOD_GETTY });
      expect(first.status, first.out).toBe(0);
      expect(first.out).toMatch(/changed=1/);
      const again = playbook(ws, yaml, { inittab_path: path, serial_getty: GOOD_GETTY });
      expect(again.out).toMatch(/changed=0/);
      const refused = playbook(ws, yaml, { inittab_path: path, serial_getty: BAD_GETTY });
      expect(refused.status).not.toBe(0);
      expect(refused.out).toMatch(/IT007/);
    } else {
      console.log("ansible-playbook not installed (apt-get install ansible-core): running the task's argv");
      const argv = (task["ansible.builtin.command"].argv as string[]).map((a) =>
        a.replace("{{ serial_getty }}", GOOD_GETTY).replace("{{ inittab_path }}", path),
      );
      const r = spawnSync(process.execPath, [join(ROOT, "bin", "inittab.js"), ...argv.slice(1)], { encoding: "utf8" });
      expect(JSON.parse(r.stdout).changed).toBe(true);
    }
    expect(readFileSync(path, "utf8")).toContain(`${GOOD_GETTY}\n`);
  });
});

describe("Buildroot", () => {
  it("the post-build script edits the target directory once and checks it; run again it changes nothing", () => {
    const ws = workspace();
    const script = join(ws.dir, "post-build.sh");
    writeFileSync(script, recipe("buildroot-post-build"));
    const run = () => shell(ws, `sh "${script}" "$PWD/rootfs"`);
    const first = run();
    expect(first.status, first.stderr).toBe(0);
    const after = readFileSync(join(ws.dir, "rootfs", "etc", "inittab"), "utf8");
    expect(after).toContain("ttyS0::respawn:/sbin/getty -L ttyS0 115200 vt100 # GENERIC_SERIAL\n");
    expect(run().status).toBe(0);
    expect(readFileSync(join(ws.dir, "rootfs", "etc", "inittab"), "utf8")).toBe(after);
    expect(calls(ws).map((c) => c.status)).toEqual([0, 0, 0, 0]);
  });
});

/** The body of a bitbake shell function, with bitbake's ${VAR} left for the shell to expand. */
function functionBody(text: string, name: string): string {
  const start = text.indexOf(`${name}() {`);
  return text.slice(text.indexOf("\n", start) + 1, text.lastIndexOf("}"));
}

describe("Yocto", () => {
  it("do_install:append edits ${D}${sysconfdir}/inittab in one batch", () => {
    const ws = workspace();
    const body = functionBody(recipe("yocto-install"), "do_install:append");
    const r = shell(ws, body);
    expect(r.status, r.stderr).toBe(0);
    const inittab = readFileSync(join(ws.dir, "image", "etc", "inittab"), "utf8");
    expect(inittab).toContain("S0:12345:respawn:/bin/start_getty 115200 ttyS0 vt102\n");
    expect(inittab).not.toMatch(/^6:/m);
  });

  it("the image QA check passes a good rootfs and fails the build on a broken one, with the reason on stderr", () => {
    const ws = workspace();
    const body = functionBody(recipe("yocto-image-qa"), "inittab_image_check");
    expect(shell(ws, `IMAGE_ROOTFS="$PWD/rootfs"\n${body}`).status).toBe(0);
    cpSync(join(ROOT, "samples", "broken", "busybox-mixed.inittab"), join(ws.dir, "rootfs", "etc", "inittab"));
    const broken = shell(ws, `IMAGE_ROOTFS="$PWD/rootfs"\n${body}`);
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/error (BB|IT|RT)\d{3}/);
  });
});

describe("CI jobs", () => {
  /** The job's inittab commands, as the runner would run them, in a checkout with board/rootfs-overlay/. */
  function runSteps(commands: string[]): ReturnType<typeof workspace> {
    const ws = workspace();
    cpSync(join(ROOT, "samples", "rootfs"), join(ws.dir, "board", "rootfs-overlay"), {
      recursive: true,
      verbatimSymlinks: true,
    });
    for (const c of commands) shell(ws, c);
    return ws;
  }

  it("GitHub Actions: annotations, then a SARIF file for upload-sarif", () => {
    const job = parseYaml(recipe("github-actions")).jobs.inittab;
    const runs = (job.steps as Array<{ run?: string; uses?: string; with?: Record<string, string> }>).flatMap((s) =>
      s.run?.startsWith("inittab ") ? [s.run] : [],
    );
    expect(runs.length).toBe(2);
    const ws = runSteps(runs);
    expect(calls(ws).map((c) => c.status)).toEqual([0, 0]);
    const upload = job.steps.find((s: { uses?: string }) => s.uses?.startsWith("github/codeql-action/upload-sarif"));
    const sarif = JSON.parse(readFileSync(join(ws.dir, upload.with.sarif_file), "utf8"));
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0].tool.driver.name).toBe("inittab");
  });

  it("GitLab CI: the findings in the log and the SARIF artifact", () => {
    const job = parseYaml(recipe("gitlab-ci")).inittab;
    const commands = [...job.script, ...job.after_script].filter((c: string) => c.startsWith("inittab "));
    const ws = runSteps(commands);
    expect(calls(ws).map((c) => c.status)).toEqual([0, 0]);
    expect(JSON.parse(readFileSync(join(ws.dir, job.artifacts.paths[0]), "utf8")).version).toBe("2.1.0");
  });
});
