import Pooling
import RequestDecoding

extension RequestValidator {
    /// The fields fractional windows exclude (contract "Fractional max pooling").
    static let fieldsFractionalExcludes = ["stride", "padding", "dilation", "ceilMode", "outputSize", "global"]

    /// Records the top-level fields `fractional` excludes.
    static func checkFractionalExclusions(_ fields: Fields, problems: inout ProblemList) {
        for name in fieldsFractionalExcludes where fields.given(name) {
            problems.add(.root / name, "is not allowed with \"fractional\" (its windows replace the regular ones)")
        }
    }

    /// Fractional windows for an input of `inputShape` (d spatial dims), with the samples the
    /// service drew when the request gave none; nil with every problem recorded, each at its
    /// field under `/fractional`.
    static func fractionalWindows(_ p: PoolParameters, _ f: FractionalParameters, inputShape: [Int], d: Int,
                                  computeType: ComputeType, limits: Limits, problems: inout ProblemList) -> (FractionalWindows, drawn: [Double]?)? {
        let base = JSONPointer.root / "fractional"
        let before = problems.count
        let layout = p.layout ?? .channelsFirst
        let spatial = layout == .channelsFirst ? Array(inputShape.dropFirst(2)) : Array(inputShape.dropFirst().dropLast())
        let (batch, channels) = (inputShape[0], layout == .channelsFirst ? inputShape[1] : inputShape[inputShape.count - 1])
        let given = f.given
        if let boundaries = f.boundaries {
            for name in ["outputSize", "outputRatio", "samples", "seed"] where given.contains(name) {
                problems.add(base / name, "is not allowed with \"boundaries\" (TensorFlow's windows: the boundaries are the windows)")
            }
            if p.kernelSize != nil { problems.add(.root / "kernelSize", "is not allowed with \"fractional.boundaries\" (each window spans its boundaries)") }
            guard boundaries.count == d else {
                problems.add(base / "boundaries", "has \(boundaries.count) lists but the input has \(d) spatial dimension(s)")
                return nil
            }
            let windows = FractionalWindows(.boundaries(boundaries, overlapping: f.overlapping ?? false))
            if let problem = windows.problem(spatial: spatial) { problems.add(base / "boundaries" / problem.axis, problem.message) }
            return problems.count == before ? (windows, nil) : nil
        }
        if given.contains("overlapping") { problems.add(base / "overlapping", "applies only with \"boundaries\"") }
        guard let kernel = p.kernelSize?.expanded(to: d) else {
            problems.add(.root / "kernelSize", "is required with \"fractional.outputSize\" or \"fractional.outputRatio\" (every window spans it)")
            return nil
        }
        let sizeField: String
        let outputSize: [Int]
        switch (f.outputSize, f.outputRatio) {
        case (let size?, nil):
            sizeField = "outputSize"
            if let n = size.listCount, n != d { problems.add(base / "outputSize", "has \(n) values but the input has \(d) spatial dimension(s)") }
            outputSize = size.expanded(to: d)
        case (nil, let ratio?):
            sizeField = "outputRatio"
            let r = ratio.expanded(to: d)
            if r.count != d { problems.add(base / "outputRatio", "has \(r.count) values but the input has \(d) spatial dimension(s)") }
            // PyTorch: int(input size × ratio), in double arithmetic.
            outputSize = zip(spatial, r).map { n, q in Int((Double(n) * q).rounded(.towardZero)) }
        case (_?, _?):
            problems.add(base / "outputRatio", "is not allowed with \"outputSize\" (give one of them)")
            return nil
        case (nil, nil):
            problems.add(base, "needs \"outputSize\" or \"outputRatio\" (PyTorch's windows) or \"boundaries\" (TensorFlow's)")
            return nil
        }
        guard problems.count == before else { return nil }
        for a in 0..<d {
            let (n, k, m) = (spatial[a], kernel[a], outputSize[a])
            let pointer = sizeField == "outputSize" && f.outputSize?.listCount == nil ? base / sizeField : base / sizeField / a
            if k > n {
                problems.add(p.kernelSize?.listCount == nil ? .root / "kernelSize" : .root / "kernelSize" / a,
                             "spatial dimension \(a): kernel \(k) is larger than the input size \(n)")
            } else if m < 1 {
                problems.add(pointer, "spatial dimension \(a): the output size would be \(m) (input size \(n)); it must be ≥ 1")
            } else if m > n - k + 1 {
                problems.add(pointer, "spatial dimension \(a): output size \(m) is larger than the input size \(n) minus the kernel \(k) plus one (\(n - k + 1))")
            }
        }
        guard problems.count == before else { return nil }
        let single = computeType == .float32
        let planes = batch * channels
        // Checked before any sample is drawn or read: each plane builds its own windows.
        let (planeCost, overflow) = planes.multipliedReportingOverflow(by: WorkCost.perPlaneWindows)
        guard !overflow, planeCost <= limits.maxWork else {
            problems.addLimit(base, "\(planes) planes each build their own fractional windows (\(WorkCost.perPlaneWindows) work units a plane), above the limit of \(limits.maxWork) (raise it with \(ServiceNames.Flag.maxWork))")
            return nil
        }
        let samples: [Double]
        var drawn: [Double]?
        if let payload = f.samples?.source {
            if given.contains("seed") { problems.add(base / "seed", "is not allowed with \"samples\" (give one of them)") }
            let wanted = [batch, channels, d]
            guard payload.shape == wanted else {
                problems.add(base / "samples", "has shape \(payload.shape) but must be [N, C, d] = \(wanted) for an input of shape \(inputShape)")
                return nil
            }
            guard let values = payload.read(Double.self, problems: &problems) else { return nil }
            if let i = values.firstIndex(where: { !($0 >= 0 && $0 < 1) }) {
                problems.add(base / "samples", "element \(i) is \(values[i]); every sample must lie in [0, 1)")
            }
            samples = values
        } else {
            samples = FractionalSampler.draw(count: planes * d, seed: f.seed ?? FractionalSampler.freshSeed())
            drawn = samples
        }
        guard problems.count == before else { return nil }
        let windows = FractionalWindows(.samples(kernel: kernel, outputSize: outputSize, samples: samples, singlePrecision: single))
        return (windows, drawn)
    }
}
