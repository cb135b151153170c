import Pooling

extension PoolParameters {
    /// The parameters of a request object, reading every field and recording each type or
    /// range error in `problems`.
    init(reading reader: FieldReader, problems: inout ProblemList) {
        self.init()
        let positive = 1...FieldReader.maxParameter
        mode = reader.choice("mode", PoolMode.self, problems: &problems)
        layout = reader.choice("layout", Layout.self, problems: &problems)
        kernelSize = reader.intOrList("kernelSize", in: positive, problems: &problems)
        stride = reader.intOrList("stride", in: positive, problems: &problems)
        padding = reader.padding("padding", problems: &problems)
        dilation = reader.intOrList("dilation", in: positive, problems: &problems)
        ceilMode = reader.bool("ceilMode", problems: &problems)
        countIncludePad = reader.bool("countIncludePad", problems: &problems)
        divisorOverride = reader.int("divisorOverride", in: positive, problems: &problems)
        p = reader.number("p", problems: &problems)
        outputSize = reader.intOrList("outputSize", in: positive, problems: &problems)
        global = reader.bool("global", problems: &problems)
        ties = reader.choice("ties", TieRule.self, problems: &problems)
        nan = reader.choice("nan", NaNPolicy.self, problems: &problems)
        dtype = reader.choice("dtype", ComputeType.self, problems: &problems)
        indexSpace = reader.choice("indexSpace", IndexSpace.self, problems: &problems)
        returnParts = reader.returnParts("return", problems: &problems)
        encoding = reader.choice("encoding", TensorEncoding.self, problems: &problems)
    }

    /// The wire names of the parameter fields.
    static let fieldNames: Set<String> = Set(CodingKeys.allCases.map(\.rawValue))
}
