#!/usr/bin/env python3
"""make container-check: the Dockerfile checked without a Docker engine.

1. Builds the release binary the way the Dockerfile's build stage does: its COPY lines applied to an
   empty folder (honouring .dockerignore), then its `swift build` RUN line there; the binary it
   installs to /out is the one the runtime root gets (never the repository's own .build).
2. Rebuilds the runtime stage as a Debian bookworm root (debootstrap --variant=minbase), reading
   its steps from the Dockerfile itself (FROM … AS runtime to the end: RUN, COPY --from=build,
   USER, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD), so the two cannot drift.
3. Starts poolserve inside that root as the Dockerfile's user, with its ENTRYPOINT and CMD, in a
   network namespace of its own, and sends it the README's example and the HEALTHCHECK command.
Needs root. Prints 'N passed, N failed'."""
import json, os, re, shlex, shutil, subprocess, sys, urllib.request
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import HANG_GUARD, SOCKET_TIMEOUT, Server, ServerError  # noqa: E402


def inside(root, user, entrypoint, cmd, healthcheck, example):
    """Step 3, in a network and mount namespace of its own (unshare runs this script again with
    --inside): poolserve started in the root as the user with the ENTRYPOINT and CMD, then the
    HEALTHCHECK command and the example; prints what the checks outside read."""
    subprocess.run(["ip", "link", "set", "lo", "up"], check=True)
    # As a container runtime does; Swift reads its arguments there.
    subprocess.run(["mount", "-t", "proc", "proc", os.path.join(root, "proc")], check=True)
    chroot = ["chroot", "--userspec=%s:%s" % (user, user), root]
    try:
        server = Server(entrypoint[0], *entrypoint[1:], *cmd, log_format=None, prefix=chroot)  # chroot execs it: the same process
    except ServerError as e:
        print(e, flush=True)
        return
    print("\n".join(server.banner), flush=True)
    print("HEALTHCHECK", flush=True)
    if subprocess.run(chroot + healthcheck).returncode == 0:
        print("healthy", flush=True)
    print("EXAMPLE", flush=True)
    req = urllib.request.Request(server.url + "/pool/forward", data=example.encode(), headers={"Content-Type": "application/json"})
    try:
        print(urllib.request.urlopen(req, timeout=SOCKET_TIMEOUT).read().decode(), flush=True)
    except OSError as e:
        print(e, flush=True)
    print("WHO", flush=True)
    subprocess.run(["ps", "-o", "user=", "-p", str(server.pid)])
    server.stop()


if sys.argv[1:2] == ["--inside"]:
    inside(*json.loads(sys.argv[2]))
    sys.exit(0)

top = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir))
work = os.path.join(top, ".build-container")
base = os.path.join(work, "base")     # debootstrap's result, kept between runs
root = os.path.join(work, "rootfs")   # a fresh copy of it for each run
results = []

def check(name, ok, detail=""):
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + detail), flush=True)

def run(cmd, **kw):
    print("+ " + (cmd if isinstance(cmd, str) else " ".join(cmd)), flush=True)
    return subprocess.run(cmd, check=True, **kw)

# --- the Dockerfile's stages, instructions joined across line continuations
lines, current = [], ""
for raw in open(os.path.join(top, "Dockerfile")):
    line = raw.rstrip("\n")
    if not current and (not line.strip() or line.lstrip().startswith("#")):
        continue
    if line.endswith("\\"):
        current += line[:-1] + " "
        continue
    lines.append((current + line).strip())
    current = ""
stages, stage = {}, None
for line in lines:
    word, _, rest = line.partition(" ")
    if word.upper() == "FROM":
        m = re.match(r"(\S+)(?:\s+AS\s+(\S+))?", rest, re.I)
        stage = m.group(2) or m.group(1)
        stages[stage] = {"from": m.group(1), "steps": []}
    else:
        stages[stage]["steps"].append((word.upper(), rest.strip()))
build, runtime = stages.get("build"), stages.get("runtime")
check("the Dockerfile has a build stage on Swift 6.3", build is not None and build["from"].startswith("swift:6.3"), str(build and build["from"]))
check("the runtime stage is debian:bookworm-slim", runtime is not None and runtime["from"] == "debian:bookworm-slim", str(runtime and runtime["from"]))

# --- 1. the build stage, from a folder holding only what its COPY lines copy
def ignored_patterns():
    path = os.path.join(top, ".dockerignore")
    return [l.strip() for l in open(path) if l.strip() and not l.startswith("#")] if os.path.exists(path) else []

def copy_into(src, dest):
    """COPY src dest, relative to the context (the repository without .dockerignore's entries)."""
    ignore = shutil.ignore_patterns(*[p.rstrip("/").split("/")[-1] for p in ignored_patterns()])
    source = os.path.join(top, src)
    if os.path.isdir(source):
        shutil.copytree(source, dest, ignore=ignore, dirs_exist_ok=True)
    else:
        os.makedirs(os.path.dirname(dest) or ".", exist_ok=True)
        shutil.copy(source, dest)

stage = os.path.join(work, "build-stage")
out_dir = os.path.join(work, "out")
shutil.rmtree(stage, ignore_errors=True)
shutil.rmtree(out_dir, ignore_errors=True)
os.makedirs(stage)
workdir = next((rest for word, rest in build["steps"] if word == "WORKDIR"), "/")
copied = []
for word, rest in build["steps"]:
    if word != "COPY":
        continue
    args = shlex.split(rest)
    sources, dest = args[:-1], args[-1]
    for src in sources:
        target = os.path.join(stage, os.path.relpath(os.path.join(workdir, dest), workdir))
        if dest.endswith("/"):
            target = os.path.join(target, os.path.basename(src))
        copy_into(src, target)
        copied.append(src)
print("+ build stage folder holds: " + ", ".join(sorted(os.listdir(stage))), flush=True)
check("no build folder is copied into the build stage", not any(n.startswith(".build") for n in os.listdir(stage)), str(os.listdir(stage)))
build_cmd = next(rest for word, rest in build["steps"] if word == "RUN" and "swift build" in rest)
swift_build = re.search(r"swift build[^&]*", build_cmd).group(0).strip()
check("the build stage links the Swift runtime statically", "--static-swift-stdlib" in swift_build, swift_build)
# The RUN line itself, in that folder, with /out/ there too (package resolution from the local mirror).
run(["bash", "-c", build_cmd.replace("/out/", out_dir + "/")], cwd=stage)
binary = os.path.join(out_dir, "poolserve")
check("the build stage produced /out/poolserve", os.path.exists(binary), binary)

# --- 2. the runtime stage's root
if not os.path.exists(os.path.join(base, "etc", "debian_version")):
    shutil.rmtree(base, ignore_errors=True)
    os.makedirs(work, exist_ok=True)
    run(["debootstrap", "--variant=minbase", "bookworm", base, "http://deb.debian.org/debian"])
shutil.rmtree(root, ignore_errors=True)
run(["cp", "-a", base, root])
shutil.copy("/etc/resolv.conf", os.path.join(root, "etc", "resolv.conf"))
user, entrypoint, cmd, healthcheck, exposed = "root", [], [], None, []
for word, rest in runtime["steps"]:
    if word == "RUN":
        run(["chroot", root, "/bin/sh", "-c", rest])
    elif word == "COPY":
        m = re.match(r"--from=build\s+(\S+)\s+(\S+)", rest)
        check("the runtime stage copies only the built binary", m is not None and m.group(1) == "/out/poolserve", rest)
        target = os.path.join(root, m.group(2).lstrip("/"))
        os.makedirs(os.path.dirname(target), exist_ok=True)
        shutil.copy(binary, target)
    elif word == "USER":
        user = rest
    elif word == "EXPOSE":
        exposed.append(rest)
    elif word == "HEALTHCHECK":
        healthcheck = json.loads(rest[rest.index("CMD") + 3:].strip())
    elif word == "ENTRYPOINT":
        entrypoint = json.loads(rest)
    elif word == "CMD":
        cmd = json.loads(rest)
check("the runtime image runs as a non-root user", user not in ("root", "0"), user)
check("it exposes 8080", exposed == ["8080"], str(exposed))
check("it listens on every interface", "--host" in cmd and cmd[cmd.index("--host") + 1] == "0.0.0.0", str(cmd))
installed = subprocess.run(["chroot", root, "dpkg-query", "-W", "-f", "${Package}\\n", "libmicrohttpd12"], capture_output=True, text=True)
check("libmicrohttpd's runtime package is installed", installed.stdout.strip() == "libmicrohttpd12", installed.stderr)
dev = subprocess.run(["chroot", root, "dpkg-query", "-W", "libmicrohttpd-dev"], capture_output=True, text=True)
check("no development package in the runtime", dev.returncode != 0)

# --- 3. run it as the user, in a network namespace of its own
example = json.dumps({"input": [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]]], "kernelSize": 2})
out = subprocess.run(["unshare", "--net", "--mount", "--propagation", "private", sys.executable, os.path.abspath(__file__), "--inside",
                      json.dumps([root, user, entrypoint, cmd, healthcheck, example])], capture_output=True, text=True, timeout=HANG_GUARD)
print(out.stdout, out.stderr, flush=True)
check("poolserve starts in the runtime root", "listening on http://0.0.0.0:8080" in out.stdout, out.stdout[:200])
check("the HEALTHCHECK command reports healthy", "healthy" in out.stdout.split("HEALTHCHECK", 1)[-1])
check("the README's example answers as documented",
      '{"output":[[[[6,8],[14,16]]]],"indices":[[[[5,7],[13,15]]]],"mask":[[[[0,0,0,0],[0,1,0,1],[0,0,0,0],[0,1,0,1]]]],"outputShape":[1,1,2,2]}' in out.stdout)
uid = subprocess.run(["chroot", root, "id", "-u", user], capture_output=True, text=True).stdout.strip()
check("it runs as the Dockerfile's user", out.stdout.split("WHO", 1)[-1].split()[:1] in ([user], [uid]), out.stdout.split("WHO", 1)[-1][:40])
passed, failed = results.count(True), results.count(False)
print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
