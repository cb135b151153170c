#!/usr/bin/env python3
"""Golden ONNX pooling: Tests/Fixtures/golden/onnx-maxpool.json and onnx-pooling.json.

Source: the ONNX backend node tests of the installed onnx package (MaxPool, GlobalMaxPool,
AveragePool, LpPool, GlobalAveragePool), read from their `.pb` files with onnx.numpy_helper. The
PyPI wheel ships the test *definitions* but not the node `.pb` files, so they are first written
with the package's own writer (what `backend-test-tools generate-data` does) into a temporary
directory; only tests with at most 128 input elements are kept (the files stay small).

- onnx-maxpool.json: every small MaxPool / GlobalMaxPool test, `indexSpace: "tensor"` (ONNX's
  Indices count over the whole tensor). `test_maxpool_with_argmax_2d_precomputed_strides` has
  `storage_order` 1, so `indexOrder: "column_major"`; its and `..._pads`' indices are ONNX's own.
  The other tests have no Indices output: their indices come from onnxruntime running the same
  node with the Indices output added. A few extra onnxruntime cases (N, C > 1, storage_order 1,
  2-D and 3-D) pin down where the batch and channel offsets go with column-major indices.
- onnx-pooling.json: the small AveragePool / LpPool / GlobalAveragePool tests, forward as ONNX
  gives it.

ONNX defines no gradient. gradOutput (small integers) is chosen here; max gradInput is
gradOutput scattered through the indices, avg/lp gradInput comes from scripts/golden/contract_ref.py
(the contract's formulas); each case lists such fields in `derived`. Every ONNX output is also
recomputed with contract_ref and must agree (exactly for max, 1e-5 relative otherwise).
"""
import os
import tempfile

import numpy as np
import onnx
import onnx.backend.test.case.node as node_cases
from onnx import helper, numpy_helper, TensorProto

import contract_ref as ref
from golden_common import flat, small_ints, write

SEED = 41
MAX_INPUT = 128


def materialize(case, root):
    """Writes a node test's model and data set 0 as ONNX's .pb files; returns the directory."""
    out = os.path.join(root, case.name)
    data = os.path.join(out, "test_data_set_0")
    os.makedirs(data)
    with open(os.path.join(out, "model.onnx"), "wb") as f:
        f.write(case.model.SerializeToString())
    inputs, outputs = case.data_sets[0]
    for j, a in enumerate(inputs):
        with open(os.path.join(data, f"input_{j}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(a, case.model.graph.input[j].name).SerializeToString())
    for j, a in enumerate(outputs):
        with open(os.path.join(data, f"output_{j}.pb"), "wb") as f:
            f.write(numpy_helper.from_array(a, case.model.graph.output[j].name).SerializeToString())
    return out


def read_pb(path):
    t = TensorProto()
    with open(path, "rb") as f:
        t.ParseFromString(f.read())
    return numpy_helper.to_array(t)


def load(directory):
    model = onnx.load(os.path.join(directory, "model.onnx"))
    data = os.path.join(directory, "test_data_set_0")
    ins = [read_pb(os.path.join(data, f)) for f in sorted(os.listdir(data)) if f.startswith("input_")]
    outs = [read_pb(os.path.join(data, f)) for f in sorted(os.listdir(data)) if f.startswith("output_")]
    return model, ins, outs


def attributes(node):
    a = {x.name: helper.get_attribute_value(x) for x in node.attribute}
    return {k: (v.decode() if isinstance(v, bytes) else v) for k, v in a.items()}


def params_of(op, attrs, d):
    """The contract's parameters for an ONNX pooling node."""
    mode = {"MaxPool": "max", "GlobalMaxPool": "max", "AveragePool": "avg", "GlobalAveragePool": "avg",
            "LpPool": "lp"}[op]
    p = {"mode": mode}
    if op.startswith("Global"):
        p["global"] = True
    else:
        p["kernelSize"] = list(attrs["kernel_shape"])
        p["stride"] = list(attrs.get("strides", [1] * d))  # ONNX's default stride is 1, the contract's the kernel
        auto = attrs.get("auto_pad", "NOTSET")
        if auto == "SAME_UPPER":
            p["padding"] = "same"
        elif auto == "SAME_LOWER":
            p["padding"] = "same_lower"
        elif auto == "VALID":
            p["padding"] = "valid"
        elif "pads" in attrs:
            pads = list(attrs["pads"])
            begin, end = pads[:d], pads[d:]
            p["padding"] = begin if begin == end else {"begin": begin, "end": end}
        if "dilations" in attrs:
            p["dilation"] = list(attrs["dilations"])
        if attrs.get("ceil_mode"):
            p["ceilMode"] = True
    if mode == "avg" and not op.startswith("Global"):
        p["countIncludePad"] = bool(attrs.get("count_include_pad", 0))  # ONNX's default 0
    if mode == "lp":
        p["p"] = float(attrs.get("p", 2))
    if mode == "max":
        p["indexSpace"] = "tensor"
        if attrs.get("storage_order", 0) == 1:
            p["indexOrder"] = "column_major"
    return p


def ort_maxpool(x, attrs, op="MaxPool", indices=True):
    """onnxruntime's output (and Indices) for a pooling node with these attributes."""
    import onnxruntime as ort
    outs = ["y", "z"] if indices else ["y"]
    node = helper.make_node(op, ["x"], outs, **attrs)
    vinfo = [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)]
    if indices:
        vinfo.append(helper.make_tensor_value_info("z", TensorProto.INT64, None))
    graph = helper.make_graph([node], "g", [helper.make_tensor_value_info("x", TensorProto.FLOAT, list(x.shape))],
                              vinfo)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 22)])
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, {"x": x})


def tensor_to_cf_positions(idx, shape, order):
    """Row-major flat positions (channels_first) of tensor-space, possibly column-major, indices."""
    N, C = shape[:2]
    spatial = shape[2:]
    plane = int(np.prod(spatial))
    nc, within = np.divmod(idx, plane)
    pos = np.unravel_index(within, spatial, order="F" if order == "column_major" else "C")
    return nc * plane + np.ravel_multi_index(pos, spatial)


def max_case(name, x, y, z, params, rng, source, derived):
    order = params.get("indexOrder", "row_major")
    want = ref.forward(x, params)
    plane_idx = want["indices"]
    tensor_idx = ref.tensor_index_for_layout(plane_idx, x.shape, "channels_first")
    if not np.array_equal(want["output"], y.astype(np.float64)) or not np.array_equal(tensor_idx, z):
        raise SystemExit(f"{name}: the contract's reference disagrees with {source}")
    g = small_ints(rng, y.shape).astype(np.float32)
    gx = np.zeros(x.size)
    np.add.at(gx, tensor_to_cf_positions(z.reshape(-1), x.shape, order), g.reshape(-1))
    return {"name": name, "dtype": "float32", "params": params, "input": flat(x), "output": flat(y),
            "indices": flat(z, integer=True), "gradOutput": flat(g), "gradInput": flat(gx.reshape(x.shape)),
            "derived": derived, "source": source}


def main():
    rng = np.random.default_rng(SEED)
    import onnxruntime
    tests = [c for c in node_cases.collect_testcases()
             if c.model.graph.node and c.model.graph.node[0].op_type in
             ("MaxPool", "GlobalMaxPool", "AveragePool", "LpPool", "GlobalAveragePool")]
    max_cases, other_cases, checked_only = [], [], []
    with tempfile.TemporaryDirectory() as root:
        for c in tests:
            model, ins, outs = load(materialize(c, root))
            node = model.graph.node[0]
            x = ins[0]
            if x.dtype != np.float32:
                continue  # the contract has no uint8 tensors
            attrs = attributes(node)
            d = x.ndim - 2
            params = params_of(node.op_type, attrs, d)
            small = x.size <= MAX_INPUT
            if params["mode"] == "max":
                if len(outs) == 2:
                    y, z = outs
                    ry, rz = ort_maxpool(x, attrs, node.op_type)
                    if not (np.array_equal(ry, y) and np.array_equal(rz, z)):
                        raise SystemExit(f"{c.name}: onnxruntime disagrees with the ONNX test data")
                    src, derived = f"ONNX {onnx.__version__} backend test {c.name}", ["gradOutput", "gradInput"]
                else:
                    y = outs[0]
                    if node.op_type == "GlobalMaxPool":  # as a MaxPool over the whole plane, for Indices
                        ry, z = ort_maxpool(x, {"kernel_shape": list(x.shape[2:])})
                    else:
                        ry, z = ort_maxpool(x, attrs, node.op_type)
                    if not np.array_equal(ry, y):
                        raise SystemExit(f"{c.name}: onnxruntime disagrees with the ONNX test data")
                    src = f"ONNX {onnx.__version__} backend test {c.name}; indices by onnxruntime {onnxruntime.__version__}"
                    derived = ["indices", "gradOutput", "gradInput"]
                case = max_case(c.name.removeprefix("test_"), x, y, z, params, rng, src, derived)
                if small:
                    max_cases.append(case)
                else:
                    checked_only.append(c.name)
            else:
                y = outs[0]
                note = None
                (ry,) = ort_maxpool(x, attrs, node.op_type, indices=False)
                if not np.allclose(ry, y, rtol=1e-5, atol=0):
                    if not np.allclose(ry, y, atol=5e-4):
                        raise SystemExit(f"{c.name}: onnxruntime disagrees with the ONNX test data")
                    note = "ONNX's expected output is rounded to 4 decimals; output from onnxruntime"
                    y = ry
                want = ref.forward(x, params)["output"]
                if not np.allclose(want, y, rtol=1e-5, atol=1e-6):
                    raise SystemExit(f"{c.name}: the contract's reference disagrees with ONNX: "
                                     f"{want.ravel()[:6]} vs {y.ravel()[:6]}")
                if not small:
                    checked_only.append(c.name)
                    continue
                g = small_ints(rng, y.shape).astype(np.float32)
                gx = ref.backward(x, g, params)
                other_cases.append({"name": c.name.removeprefix("test_"), "dtype": "float32", "params": params,
                                    "input": flat(x), "output": flat(y), "gradOutput": flat(g),
                                    "gradInput": flat(gx), "derived": ["gradOutput", "gradInput"],
                                    "source": f"ONNX {onnx.__version__} backend test {c.name}"})
                if note:
                    other_cases[-1]["note"] = note
    # onnxruntime: column-major and row-major indices with batch and channel offsets
    for name, shape, attrs in [
            ("ort_maxpool_2d_column_major_n2c3", (2, 3, 5, 4), {"kernel_shape": [2, 3], "strides": [2, 1], "storage_order": 1}),
            ("ort_maxpool_2d_column_major_pads_n2c2", (2, 2, 4, 5), {"kernel_shape": [3, 3], "strides": [2, 2], "pads": [1, 1, 1, 1], "storage_order": 1}),
            ("ort_maxpool_3d_column_major_n1c2", (1, 2, 3, 4, 5), {"kernel_shape": [2, 2, 2], "strides": [1, 2, 2], "storage_order": 1}),
            ("ort_maxpool_2d_row_major_n2c2", (2, 2, 5, 4), {"kernel_shape": [2, 2], "strides": [1, 2]})]:
        x = rng.standard_normal(shape).astype(np.float32)
        y, z = ort_maxpool(x, attrs)
        params = params_of("MaxPool", attrs, len(shape) - 2)
        max_cases.append(max_case(name, x, y, z, params, rng, f"onnxruntime {onnxruntime.__version__} MaxPool",
                                  ["gradOutput", "gradInput"]))
    print("checked against the reference but too large to keep:", ", ".join(checked_only))
    write("onnx-maxpool.json", f"ONNX {onnx.__version__} backend node tests, onnxruntime {onnxruntime.__version__}",
          SEED, max_cases)
    write("onnx-pooling.json", f"ONNX {onnx.__version__} backend node tests", SEED, other_cases)


if __name__ == "__main__":
    main()
