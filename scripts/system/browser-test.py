#!/usr/bin/env python3
"""The playground in a real browser (Debian's chromium driven by Playwright for Python).

Starts the poolserve binary given as argv[1] on a free port, loads `/`, and checks the page
against the service's own answers, fetched here independently of the page:
- the 4×4 example with kernel 2: every output, indices, mask and gradInput cell;
- stride 1: the mask shows overlap counts (a cell won by several windows);
- ties: split shares a tied window's gradient 0.5 / 0.5 (first and last do not);
- kernelSize 0: the 422 problem appears inline at the kernelSize control, at the API's pointer;
- the curl command shown, run with curl, returns the numbers shown (forward and backward);
- 1-D with two channels, and channels_last, read back in the right cells;
- hover links an output cell to its window and winner; the step-through accumulates gradInput
  as the service computes it for the windows so far;
- no console errors, page errors or failed requests (except the 422s of the problem check);
- screenshots at 1280×800 and 390×844 into docs/ (for README; SCREENSHOT_DIR to put them elsewhere).
The page is waited on (its state and generation, animation frames; motion reduced so that no
transition is half-way), never the clock; HANG_GUARD bounds every wait.
Prints `browser-test: N passed, N failed` and exits non-zero on any failure.
"""
import json, math, os, re, shlex, subprocess, sys, time, urllib.request
from playwright.sync_api import sync_playwright

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, "lib"))
from systest import HANG_GUARD, SOCKET_TIMEOUT, Server, ServerError  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir))
DOCS = os.environ.get("SCREENSHOT_DIR", os.path.join(ROOT, "docs"))  # README's pictures by default


def frames(page):
    """Waits until the page has drawn two more frames (what the last event changed is on screen)."""
    page.evaluate("new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")


def api(base, path, body):
    req = urllib.request.Request(base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=SOCKET_TIMEOUT) as r:
            return r.status, json.loads(r.read())
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read())


def num(v):
    """A wire or data-value number: JSON numbers and the strings NaN, Infinity, -Infinity."""
    return float(v)  # float() reads "NaN", "Infinity" and "-Infinity" as well


def flat(v):
    return [x for e in v for x in flat(e)] if isinstance(v, list) else [num(v)]


def shape(v):
    return [len(v)] + shape(v[0]) if isinstance(v, list) else []


def same(a, b):
    return (math.isnan(a) and math.isnan(b)) or a == b


def channels_first(values, shp):
    """A flat channels_last [1, ..., C] tensor reordered as channels_first [1, C, ...]."""
    c = shp[-1]
    p = len(values) // c
    return [values[i * c + ch] for ch in range(c) for i in range(p)]


class Run:
    def __init__(self, page, base):
        self.page, self.base = page, base
        self.passed, self.failed = 0, []
        self.requests = 0  # the page's requests in flight
        page.on("request", lambda r: self.count(1))
        page.on("requestfinished", lambda r: self.count(-1))
        page.on("requestfailed", lambda r: self.count(-1))

    def count(self, n):
        self.requests += n

    def quiet(self):
        """Waits until none of the page's requests is in flight (a step of the step-through asks
        the service) and it has drawn two frames since."""
        deadline = time.monotonic() + HANG_GUARD
        while True:
            frames(self.page)  # lets Playwright deliver the page's events too
            if self.requests <= 0 or time.monotonic() > deadline:
                return

    def check(self, name, cond, detail=""):
        if cond:
            self.passed += 1
        else:
            self.failed.append(f"{name}: {detail}")
            print(f"FAIL {name}: {detail}", flush=True)

    def grid(self, testid):
        """{data-index: (data-value as float, text shown)} of one grid."""
        cells = self.page.eval_on_selector_all(
            f"[data-testid={testid}] [data-index]",
            "els => els.map(e => [Number(e.dataset.index), e.dataset.value, e.textContent, e.className])")
        return {i: (num(v), t, cls) for i, v, t, cls in cells}

    def settle(self, action, state="ready"):
        """Runs `action` and waits for the page's next answer (its generation moves on)."""
        before = self.page.evaluate("document.body.dataset.generation || ''")
        action()
        self.page.wait_for_function(
            "([s, g]) => document.body.dataset.state === s && (document.body.dataset.generation || '') !== g",
            arg=[state, before])

    def input_tensor(self, layout="channels_first"):
        cells = self.page.eval_on_selector_all(
            "[data-testid=input] [data-index]", "els => els.map(e => [+e.dataset.c, +e.dataset.y, +e.dataset.x, e.dataset.value])")
        C = max(c for c, _, _, _ in cells) + 1
        H = max(y for _, y, _, _ in cells) + 1
        W = max(x for _, _, x, _ in cells) + 1
        dims = self.page.eval_on_selector("select[name=dims]", "e => e.value")
        val = {(c, y, x): (v if v in ("NaN", "Infinity", "-Infinity") else float(v)) for c, y, x, v in cells}
        if dims == "1":
            if layout == "channels_last":
                return [[[val[c, 0, x] for c in range(C)] for x in range(W)]]
            return [[[val[c, 0, x] for x in range(W)] for c in range(C)]]
        if layout == "channels_last":
            return [[[[val[c, y, x] for c in range(C)] for x in range(W)] for y in range(H)]]
        return [[[[val[c, y, x] for x in range(W)] for y in range(H)] for c in range(C)]]

    def grad_output(self, out_shape, layout="channels_first"):
        g = self.grid("grad-output")
        values = [g[i][0] for i in range(len(g))]
        # values are in channels_first order [C, spatial...]
        C = out_shape[-1] if layout == "channels_last" else out_shape[1]
        sp = out_shape[1:-1] if layout == "channels_last" else out_shape[2:]
        P = len(values) // C

        def nest(vals, dims):
            if not dims:
                return vals[0]
            step = len(vals) // dims[0]
            return [nest(vals[i * step:(i + 1) * step], dims[1:]) for i in range(dims[0])]
        if layout == "channels_last":
            inter = [values[c * P + i] for i in range(P) for c in range(C)]
            return [nest(inter, list(sp) + [C])]
        return [nest(values, [C] + list(sp))]

    def compare(self, name, testid, answer, layout="channels_first"):
        want = flat(answer)
        if layout == "channels_last":
            want = channels_first(want, shape(answer))
        got = self.grid(testid)
        self.check(f"{name}: {testid} cell count", len(got) == len(want), f"{len(got)} cells, the API has {len(want)}")
        bad = [(i, got[i][0], want[i]) for i in range(min(len(got), len(want))) if i not in got or not same(got[i][0], want[i])]
        self.check(f"{name}: {testid} values", not bad, f"first mismatches (index, page, API): {bad[:5]}")
        return got, want


def main():
    binary = sys.argv[1] if len(sys.argv) > 1 else ".build/debug/poolserve"
    try:
        server = Server(binary, log_format=None, log_level="warning")
    except ServerError as e:
        sys.exit(str(e))
    base = server.url
    console, failed_requests, bad_responses = [], [], []
    phase = {"expect422": False}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport={"width": 1280, "height": 800}, reduced_motion="reduce")
            page.set_default_timeout(HANG_GUARD * 1000)
            page.on("console", lambda m: console.append((phase["expect422"], m.type, m.text)) if m.type in ("error", "warning") else None)
            page.on("pageerror", lambda e: console.append((False, "pageerror", str(e))))
            page.on("requestfailed", lambda r: failed_requests.append(f"{r.method} {r.url}: {r.failure}"))
            page.on("response", lambda r: bad_responses.append((phase["expect422"], r.status, r.url)) if r.status >= 400 else None)
            run = Run(page, base)
            page.goto(base + "/")
            page.wait_for_selector("body[data-state=ready]")

            # Every pooling parameter of the contract has a control named after its field.
            for field in ["mode", "kernelSize", "stride", "padding", "dilation", "ceilMode", "countIncludePad", "divisorOverride",
                          "p", "outputSize", "global", "ties", "nan", "layout", "dtype", "indexSpace"]:
                run.check(f"control {field}", page.locator(f"#params [name={field}]").count() >= 1, "no control with that name")

            # --- the 4×4 example with kernel 2 -------------------------------------------------------
            run.settle(lambda: page.select_option("select[name=preset]", "example"))
            run.check("example has kernel 2", page.input_value("input[name=kernelSize]") == "2", page.input_value("input[name=kernelSize]"))
            x = run.input_tensor()
            run.check("example is 4×4", shape(x) == [1, 1, 4, 4], str(shape(x)))
            st, fwd = api(base, "/pool/forward", {"kernelSize": 2, "input": x})
            run.check("API forward", st == 200, str(fwd))
            g = run.grad_output(fwd["outputShape"])
            st, bwd = api(base, "/pool/backward", {"kernelSize": 2, "input": x, "gradOutput": g})
            run.check("API backward", st == 200, str(bwd))
            run.compare("example", "output", fwd["output"])
            run.compare("example", "indices", fwd["indices"])
            run.compare("example", "mask", fwd["mask"])
            run.compare("example", "grad-input", bwd["gradInput"])
            # Independent of the service: 2×2 max pooling of what the page shows.
            plane = x[0][0]
            own = [max(plane[2 * i + a][2 * j + b] for a in (0, 1) for b in (0, 1)) for i in (0, 1) for j in (0, 1)]
            shown = run.grid("output")
            run.check("example output is the 2×2 max", [shown[i][0] for i in range(4)] == own, f"{shown} vs {own}")
            run.check("example output text", [shown[i][1] for i in range(4)] == [str(int(v)) for v in own], str(shown))

            # Hover an output cell: its window and its winner light up on the input.
            page.hover("[data-testid=output] [data-index='1']")
            run.quiet()
            in_window = page.eval_on_selector_all("[data-testid=input] .cell.in-window[data-index]", "els => els.map(e => [+e.dataset.y, +e.dataset.x]).sort()")
            run.check("hover: window of output (0,1)", sorted(map(tuple, in_window)) == [(0, 2), (0, 3), (1, 2), (1, 3)], str(in_window))
            won = page.eval_on_selector_all("[data-testid=input] .cell.won[data-index]", "els => els.map(e => +e.dataset.y * 4 + +e.dataset.x)")
            run.check("hover: winner is the API's index", won == [flat(fwd["indices"])[1]], f"{won} vs {flat(fwd['indices'])[1]}")
            page.mouse.move(1, 1)

            # By keyboard: arrow keys move between output cells, and focus lights the window too.
            page.focus("[data-testid=output] [data-index='0']")
            page.keyboard.press("ArrowRight")
            run.quiet()
            focused = page.evaluate("document.activeElement.dataset.index")
            run.check("keyboard: ArrowRight moves to output 1", focused == "1", str(focused))
            in_window = page.eval_on_selector_all("[data-testid=input] .cell.in-window[data-index]", "els => els.map(e => [+e.dataset.y, +e.dataset.x])")
            run.check("keyboard: focus shows the window", sorted(map(tuple, in_window)) == [(0, 2), (0, 3), (1, 2), (1, 3)], str(in_window))
            page.keyboard.press("ArrowDown")
            run.check("keyboard: ArrowDown moves to output 3", page.evaluate("document.activeElement.dataset.index") == "3", "")
            page.evaluate("document.activeElement.blur()")

            # The curl command, run with curl, returns the numbers shown.
            for which, key, testid in [("forward", "output", "output"), ("backward", "gradInput", "grad-input")]:
                page.select_option("#curl-which", which)
                cmd = page.inner_text("[data-testid=curl]")
                argv = shlex.split(cmd)
                run.check(f"curl {which} is curl", argv[0] == "curl" and f"/pool/{which}" in argv[2], cmd[:80])
                out = subprocess.run(argv, capture_output=True, text=True, timeout=HANG_GUARD)
                answer = json.loads(out.stdout)
                run.compare(f"curl {which}", testid, answer[key])
            page.select_option("#curl-which", "forward")

            # --- stride 1: overlapping windows, overlap counts in the mask ---------------------------------------
            run.settle(lambda: page.fill("input[name=stride]", "1"))
            st, fwd1 = api(base, "/pool/forward", {"kernelSize": 2, "stride": 1, "input": x})
            mask, _ = run.compare("stride 1", "mask", fwd1["mask"])
            run.compare("stride 1", "output", fwd1["output"])
            g1 = run.grad_output(fwd1["outputShape"])
            st, bwd1 = api(base, "/pool/backward", {"kernelSize": 2, "stride": 1, "input": x, "gradOutput": g1})
            run.compare("stride 1", "grad-input", bwd1["gradInput"])
            counts = [v for v, _, _ in mask.values()]
            run.check("stride 1: a cell is won by several windows", max(counts) >= 2, str(counts))
            top = max(mask.values(), key=lambda t: t[0])
            run.check("stride 1: the count is written in the cell", top[1] == str(int(top[0])), str(top))

            # --- ties: split shares a tied window's gradient 0.5 / 0.5 -------------------------------------------
            run.settle(lambda: page.select_option("select[name=preset]", "ties"))
            xt = run.input_tensor()
            for rule in ["split", "last", "first"]:
                run.settle(lambda: page.check(f"input[name=ties][value={rule}]"))
                body = {"kernelSize": 2, "input": xt}
                if rule != "first":
                    body["ties"] = rule
                st, f_t = api(base, "/pool/forward", body)
                body["gradOutput"] = run.grad_output(f_t["outputShape"])
                st, b_t = api(base, "/pool/backward", body)
                gi, _ = run.compare(f"ties {rule}", "grad-input", b_t["gradInput"])
                run.compare(f"ties {rule}", "mask", f_t["mask"])
                run.compare(f"ties {rule} (side by side)", f"grad-input-{rule}", b_t["gradInput"])
                halves = sorted(i for i, (v, t, _) in gi.items() if v == 0.5 and t == "0.5")
                if rule == "split":
                    run.check("ties split: gradOutput 1 splits 0.5 / 0.5", len(halves) >= 2 and all(v == 1 for v in flat(body["gradOutput"])),
                              f"cells showing 0.5: {halves}")
                    split_halves = halves
                else:
                    run.check(f"ties {rule}: no 0.5 shares", not halves, str(halves))
            first = run.grid("grad-input-first")
            run.check("ties: first sends the whole 1 to one of the tied cells",
                      sorted(first[i][0] for i in split_halves[:2]) == [0, 1], str([first[i] for i in split_halves[:2]]))

            # --- kernelSize 0: the problem inline at that control ------------------------------------------------
            phase["expect422"] = True
            run.settle(lambda: page.fill("input[name=kernelSize]", "0"), "problem")
            st, prob = api(base, "/pool/forward", {"kernelSize": 0, "input": xt})
            pointer = prob["errors"][0]["pointer"]
            run.check("API: 422 at /kernelSize", st == 422 and pointer == "/kernelSize", str(prob))
            at_control = page.locator(".field:has(input[name=kernelSize]) [data-testid=problem]")
            run.check("problem at the kernelSize control", at_control.count() == 1, f"{at_control.count()} problems there")
            if at_control.count():
                shown = at_control.inner_text()
                run.check("problem text is the API's", prob["errors"][0]["detail"] in shown and pointer in shown, shown)
                run.check("problem names its pointer", at_control.get_attribute("data-pointer") == pointer, at_control.get_attribute("data-pointer"))
            run.check("kernelSize marked invalid", page.get_attribute("input[name=kernelSize]", "aria-invalid") == "true", "no aria-invalid")
            run.check("only that problem", page.locator("[data-testid=problem]").count() == 1, page.locator("[data-testid=problem]").all_inner_texts())
            run.settle(lambda: page.fill("input[name=kernelSize]", "2"))
            phase["expect422"] = False
            run.check("problem gone once fixed", page.locator("[data-testid=problem]").count() == 0, "still shown")

            # --- painting: a drag over input cells writes the brush value into them ---------------------------------
            run.settle(lambda: page.select_option("select[name=preset]", "example"))
            page.fill("input[name=brush]", "7")
            page.check("input[name=paint]")
            boxes = [page.locator(f"[data-testid=input] [data-index='{i}']").bounding_box() for i in (12, 13, 14)]
            def drag():
                page.mouse.move(boxes[0]["x"] + 5, boxes[0]["y"] + 5)
                page.mouse.down()
                for bx in boxes[1:]:
                    page.mouse.move(bx["x"] + 5, bx["y"] + 5, steps=3)
                page.mouse.up()
            run.settle(drag)
            painted = run.grid("input")
            run.check("paint: the dragged cells hold the brush value", [painted[i][0] for i in (12, 13, 14)] == [7, 7, 7],
                      str([painted[i] for i in (12, 13, 14)]))
            xp = run.input_tensor()
            st, fp = api(base, "/pool/forward", {"kernelSize": 2, "input": xp})
            run.compare("after painting", "output", fp["output"])
            page.uncheck("input[name=paint]")

            # --- 1-D, two channels, and channels_last ---------------------------------------------------------------
            run.settle(lambda: page.select_option("select[name=preset]", "lp1d"))
            x1 = run.input_tensor()
            body = {"mode": "lp", "kernelSize": 3, "stride": 2, "p": 2, "input": x1}
            st, f1 = api(base, "/pool/forward", body)
            run.check("1-D: shape", shape(x1) == [1, 2, 8] and st == 200, f"{shape(x1)} {f1}")
            run.compare("1-D lp", "output", f1["output"])
            body["gradOutput"] = run.grad_output(f1["outputShape"])
            st, b1 = api(base, "/pool/backward", body)
            run.compare("1-D lp", "grad-input", b1["gradInput"])
            run.settle(lambda: page.select_option("select[name=layout]", "channels_last"))
            xl = run.input_tensor("channels_last")
            body = {"mode": "lp", "kernelSize": 3, "stride": 2, "p": 2, "layout": "channels_last", "input": xl}
            st, fl = api(base, "/pool/forward", body)
            run.compare("channels_last", "output", fl["output"], "channels_last")
            body["gradOutput"] = run.grad_output(fl["outputShape"], "channels_last")
            st, bl = api(base, "/pool/backward", body)
            run.compare("channels_last", "grad-input", bl["gradInput"], "channels_last")

            # --- the step-through: forward, then backward, accumulating as the service does ---------------------------
            run.settle(lambda: page.select_option("select[name=preset]", "overlap"))
            xo = run.input_tensor()
            st, fo = api(base, "/pool/forward", {"kernelSize": 3, "stride": 1, "input": xo})
            n = len(flat(fo["output"]))
            page.evaluate("document.activeElement.blur()")
            page.mouse.move(1, 1)
            k = 3  # the fourth window of the backward phase
            for _ in range(n + k + 1):
                page.keyboard.press(".")
            page.wait_for_function(f"document.getElementById('step-status').textContent.startsWith('Backward: window {k + 1} of {n}')")
            run.quiet()
            gfull = flat(run.grad_output(fo["outputShape"]))
            masked = [v if i <= k else 0 for i, v in enumerate(gfull)]
            oh, ow = fo["outputShape"][2:]
            gm = [[[masked[r * ow:(r + 1) * ow] for r in range(oh)]]]
            st, bp = api(base, "/pool/backward", {"kernelSize": 3, "stride": 1, "input": xo, "gradOutput": gm})
            run.compare(f"step backward {k + 1}", "grad-input", bp["gradInput"])
            active = page.eval_on_selector_all("[data-testid=grad-output] .cell.active", "els => els.map(e => +e.dataset.index)")
            run.check("step: the window's gradOutput cell is active", active == [k], str(active))
            page.keyboard.press("p")
            run.check("p plays", page.get_attribute("#step-play", "aria-pressed") == "true", "not playing")
            page.keyboard.press("p")
            run.check("p pauses", page.get_attribute("#step-play", "aria-pressed") == "false", "still playing")
            page.keyboard.press("Escape")
            run.quiet()
            st, bo = api(base, "/pool/backward", {"kernelSize": 3, "stride": 1, "input": xo, "gradOutput": run.grad_output(fo["outputShape"])})
            run.compare("after the step-through", "grad-input", bo["gradInput"])

            # --- screenshots for README --------------------------------------------------------------------------------
            os.makedirs(DOCS, exist_ok=True)
            run.settle(lambda: page.select_option("select[name=preset]", "example"))
            run.settle(lambda: page.fill("input[name=stride]", "1"))
            page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
            page.hover("[data-testid=grad-output] [data-index='1']")
            run.quiet()
            page.evaluate("window.scrollTo(0, 0)")
            page.screenshot(path=os.path.join(DOCS, "playground-1280.png"))
            mobile = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1, reduced_motion="reduce")
            mobile.set_default_timeout(HANG_GUARD * 1000)
            mobile.on("console", lambda m: console.append((False, m.type, m.text)) if m.type in ("error", "warning") else None)
            mobile.on("pageerror", lambda e: console.append((False, "pageerror", str(e))))
            mobile.on("requestfailed", lambda r: failed_requests.append(f"{r.method} {r.url}: {r.failure}"))
            mobile.goto(base + "/playground")
            mobile.wait_for_selector("body[data-state=ready]")
            frames(mobile)
            mobile.screenshot(path=os.path.join(DOCS, "playground-390.png"))
            wide = mobile.evaluate("document.documentElement.scrollWidth")
            run.check("390 px: no sideways scrolling", wide <= 390, f"scrollWidth {wide}")
            browser.close()
    finally:
        server.stop()

    unexpected = [c for c in console if not (c[0] and c[1] == "error" and "status of 422" in c[2])]
    run.check("no console errors or warnings", not unexpected, str(unexpected))
    run.check("no failed requests", not failed_requests, str(failed_requests))
    wrong = [r for r in bad_responses if not (r[0] and r[1] == 422)]
    run.check("no error responses but the expected 422s", not wrong, str(wrong))
    run.check("the problem check saw its 422", any(r[1] == 422 for r in bad_responses), str(bad_responses))
    print(f"browser-test: {run.passed} passed, {len(run.failed)} failed", flush=True)
    sys.exit(1 if run.failed else 0)


if __name__ == "__main__":
    main()
