import CoreMetrics
import Pooling
import RequestDecoding

/// The one way from a request to the kernels, for every front end: validation with every rule
/// and limit, the memory reservation of the validated call, reading the tensors, the kernel
/// switch, index order both ways, the drawn samples, cancellation, stage times and the element
/// counter. A front end only translates its wire into a ``PoolRequest`` and the outcome back.
public struct PoolExecutor: Sendable {
    /// The size limits requests are held to.
    public let limits: Limits

    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// A computed call: the job it ran, what it computed, and the memory it was reserved
    /// (whose answer part sizes the front end's writer).
    public struct Computed: Sendable {
        public let job: PoolJob
        public let outcome: PoolOutcome
        public let estimate: MemoryEstimate
    }

    /// Runs `request`: validates it (stage `validate`), asks `reserve` for the memory the
    /// validated call will hold (false: ``PoolFailure/overBudget`` with nothing
    /// allocated), reads its tensors (stage `parse`), computes (stage `pool`), and counts the
    /// elements moved. A call cancelled while it computed is ``PoolFailure/cancelled``.
    /// - Parameter reserve: the front end's budget for the call's peak memory (its answer's size
    ///   per element depends on the wire).
    public func run(_ request: PoolRequest, clock: inout StageClock, cancellation: Cancellation = Cancellation(),
                    reserve: (PoolJob, MemoryEstimate) -> Bool = { _, _ in true }) -> Result<Computed, PoolFailure> {
        let (validated, problems) = RequestValidator.validate(request, limits: limits)
        clock.end("validate")
        guard let job = validated else {
            // Elements are read even when validation failed, so that their problems are listed
            // too — but not past a size limit.
            var all = problems
            if !all.tooLarge {
                switch request.parameters.dtype ?? request.defaultComputeType {
                case .float32: _ = read(Float.self, request, mode: request.parameters.mode ?? .max, problems: &all)
                case .float64: _ = read(Double.self, request, mode: request.parameters.mode ?? .max, problems: &all)
                }
                clock.end("parse")
            }
            return .failure(.problems(all))
        }
        let estimate = MemoryEstimate(job, request)
        guard reserve(job, estimate) else { return .failure(.overBudget) }
        let result: Result<PoolOutcome, PoolFailure>
        switch job.dtype {
        case .float32: result = compute(Float.self, job, request, &clock, cancellation)
        case .float64: result = compute(Double.self, job, request, &clock, cancellation)
        }
        return result.map { Computed(job: job, outcome: $0, estimate: estimate) }
    }

    /// The tensors of `request` in `T` (indices as int64, for max only).
    private func read<T: ComputeScalar>(_: T.Type, _ r: PoolRequest, mode: PoolMode,
                                        problems: inout ProblemList) -> (x: [T]?, dy: [T]?, indices: [Int64]?) {
        let x = r.input.flatMap { T.read($0, problems: &problems) }
        let dy = r.computesBackward ? r.gradOutput.flatMap { T.read($0, problems: &problems) } : nil
        let indices = r.computesBackward && mode == .max ? r.indices.flatMap { $0.read(Int64.self, problems: &problems) } : nil
        return (x, dy, indices)
    }

    private func compute<T: ComputeScalar>(_: T.Type, _ job: PoolJob, _ r: PoolRequest, _ clock: inout StageClock,
                                           _ cancellation: Cancellation) -> Result<PoolOutcome, PoolFailure> {
        var problems = ProblemList()
        let (x, dy, routes) = read(T.self, r, mode: job.function.mode, problems: &problems)
        clock.end("parse")
        guard problems.isEmpty else { return .failure(.problems(problems)) }
        let g = job.geometry
        var result = PoolResult<T>()
        if let rules = job.convention?.kernelRules {
            computeUnderConvention(rules, job, x: x, dy: dy, r, &result, cancellation)
        } else if r.computesForward, let x {
            switch job.function {
            case .max(let options):
                let computed = Pool.maxForward(x, geometry: g, options: options, indices: job.returns.contains(.indices),
                                               mask: job.returns.contains(.mask), cancellation: cancellation)
                result.output = computed.output
                result.indices = computed.indices
                result.mask = computed.mask
                if job.indexOrder == .columnMajor, result.indices != nil {
                    g.reorder(&result.indices!, space: options.indexSpace, toColumnMajor: true)
                }
            case .avg(let options): result.output = Pool.avgForward(x, geometry: g, options: options, cancellation: cancellation)
            case .lp(let p): result.output = Pool.lpForward(x, geometry: g, p: p, absolute: job.lpAbsolute, cancellation: cancellation)
            }
            if !job.returns.contains(.output) { result.output = nil }
            Self.count("forward", g.inputCount + g.outputCount * (1 + (result.indices == nil ? 0 : 1)) + (result.mask == nil ? 0 : g.inputCount))
        }
        if job.convention?.kernelRules == nil, r.computesBackward, let dy {
            switch (job.function, x, routes) {
            case (.max(let options), let x?, _):
                result.gradInput = Pool.maxBackward(gradOutput: dy, input: x, geometry: g, options: options, cancellation: cancellation)
            case (.max(let options), nil, var routes?):
                if job.indexOrder == .columnMajor { g.reorder(&routes, space: options.indexSpace, toColumnMajor: false) }
                do {
                    result.gradInput = try Pool.maxBackward(gradOutput: dy, indices: routes, geometry: g, indexSpace: options.indexSpace,
                                                            cancellation: cancellation)
                } catch {
                    problems.add(r.indices!.pointer(ofElement: error.position), error.message)
                    return .failure(.problems(problems))
                }
            case (.avg(let options), _, _):
                result.gradInput = Pool.avgBackward(gradOutput: dy, geometry: g, options: options, cancellation: cancellation)
            case (.lp(let p), let x?, _):
                result.gradInput = Pool.lpBackward(gradOutput: dy, input: x, geometry: g, p: p, absolute: job.lpAbsolute,
                                                   cancellation: cancellation)
            default:
                // Validation requires input (lp) or input or indices (max); nothing else reaches here.
                problems.add(.root / "input", "is required")
                return .failure(.problems(problems))
            }
            Self.count("backward", g.outputCount + g.inputCount * (x == nil ? 1 : 2))
        }
        clock.end("pool")
        // Stopped (drain or client deadline): whoever cancelled has answered already; this is discarded.
        if cancellation.isCancelled { return .failure(.cancelled) }
        result.samples = job.drawnSamples.map { $0.map { T(double: $0) } }
        return .success(T.outcome(result))
    }

    /// Forward and backward under a framework convention's rules (validation admits fixed and
    /// global windows only, and requires the input wherever the rules select a cell).
    private func computeUnderConvention<T: ComputeScalar>(_ rules: FrameworkRules, _ job: PoolJob, x: [T]?, dy: [T]?, _ r: PoolRequest,
                                                          _ result: inout PoolResult<T>, _ cancellation: Cancellation) {
        let g = job.geometry
        let function: ConventionFunction
        switch job.function {
        case .max: function = .max
        case .avg: function = .avg
        case .lp(let p): function = .lp(p: p)
        }
        if r.computesForward, let x {
            let computed = Pool.conventionForward(x, geometry: g, function: function, rules: rules,
                                                  indices: job.returns.contains(.indices), mask: job.returns.contains(.mask),
                                                  cancellation: cancellation)
            result.output = job.returns.contains(.output) ? computed.output : nil
            result.indices = computed.indices
            result.mask = computed.mask
            Self.count("forward", g.inputCount + g.outputCount)
        }
        if r.computesBackward, let dy {
            result.gradInput = Pool.conventionBackward(gradOutput: dy, input: x, geometry: g, function: function, rules: rules,
                                                       cancellation: cancellation)
            Self.count("backward", g.outputCount + g.inputCount * (x == nil ? 1 : 2))
        }
    }

    /// Counts tensor elements read and written (swift-metrics; a no-op until the executable
    /// bootstraps a backend).
    static func count(_ direction: String, _ n: Int) {
        Counter(label: "poolserve_tensor_elements_total", dimensions: [("endpoint", direction)]).increment(by: n)
    }
}
