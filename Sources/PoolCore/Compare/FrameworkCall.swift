import Pooling

/// The call that reproduces a job's answer in its convention's framework, as source text.
enum FrameworkCall {
    static func text(_ job: PoolJob, backward: Bool) -> String? {
        guard let convention = job.convention?.convention else { return nil }
        let g = job.geometry
        let d = g.inputSpatial.count
        let (kernel, stride, dilation, ceil): ([Int], [Int], [Int], Bool)
        switch g.window {
        case .fixed(let k, let s, _, let dl, let c): (kernel, stride, dilation, ceil) = (k, s, dl, c)
        case .global: (kernel, stride, dilation, ceil) = (g.inputSpatial, g.inputSpatial.map { _ in 1 }, g.inputSpatial.map { _ in 1 }, false)
        default: return nil
        }
        let pads = g.padding
        let padding: Padding? = { if case .fixed(_, _, let p, _, _) = g.window { return p } else { return nil } }()
        let named: String? = padding == .same ? "SAME" : padding == .sameLower ? "SAME_LOWER" : padding == .valid ? "VALID" : nil
        var call: String
        switch convention {
        case .pytorch:
            let t = "(\(kernel.map(String.init).joined(separator: ", "))\(d == 1 ? "," : ""))"
            func tuple(_ v: [Int]) -> String { "(\(v.map(String.init).joined(separator: ", "))\(d == 1 ? "," : ""))" }
            switch job.function {
            case .max:
                call = "torch.nn.functional.max_pool\(d)d(x, kernel_size=\(t), stride=\(tuple(stride)), padding=\(tuple(pads.map(\.begin))), dilation=\(tuple(dilation)), ceil_mode=\(ceil ? "True" : "False"), return_indices=True)"
            case .avg(let o):
                call = "torch.nn.functional.avg_pool\(d)d(x, kernel_size=\(t), stride=\(tuple(stride)), padding=\(tuple(pads.map(\.begin))), ceil_mode=\(ceil ? "True" : "False"), count_include_pad=\(o.countIncludePad ? "True" : "False")\(o.divisorOverride.map { ", divisor_override=\($0)" } ?? ""))"
            case .lp(let p):
                call = "torch.nn.functional.lp_pool\(d)d(x, norm_type=\(p), kernel_size=\(t), stride=\(tuple(stride)), ceil_mode=\(ceil ? "True" : "False"))"
            }
            if g.layout == .channelsLast { call = "x = x.to(memory_format=torch.channels_last); " + call }
            if backward { call += "; torch.autograd.grad(y, x, grad_output)" }
        case .tensorflow:
            let nhwc = g.layout == .channelsLast ? "x" : "tf.transpose(x, [0, \((2..<(d + 2)).map(String.init).joined(separator: ", ")), 1])"
            let k = "[1, \(kernel.map(String.init).joined(separator: ", ")), 1]"
            let s = "[1, \(stride.map(String.init).joined(separator: ", ")), 1]"
            let pad = named.map { "'\($0)'" } ?? "[[0, 0], \(pads.map { "[\($0.begin), \($0.end)]" }.joined(separator: ", ")), [0, 0]]"
            let kind = job.function.mode == .max ? "max" : "avg"
            if dilation.contains(where: { $0 != 1 }) {
                call = "tf.nn.pool(\(nhwc), window_shape=\(kernel), pooling_type='\(kind.uppercased())', strides=\(stride), padding=\(pad), dilations=\(dilation))"
            } else {
                call = "tf.nn.\(kind)_pool\(d)d(\(nhwc), ksize=\(k), strides=\(s), padding=\(pad))"
            }
            if job.function.mode == .max, job.convention?.hasIndices == true {
                let batch = job.convention?.summary["indexSpace"] == .name(IndexForm.Space.tensorChannelsLast.rawValue)
                call += "; indices: tf.nn.max_pool_with_argmax(\(nhwc), ksize=\(k), strides=\(s), padding=\(pad), include_batch_in_index=\(batch ? "True" : "False"))"
            }
            if backward { call += "; gradient: tf.GradientTape().gradient(y, x, output_gradients=grad_output)" }
        case .onnx:
            let op = job.function.mode == .max ? "MaxPool" : job.function.mode == .avg ? "AveragePool" : "LpPool"
            let outputs = job.function.mode == .max ? "[\"Y\", \"Indices\"]" : "[\"Y\"]"
            var attributes = ["kernel_shape=\(kernel)", "strides=\(stride)"]
            if let named, named != "VALID" { attributes.append("auto_pad=\"\(named == "SAME" ? "SAME_UPPER" : named)\"") } else {
                attributes.append("pads=\(pads.map(\.begin) + pads.map(\.end))")
            }
            if dilation.contains(where: { $0 != 1 }) { attributes.append("dilations=\(dilation)") }
            if ceil { attributes.append("ceil_mode=1") }
            switch job.function {
            case .max: if job.indexOrder == .columnMajor { attributes.append("storage_order=1") }
            case .avg(let o): attributes.append("count_include_pad=\(o.countIncludePad ? 1 : 0)")
            case .lp(let p): attributes.append("p=\(Int(p))")
            }
            call = "onnx.helper.make_node(\"\(op)\", [\"X\"], \(outputs), \(attributes.joined(separator: ", "))) in a model of opset \(job.convention?.opset ?? Convention.newestOpset), run by onnxruntime.InferenceSession"
            if g.layout == .channelsLast { call = "X = x transposed to NCHW; " + call }
            if backward { call += "; ONNX has no gradient: poolserve sends each window's gradient to its Indices cell (max), or shares it by the divisor (avg, lp: ∂‖x‖p)" }
        case .jax:
            let front = g.layout == .channelsFirst ? "1, 1, " : "1, "
            let back = g.layout == .channelsLast ? ", 1" : ""
            let dims = "(\(front)\(kernel.map(String.init).joined(separator: ", "))\(back))"
            let strides = "(\(front)\(stride.map(String.init).joined(separator: ", "))\(back))"
            let pad = named.map { "'\($0)'" }
                ?? "(\(g.layout == .channelsFirst ? "(0, 0), (0, 0), " : "(0, 0), ")\(pads.map { "(\($0.begin), \($0.end))" }.joined(separator: ", "))\(g.layout == .channelsLast ? ", (0, 0)" : ""))"
            let dilated = dilation.contains { $0 != 1 } ? ", window_dilation=(\(front)\(dilation.map(String.init).joined(separator: ", "))\(back))" : ""
            switch job.function {
            case .max:
                call = "y = jax.lax.reduce_window(x, -jnp.inf, jax.lax.max, window_dimensions=\(dims), window_strides=\(strides), padding=\(pad)\(dilated))"
            case .avg(let o):
                let sum = "jax.lax.reduce_window(x, 0., jax.lax.add, window_dimensions=\(dims), window_strides=\(strides), padding=\(pad)\(dilated))"
                call = o.countIncludePad ? "y = \(sum) / \(kernel.reduce(1, *))"
                    : "y = \(sum) / jax.lax.reduce_window(jnp.ones_like(x), 0., jax.lax.add, window_dimensions=\(dims), window_strides=\(strides), padding=\(pad)\(dilated))"
            case .lp: return nil
            }
            if backward { call += "; jax.vjp(f, x)[1](grad_output)" }
        case .torch7:
            let k = kernel.reversed().map(String.init), s = stride.reversed().map(String.init), p = pads.reversed().map { String($0.begin) }
            let ceilText = ceil ? ":ceil()" : ""
            switch job.function {
            case .max:
                if d == 3 {
                    call = "nn.VolumetricMaxPooling(\(kernel[0]), \(kernel[2]), \(kernel[1]), \(stride[0]), \(stride[2]), \(stride[1]), \(pads[0].begin), \(pads[2].begin), \(pads[1].begin))\(ceilText)"
                } else if dilation.contains(where: { $0 != 1 }) {
                    let dl = dilation.reversed().map(String.init)
                    call = "nn.SpatialDilatedMaxPooling(\((k + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((s + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((p + (d == 1 ? ["0"] : [])).joined(separator: ", ")), \((dl + (d == 1 ? ["1"] : [])).joined(separator: ", ")))\(ceilText)"
                } else {
                    call = "nn.SpatialMaxPooling(\((k + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((s + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((p + (d == 1 ? ["0"] : [])).joined(separator: ", ")))\(ceilText)"
                }
            case .avg(let o):
                let name = d == 3 ? "nn.VolumetricAveragePooling" : "nn.SpatialAveragePooling"
                call = "\(name)(\((k + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((s + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((p + (d == 1 ? ["0"] : [])).joined(separator: ", ")))\(ceilText)\(o.countIncludePad ? "" : ":setCountExcludePad()")"
            case .lp(let pn):
                call = "nn.SpatialLPPooling(\(g.channels), \(pn), \((k + (d == 1 ? ["1"] : [])).joined(separator: ", ")), \((s + (d == 1 ? ["1"] : [])).joined(separator: ", ")))"
            }
            if d == 1 { call += " on x viewed as (N, C, 1, L)" }
            call += backward ? "; m:forward(x); m:backward(x, gradOutput)" : "; m:forward(x) (indices: m.indices)"
        }
        return call
    }
}
