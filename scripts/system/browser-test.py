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
- the compare view against POST /pool/compare for the same request: each convention's call or
  unsupported fields, its tensors, exactly the differing cells marked with their rule, the rule named
  in its card, and the agreeing groups; the compare curl gives the same answer;
- convention (torch7, onnx with opset), indexOrder, fractional, lpAbs false and float16/bfloat16
  input: the request the page sent carries each, and the page shows the API's answer to it;
- no console errors, page errors or failed requests (except the 422s of the problem check);
- the whole flow runs at 1280×800 and again at 390×844, where every wait also checks that the page
  is no wider than the screen; in both, the page drawn at 1280 px and then narrowed to 390 px is too;
- screenshots at 1280×800 and 390×844 into docs/ (for README; SCREENSHOT_DIR to put them elsewhere).
The page is waited on (its state and generation, animation frames; motion reduced so that no
transition is half-way), never the clock; HANG_GUARD bounds every wait.
Prints `browser-test: N passed, N failed` and exits non-zero on any failure.
"""
import base64, json, math, os, re, shlex, struct, subprocess, sys, time, urllib.request
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
    def __init__(self, page, base, before=None):
        self.page, self.base = page, base
        self.passed, self.failed = (before.passed, before.failed) if before else (0, [])
        self.narrow = page.viewport_size["width"] < 500
        self.widths = []  # (step, document scrollWidth) at every wait, on a narrow screen
        self.requests = 0  # the page's requests in flight
        page.on("request", lambda r: self.count(1))
        page.on("requestfinished", lambda r: self.count(-1))
        page.on("requestfailed", lambda r: self.count(-1))

    def count(self, n):
        self.requests += n

    def quiet(self, step="quiet"):
        """Waits until none of the page's requests is in flight (a step of the step-through asks
        the service) and it has drawn two frames since."""
        deadline = time.monotonic() + HANG_GUARD
        while True:
            frames(self.page)  # lets Playwright deliver the page's events too
            if self.requests <= 0 or time.monotonic() > deadline:
                return self.fits(step)

    def fits(self, step):
        """On a narrow screen: the page is no wider than the screen (only boxes of their own scroll)."""
        if not self.narrow or self.page.viewport_size["width"] >= 500:  # not while briefly made wide
            return
        wide, inner = self.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        self.widths.append((step, wide))
        self.check(f"{inner} px, {step}: no sideways scrolling", wide <= inner, f"scrollWidth {wide}")

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

    def settle(self, action, state="ready", step=None):
        """Runs `action` and waits for the page's next answer (its generation moves on)."""
        before = self.page.evaluate("document.body.dataset.generation || ''")
        action()
        self.page.wait_for_function(
            "([s, g]) => document.body.dataset.state === s && (document.body.dataset.generation || '') !== g",
            arg=[state, before])
        frames(self.page)
        self.fits(step or f"browser-test.py line {sys._getframe(1).f_lineno} ({state})")

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


def shown_curl(run, page, which):
    """The curl command the page shows for `which` (forward, backward or compare)."""
    page.select_option("#curl-which", which)
    run.quiet(f"curl {which} shown")
    cmd = page.inner_text("[data-testid=curl]")
    page.select_option("#curl-which", "forward")
    return cmd


def sent(run, page, which="forward"):
    """The JSON body of the page's current request, read from its curl command."""
    argv = shlex.split(shown_curl(run, page, which))
    return json.loads(argv[argv.index("-d") + 1])


def plane_index(at, shp):
    """The data-index of a channels_first tensor position [n, c, ...] in the page's grids."""
    sd = shp[2:]
    i = 0
    for v, n in zip(at[2:], sd):
        i = i * n + v
    return at[1] * math.prod(sd) + i


def check_compare(run, page, cmp, name):
    """The compare view shows what /pool/compare answered: each convention's card with its call or
    why it cannot express the layer, its tensors, exactly the differing cells marked with the rule
    that explains them, the rule named next to them, and the groups that agree."""
    cards = page.eval_on_selector_all("[data-testid=compare-card]", "els => els.map(e => e.dataset.convention)")
    run.check(f"{name}: a card per convention, in order", cards == [a["convention"] for a in cmp["answers"]], str(cards))
    for a in cmp["answers"]:
        conv = a["convention"]
        card = f"[data-testid=compare-card][data-convention={conv}]"
        call = page.locator(f"{card} [data-testid=compare-call]")
        run.check(f"{name} {conv}: its call", (call.inner_text() if call.count() else None) == a.get("call"), a.get("call") or "")
        unsupported = page.eval_on_selector_all(f"{card} [data-testid=compare-unsupported]", "els => els.map(e => e.dataset.pointer)")
        run.check(f"{name} {conv}: unsupported fields", unsupported == [u["pointer"] for u in a.get("unsupported") or []], str(unsupported))
        for t in ("output", "indices", "gradInput"):
            got = page.eval_on_selector_all(f"{card} [data-testid=compare-{t}] [data-index]",
                                            "els => els.map(e => [+e.dataset.index, e.dataset.value, e.className, e.dataset.rule || ''])")
            if t not in a:
                run.check(f"{name} {conv}: no {t} grid", not got, str(got)[:100])
                continue
            want = flat(a[t])
            values = [num(v) for _, v, _, _ in sorted(got)]
            run.check(f"{name} {conv} {t}: values", len(values) == len(want) and all(same(x, y) for x, y in zip(values, want)), f"{values} vs {want}")
            expected = {}
            for d in cmp["differences"]:
                if d["tensor"] == t and conv in d["conventions"]:
                    for cell in d["cells"]:
                        expected.setdefault(plane_index(cell["at"], shape(a[t])), set()).add(d["rule"])
            marked = {i: set(r.split()) for i, _, cls, r in got if "differs" in cls.split()}
            run.check(f"{name} {conv} {t}: exactly the differing cells are marked, with their rule", marked == expected, f"{marked} vs {expected}")
        lines = page.eval_on_selector_all(f"{card} [data-testid=compare-diff]", "els => els.map(e => [e.dataset.tensor, e.dataset.other, e.dataset.rule, e.textContent])")
        want = [(d["tensor"], [c for c in d["conventions"] if c != conv][0], d["rule"]) for d in cmp["differences"] if conv in d["conventions"]]
        run.check(f"{name} {conv}: each difference names its rule", [tuple(x[:3]) for x in lines] == want and all(f"rule {x[2]}" in x[3] for x in lines),
                  f"{lines} vs {want}")
    agree = page.eval_on_selector_all("[data-testid=compare-agree]",
                                      "els => els.map(e => [e.dataset.tensor, Array.from(e.querySelectorAll('.agree-group')).map(g => g.dataset.conventions.split(' '))])")
    run.check(f"{name}: the agreeing conventions", dict((t, g) for t, g in agree) == cmp["agreement"], f"{agree} vs {cmp['agreement']}")


def resize(run, page, width, height):
    """Sets the viewport and waits until the page has redrawn its arrows for it (its resize handler)."""
    if page.viewport_size == {"width": width, "height": height}:
        return
    page.evaluate("() => { window.arrowsBefore = document.getElementById('arrows').firstChild; }")
    page.set_viewport_size({"width": width, "height": height})
    page.wait_for_function("() => document.getElementById('arrows').firstChild !== window.arrowsBefore")
    run.quiet(f"resized to {width} px")


def wide_then_narrow(run, page, name):
    """The page drawn at 1280 px, then on a 390 px phone: no wider than the phone, arrows within their stage."""
    size = dict(page.viewport_size)
    for width, height in [(1280, 800), (390, 844)]:
        resize(run, page, width, height)
    wide, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    run.check(f"{name}, 1280 px then {inner} px: no sideways scrolling", wide <= inner, f"scrollWidth {wide}")
    arrows, stage, faint = page.evaluate("""() => [document.getElementById('arrows').getBoundingClientRect().right,
        document.getElementById('stage').getBoundingClientRect().right, document.querySelectorAll('#arrows path.faint').length]""")
    run.check(f"{name}, 1280 px then {inner} px: the arrows are redrawn within the stage", faint > 0 and arrows <= stage + 0.5,
              f"{faint} arrows, layer right {arrows}, stage right {stage}")
    resize(run, page, size["width"], size["height"])


def flow(run, page, base, phase):
    """The whole check on one page; at 390 px every wait also checks that nothing is wider than the screen."""
    page.goto(base + "/")
    page.wait_for_selector("body[data-state=ready]")
    frames(page)
    run.fits("load")

    # Every pooling parameter of the contract has a control named after its field.
    for field in ["mode", "kernelSize", "stride", "padding", "dilation", "ceilMode", "countIncludePad", "divisorOverride",
                  "p", "outputSize", "global", "ties", "nan", "layout", "dtype", "indexSpace", "indexOrder", "lpAbs", "fractional",
                  "convention", "opset", "inputDtype"]:
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
    run.quiet("keyboard")
    run.check("keyboard: ArrowDown moves to output 3", page.evaluate("document.activeElement.dataset.index") == "3", "")
    page.evaluate("document.activeElement.blur()")

    # The curl command, run with curl, returns the numbers shown.
    for which, key, testid in [("forward", "output", "output"), ("backward", "gradInput", "grad-input")]:
        page.select_option("#curl-which", which)
        run.quiet(f"curl {which} shown")
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
    # A problem quoting a long word wraps inside its field (it once made the phone page 160 px too wide).
    phase["expect422"] = True
    run.settle(lambda: page.fill("input[name=padding]", "x" * 80), "problem", "a long unbreakable problem text")
    run.check("long problem at padding", page.locator(".field:has(input[name=padding]) [data-testid=problem]").count() == 1, "not there")
    run.settle(lambda: page.fill("input[name=padding]", ""))
    phase["expect422"] = False

    # --- painting: a drag over input cells writes the brush value into them ---------------------------------
    run.settle(lambda: page.select_option("select[name=preset]", "example"))
    page.fill("input[name=brush]", "7")
    page.check("input[name=paint]")
    page.locator("[data-testid=input] [data-index='14']").scroll_into_view_if_needed()  # a phone screen starts above it
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
    run.quiet("step-through")
    gfull = flat(run.grad_output(fo["outputShape"]))
    masked = [v if i <= k else 0 for i, v in enumerate(gfull)]
    oh, ow = fo["outputShape"][2:]
    gm = [[[masked[r * ow:(r + 1) * ow] for r in range(oh)]]]
    st, bp = api(base, "/pool/backward", {"kernelSize": 3, "stride": 1, "input": xo, "gradOutput": gm})
    run.compare(f"step backward {k + 1}", "grad-input", bp["gradInput"])
    active = page.eval_on_selector_all("[data-testid=grad-output] .cell.active", "els => els.map(e => +e.dataset.index)")
    run.check("step: the window's gradOutput cell is active", active == [k], str(active))
    page.keyboard.press("p")
    run.fits("playing")
    run.check("p plays", page.get_attribute("#step-play", "aria-pressed") == "true", "not playing")
    page.keyboard.press("p")
    run.check("p pauses", page.get_attribute("#step-play", "aria-pressed") == "false", "still playing")
    page.keyboard.press("Escape")
    run.quiet()
    st, bo = api(base, "/pool/backward", {"kernelSize": 3, "stride": 1, "input": xo, "gradOutput": run.grad_output(fo["outputShape"])})
    run.compare("after the step-through", "grad-input", bo["gradInput"])

    # --- the compare view: every framework side by side, checked against /pool/compare itself -----------------
    run.settle(lambda: page.select_option("select[name=preset]", "nan"))
    run.settle(lambda: page.check("#compare-on"))
    xn = run.input_tensor()
    st, fn = api(base, "/pool/forward", {"kernelSize": 2, "input": xn})
    body = {"kernelSize": 2, "input": xn, "gradOutput": run.grad_output(fn["outputShape"])}
    st, cmp = api(base, "/pool/compare", body)
    run.check("API compare: the NaN preset has differences", st == 200 and len(cmp["differences"]) >= 2, str(cmp)[:300])
    check_compare(run, page, cmp, "compare NaN")
    argv = shlex.split(shown_curl(run, page, "compare"))
    out = subprocess.run(argv, capture_output=True, text=True, timeout=HANG_GUARD)
    run.check("curl compare gives the answer shown", json.loads(out.stdout) == cmp, out.stdout[:200])
    run.settle(lambda: page.check("input[name=ceilMode]"))
    st, cmp = api(base, "/pool/compare", dict(body, ceilMode=True))
    run.check("API compare: ceil mode is unsupported somewhere", st == 200 and any(a.get("unsupported") for a in cmp["answers"]), str(cmp)[:300])
    check_compare(run, page, cmp, "compare ceilMode")
    # A wide window narrowed to a phone: nothing drawn at the wide width may keep the page wide (the
    # gradient arrows' layer kept its 1280 px width: the page was 536 px wider than a 390 px screen).
    wide_then_narrow(run, page, "compare ceilMode")
    run.settle(lambda: page.uncheck("#compare-on"))
    run.check("compare off: no cards", page.locator("[data-testid=compare-card]").count() == 0, "cards still shown")

    # --- convention and opset on the single call -------------------------------------------------------------
    run.settle(lambda: page.select_option("select[name=preset]", "example"))
    xe = run.input_tensor()
    st, f0 = api(base, "/pool/forward", {"kernelSize": 2, "input": xe})
    run.settle(lambda: page.select_option("select[name=convention]", "torch7"))
    req = sent(run, page)
    run.check("torch7: the request carries convention", req.get("convention") == "torch7", str(req))
    st, ft = api(base, "/pool/forward", {"kernelSize": 2, "convention": "torch7", "input": xe})
    run.check("torch7: indices are PyTorch's plus one", flat(ft["indices"]) == [v + 1 for v in flat(f0["indices"])], f"{ft} {f0}")
    run.compare("torch7", "indices", ft["indices"])
    rules = page.inner_text("[data-testid=rules]")
    run.check("torch7: the answer's rules are shown", all(f"{k} {v}" in rules for k, v in ft["rules"].items()), rules)
    page.hover("[data-testid=output] [data-index='1']")
    run.quiet("torch7 hover")
    won = page.eval_on_selector_all("[data-testid=input] .cell.won[data-index]", "els => els.map(e => +e.dataset.index)")
    run.check("torch7: hover marks the cell of the 1-based index", won == [flat(ft["indices"])[1] - 1], str(won))
    page.mouse.move(1, 1)
    run.settle(lambda: page.select_option("select[name=convention]", "onnx"))
    run.settle(lambda: page.fill("input[name=opset]", "18"))
    req = sent(run, page)
    run.check("onnx: the request carries convention and opset", req.get("convention") == "onnx" and req.get("opset") == 18, str(req))
    st, fo = api(base, "/pool/forward", {"kernelSize": 2, "convention": "onnx", "opset": 18, "input": xe})
    run.check("onnx: the answer has opset 18", fo["rules"]["opset"] == 18 and "opset 18" in page.inner_text("[data-testid=rules]"), str(fo))
    run.compare("onnx 18", "output", fo["output"])
    run.compare("onnx 18", "indices", fo["indices"])
    # countIncludePad shows the convention's default (ONNX counts real cells only) and is sent
    # only when it differs from it.
    run.settle(lambda: page.select_option("select[name=mode]", "avg"))
    run.check("onnx avg: countIncludePad shows ONNX's default (unchecked)", not page.is_checked("#countIncludePad"), "checked")
    run.check("onnx avg: the default is not sent", "countIncludePad" not in sent(run, page), "")
    run.settle(lambda: page.check("#countIncludePad"))
    req = sent(run, page)
    run.check("onnx avg: a checked box is sent", req.get("countIncludePad") is True, str(req))
    st, fa = api(base, "/pool/forward", {"mode": "avg", "kernelSize": 2, "convention": "onnx", "opset": 18, "countIncludePad": True, "input": xe})
    run.compare("onnx avg countIncludePad", "output", fa["output"])
    run.settle(lambda: page.select_option("select[name=convention]", ""))
    run.check("pytorch avg: countIncludePad back to PyTorch's default (checked)", page.is_checked("#countIncludePad"), "unchecked")
    run.settle(lambda: page.select_option("select[name=mode]", "max"))

    # --- indexOrder -----------------------------------------------------------------------------------------
    run.settle(lambda: page.select_option("select[name=preset]", "example"))
    run.check("no rules without a convention", page.locator("[data-testid=rules]").is_hidden(), "rules shown")
    run.settle(lambda: page.select_option("select[name=indexOrder]", "column_major"))
    run.check("indexOrder: the request carries it", sent(run, page).get("indexOrder") == "column_major", "")
    st, fc = api(base, "/pool/forward", {"kernelSize": 2, "indexOrder": "column_major", "input": xe})
    run.check("column_major indices differ from row_major ones", flat(fc["indices"]) != flat(f0["indices"]), str(fc))
    run.compare("column_major", "indices", fc["indices"])
    page.hover("[data-testid=output] [data-index='1']")
    run.quiet("column_major hover")
    won = page.eval_on_selector_all("[data-testid=input] .cell.won[data-index]", "els => els.map(e => +e.dataset.index)")
    run.check("column_major: hover marks the same input cell", won == [flat(f0["indices"])[1]], str(won))
    page.mouse.move(1, 1)

    # --- fractional max pooling -------------------------------------------------------------------------------
    run.settle(lambda: page.select_option("select[name=preset]", "example"))
    run.settle(lambda: page.check("input[name=fractional]"))
    req = sent(run, page)
    run.check("fractional: the request carries it", req.get("fractional") == {"outputSize": 3, "seed": 7} and "stride" not in req, str(req))
    body = {"kernelSize": 2, "fractional": {"outputSize": 3, "seed": 7}, "input": xe}
    st, ff = api(base, "/pool/forward", body)
    run.check("fractional: 3×3 output", st == 200 and ff["outputShape"] == [1, 1, 3, 3], str(ff))
    run.compare("fractional", "output", ff["output"])
    run.compare("fractional", "indices", ff["indices"])
    st, bf = api(base, "/pool/backward", dict(body, gradOutput=run.grad_output(ff["outputShape"])))
    run.compare("fractional", "grad-input", bf["gradInput"])
    page.hover("[data-testid=output] [data-index='4']")
    run.quiet("fractional hover")
    box = page.eval_on_selector_all("[data-testid=input] .cell.in-window[data-index]", "els => els.map(e => +e.dataset.index)")
    won = page.eval_on_selector_all("[data-testid=input] .cell.won[data-index]", "els => els.map(e => +e.dataset.index)")
    run.check("fractional: the drawn window holds the API's winner", len(box) == 4 and won == [flat(ff["indices"])[4]] and won[0] in box, f"{box} {won}")
    page.mouse.move(1, 1)

    # --- lp without |x| -----------------------------------------------------------------------------------------
    run.settle(lambda: page.select_option("select[name=preset]", "lp1d"))
    x1 = run.input_tensor()
    run.settle(lambda: page.fill("input[name=p]", "1"))
    run.settle(lambda: page.uncheck("input[name=lpAbs]"))
    run.check("lpAbs: the request carries false", sent(run, page).get("lpAbs") is False, "")
    body = {"mode": "lp", "kernelSize": 3, "stride": 2, "p": 1, "input": x1}
    st, fa = api(base, "/pool/forward", body)
    st, fx = api(base, "/pool/forward", dict(body, lpAbs=False))
    run.check("lpAbs false changes the answer here", flat(fa["output"]) != flat(fx["output"]), f"{fa} {fx}")
    run.compare("lpAbs false", "output", fx["output"])
    st, bx = api(base, "/pool/backward", dict(body, lpAbs=False, gradOutput=run.grad_output(fx["outputShape"])))
    run.compare("lpAbs false", "grad-input", bx["gradInput"])

    # --- 16-bit input: rounded to the type, sent as b64, and the answer shows the rounding ----------------------
    run.settle(lambda: page.select_option("select[name=preset]", "example"))
    run.settle(lambda: page.fill("[data-testid=input] [data-index='5'] input", "2049"))
    x16 = run.input_tensor()
    st, f32 = api(base, "/pool/forward", {"kernelSize": 2, "input": x16})
    run.check("float32 keeps 2049", 2049 in flat(f32["output"]), str(f32))
    for dtype in ["float16", "bfloat16"]:
        run.settle(lambda: page.select_option("select[name=inputDtype]", dtype))
        req = sent(run, page)
        inp = req.get("input", {})
        run.check(f"{dtype}: the input is sent as b64 of that type", isinstance(inp, dict) and inp.get("dtype") == dtype and inp.get("shape") == [1, 1, 4, 4], str(inp)[:200])
        raw = base64.b64decode(inp.get("b64", ""))
        if dtype == "float16":
            got = list(struct.unpack(f"<{len(raw) // 2}e", raw))
        else:
            got = [struct.unpack("<f", struct.pack("<I", b << 16))[0] for b in struct.unpack(f"<{len(raw) // 2}H", raw)]
        run.check(f"{dtype}: 2049 is sent as 2048, the rest as typed", got == [2048.0 if i == 5 else v for i, v in enumerate(flat(x16))], str(got))
        st, fh = api(base, "/pool/forward", req)
        run.check(f"{dtype}: the answer shows the rounding", st == 200 and 2048 in flat(fh["output"]) and 2049 not in flat(fh["output"]), str(fh))
        run.compare(dtype, "output", fh["output"])
        st, bh = api(base, "/pool/backward", dict(req, gradOutput=run.grad_output(fh["outputShape"])))
        run.compare(dtype, "grad-input", bh["gradInput"])



def screenshot(run, page, width):
    """README's picture at this width: the 4×4 example with stride 1, a gradOutput cell hovered."""
    os.makedirs(DOCS, exist_ok=True)
    run.settle(lambda: page.select_option("select[name=preset]", "example"))
    run.settle(lambda: page.fill("input[name=stride]", "1"))
    page.evaluate("document.activeElement.blur(); window.scrollTo(0, 0)")
    page.hover("[data-testid=grad-output] [data-index='1']")
    run.quiet("screenshot hover")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=os.path.join(DOCS, f"playground-{width}.png"))


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
            run = None
            for width, height in [(1280, 800), (390, 844)]:
                page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1, reduced_motion="reduce")
                page.set_default_timeout(HANG_GUARD * 1000)
                page.on("console", lambda m: console.append((phase["expect422"], m.type, m.text)) if m.type in ("error", "warning") else None)
                page.on("pageerror", lambda e: console.append((False, "pageerror", str(e))))
                page.on("requestfailed", lambda r: failed_requests.append(f"{r.method} {r.url}: {r.failure}"))
                page.on("response", lambda r: bad_responses.append((phase["expect422"], r.status, r.url)) if r.status >= 400 else None)
                run = Run(page, base, run)
                print(f"browser-test: the flow at {width}×{height}", flush=True)
                flow(run, page, base, phase)
                screenshot(run, page, width)
                if width < 500:
                    worst = max(run.widths, key=lambda w: w[1])
                    print(f"browser-test: {width} px: {len(run.widths)} steps measured, widest scrollWidth {worst[1]} ({worst[0]})", flush=True)
                    run.check(f"{width} px: measured every step", len(run.widths) >= 40, str(len(run.widths)))
                page.close()
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
