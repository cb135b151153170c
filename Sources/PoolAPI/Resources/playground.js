// poolserve playground: draws what POST /pool/forward and /pool/backward answer.
// Every number shown comes from the service; this script only lays out windows (for drawing)
// and builds requests. No framework, no network access beyond the page's own origin.
'use strict';
(function () {
  const $ = (s, r = document) => r.querySelector(s);
  const $$ = (s, r = document) => Array.from(r.querySelectorAll(s));
  const SVGNS = 'http://www.w3.org/2000/svg';
  const form = $('#params');
  const F = form.elements;
  const range = (a, b) => { const r = []; for (let i = a; i < b; i++) r.push(i); return r; };

  function h(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) if (attrs[k] != null && attrs[k] !== false) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = text;
    return e;
  }
  function s(tag, attrs) {
    const e = document.createElementNS(SVGNS, tag);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    return e;
  }

  // ---- presets ------------------------------------------------------------------------
  const PRESETS = {
    example: { dims: 2, C: 1, H: 4, W: 4, grad: 'seq', set: { kernelSize: '2' },
      x: [[1, 3, 2, 1, 4, 9, 6, 2, 3, 5, 8, 7, 0, 2, 1, 4]] },
    overlap: { dims: 2, C: 1, H: 5, W: 5, grad: 'ones', set: { kernelSize: '3', stride: '1' },
      x: [[1, 2, 0, 3, 1, 4, 8, 1, 2, 0, 2, 1, 3, 9, 2, 0, 5, 2, 1, 4, 3, 1, 6, 2, 1]] },
    ties: { dims: 2, C: 1, H: 4, W: 4, grad: 'ones', set: { kernelSize: '2' },
      x: [[7, 7, 1, 2, 0, 3, 5, 5, 4, 4, 4, 4, 1, 6, 2, 6]] },
    nan: { dims: 2, C: 1, H: 4, W: 4, grad: 'ones', set: { kernelSize: '2' },
      x: [[1, 'NaN', 2, 5, 3, 4, 'NaN', 'NaN', 0, 2, 9, 1, 6, 1, 3, 'NaN']] },
    ceil: { dims: 2, C: 1, H: 6, W: 6, grad: 'ones', set: { mode: 'avg', kernelSize: '3', stride: '2', padding: '1', ceilMode: true },
      x: [range(1, 37)] },
    lp1d: { dims: 1, C: 2, H: 1, W: 8, grad: 'ones', set: { mode: 'lp', kernelSize: '3', stride: '2', p: '2' },
      x: [[3, 4, 0, 1, -2, 2, 1, 0], [1, 1, 1, 1, 5, 0, 0, 12]] },
  };

  // ---- state ----------------------------------------------------------------------------
  const S = {
    dims: 2, C: 1, H: 4, W: 4,
    x: [[]],            // input: C planes of H·W raw strings as typed
    g: null,            // gradOutput: C planes of oH·oW raw strings
    gFill: 'seq',
    fwd: null,          // last good forward answer, as planes
    gin: null,          // last good gradInput planes
    ties: null,         // {first, last, split} gradInput planes
    geo: null,          // window geometry for drawing
    base: null,         // the parameters and input of the last good answer
    gen: 0,             // request generation; answers of older ones are dropped
    active: null,       // {kind: 'window', k} or {kind: 'cell', c, y, x}
    hover: null,
    step: null,         // {phase: 'forward'|'backward', k}
    timer: null,
    cache: new Map(),
    cell: 40,
    cellsIn: [], cellsOut: [], cellsIdx: [], cellsMask: [], cellsGo: [], cellsGi: [],
    route: null,        // {k, planes}: gradInput of a one-hot gradOutput at window k
    partial: null,      // planes shown during the step-through
  };

  // ---- numbers ----------------------------------------------------------------------------
  const num = (v) => typeof v === 'number' ? v : v === 'Infinity' ? Infinity : v === '-Infinity' ? -Infinity : NaN;
  function wire(raw) {
    const t = String(raw).trim();
    if (t === '') return 0;
    if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) { const n = Number(t); return Number.isFinite(n) ? n : t; }
    const l = t.toLowerCase();
    if (l === 'nan') return 'NaN';
    if (l === 'inf' || l === '+inf' || l === 'infinity' || l === '+infinity' || t === '∞') return 'Infinity';
    if (l === '-inf' || l === '-infinity' || t === '-∞' || t === '−∞') return '-Infinity';
    return t;
  }
  const text = (v) => String(v); // data-value: JS shortest form, NaN, Infinity, -Infinity
  function fmt(v) {
    if (Number.isNaN(v)) return 'NaN';
    if (v === Infinity) return '∞';
    if (v === -Infinity) return '−∞';
    if (Object.is(v, -0)) return '0';
    const a = Math.abs(v);
    let t;
    if (Number.isInteger(v) && a < 1e5) t = String(v);
    else if (a !== 0 && (a < 1e-3 || a >= 1e5)) t = v.toExponential(1).replace('e+', 'e');
    else t = String(Number(v.toPrecision(S.cell >= 38 ? 3 : 2)));
    return t.replace('-', '−');
  }

  // ---- parameters --------------------------------------------------------------------------
  function token(t) {
    t = t.trim();
    if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(t)) { const n = Number(t); return Number.isFinite(n) ? n : t; }
    if (t === 'true') return true;
    if (t === 'false') return false;
    return t;
  }
  function listOrScalar(raw) {
    const t = raw.trim();
    if (t[0] === '[' || t[0] === '{') { try { return JSON.parse(t); } catch (e) { return t; } }
    const parts = t.split(/[\s,×]+/).filter(Boolean);
    return parts.length === 1 ? token(parts[0]) : parts.map(token);
  }
  function paddingValue(raw) {
    const t = raw.trim();
    if (t.includes('/') && t[0] !== '{') {
      const [b, e] = t.split('/').map(listOrScalar);
      const arr = (v) => Array.isArray(v) ? v : [v];
      return { begin: arr(b), end: arr(e) };
    }
    return listOrScalar(t);
  }
  const PARAM_NAMES = ['mode', 'kernelSize', 'stride', 'padding', 'dilation', 'ceilMode', 'global', 'outputSize', 'ties', 'nan',
    'indexSpace', 'countIncludePad', 'divisorOverride', 'p', 'layout', 'dtype', 'lpAbs', 'indexOrder', 'fractional', 'convention', 'opset'];
  const isMax = () => F.mode.value === 'max';
  /// countIncludePad's default under the chosen convention (ONNX's and TensorFlow's count real cells only).
  const cipDefault = () => F.convention.value !== 'onnx' && F.convention.value !== 'tensorflow';
  const fractionalOn = () => isMax() && F.fractional.checked;
  const fixedOff = () => !fractionalOn() && (F.global.checked || F.outputSize.value.trim() !== '');

  /// Greys out the controls that do not apply (they are then not sent).
  function syncEnabled() {
    const mode = F.mode.value;
    const off = fixedOff();
    const set = (name, disabled) => {
      const list = F[name] instanceof RadioNodeList ? Array.from(F[name]) : [F[name]];
      list.forEach((e) => { e.disabled = disabled; });
      const field = list[0].closest('.field');
      if (field) field.classList.toggle('off', disabled);
    };
    const frac = fractionalOn();
    const conv = F.convention.value !== '';
    ['kernelSize', 'stride', 'padding', 'dilation', 'ceilMode'].forEach((n) => set(n, off || (frac && n !== 'kernelSize')));
    set('outputSize', F.global.checked || frac);
    set('global', frac);
    set('ties', mode !== 'max' || conv); set('nan', mode !== 'max' || conv); set('indexSpace', mode !== 'max');
    set('indexOrder', mode !== 'max');
    set('countIncludePad', mode !== 'avg'); set('divisorOverride', mode !== 'avg');
    set('p', mode !== 'lp'); set('lpAbs', mode !== 'lp' || conv);
    set('fractional', mode !== 'max');
    set('fractionalOutputSize', !frac); set('fractionalSeed', !frac);
    set('opset', F.convention.value !== 'onnx');
    document.body.classList.toggle('mode-max', mode === 'max');
    $('#height-field').classList.toggle('off', S.dims === 1);
    F.height.disabled = S.dims === 1;
  }

  /// The request's pooling fields: only what differs from the contract's defaults.
  function params() {
    const p = {};
    const val = (n) => (F[n].disabled ? '' : F[n].value.trim());
    if (F.mode.value !== 'max') p.mode = F.mode.value;
    if (!F.global.disabled && F.global.checked) p.global = true;
    if (val('outputSize')) p.outputSize = listOrScalar(val('outputSize'));
    if (!F.kernelSize.disabled) p.kernelSize = val('kernelSize') === '' ? '' : listOrScalar(val('kernelSize'));
    if (p.kernelSize === '') delete p.kernelSize;
    if (val('stride')) p.stride = listOrScalar(val('stride'));
    if (val('padding')) p.padding = paddingValue(val('padding'));
    if (val('dilation')) p.dilation = listOrScalar(val('dilation'));
    if (!F.ceilMode.disabled && F.ceilMode.checked) p.ceilMode = true;
    if (!F.countIncludePad.disabled && F.countIncludePad.checked !== cipDefault()) p.countIncludePad = F.countIncludePad.checked;
    if (val('divisorOverride')) p.divisorOverride = token(val('divisorOverride'));
    if (val('p')) p.p = token(val('p'));
    const ties = form.querySelector('input[name=ties]:checked');
    if (ties && !ties.disabled && ties.value !== 'first') p.ties = ties.value;
    if (!F.nan.disabled && F.nan.value !== 'propagate') p.nan = F.nan.value;
    if (!F.indexSpace.disabled && F.indexSpace.value !== 'plane') p.indexSpace = F.indexSpace.value;
    if (!F.indexOrder.disabled && F.indexOrder.value !== 'row_major') p.indexOrder = F.indexOrder.value;
    if (!F.lpAbs.disabled && !F.lpAbs.checked) p.lpAbs = false;
    if (fractionalOn()) {
      p.fractional = { outputSize: listOrScalar(val('fractionalOutputSize') || '1') };
      if (val('fractionalSeed')) p.fractional.seed = token(val('fractionalSeed'));
    }
    if (F.layout.value !== 'channels_first') p.layout = F.layout.value;
    if (F.dtype.value !== 'float32') p.dtype = F.dtype.value;
    if (F.convention.value) p.convention = F.convention.value;
    if (val('opset')) p.opset = token(val('opset'));
    return p;
  }

  // ---- tensors -------------------------------------------------------------------------------
  const spatial = () => (S.dims === 1 ? [S.W] : [S.H, S.W]);
  /// Planes (C arrays, row-major over the spatial dims) as a nested [1, C, ...] or [1, ..., C] array.
  function nest(planes, sdims, last, map) {
    const C = planes.length;
    const P = sdims.reduce((a, b) => a * b, 1);
    const build = (dims, offset, stride, leaf) => {
      if (dims.length === 0) return leaf(offset);
      const out = [];
      const inner = stride / dims[0];
      for (let i = 0; i < dims[0]; i++) out.push(build(dims.slice(1), offset + i * inner, inner, leaf));
      return out;
    };
    if (!last) return [planes.map((pl) => build(sdims, 0, P, (i) => map(pl[i])))];
    return [build(sdims, 0, P, (i) => range(0, C).map((c) => map(planes[c][i])))];
  }
  function flatten(v, out) {
    if (Array.isArray(v)) v.forEach((x) => flatten(x, out)); else out.push(num(v));
    return out;
  }
  /// A nested answer of `shape` back into C planes.
  function unnest(nested, shape, last) {
    const flat = flatten(nested, []);
    const C = last ? shape[shape.length - 1] : shape[1];
    const sd = last ? shape.slice(1, -1) : shape.slice(2);
    const P = sd.reduce((a, b) => a * b, 1);
    const planes = range(0, C).map((c) => range(0, P).map((i) => (last ? flat[i * C + c] : flat[c * P + i])));
    return { C, sd, planes };
  }

  // ---- geometry (for drawing only; the numbers are the service's) -------------------------------
  function per(v, i) { return Array.isArray(v) ? v[i] : v; }
  /// PyTorch's fractional windows from the sample u (openapi.yaml, Fractional), in float32.
  function fractionalWindows(n, k, m, u) {
    const fr = Math.fround, a = fr(fr(n - k) / fr(m - 1));
    return range(0, m).map((j) => {
      const start = j === m - 1 ? n - k : Math.floor(fr(fr(j + u) * a)) - Math.floor(fr(u * a));
      return range(start, start + k);
    });
  }
  function axis(p, n, out, i) {
    if (p.global) return { n, pb: 0, pe: 0, wins: [range(0, n)] };
    if (p.fractional) {
      const u = S.samples ? S.samples[i] : NaN;
      return { n, pb: 0, pe: 0, wins: Number.isFinite(u) ? fractionalWindows(n, per(p.kernelSize, i), out, u) : range(0, out).map(() => []) };
    }
    if (p.outputSize !== undefined) {
      return { n, pb: 0, pe: 0, wins: range(0, out).map((j) => range(Math.floor(j * n / out), Math.ceil((j + 1) * n / out))) };
    }
    const k = per(p.kernelSize, i);
    const st = p.stride === undefined ? k : per(p.stride, i);
    const dl = p.dilation === undefined ? 1 : per(p.dilation, i);
    let pb = 0, pe = 0;
    const pad = p.padding;
    if (typeof pad === 'number') pb = pe = pad;
    else if (Array.isArray(pad)) pb = pe = pad[i];
    else if (pad && typeof pad === 'object') { pb = pad.begin[i]; pe = pad.end[i]; }
    else if (pad === 'same' || pad === 'same_lower') {
      const total = Math.max(0, (Math.ceil(n / st) - 1) * st + (k - 1) * dl + 1 - n);
      pb = pad === 'same' ? Math.floor(total / 2) : Math.ceil(total / 2);
      pe = total - pb;
    }
    return { n, pb, pe, wins: range(0, out).map((j) => range(0, k).map((t) => j * st - pb + t * dl)) };
  }
  function geometry(p, sd, od) {
    const d = sd.length;
    const axes = sd.map((n, i) => axis(p, n, od[i], i));
    const one = { n: 1, pb: 0, pe: 0, wins: [[0]] };
    const [rows, cols] = d === 1 ? [one, axes[0]] : axes;
    const ext = (a) => {
      let lo = Math.min(0, -a.pb), hi = Math.max(a.n - 1, a.n - 1 + a.pe);
      a.wins.forEach((w) => w.forEach((t) => { lo = Math.min(lo, t); hi = Math.max(hi, t); }));
      return { lo, hi };
    };
    const g = { rows, cols, er: ext(rows), ec: ext(cols), oH: rows.wins.length, oW: cols.wins.length, ok: true };
    g.nw = g.oH * g.oW;
    return g;
  }
  const kind = (a, t) => (t >= 0 && t < a.n ? 'real' : t >= -a.pb && t < a.n + a.pe ? 'pad' : 'beyond');
  const winOf = (k) => { const g = S.geo; const c = Math.floor(k / g.nw), w = k % g.nw; return { c, oy: Math.floor(w / g.oW), ox: w % g.oW }; };
  /// Plane coordinates of an index as the service wrote it.
  /// Under a convention the answer's rules say how its indices count (base, space, order).
  function cellOfIndex(c, v) {
    const r = S.fwd && S.fwd.rules, q = S.params || {};
    const space = String(r ? r.indexSpace : q.indexSpace || 'plane');
    const order = r ? r.indexOrder : q.indexOrder || 'row_major';
    let i = v - (r && typeof r.indexBase === 'number' ? r.indexBase : 0);
    const P = S.H * S.W;
    if (space.includes('nhwc') || (space === 'tensor' && lastL())) i = Math.floor(i / S.C);
    else if (space !== 'plane') i = i % P;
    if (S.dims === 1) return { y: 0, x: i };
    return order === 'column_major' ? { y: i % S.H, x: Math.floor(i / S.H) } : { y: Math.floor(i / S.W), x: i % S.W };
  }
  function winner(k) {
    if (!S.fwd || !S.fwd.idx) return null;
    const { c, oy, ox } = winOf(k);
    return { c, ...cellOfIndex(c, S.fwd.idx[c][oy * S.geo.oW + ox]) };
  }

  // ---- the input and gradOutput data -------------------------------------------------------------
  function resizeInput(C, H, W, fill) {
    const old = S.x, oH = S.H, oW = S.W;
    S.x = range(0, C).map((c) => range(0, H * W).map((i) => {
      const y = Math.floor(i / W), x = i % W;
      if (fill) return String(fill(c, y, x));
      return old[c] && y < oH && x < oW && old[c][y * oW + x] !== undefined ? old[c][y * oW + x] : '0';
    }));
    S.C = C; S.H = H; S.W = W;
  }
  function fillGrad(kind_, C, n) {
    return range(0, C).map((c) => range(0, n).map((i) =>
      String(kind_ === 'ones' ? 1 : kind_ === 'random' ? Math.floor(Math.random() * 9) + 1 : c * n + i + 1)));
  }

  // ---- HTTP ---------------------------------------------------------------------------------------
  async function post(path, body) {
    const key = path + body;
    if (S.cache.has(key)) return S.cache.get(key);
    let r;
    try {
      const res = await fetch(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
      const json = await res.json().catch(() => null);
      r = { status: res.status, json };
    } catch (e) {
      r = { status: 0, json: null };
    }
    if (r.status === 200) {
      if (S.cache.size > 400) S.cache.clear();
      S.cache.set(key, r);
    }
    return r;
  }
  // ---- 16-bit input: rounded to nearest even and sent as {shape, dtype, b64} -------------------------
  const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
  function float16Bits(v) {
    f32[0] = v;
    const x = u32[0], sign = (x >>> 16) & 0x8000, exp = (x >>> 23) & 0xff, man = x & 0x7fffff;
    if (exp === 255) return sign | 0x7c00 | (man ? 0x200 : 0);
    const e = exp - 112;
    if (e >= 31) return sign | 0x7c00;
    const m = e <= 0 ? man | 0x800000 : man, shift = e <= 0 ? 14 - e : 13;
    if (shift > 24) return sign;
    let h = (e <= 0 ? 0 : e << 10) | (m >>> shift);
    const rest = m & ((1 << shift) - 1), half = 1 << (shift - 1);
    if (rest > half || (rest === half && (h & 1))) h++; // a carry into the exponent is the right rounding
    return sign | h;
  }
  function bfloat16Bits(v) {
    f32[0] = v;
    const x = u32[0];
    if (Number.isNaN(v)) return (x >>> 16) | 0x40;
    return Math.floor((x + 0x7fff + ((x >>> 16) & 1)) / 65536) & 0xffff;
  }
  /// The input as a 16-bit binary tensor, or null when a value is not a number (sent as typed, so
  /// that the service's 422 names the cell).
  function binaryInput(dtype, last) {
    const typo = (v) => { const w = wire(v); return typeof w === 'string' && !/^-?(NaN|Infinity)$/.test(w); };
    if (S.x.some((pl) => pl.some(typo))) return null;
    const values = flatten(nest(S.x, spatial(), last, wire), []);
    const bits = dtype === 'float16' ? float16Bits : bfloat16Bits;
    let bin = '';
    values.forEach((v) => { const b = bits(v); bin += String.fromCharCode(b & 0xff, b >>> 8); });
    const shape = last ? [1].concat(spatial(), [S.C]) : [1, S.C].concat(spatial());
    return { shape, dtype, b64: btoa(bin) };
  }
  function bodies(p, gradPlanes) {
    const last = p.layout === 'channels_last';
    const half = F.inputDtype.value ? binaryInput(F.inputDtype.value, last) : null;
    if (half) p = Object.assign({}, p, { encoding: 'nested' });
    const input = half || nest(S.x, spatial(), last, wire);
    const fwd = Object.assign({}, p, { input });
    const bwd = Object.assign({}, p, { input });
    if (gradPlanes) bwd.gradOutput = nest(gradPlanes, S.geo ? odims() : spatial(), last, wire);
    return { fwd, bwd };
  }
  const lastL = () => (S.params ? S.params.layout === 'channels_last' : F.layout.value === 'channels_last');
  const odims = () => (S.dims === 1 ? [S.geo.oW] : [S.geo.oH, S.geo.oW]);

  // ---- recompute -------------------------------------------------------------------------------------
  let debounce = null;
  function schedule(ms) {
    document.body.dataset.state = 'busy';
    clearTimeout(debounce);
    debounce = setTimeout(recompute, ms === undefined ? 220 : ms);
  }

  async function recompute() {
    const gen = ++S.gen;
    document.body.dataset.state = 'busy';
    const p = params();
    const { fwd } = bodies(p, null);
    const fBody = JSON.stringify(fwd);
    S.curl = { forward: fBody, backward: null, compare: null };
    renderCurl();
    const f = await post('/pool/forward', fBody);
    if (gen !== S.gen) return;
    if (f.status !== 200) return fail(gen, [f]);
    const last = p.layout === 'channels_last';
    const out = unnest(f.json.output, f.json.outputShape, last);
    const sd = spatial();
    S.samples = f.json.samples ? flatten(f.json.samples, []).slice(0, sd.length) : null;
    const od = out.sd;
    const geo = geometry(p, sd, od);
    const fa = {
      out: out.planes,
      idx: f.json.indices ? unnest(f.json.indices, f.json.outputShape, last).planes : null,
      mask: f.json.mask ? unnest(f.json.mask, last ? [1].concat(sd, [S.C]) : [1, S.C].concat(sd), last).planes : null,
      shape: f.json.outputShape,
      rules: f.json.rules || null,
    };
    showRules(f.json.rules);
    // gradOutput follows the output's shape; keep it while the shape stays.
    if (!S.g || S.g.length !== S.C || S.g[0].length !== geo.nw || !S.geo || S.geo.oW !== geo.oW) S.g = fillGrad(S.gFill, S.C, geo.nw);
    const shapeChanged = !S.geo || S.geo.oH !== geo.oH || S.geo.oW !== geo.oW || S.geo.er.lo !== geo.er.lo || S.geo.er.hi !== geo.er.hi ||
      S.geo.ec.lo !== geo.ec.lo || S.geo.ec.hi !== geo.ec.hi || S.geo.rows.n !== geo.rows.n || S.geo.cols.n !== geo.cols.n || S.fwd === null ||
      S.renderedC !== S.C || S.renderedKey !== shapeKey();
    S.geo = geo;
    S.fwd = fa;
    S.params = p;
    checkGeometry();
    const b = bodies(p, S.g);
    const bBody = JSON.stringify(b.bwd);
    S.curl.backward = bBody;
    S.base = { p, bwdBody: b.bwd };
    const tieBodies = isMax() && tiesShown() ? ['first', 'last', 'split'].map((t) => {
      const q = Object.assign({}, b.bwd, { ties: t });
      if (t === 'first') delete q.ties;
      return JSON.stringify(q);
    }) : [];
    const answers = await Promise.all([post('/pool/backward', bBody)].concat(tieBodies.map((x) => post('/pool/backward', x))));
    if (gen !== S.gen) return;
    const bad = answers.filter((a) => a.status !== 200);
    if (bad.length) return fail(gen, bad);
    S.gin = unnest(answers[0].json.gradInput, gradShape(), last).planes;
    S.ties = isMax() && tiesShown() ? { first: unnest(answers[1].json.gradInput, gradShape(), last).planes,
      last: unnest(answers[2].json.gradInput, gradShape(), last).planes,
      split: unnest(answers[3].json.gradInput, gradShape(), last).planes } : null;
    S.route = null;
    clearProblems();
    if (shapeChanged) buildAll(); else refreshAll();
    renderCurl();
    document.body.classList.remove('stale');
    if (S.step) await showStep(); else applyActive();
    if ($('#compare-on').checked) await runCompare(gen, b.bwd);
    if (gen === S.gen) { document.body.dataset.state = 'ready'; document.body.dataset.generation = String(gen); }
  }
  /// The three tie rules side by side, for inputs small enough to repeat three times.
  const tiesShown = () => S.C * S.H * S.W <= 1024 && !F.convention.value;
  /// The rules an answer under a convention carries, as one line.
  function showRules(rules) {
    const e = $('[data-testid=rules]');
    e.hidden = !rules;
    e.textContent = rules ? 'rules: ' + Object.keys(rules).map((k) => k + ' ' + rules[k]).join(' · ') : '';
  }
  const gradShape = () => (lastL() ? [1].concat(spatial(), [S.C]) : [1, S.C].concat(spatial()));

  function fail(gen, answers) {
    stopPlay();
    const errs = [];
    const seen = new Set();
    answers.forEach((a) => {
      const j = a.json;
      if (a.status === 0) errs.push({ pointer: '', detail: 'cannot reach the service' });
      else if (j && Array.isArray(j.errors)) j.errors.forEach((e) => errs.push(e));
      else errs.push({ pointer: '', detail: (j && (j.title + (j.detail ? ': ' + j.detail : ''))) || 'HTTP ' + a.status });
    });
    if (!S.geo || S.renderedKey !== shapeKey()) buildBare();
    showProblems(errs.filter((e) => { const k = e.pointer + '\u0000' + e.detail; if (seen.has(k)) return false; seen.add(k); return true; }));
    document.body.classList.add('stale');
    clearCompare();
    $('#arrows').textContent = '';
    document.body.dataset.state = 'problem';
    document.body.dataset.generation = String(gen);
  }

  const shapeKey = () => [S.dims, S.C, S.H, S.W].join('x');
  /// After a refused request for a new shape: the input alone, without windows or answers.
  function buildBare() {
    const line = (n) => ({ n, pb: 0, pe: 0, wins: [] });
    S.geo = { rows: line(S.dims === 1 ? 1 : S.H), cols: line(S.W), er: { lo: 0, hi: (S.dims === 1 ? 1 : S.H) - 1 }, ec: { lo: 0, hi: S.W - 1 },
      oH: 0, oW: 0, nw: 0, ok: false };
    S.fwd = null; S.gin = null; S.ties = null;
    sizeCells();
    buildInput();
    S.renderedKey = shapeKey();
    S.renderedC = -1;
    ['output', 'indices', 'mask', 'grad-output', 'grad-input', 'grad-input-first', 'grad-input-last', 'grad-input-split']
      .forEach((t) => { $('[data-testid=' + t + ']').textContent = ''; });
    S.cellsOut = []; S.cellsIdx = []; S.cellsMask = []; S.cellsGo = []; S.cellsGi = []; S.cellsTies = [[], [], []];
    S.geo = null;
    $('#arrows').textContent = '';
  }

  /// Checks that the drawn windows agree with the service: every selected index lies in its window.
  function checkGeometry() {
    const g = S.geo;
    g.ok = true;
    if (!S.fwd.idx) return;
    for (let k = 0; k < S.C * g.nw && g.ok; k++) {
      const w = winOf(k), c = winner(k);
      if (!g.rows.wins[w.oy].includes(c.y) || !g.cols.wins[w.ox].includes(c.x)) g.ok = false;
    }
  }

  // ---- compare view: the same layer under every framework (POST /pool/compare) -------------------------
  const COMPARE_TENSORS = ['output', 'indices', 'gradInput'];
  const FIXED_BY_CONVENTION = ['ties', 'nan', 'lpAbs', 'convention', 'opset'];
  const shapeOf = (v) => (Array.isArray(v) ? [v.length].concat(shapeOf(v[0])) : []);
  const signed = (v) => (Object.is(v, -0) ? '−0' : fmt(v));

  /// Asks for the backward request's layer under every convention, then draws the answers; a
  /// refusal is shown in the compare box, not at the controls (the single call was fine).
  async function runCompare(gen, bwdBody) {
    const body = Object.assign({}, bwdBody);
    FIXED_BY_CONVENTION.forEach((k) => delete body[k]);
    const json = JSON.stringify(body);
    S.curl.compare = json;
    renderCurl();
    const box = $('.compare-box');
    box.dataset.state = 'busy';
    const r = await post('/pool/compare', json);
    if (gen !== S.gen) return;
    if (r.status === 200) renderCompare(r.json, body.layout === 'channels_last');
    else {
      $('#compare-agreement').textContent = '';
      $('#compare-cards').textContent = '';
      $('#compare-status').textContent = 'Not compared: ' + ((r.json && r.json.errors) ? r.json.errors.map((e) => e.pointer + ' ' + e.detail).join('; ') : 'HTTP ' + r.status);
    }
    box.dataset.state = r.status === 200 ? 'ready' : 'problem';
    box.dataset.generation = String(gen);
  }
  function clearCompare() {
    $('#compare-agreement').textContent = '';
    $('#compare-cards').textContent = '';
    $('.compare-box').dataset.state = 'off';
  }

  /// Plane index (c · cells per plane + spatial offset) of a tensor position [n, c, …] or [n, …, c].
  function planeIndexOf(at, shape, last) {
    const c = last ? at[at.length - 1] : at[1];
    const sp = last ? at.slice(1, -1) : at.slice(2), sd = last ? shape.slice(1, -1) : shape.slice(2);
    const P = sd.reduce((a, b) => a * b, 1);
    return c * P + sp.reduce((acc, v, i) => acc * sd[i] + v, 0);
  }
  /// For each convention and tensor, the differing cells and the rules named for them.
  function differingCells(res, last) {
    const marks = {};
    const answer = {};
    res.answers.forEach((a) => { answer[a.convention] = a; marks[a.convention] = {}; });
    res.differences.forEach((d) => d.conventions.forEach((conv) => {
      const t = answer[conv] && answer[conv][d.tensor];
      if (t === undefined) return;
      const byCell = marks[conv][d.tensor] || (marks[conv][d.tensor] = new Map());
      d.cells.forEach((cell) => {
        const k = planeIndexOf(cell.at, shapeOf(t), last);
        const rules = byCell.get(k) || [];
        if (!rules.includes(d.rule)) rules.push(d.rule);
        byCell.set(k, rules);
      });
    }));
    return marks;
  }
  function compareGrid(testid, tensor, last, marked) {
    const { planes, sd } = unnest(tensor, shapeOf(tensor), last);
    const rows = sd.length === 1 ? 1 : sd[0], cols = sd[sd.length - 1];
    const grid = h('div', { class: 'grid mini', 'data-testid': testid, role: 'group', 'aria-label': testid.replace('compare-', '') });
    planes.forEach((pl, c) => {
      const box = planeBox(grid, c, cols);
      for (let y = 0; y < rows; y++) {
        const row = rowEl(box);
        for (let x = 0; x < cols; x++) {
          const v = pl[y * cols + x], k = c * rows * cols + y * cols + x;
          const e = cellEl('span', c, y, x, k, testid.replace('compare-', '') + ' ' + where(c, y, x) + ' = ' + signed(v));
          e.dataset.value = Object.is(v, -0) ? '-0' : text(v);
          e.textContent = signed(v);
          const rules = marked && marked.get(k);
          if (rules) { e.classList.add('differs'); e.dataset.rule = rules.join(' '); e.title = 'differs, rule: ' + rules.join(', '); }
          row.append(e);
        }
      }
    });
    return grid;
  }
  /// One difference as seen from `conv`: the tensor, the other convention, the rule and how each resolves it.
  function differenceLine(d, conv, answer) {
    const other = d.conventions[0] === conv ? d.conventions[1] : d.conventions[0];
    const li = h('li', { 'data-testid': 'compare-diff', 'data-tensor': d.tensor, 'data-rule': d.rule, 'data-other': other });
    const rulesOf = (c) => (answer[c] && answer[c].rules ? answer[c].rules[d.rule] : undefined);
    li.append(d.tensor + ' ≠ ' + other + (d.shapes ? ' (shape ' + JSON.stringify(d.shapes) + ')' : ', ' + d.cellCount + ' cell' + (d.cellCount === 1 ? '' : 's')) + ': rule ',
      h('code', null, d.rule));
    if (rulesOf(conv) !== undefined) li.append(' (' + rulesOf(conv) + ' here, ' + rulesOf(other) + ' there)');
    return li;
  }
  function compareCard(a, res, marks, last, answer) {
    const card = h('article', { class: 'compare-card', 'data-testid': 'compare-card', 'data-convention': a.convention });
    card.append(h('h3', null, a.convention + (a.rules && a.rules.opset ? ' · opset ' + a.rules.opset : '')));
    (a.unsupported || []).forEach((u) => {
      const p = h('p', { class: 'problem', 'data-testid': 'compare-unsupported', 'data-pointer': u.pointer });
      p.append(h('code', null, u.pointer), ' ' + u.detail);
      card.append(p);
    });
    if (a.call) card.append(h('code', { class: 'call', 'data-testid': 'compare-call' }, a.call));
    COMPARE_TENSORS.filter((t) => a[t] !== undefined).forEach((t) => {
      const wrap = h('div', { class: 'ctensor' });
      wrap.append(h('h4', null, t), compareGrid('compare-' + t, a[t], last, marks[a.convention][t]));
      card.append(wrap);
    });
    const mine = res.differences.filter((d) => d.conventions.includes(a.convention));
    if (mine.length) card.append(h('ul', { class: 'diffs' }));
    mine.forEach((d) => card.lastChild.append(differenceLine(d, a.convention, answer)));
    return card;
  }
  function agreementLine(tensor, groups) {
    const p = h('p', { 'data-testid': 'compare-agree', 'data-tensor': tensor });
    p.append(h('b', null, tensor), groups.length === 1 ? ' all agree: ' : ' agree in groups: ');
    groups.forEach((g, i) => {
      if (i) p.append(' | ');
      p.append(h('span', { class: 'agree-group', 'data-conventions': g.join(' ') }, g.join(' = ')));
    });
    return p;
  }
  function renderCompare(res, last) {
    const answer = {};
    res.answers.forEach((a) => { answer[a.convention] = a; });
    const marks = differingCells(res, last);
    $('#compare-agreement').replaceChildren(...Object.keys(res.agreement).map((t) => agreementLine(t, res.agreement[t])));
    $('#compare-cards').replaceChildren(...res.answers.map((a) => compareCard(a, res, marks, last, answer)));
    $('#compare-status').textContent = res.differences.length
      ? res.differences.length + ' difference' + (res.differences.length === 1 ? '' : 's') + ': ringed cells differ; each card names the rule behind them. ties, nan and lpAbs are each framework\'s own.'
      : 'Every framework that can express this layer gives the same numbers.';
  }

  // ---- problems -------------------------------------------------------------------------------------
  function clearProblems() {
    $$('[data-testid=problem]').forEach((e) => e.remove());
    $$('[aria-invalid=true]').forEach((e) => e.removeAttribute('aria-invalid'));
    $$('.cell.invalid').forEach((e) => e.classList.remove('invalid'));
  }
  function showProblems(errs) {
    clearProblems();
    errs.forEach((e, i) => {
      const ptr = String(e.pointer || '');
      const seg = ptr.split('/')[1] || '';
      let host = null, control = null;
      if (seg === 'input' || seg === 'gradOutput') {
        host = seg === 'input' ? $('#input-panel') : $('#grad-output-panel');
        markCell(seg, ptr.split('/').slice(2).map(Number));
      } else if (seg && PARAM_NAMES.includes(seg)) {
        control = F[seg] instanceof RadioNodeList ? F[seg][0] : F[seg];
        host = control.closest('.field');
      }
      const id = 'problem-' + i;
      const p = h('p', { class: 'problem', 'data-testid': 'problem', 'data-pointer': ptr, id, role: 'alert' });
      if (ptr) p.append(h('code', null, ptr), ' ');
      p.append(e.detail || '');
      (host || $('#problems')).append(p);
      if (control) {
        const list = F[seg] instanceof RadioNodeList ? Array.from(F[seg]) : [control];
        list.forEach((c) => { c.setAttribute('aria-invalid', 'true'); c.setAttribute('aria-errormessage', id); });
      }
    });
  }
  function markCell(which, path) {
    // path: [n, c, y, x] (channels_first) or [n, y, x, c]; 1-D without y.
    if (path.some(Number.isNaN)) return;
    const last = F.layout.value === 'channels_last';
    const d = S.dims;
    if (path.length < d + 2) return;
    const c = last ? path[d + 1] : path[1];
    const sp = last ? path.slice(1, d + 1) : path.slice(2, d + 2);
    const y = d === 1 ? 0 : sp[0], x = sp[d - 1];
    const cells = which === 'input' ? S.cellsIn : S.cellsGo;
    const el = cells[c] && cells[c].find((e) => +e.dataset.y === y && +e.dataset.x === x);
    if (el) { el.classList.add('invalid'); (el.querySelector('input') || el).setAttribute('aria-invalid', 'true'); }
  }

  // ---- rendering -------------------------------------------------------------------------------------
  function sizeCells() {
    const g = S.geo;
    const cols = g.ec.hi - g.ec.lo + 1;
    const room = Math.max(240, window.innerWidth - 70);
    const budget = Math.min(room, S.dims === 1 ? 620 : 340);
    S.cell = Math.max(20, Math.min(window.innerWidth < 500 ? 40 : 46, Math.floor(budget / cols)));
    const st = document.documentElement.style;
    st.setProperty('--cell', S.cell + 'px');
    st.setProperty('--fs', Math.max(9, Math.round(S.cell * 0.3)) + 'px');
    st.setProperty('--mini', Math.max(14, Math.min(28, Math.floor(S.cell * 0.62))) + 'px');
  }
  function planeBox(container, c, cols) {
    const wrap = h('div', { class: 'plane-wrap' });
    if (S.C > 1) wrap.append(h('div', { class: 'caption' }, 'channel ' + c));
    const pl = h('div', { class: 'plane', role: 'grid' });
    pl.style.setProperty('--cols', String(cols));
    wrap.append(pl);
    container.append(wrap);
    return pl;
  }
  function rowEl(pl) { const r = h('div', { class: 'prow', role: 'row' }); pl.append(r); return r; }
  function cellEl(tag, c, y, x, index, label) {
    const e = h(tag, { class: 'cell', role: 'gridcell', 'data-index': String(index), 'data-c': String(c), 'data-y': String(y), 'data-x': String(x), 'aria-label': label });
    return e;
  }
  const where = (c, y, x) => (S.C > 1 ? 'channel ' + c + ' ' : '') + (S.dims === 1 ? '(' + x + ')' : '(' + y + ', ' + x + ')');

  /// The input grid: real cells are editable; padding and overhang cells are drawn around them.
  function buildInput() {
    const grid = $('[data-testid=input]');
    grid.textContent = '';
    S.cellsIn = []; S.ghosts = [];
    const g = S.geo;
    const cols = g.ec.hi - g.ec.lo + 1;
    for (let c = 0; c < S.C; c++) {
      const pl = planeBox(grid, c, cols);
      const list = [], all = [];
      for (let y = g.er.lo; y <= g.er.hi; y++) {
        const r = rowEl(pl);
        for (let x = g.ec.lo; x <= g.ec.hi; x++) {
          const kr = kind(g.rows, y), kc = kind(g.cols, x);
          let e;
          if (kr === 'real' && kc === 'real') {
            const i = y * S.W + x;
            e = cellEl('span', c, y, x, c * S.H * S.W + i, null);
            const inp = h('input', { 'aria-label': 'input ' + where(c, y, x), inputmode: 'decimal', tabindex: list.length ? '-1' : '0', spellcheck: 'false' });
            inp.value = S.x[c][i];
            e.dataset.value = text(num(wire(S.x[c][i])));
            e.append(inp);
            list.push(e);
          } else {
            const k_ = kr === 'beyond' || kc === 'beyond' ? 'beyond' : 'pad';
            e = h('span', { class: 'cell ghost ' + k_, 'aria-hidden': 'true', 'data-gy': String(y), 'data-gx': String(x) });
          }
          e.dataset.gy = String(y); e.dataset.gx = String(x);
          r.append(e);
          all.push(e);
        }
      }
      const ov = s('svg', { class: 'windows', width: String(cols * S.cell), height: String((g.er.hi - g.er.lo + 1) * S.cell) });
      pl.append(ov);
      S.cellsIn.push(list); S.ghosts.push(all);
    }
    drawWindows();
  }
  /// Every window's outline on the input, inset a little by index so overlapping ones stay apart.
  function drawWindows() {
    const g = S.geo;
    $$('[data-testid=input] svg.windows').forEach((ov, c) => {
      ov.textContent = '';
      if (!g.ok || g.nw > 256) return;
      for (let w = 0; w < g.nw; w++) {
        const r = g.rows.wins[Math.floor(w / g.oW)], cl = g.cols.wins[w % g.oW];
        const y0 = Math.min.apply(null, r) - g.er.lo, y1 = Math.max.apply(null, r) - g.er.lo + 1;
        const x0 = Math.min.apply(null, cl) - g.ec.lo, x1 = Math.max.apply(null, cl) - g.ec.lo + 1;
        const inset = 2 + (w % 3) * 2;
        ov.append(s('rect', { class: 'win', 'data-w': String(c * g.nw + w), x: x0 * S.cell + inset, y: y0 * S.cell + inset,
          width: Math.max(2, (x1 - x0) * S.cell - 2 * inset), height: Math.max(2, (y1 - y0) * S.cell - 2 * inset), rx: 3 }));
      }
    });
  }
  function buildPlainGrid(testid, n, oH, oW, label, editable) {
    const grid = $('[data-testid=' + testid + ']');
    grid.textContent = '';
    const all = [];
    for (let c = 0; c < n; c++) {
      const pl = planeBox(grid, c, oW);
      const list = [];
      for (let y = 0; y < oH; y++) {
        const r = rowEl(pl);
        for (let x = 0; x < oW; x++) {
          const e = cellEl('span', c, y, x, c * oH * oW + y * oW + x, editable ? null : label + ' ' + where(c, y, x));
          if (editable) e.append(h('input', { 'aria-label': label + ' ' + where(c, y, x), inputmode: 'decimal', tabindex: list.length ? '-1' : '0', spellcheck: 'false' }));
          else e.tabIndex = list.length ? -1 : 0;
          r.append(e);
          list.push(e);
        }
      }
      all.push(list);
    }
    return all;
  }
  function buildAll() {
    marked = [];
    sizeCells();
    const g = S.geo;
    S.renderedC = S.C;
    S.renderedKey = shapeKey();
    buildInput();
    const iH = S.dims === 1 ? 1 : S.H;
    S.cellsOut = buildPlainGrid('output', S.C, g.oH, g.oW, 'output');
    S.cellsIdx = buildPlainGrid('indices', S.C, g.oH, g.oW, 'index');
    S.cellsMask = buildPlainGrid('mask', S.C, iH, S.W, 'mask');
    S.cellsGo = buildPlainGrid('grad-output', S.C, g.oH, g.oW, 'gradOutput', true);
    S.cellsGi = buildPlainGrid('grad-input', S.C, iH, S.W, 'gradInput');
    const tiesRows = tiesShown() ? iH : 0;
    S.cellsTies = ['first', 'last', 'split'].map((t) => buildPlainGrid('grad-input-' + t, S.C, tiesRows, S.W, 'gradInput (ties ' + t + ')'));
    refreshAll();
  }
  function paintValues(cells, planes, opts) {
    if (!planes) { cells.forEach((l) => l.forEach((e) => { e.dataset.value = ''; e.textContent = ''; })); return; }
    let scale = 0;
    planes.forEach((pl) => pl.forEach((v) => { if (Number.isFinite(v)) scale = Math.max(scale, Math.abs(v)); }));
    const label = opts && opts.label ? opts.label + ' ' : '';
    cells.forEach((list, c) => list.forEach((e, i) => {
      const v = planes[c][i];
      const shown = fmt(v);
      e.dataset.value = text(v);
      e.textContent = shown;
      if (opts && opts.heat) heat(e, v, scale);
      e.setAttribute('aria-label', label + where(c, +e.dataset.y, +e.dataset.x) + ' = ' + shown);
    }));
  }
  /// Sequential blue for positive values, orange for negative ones; lightness carries the size.
  function heat(e, v, scale) {
    e.classList.remove('dark', 'neg', 'nan');
    if (!Number.isFinite(v)) { e.style.backgroundColor = ''; e.classList.add('nan'); return; }
    const t = scale > 0 ? Math.min(1, Math.abs(v) / scale) : 0;
    if (t === 0) { e.style.backgroundColor = ''; return; }
    const [r, g, b] = v < 0 ? [230, 120, 0] : [0, 94, 160];
    const a = 0.12 + 0.78 * t;
    e.style.backgroundColor = 'rgba(' + r + ',' + g + ',' + b + ',' + a.toFixed(3) + ')';
    if (v < 0) e.classList.add('neg');
    if (a > 0.55) e.classList.add('dark');
  }
  function refreshAll() {
    const max = isMax();
    document.body.classList.toggle('mode-max', max);
    $('#input-shape').textContent = '[' + (F.layout.value === 'channels_last' ? [1].concat(spatial(), [S.C]) : [1, S.C].concat(spatial())).join(', ') + ']';
    $('#output-shape').textContent = '[' + S.fwd.shape.join(', ') + ']';
    $('#indices-space').textContent = F.indexSpace.value === 'tensor' ? 'into the whole tensor' : 'inside each plane';
    S.cellsIn.forEach((list, c) => list.forEach((e) => {
      const i = +e.dataset.y * S.W + +e.dataset.x;
      e.dataset.value = text(num(wire(S.x[c][i])));
      const inp = e.querySelector('input');
      if (document.activeElement !== inp) inp.value = S.x[c][i];
    }));
    paintValues(S.cellsOut, S.fwd.out, { label: 'output' });
    paintValues(S.cellsIdx, max ? S.fwd.idx : null, { label: 'index' });
    paintValues(S.cellsMask, max ? S.fwd.mask : null, { heat: true, label: 'mask' });
    S.cellsGo.forEach((list, c) => list.forEach((e, i) => {
      e.dataset.value = text(num(wire(S.g[c][i])));
      const inp = e.querySelector('input');
      if (document.activeElement !== inp) inp.value = S.g[c][i];
    }));
    paintValues(S.cellsGi, S.gin, { heat: true, label: 'gradInput' });
    ['first', 'last', 'split'].forEach((t, j) => paintValues(S.cellsTies[j], S.ties ? S.ties[t] : null, { heat: true, label: 'ties ' + t }));
    if (!S.ties && isMax()) $('#ties-note').textContent = 'Shown for inputs of up to 1024 cells; switch ties above to compare.';
    if (S.ties) {
      let differ = 0;
      S.cellsTies.forEach((grid) => grid.forEach((list, c) => list.forEach((e, i) => {
        const a = S.ties.first[c][i], b = S.ties.last[c][i], d = S.ties.split[c][i];
        const diff = !(Object.is(a, b) && Object.is(b, d));
        e.classList.toggle('differs', diff);
        if (diff) differ++;
      })));
      const chosen = (form.querySelector('input[name=ties]:checked') || {}).value || 'first';
      $$('#ties-panel .ties-row > div').forEach((d, j) => d.classList.toggle('chosen', ['first', 'last', 'split'][j] === chosen));
      $('#ties-note').textContent = differ === 0 ? 'No window has tied maxima here: all three rules agree. Try the “Ties” preset.'
        : 'Cells with a dotted ring differ between the rules: a tied window sends its whole gradient to its first or its last maximum, or shares it equally.';
    }
    drawWindows();
  }

  // ---- highlighting ---------------------------------------------------------------------------------
  // Highlights are remembered so that clearing them touches only the marked cells.
  let marked = [];
  function mark(e, cls) { e.classList.add(cls); marked.push([e, cls]); }
  function clearMarks() {
    for (const [e, cls] of marked) e.classList.remove(cls);
    marked = [];
  }
  function ghostAt(c, y, x) {
    const g = S.geo;
    const cols = g.ec.hi - g.ec.lo + 1;
    return S.ghosts[c] && S.ghosts[c][(y - g.er.lo) * cols + (x - g.ec.lo)];
  }
  function markWindow(k, strong) {
    const g = S.geo;
    if (!g || !g.ok || k >= S.C * g.nw) return;
    const { c, oy, ox } = winOf(k);
    if (strong) g.rows.wins[oy].forEach((y) => g.cols.wins[ox].forEach((x) => { const e = ghostAt(c, y, x); if (e) mark(e, 'in-window'); }));
    const r = $('[data-testid=input] svg.windows rect[data-w="' + k + '"]');
    if (r) mark(r, strong ? 'on' : 'near');
  }
  function markWinner(k) {
    const w = winner(k);
    if (!w) return null;
    const e = ghostAt(w.c, w.y, w.x);
    if (e) mark(e, 'won');
    const m = S.cellsMask[w.c] && S.cellsMask[w.c][w.y * S.W + w.x];
    if (m) mark(m, 'won');
    return w;
  }
  function markOut(k, cls) {
    const { c } = winOf(k);
    const w = k % S.geo.nw;
    [S.cellsOut, S.cellsIdx, S.cellsGo].forEach((cells) => { const e = cells[c] && cells[c][w]; if (e) mark(e, cls); });
  }

  /// The cells one window's gradient reaches: the service's gradInput for a one-hot gradOutput.
  async function routeOf(k) {
    if (S.route && S.route.k === k && S.route.gen === S.gen) return S.route.planes;
    const g1 = S.g.map((pl, c) => pl.map((_, i) => (c * S.geo.nw + i === k ? '1' : '0')));
    const body = Object.assign({}, S.base.bwdBody, { gradOutput: nest(g1, odims(), lastL(), wire) });
    const gen = S.gen;
    const r = await post('/pool/backward', JSON.stringify(body));
    if (r.status !== 200 || gen !== S.gen) return null;
    const planes = unnest(r.json.gradInput, gradShape(), lastL()).planes;
    S.route = { k, planes, gen };
    return planes;
  }

  function current() { return S.hover || S.active || (S.step ? { kind: 'window', k: S.step.k } : null); }

  async function applyActive() {
    const token_ = ++S.routeToken;
    if (!S.geo || !S.fwd) return;
    clearMarks();
    const a = current();
    if (S.step) markStepProgress();
    if (!a) { drawArrows(null, null); explain(null); return; }
    if (a.kind === 'window') {
      markWindow(a.k, true);
      markOut(a.k, 'active');
      const w = markWinner(a.k);
      const fwdOnly = S.step && S.step.phase === 'forward' && !S.hover && !S.active;
      const planes = fwdOnly ? null : await routeOf(a.k);
      if (token_ !== S.routeToken) return;
      if (planes) {
        const { c } = winOf(a.k);
        planes[c].forEach((v, i) => { if (v !== 0) { const e = S.cellsGi[c][i]; if (e) mark(e, 'routed'); } });
      }
      drawArrows(a.k, planes, null, fwdOnly);
      explain(a, w, planes);
    } else {
      const { c, y, x } = a;
      const g = S.geo;
      const e = ghostAt(c, y, x); if (e) mark(e, 'active');
      [S.cellsMask, S.cellsGi].forEach((cells) => { const m = cells[c] && cells[c][y * S.W + x]; if (m) mark(m, 'active'); });
      const wins = [];
      for (let w = 0; w < g.nw; w++) {
        if (g.rows.wins[Math.floor(w / g.oW)].includes(y) && g.cols.wins[w % g.oW].includes(x)) {
          const k = c * g.nw + w;
          wins.push(k);
          markWindow(k, false);
          markOut(k, 'contains');
          const wn = winner(k);
          if (wn && wn.y === y && wn.x === x) markOut(k, 'won');
        }
      }
      drawArrows(null, null, { c, y, x, wins });
      explain(a, null, null, wins);
    }
  }
  S.routeToken = 0;

  // ---- arrows (gradient routing) -------------------------------------------------------------------------
  function center(el, box) {
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2 - box.left, y: r.top + r.height / 2 - box.top };
  }
  function arrowPath(from, to, cls) {
    const dx = to.x - from.x, dy = to.y - from.y;
    const bend = 0.18;
    const mx = from.x + dx / 2 - dy * bend, my = from.y + dy / 2 + dx * bend;
    // Start and end near the cells' edges, along the curve, so that no number is covered.
    const pull = (p, r) => { const ex = mx - p.x, ey = my - p.y, d = Math.hypot(ex, ey) || 1; return { x: p.x + ex / d * r, y: p.y + ey / d * r }; };
    const r = Math.min(S.cell * 0.42, Math.hypot(dx, dy) / 3);
    from = pull(from, r * 0.6); to = pull(to, r);
    return s('path', { d: 'M' + from.x.toFixed(1) + ' ' + from.y.toFixed(1) + ' Q' + mx.toFixed(1) + ' ' + my.toFixed(1) + ' ' + to.x.toFixed(1) + ' ' + to.y.toFixed(1),
      class: cls, 'marker-end': cls === 'faint' ? 'url(#head-faint)' : 'url(#head)' });
  }
  /// The arrows to draw, as [from cell, to cell, style]: gradOutput → gradInput for the gradient,
  /// the winning input cell → its output cell for the forward pass.
  function arrowPairs(k, planes, cellInfo, fwdOnly) {
    const pairs = [];
    if (!S.geo || !S.fwd || document.body.classList.contains('stale')) return pairs;
    const nw = S.geo.nw;
    if (k != null && (planes || fwdOnly)) {
      const { c } = winOf(k);
      const src = S.cellsGo[c][k % nw];
      if (planes) planes[c].forEach((v, i) => { if (v !== 0) pairs.push([src, S.cellsGi[c][i], 'strong']); });
      const w = winner(k);
      const inCell = w && S.cellsIn[w.c] && S.cellsIn[w.c].find((e) => +e.dataset.y === w.y && +e.dataset.x === w.x);
      if (inCell) pairs.push([inCell, S.cellsOut[c][k % nw], 'forward']);
      return pairs;
    }
    if (cellInfo) {
      const dst = S.cellsGi[cellInfo.c][cellInfo.y * S.W + cellInfo.x];
      cellInfo.wins.forEach((kk) => {
        const wn = winner(kk);
        if (!isMax() || (wn && wn.y === cellInfo.y && wn.x === cellInfo.x)) pairs.push([S.cellsGo[cellInfo.c][kk % nw], dst, 'strong']);
      });
      return pairs;
    }
    // Nothing active: every window's route, for max pooling with one selected cell per window.
    const tie = (form.querySelector('input[name=ties]:checked') || {}).value;
    if (!isMax() || tie === 'split' || S.C * nw > 128 || S.step) return pairs;
    for (let kk = 0; kk < S.C * nw; kk++) {
      const w = winner(kk);
      pairs.push([S.cellsGo[winOf(kk).c][kk % nw], S.cellsGi[w.c][w.y * S.W + w.x], 'faint']);
    }
    return pairs;
  }
  function drawArrows(k, planes, cellInfo, fwdOnly) {
    const svg = $('#arrows');
    const stage = $('#stage');
    const pairs = arrowPairs(k, planes, cellInfo, fwdOnly);
    // Read every position first, then write: one layout, not one per arrow.
    const box = stage.getBoundingClientRect();
    // The stage's own box, not its scroll size: that counts this svg too, so a width drawn on a wide
    // screen would outlive a resize to a phone (the page stayed 536 px too wide at 390 px).
    const w = stage.clientWidth, h = stage.clientHeight;
    const lines = pairs.map(([a, b, cls]) => [center(a, box), center(b, box), cls]);
    const frag = document.createDocumentFragment();
    const defs = s('defs', {});
    [['head', 'head'], ['head-faint', 'head faint']].forEach(([id, cls]) => {
      const m = s('marker', { id, viewBox: '0 0 10 10', refX: '9', refY: '5', markerWidth: '7', markerHeight: '7', orient: 'auto-start-reverse' });
      m.append(s('path', { d: 'M0 0 L10 5 L0 10 z', class: cls }));
      defs.append(m);
    });
    frag.append(defs);
    lines.forEach(([a, b, cls]) => frag.append(arrowPath(a, b, cls)));
    svg.setAttribute('width', String(w));
    svg.setAttribute('height', String(h));
    svg.replaceChildren(frag);
  }

  // ---- the explanation line ---------------------------------------------------------------------------------
  function explain(a, w, planes, wins) {
    const out = $('#explain');
    if (!a) {
      out.textContent = S.geo && !S.geo.ok ? 'The windows cannot be drawn for these parameters, but every number shown is the service\'s.'
        : 'Hover or focus a cell: an output cell shows its window and the cell that won it; an input cell shows the windows it lies in.';
      return;
    }
    const g = S.geo;
    const mode = F.mode.value;
    if (a.kind === 'window') {
      const { c, oy, ox } = winOf(a.k);
      const r = g.rows.wins[oy], cl = g.cols.wins[ox];
      const n = { real: 0, pad: 0, beyond: 0 };
      r.forEach((y) => cl.forEach((x) => {
        const a_ = kind(g.rows, y), b_ = kind(g.cols, x);
        n[a_ === 'beyond' || b_ === 'beyond' ? 'beyond' : a_ === 'pad' || b_ === 'pad' ? 'pad' : 'real']++;
      }));
      const pos = S.dims === 1 ? '(' + ox + ')' : '(' + oy + ', ' + ox + ')';
      const extra = [n.pad ? n.pad + ' padded' : '', n.beyond ? n.beyond + ' past the padded border' : ''].filter(Boolean);
      let t = 'Window ' + pos + (S.C > 1 ? ' of channel ' + c : '') + ' covers ' + n.real + ' input cell' + (n.real === 1 ? '' : 's') +
        (extra.length ? ', ' + extra.join(' and ') : '') + '. ';
      const y = S.fwd.out[c][oy * g.oW + ox];
      const go = num(wire(S.g[c][oy * g.oW + ox]));
      if (mode === 'max' && w) t += 'Its maximum ' + fmt(y) + ' is input ' + where(c, w.y, w.x) + '. ';
      else if (mode === 'avg') {
        const share = planes ? planes[c].find((v) => v !== 0) : undefined;
        t += 'Its average is ' + fmt(y) + (share ? ' (the sum divided by ' + fmt(1 / share) + ')' : '') + '. ';
      }
      else t += 'Its Lp norm is ' + fmt(y) + '. ';
      if (planes) {
        const hits = [];
        planes[c].forEach((v, i) => { if (v !== 0) hits.push(where(c, S.dims === 1 ? 0 : Math.floor(i / S.W), i % S.W) + ' gets ' + fmt(go * v)); });
        t += 'Backward, its gradOutput ' + fmt(go) + (hits.length ? ' goes to: ' + hits.slice(0, 12).join('; ') + (hits.length > 12 ? '; …' : '') + '.' : ' reaches no cell.');
      }
      out.textContent = t;
    } else {
      const { c, y, x } = a;
      const won = wins.filter((k) => { const wn = winner(k); return wn && wn.y === y && wn.x === x; });
      const gi = S.gin ? S.gin[c][y * S.W + x] : NaN;
      out.textContent = 'Input ' + where(c, y, x) + ' lies in ' + wins.length + ' window' + (wins.length === 1 ? '' : 's') +
        (isMax() ? ' and is selected by ' + won.length : '') + '; its gradient is ' + fmt(gi) + (wins.length > 1 ? ', the sum over those windows.' : '.');
    }
  }

  // ---- step-through ------------------------------------------------------------------------------------------
  function total() { return S.geo ? S.C * S.geo.nw : 0; }
  function markStepProgress() {
    const st = S.step;
    for (let k = 0; k < total(); k++) {
      if (st.phase === 'forward' && k > st.k) markOut(k, 'pending');
      if (st.phase === 'backward' && k < st.k) { const { c } = winOf(k); const e = S.cellsGo[c][k % S.geo.nw]; if (e) mark(e, 'done'); }
    }
  }
  async function partialPlanes(k, unit) {
    const g1 = S.g.map((pl, c) => pl.map((v, i) => (c * S.geo.nw + i <= k ? (unit ? '1' : v) : '0')));
    const body = Object.assign({}, S.base.bwdBody, { gradOutput: nest(g1, odims(), lastL(), wire) });
    const r = await post('/pool/backward', JSON.stringify(body));
    return r.status === 200 ? unnest(r.json.gradInput, gradShape(), lastL()).planes : null;
  }
  async function showStep() {
    const st = S.step;
    if (!st || !S.geo) return;
    const gen = S.gen;
    const n = total();
    const { c, oy, ox } = winOf(st.k);
    const pos = S.dims === 1 ? '(' + ox + ')' : '(' + oy + ', ' + ox + ')';
    $('#step-status').textContent = (st.phase === 'forward' ? 'Forward' : 'Backward') + ': window ' + (st.k + 1) + ' of ' + n + ', ' +
      (S.C > 1 ? 'channel ' + c + ', ' : '') + 'output ' + pos + (st.phase === 'forward' ? ' — the mask counts the windows so far.' : ' — gradInput sums the gradients so far.');
    document.body.classList.add('stepping');
    let mask = S.fwd.mask, gin = S.gin;
    if (st.phase === 'forward') {
      mask = isMax() ? await partialPlanes(st.k, true) : null;
      gin = S.gin.map((pl) => pl.map(() => 0));
    } else {
      gin = await partialPlanes(st.k, false);
    }
    if (gen !== S.gen || S.step !== st) return;
    paintValues(S.cellsMask, isMax() ? mask : null, { heat: true, label: 'mask' });
    paintValues(S.cellsGi, gin, { heat: true, label: 'gradInput' });
    S.cellsOut.forEach((list, cc) => list.forEach((e, i) => { e.textContent = st.phase === 'forward' && cc * S.geo.nw + i > st.k ? '' : fmt(S.fwd.out[cc][i]); }));
    S.cellsIdx.forEach((list, cc) => list.forEach((e, i) => { if (S.fwd.idx) e.textContent = st.phase === 'forward' && cc * S.geo.nw + i > st.k ? '' : fmt(S.fwd.idx[cc][i]); }));
    await applyActive();
  }
  function stepTo(phase, k) {
    if (!S.geo || document.body.classList.contains('stale')) return;
    S.step = { phase, k };
    S.hover = null;
    showStep();
  }
  function stepBy(d) {
    const n = total();
    if (!n) return;
    if (!S.step) return stepTo('forward', 0);
    let { phase, k } = S.step;
    k += d;
    if (k >= n) { if (phase === 'forward') { phase = 'backward'; k = 0; } else { stopPlay(); return; } }
    if (k < 0) { if (phase === 'backward') { phase = 'forward'; k = n - 1; } else k = 0; }
    stepTo(phase, k);
  }
  function play() {
    if (S.timer) return stopPlay();
    if (!S.step || (S.step.phase === 'backward' && S.step.k === total() - 1)) stepTo('forward', 0);
    $('#step-play').textContent = '⏸ Pause';
    $('#step-play').setAttribute('aria-pressed', 'true');
    $('#step-play').setAttribute('aria-label', 'Pause (p)');
    S.timer = setInterval(() => stepBy(1), Number($('#speed').value));
  }
  function stopPlay() {
    clearInterval(S.timer);
    S.timer = null;
    $('#step-play').textContent = '▶ Play';
    $('#step-play').setAttribute('aria-pressed', 'false');
    $('#step-play').setAttribute('aria-label', 'Play (p)');
  }
  function leaveStep() {
    stopPlay();
    if (!S.step) return;
    S.step = null;
    document.body.classList.remove('stepping');
    $('#step-status').textContent = 'Left the step-through. Press . or ▶| to start again.';
    if (S.fwd) { refreshAll(); applyActive(); }
  }

  // ---- events -----------------------------------------------------------------------------------------------
  function readShape() {
    const clamp = (v, lo, hi, d) => { const n = parseInt(v, 10); return Number.isFinite(n) ? Math.max(lo, Math.min(hi, n)) : d; };
    S.dims = F.dims.value === '1' ? 1 : 2;
    const C = clamp(F.channels.value, 1, 4, S.C);
    const W = clamp(F.width.value, 1, 32, S.W);
    const H = S.dims === 1 ? 1 : clamp(F.height.value, 1, 32, S.H === 1 ? 4 : S.H);
    resizeInput(C, H, W);
  }
  const stepHelp = Array.from($('#step-status').childNodes).map((n) => n.cloneNode(true));
  function loadPreset(name) {
    const pr = PRESETS[name];
    if (!pr) return;
    leaveStep();
    $('#step-status').replaceChildren(...stepHelp.map((n) => n.cloneNode(true)));
    form.reset();
    F.preset.value = name;
    S.dims = pr.dims;
    F.dims.value = String(pr.dims); F.channels.value = String(pr.C); F.height.value = String(pr.H); F.width.value = String(pr.W);
    S.C = pr.C; S.H = pr.H; S.W = pr.W;
    S.x = pr.x.map((pl) => pl.map(String));
    for (const k in pr.set) {
      const e = F[k];
      if (e.type === 'checkbox') e.checked = !!pr.set[k]; else e.value = pr.set[k];
    }
    S.gFill = pr.grad;
    S.g = null;
    S.geo = null;
    syncEnabled();
    schedule(0);
  }
  function customised() { if (F.preset.value !== 'custom') F.preset.value = 'custom'; }

  form.addEventListener('submit', (e) => e.preventDefault());
  form.addEventListener('input', (e) => {
    const t = e.target;
    if (t === F.preset || t === F.brush || t === F.paint) return;
    if (t === F.dims || t === F.channels || t === F.width || t === F.height) { readShape(); S.geo = null; }
    if (t.name !== 'ties') customised();
    if (t === F.convention) F.countIncludePad.checked = cipDefault();  // the box shows what will be computed
    syncEnabled();
    schedule();
  });
  F.preset.addEventListener('change', () => loadPreset(F.preset.value));
  $('#randomize').addEventListener('click', () => { resizeInput(S.C, S.H, S.W, () => Math.floor(Math.random() * 10)); customised(); schedule(0); });
  $('#zero').addEventListener('click', () => { resizeInput(S.C, S.H, S.W, () => 0); customised(); schedule(0); });
  $$('[data-fill]').forEach((b) => b.addEventListener('click', () => {
    S.gFill = b.dataset.fill;
    if (S.geo) S.g = fillGrad(S.gFill, S.C, S.geo.nw);
    schedule(0);
  }));

  // Editing cells of the input and gradOutput grids.
  let painting = false;
  function cellData(e) {
    const cell = e.target.closest && e.target.closest('.cell[data-index]');
    if (!cell) return null;
    const grid = cell.closest('.grid');
    return { cell, grid: grid && grid.dataset.testid, c: +cell.dataset.c, y: +cell.dataset.y, x: +cell.dataset.x };
  }
  $('#stage').addEventListener('input', (e) => {
    const d = cellData(e);
    if (!d || (d.grid !== 'input' && d.grid !== 'grad-output')) return;
    const v = e.target.value;
    if (d.grid === 'input') { S.x[d.c][d.y * S.W + d.x] = v; customised(); } else S.g[d.c][d.y * S.geo.oW + d.x] = v;
    d.cell.dataset.value = text(num(wire(v)));
    schedule();
  });
  function paintCell(d) {
    if (!d || d.grid !== 'input') return;
    const v = F.brush.value.trim() || '0';
    S.x[d.c][d.y * S.W + d.x] = v;
    const inp = d.cell.querySelector('input');
    inp.value = v;
    d.cell.dataset.value = text(num(wire(v)));
    customised();
    schedule(120);
  }
  $('#stage').addEventListener('pointerdown', (e) => {
    if (!F.paint.checked) return;
    const d = cellData(e);
    if (!d || d.grid !== 'input') return;
    e.preventDefault();
    painting = true;
    paintCell(d);
  });
  document.addEventListener('pointerup', () => { painting = false; });

  // Hover and focus: windows for output-side cells, the reverse for input-side ones.
  function targetOf(e) {
    const d = cellData(e);
    if (!d || !S.geo || !S.fwd) return null;
    if (['output', 'indices', 'grad-output'].includes(d.grid)) return { kind: 'window', k: d.c * S.geo.nw + d.y * S.geo.oW + d.x };
    if (['input', 'mask', 'grad-input'].includes(d.grid) || /^grad-input-/.test(d.grid)) return { kind: 'cell', c: d.c, y: d.y, x: d.x };
    return null;
  }
  const same = (a, b) => a && b && a.kind === b.kind && a.k === b.k && a.c === b.c && a.y === b.y && a.x === b.x;
  $('#stage').addEventListener('pointerover', (e) => {
    if (painting && F.paint.checked) paintCell(cellData(e));
    const t = targetOf(e);
    if (!t || same(t, S.hover)) return;
    S.hover = t;
    applyActive();
  });
  $('#stage').addEventListener('pointerleave', () => { S.hover = null; applyActive(); });
  $('#stage').addEventListener('focusin', (e) => {
    const t = targetOf(e);
    if (!t) return;
    S.active = t;
    // Roving tabindex: the focused cell is the grid's tab stop.
    const d = cellData(e);
    const grid = d.cell.closest('.grid');
    $$('.cell[data-index]', grid).forEach((c) => { const f = c.querySelector('input') || c; f.tabIndex = c === d.cell ? 0 : -1; });
    applyActive();
  });
  $('#stage').addEventListener('focusout', (e) => {
    if (!e.relatedTarget || !$('#stage').contains(e.relatedTarget)) { S.active = null; applyActive(); }
  });
  $('#stage').addEventListener('keydown', (e) => {
    const d = cellData(e);
    if (!d) return;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    const m = moves[e.key];
    if (!m) return;
    const inp = e.target.tagName === 'INPUT' ? e.target : null;
    if (inp && m[0] === 0) {
      const atStart = inp.selectionStart === 0 && inp.selectionEnd === 0, atEnd = inp.selectionStart === inp.value.length;
      if ((m[1] < 0 && !atStart) || (m[1] > 0 && !atEnd)) return;
    }
    const next = $('.cell[data-index][data-c="' + d.c + '"][data-y="' + (d.y + m[0]) + '"][data-x="' + (d.x + m[1]) + '"]', d.cell.closest('.grid'));
    if (next) { e.preventDefault(); (next.querySelector('input') || next).focus(); }
  });

  // Step-through controls and keys.
  $('#step-first').addEventListener('click', () => stepTo('forward', 0));
  $('#step-prev').addEventListener('click', () => stepBy(-1));
  $('#step-next').addEventListener('click', () => stepBy(1));
  $('#step-play').addEventListener('click', play);
  $('#step-stop').addEventListener('click', leaveStep);
  $('#speed').addEventListener('change', () => { if (S.timer) { stopPlay(); play(); } });
  document.addEventListener('keydown', (e) => {
    const t = e.target;
    const typing = t && (t.tagName === 'INPUT' || t.tagName === 'SELECT' || t.tagName === 'TEXTAREA');
    if (e.key === 'Escape') { if (S.step) { e.preventDefault(); leaveStep(); } return; }
    if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
    if (e.key === '.') { e.preventDefault(); stopPlay(); stepBy(1); }
    else if (e.key === ',') { e.preventDefault(); stopPlay(); stepBy(-1); }
    else if (e.key === 'p' || e.key === 'P') { e.preventDefault(); play(); }
    else if (e.key === 'Home' && S.step) { e.preventDefault(); stepTo('forward', 0); }
  });

  // The curl command of the current request.
  function shellQuote(t) { return "'" + t.replace(/'/g, "'\\''") + "'"; }
  function renderCurl() {
    const which = $('#curl-which').value;
    const body = S.curl && S.curl[which];
    $('#curl').textContent = body ? 'curl -s ' + location.origin + '/pool/' + which + " -H 'Content-Type: application/json' -d " + shellQuote(body)
      : which === 'compare' ? '(turn on “compare side by side”)' : '(the backward request follows a valid forward one)';
  }
  $('#curl-which').addEventListener('change', renderCurl);
  $('#compare-on').addEventListener('change', () => { if (!$('#compare-on').checked) { clearCompare(); S.curl.compare = null; renderCurl(); } schedule(0); });
  $('#copy').addEventListener('click', () => {
    const t = $('#curl').textContent;
    const done = (ok) => { $('#copied').textContent = ok ? 'Copied.' : 'Select the text and copy it.'; setTimeout(() => { $('#copied').textContent = ''; }, 2500); };
    const fallback = () => {
      const r = document.createRange(); r.selectNodeContents($('#curl'));
      const sel = getSelection(); sel.removeAllRanges(); sel.addRange(r);
      let ok = false;
      try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
      done(ok);
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(t).then(() => done(true), fallback); else fallback();
  });

  let resizeTimer = null;
  window.addEventListener('resize', () => { clearTimeout(resizeTimer); resizeTimer = setTimeout(applyActive, 100); });

  syncEnabled();
  loadPreset('example');
})();
