extension TensorPayload {
    private enum Keys: String, CodingKey, CaseIterable { case shape, data, dtype, b64 }

    /// Decodes a payload. Under a ``JSONDocumentDecoder`` it checks form and shape and keeps its
    /// place in the document (elements are read later by ``read(_:problems:)``); under any other
    /// decoder it reads the values.
    public init(from decoder: any Decoder) throws {
        if let d = decoder as? DocumentValueDecoder {
            var problems = ProblemList()
            let pointer = JSONPointer(d.codingPath)
            guard let layout = TensorReader.inspect(d.value, document: d.document, at: pointer,
                                                    maxElements: d.state.maxElements, problems: &problems) else {
                d.state.problems.add(contentsOf: problems)
                throw ProblemsRecorded()
            }
            d.state.problems.add(contentsOf: problems)
            self.init(shape: layout.shape, encoding: layout.encoding, dtype: layout.dtype,
                      storage: .document(d.document, d.value, layout, pointer))
            if !problems.isEmpty { throw ProblemsRecorded() }
            return
        }
        if let c = try? decoder.container(keyedBy: Keys.self) {
            let shape = try c.decode([Int].self, forKey: .shape)
            if let b64 = try c.decodeIfPresent(String.self, forKey: .b64) {
                self = .b64(shape: shape, dtype: try c.decode(ElementType.self, forKey: .dtype), b64: b64)
            } else {
                self = .flat(try c.decode([WireNumber].self, forKey: .data).map(\.value), shape: shape)
            }
            return
        }
        let nested = try NestedArray(from: decoder)
        self = .nested(nested.flattened, shape: nested.shape)
    }

    /// Writes the payload in its form.
    public func encode(to encoder: any Encoder) throws {
        switch encoding {
        case .nested:
            try NestedArray(values.map(WireNumber.init)[...], shape: shape[...]).encode(to: encoder)
        case .flat:
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(shape, forKey: .shape)
            try c.encode(values.map(WireNumber.init), forKey: .data)
        case .b64:
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(shape, forKey: .shape)
            try c.encode(dtype, forKey: .dtype)
            try c.encode(b64Text ?? "", forKey: .b64)
        }
    }
}

/// Nested arrays of numbers, for the generic Codable path of ``TensorPayload``.
indirect enum NestedArray: Codable {
    case number(WireNumber)
    case array([NestedArray])

    /// Nested arrays of `values` by `shape`.
    init(_ values: ArraySlice<WireNumber>, shape: ArraySlice<Int>) {
        guard let n = shape.first else {
            self = .number(values.first ?? WireNumber(0))
            return
        }
        let inner = shape.dropFirst().reduce(1, *)
        self = .array((0..<n).map { k in
            let start = values.startIndex + k * inner
            return NestedArray(values[start..<(start + inner)], shape: shape.dropFirst())
        })
    }

    var shape: [Int] {
        guard case .array(let items) = self else { return [] }
        return [items.count] + (items.first?.shape ?? [])
    }

    var flattened: [Double] {
        switch self {
        case .number(let n): return [n.value]
        case .array(let items): return items.flatMap(\.flattened)
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(WireNumber.self) { self = .number(n) } else { self = .array(try c.decode([NestedArray].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        switch self {
        case .number(let n): try n.encode(to: encoder)
        case .array(let items): var c = encoder.singleValueContainer(); try c.encode(items)
        }
    }
}
