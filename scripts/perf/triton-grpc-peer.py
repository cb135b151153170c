#!/usr/bin/env python3
"""poolserve's gRPC front end against NVIDIA Triton's, in one run with one client (issue 24's
bar: poolserve's call takes at most half of Triton's). The call is the 1×64×112×112 FP32 forward
of a 3×3 stride-2 pad-1 max pool returning OUTPUT, INDICES and MASK, through tritonclient.grpc.

Triton is the server bundled in PyPI's nvidia-pytriton (installed by `make triton-peer-bench`),
serving PyTorch's max_pool2d through its Python backend. Calls alternate between the two servers
so that the machine's load falls on both alike; the answers are compared (Triton's indices are
PyTorch's, poolserve's the contract's: the same numbers).

Usage: triton-grpc-peer.py POOLSERVE_BINARY [CALLS]   (the release build)"""
import os, re, signal, socket, statistics, subprocess, sys, threading, time
import numpy as np

MODEL = "maxpool2d_k3s2p1"


def triton_child(grpc_port, http_port, metrics_port):
    import torch
    import torch.nn.functional as F
    from pytriton.model_config import ModelConfig, Tensor
    from pytriton.triton import Triton, TritonConfig

    torch.set_num_threads(os.cpu_count() or 1)

    def infer(requests):
        answers = []
        for request in requests:
            x = torch.from_numpy(request["INPUT"])
            out, idx = F.max_pool2d(x, 3, 2, 1, return_indices=True)
            # The contract's MASK: how many windows chose each cell.
            mask = torch.zeros_like(x).flatten(2).scatter_add_(2, idx.flatten(2), torch.ones_like(out).flatten(2)).view_as(x)
            answers.append({"OUTPUT": out.numpy(), "INDICES": idx.numpy(), "MASK": mask.numpy()})
        return answers

    config = TritonConfig(grpc_port=grpc_port, http_port=http_port, metrics_port=metrics_port, log_verbose=0)
    with Triton(config=config) as triton:
        triton.bind(model_name=MODEL, infer_func=infer,
                    inputs=[Tensor(name="INPUT", dtype=np.float32, shape=(-1, -1, -1, -1))],
                    outputs=[Tensor(name="OUTPUT", dtype=np.float32, shape=(-1, -1, -1, -1)),
                             Tensor(name="INDICES", dtype=np.int64, shape=(-1, -1, -1, -1)),
                             Tensor(name="MASK", dtype=np.float32, shape=(-1, -1, -1, -1))],
                    config=ModelConfig(batching=False))
        print("triton ready", flush=True)
        triton.serve()


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_triton():
    """Triton, ready for the model; started again when it crashes at start-up (it does, now and then)."""
    env = dict(os.environ)
    libdir = os.path.join(sys.base_prefix, "lib")
    env["LD_LIBRARY_PATH"] = libdir + (":" + env["LD_LIBRARY_PATH"] if env.get("LD_LIBRARY_PATH") else "")
    for attempt in range(4):
        ports = [free_port() for _ in range(3)]
        p = subprocess.Popen([sys.executable, __file__, "--triton-child", *map(str, ports)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, start_new_session=True)
        # Triton logs to the same pipe: one thread reads it to the end (or the server blocks on a
        # full pipe) and says when the model is ready; a start that hangs is given 300 s.
        ready = threading.Event()
        threading.Thread(target=lambda: [ready.set() for line in p.stdout if line.startswith("triton ready")], daemon=True).start()
        if ready.wait(timeout=300) and p.poll() is None:
            return p, ports[0]
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        print(f"triton did not start (attempt {attempt + 1}); starting it again", file=sys.stderr)
    sys.exit("triton did not start in 4 attempts")


def start_poolserve(binary):
    p = subprocess.Popen([binary, "--port", "0", "--grpc-port", "0", "--log-level", "warning"], stdout=subprocess.PIPE, text=True)
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit("poolserve did not start")
        if m := re.search(r"^grpc listening on 127\.0\.0\.1:(\d+)", line):
            return p, int(m.group(1))


def cpu_seconds(pid):
    """User + system CPU of the process and of its live descendants, each read from its own /proc
    entry (Triton's Python backend stubs are descendants of the server)."""
    total = 0.0
    for task in [pid] + children(pid):
        try:
            fields = open(f"/proc/{task}/stat").read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except OSError:
            pass
    return total


def children(pid):
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [int(c) for c in out] + [g for c in out for g in children(int(c))]


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--triton-child":
        triton_child(*map(int, sys.argv[2:5]))
        return
    import tritonclient.grpc as tg
    binary, calls = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 40
    poolserve, pool_port = start_poolserve(binary)
    triton, triton_port = start_triton()
    try:
        x = np.random.default_rng(1).standard_normal((1, 64, 112, 112)).astype(np.float32)
        servers = {"poolserve": (tg.InferenceServerClient(f"127.0.0.1:{pool_port}"), poolserve.pid),
                   "triton": (tg.InferenceServerClient(f"127.0.0.1:{triton_port}"), triton.pid)}

        def once(name):
            client = servers[name][0]
            i = tg.InferInput("INPUT", list(x.shape), "FP32")
            i.set_data_from_numpy(x)
            outs = [tg.InferRequestedOutput(n) for n in ("OUTPUT", "INDICES", "MASK")]
            t0 = time.perf_counter()
            r = client.infer(MODEL, [i], outputs=outs)
            answer = (r.as_numpy("OUTPUT"), r.as_numpy("INDICES"), r.as_numpy("MASK"))
            return time.perf_counter() - t0, answer

        answers = {name: once(name)[1] for name in servers}
        for k, what in enumerate(("OUTPUT", "INDICES", "MASK")):
            same = np.array_equal(answers["poolserve"][k], answers["triton"][k])
            print(f"{what}: {'the same' if same else 'DIFFERENT'} from both servers")
        for name in servers:
            for _ in range(4):
                once(name)
        times = {name: [] for name in servers}
        cpu = {name: 0.0 for name in servers}
        # The other server's CPU while a server's call runs: what the alternation makes them share.
        other = {name: 0.0 for name in servers}
        for _ in range(calls):
            for name, (_, pid) in servers.items():
                (other_pid,) = [p for n, (_, p) in servers.items() if n != name]
                c0, o0 = cpu_seconds(pid), cpu_seconds(other_pid)
                times[name].append(once(name)[0])
                cpu[name] += cpu_seconds(pid) - c0
                other[name] += cpu_seconds(other_pid) - o0
        medians = {}
        for name, t in times.items():
            t.sort()
            medians[name] = statistics.median(t)
            print(f"{name:10s} gRPC median {medians[name] * 1e3:7.2f} ms   p90 {t[int(len(t) * 0.9)] * 1e3:7.2f} ms   "
                  f"server CPU {cpu[name] / calls * 1e3:6.2f} ms/call   the other server's CPU meanwhile {other[name] / calls * 1e3:6.2f} ms/call   ({calls} calls)")
        print(f"poolserve / triton median latency: {medians['poolserve'] / medians['triton']:.2f} (the bar: at most 0.50)")
    finally:
        poolserve.terminate()
        os.killpg(triton.pid, signal.SIGTERM)
        try:
            triton.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(triton.pid, signal.SIGKILL)
        poolserve.wait()


if __name__ == "__main__":
    main()
