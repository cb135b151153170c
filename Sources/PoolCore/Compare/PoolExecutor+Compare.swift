import Pooling
import RequestDecoding

extension PoolExecutor {
    /// Runs `request` under each of its conventions on this executor (each with every rule and
    /// limit of ``run(_:clock:cancellation:reserve:)``), then compares the answers. A convention
    /// whose framework cannot express the layer is answered with its refusals; when none can,
    /// the call fails with the first one's problems.
    /// Each convention gets an equal share of `--max-work`, so the whole comparison stays
    /// within the one call's bound.
    /// - Parameter reserve: the budget for one convention's call; it is asked for each in turn,
    ///   with the number of answers held so far (the front end reserves for all of them).
    public func compare(_ request: CompareRequest, clock: inout StageClock, cancellation: Cancellation = Cancellation(),
                        reserve: (PoolJob, MemoryEstimate, Int) -> Bool) -> Result<Comparison, PoolFailure> {
        let share = PoolExecutor(limits: Limits(maxElements: limits.maxElements,
                                                maxWork: limits.maxWork / max(1, request.conventions.count)))
        var answers: [Comparison.Answer] = []
        var firstProblems: ProblemList?
        for convention in request.conventions {
            let held = answers.count { $0.output != nil }
            switch share.run(request.request(convention), clock: &clock, cancellation: cancellation, reserve: { reserve($0, $1, held + 1) }) {
            case .failure(.problems(let problems)):
                firstProblems = firstProblems ?? problems
                answers.append(Comparison.Answer(convention: convention, setting: nil, geometry: nil, output: nil, indices: nil,
                                                 gradInput: nil, refusals: problems, call: nil))
            case .failure(let other):
                return .failure(other)
            case .success(let computed):
                let (output, indices, grad) = Self.doubles(computed.outcome)
                answers.append(Comparison.Answer(convention: convention, setting: computed.job.convention, geometry: computed.job.geometry,
                                                 output: output, indices: indices, gradInput: grad, refusals: nil,
                                                 call: FrameworkCall.text(computed.job, backward: request.base.computesBackward)))
            }
        }
        if answers.allSatisfy({ $0.output == nil }), let firstProblems { return .failure(.problems(firstProblems)) }
        let dtype = request.base.parameters.dtype ?? request.base.defaultComputeType
        var ignored = ProblemList()
        let input = request.base.input.flatMap { Double.read($0, problems: &ignored) }
        let comparison = ComparisonBuilder(answers: answers, mode: request.base.parameters.mode ?? .max, dtype: dtype,
                                           input: input).build()
        clock.end("compare")
        return .success(comparison)
    }

    private static func doubles(_ outcome: PoolOutcome) -> ([Double]?, [Int64]?, [Double]?) {
        switch outcome {
        case .float(let r): return (r.output?.map(Double.init), r.indices, r.gradInput?.map(Double.init))
        case .double(let r): return (r.output, r.indices, r.gradInput)
        }
    }
}
