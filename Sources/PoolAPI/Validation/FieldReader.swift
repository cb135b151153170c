/// Reads the typed fields of one JSON object, recording a problem with its pointer for every
/// value of the wrong type or range instead of stopping at the first.
struct FieldReader {
    /// The largest value accepted for any integer parameter.
    static let maxParameter = Int(Int32.max)

    let object: JSONObject
    let document: JSONDocument
    let base: JSONPointer

    /// The value of `key` (`null` is a value, and a wrong one for every field).
    func value(_ key: String) -> JSONValue? {
        object[key]
    }

    /// An integer in `range`.
    func int(_ key: String, in range: ClosedRange<Int>, problems: inout ProblemList) -> Int? {
        guard let v = value(key) else { return nil }
        return integer(v, at: base / key, in: range, problems: &problems)
    }

    func integer(_ v: JSONValue, at pointer: JSONPointer, in range: ClosedRange<Int>, problems: inout ProblemList) -> Int? {
        let rangeText = range.upperBound == Self.maxParameter ? "≥ \(range.lowerBound)" : "in \(range.lowerBound)...\(range.upperBound)"
        guard case .number(let n) = v else {
            problems.add(pointer, "must be an integer \(rangeText), got \(v.typeName)")
            return nil
        }
        let text = document.text(of: n)
        guard document.bytes.withUnsafeBufferPointer({ NumberConversion.isInteger($0, n) }) else {
            problems.add(pointer, "must be an integer \(rangeText), got \(text)")
            return nil
        }
        let parsed = document.bytes.withUnsafeBufferPointer { NumberConversion.int64($0, n) }
        guard case .success(let i) = parsed, i >= Int64(range.lowerBound), i <= Int64(range.upperBound) else {
            problems.add(pointer, "must be \(rangeText)" + (range.upperBound == Self.maxParameter ? " and ≤ \(Self.maxParameter)" : "") + ", got \(text)")
            return nil
        }
        return Int(i)
    }

    /// An integer, or a list of integers, each in `range`.
    func intOrList(_ key: String, in range: ClosedRange<Int>, problems: inout ProblemList) -> IntOrList? {
        guard let v = value(key) else { return nil }
        if let items = v.items {
            guard !items.isEmpty else {
                problems.add(base / key, "must not be an empty list")
                return nil
            }
            var list: [Int] = []
            for (k, item) in items.enumerated() {
                if let i = integer(item, at: base / key / k, in: range, problems: &problems) { list.append(i) }
            }
            return list.count == items.count ? .list(list) : nil
        }
        return integer(v, at: base / key, in: range, problems: &problems).map(IntOrList.int)
    }

    /// A boolean.
    func bool(_ key: String, problems: inout ProblemList) -> Bool? {
        guard let v = value(key) else { return nil }
        guard case .bool(let b) = v else {
            problems.add(base / key, "must be true or false, got \(v.typeName)")
            return nil
        }
        return b
    }

    /// A finite number.
    func number(_ key: String, problems: inout ProblemList) -> Double? {
        guard let v = value(key) else { return nil }
        guard case .number(let n) = v,
              case .success(let d) = document.bytes.withUnsafeBufferPointer({ NumberConversion.double($0, n) }) else {
            problems.add(base / key, "must be a finite number, got \(v.typeName)")
            return nil
        }
        return d
    }

    /// One of an enumeration's string values.
    func choice<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type, problems: inout ProblemList) -> E? where E.RawValue == String {
        guard let v = value(key) else { return nil }
        return choice(v, at: base / key, E.self, problems: &problems)
    }

    func choice<E: RawRepresentable & CaseIterable>(_ v: JSONValue, at pointer: JSONPointer, _: E.Type,
                                                    problems: inout ProblemList) -> E? where E.RawValue == String {
        let names = E.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: ", ")
        guard case .string(let s) = v, let e = E(rawValue: s) else {
            let got: String
            if case .string(let s) = v { got = "\"\(s.prefix(60))\"" } else { got = v.typeName }
            problems.add(pointer, "must be one of \(names), got \(got)")
            return nil
        }
        return e
    }

    /// Every padding form: int, [int], {"begin", "end"}, "valid", "same", "same_lower".
    func padding(_ key: String, problems: inout ProblemList) -> PaddingValue? {
        guard let v = value(key) else { return nil }
        let at = base / key
        let limit = 0...Self.maxParameter
        switch v {
        case .string:
            return choice(v, at: at, PaddingName.self, problems: &problems).map(PaddingValue.named)
        case .object(let o):
            let inner = FieldReader(object: o, document: document, base: at)
            inner.rejectUnknown(["begin", "end"], problems: &problems)
            let begin = inner.list("begin", in: limit, problems: &problems)
            let end = inner.list("end", in: limit, problems: &problems)
            guard let begin, let end else { return nil }
            return .explicit(begin: begin, end: end)
        case .array, .numbers, .number:
            switch intOrList(key, in: limit, problems: &problems) {
            case .int(let i)?: return .int(i)
            case .list(let l)?: return .list(l)
            case nil: return nil
            }
        default:
            problems.add(at, "must be an integer, a list of integers, {\"begin\": [...], \"end\": [...]}, \"valid\", \"same\" or \"same_lower\"; got \(v.typeName)")
            return nil
        }
    }

    /// A required non-empty list of integers in `range`.
    func list(_ key: String, in range: ClosedRange<Int>, problems: inout ProblemList) -> [Int]? {
        guard let v = value(key) else {
            problems.add(base / key, "is required")
            return nil
        }
        guard v.isArray, case .list(let l)? = intOrList(key, in: range, problems: &problems) else {
            if !v.isArray { problems.add(base / key, "must be a list of integers, got \(v.typeName)") }
            return nil
        }
        return l
    }

    /// The `return` list: unique parts.
    func returnParts(_ key: String, problems: inout ProblemList) -> [ReturnPart]? {
        guard let v = value(key) else { return nil }
        guard let items = v.items, !items.isEmpty else {
            problems.add(base / key, "must be a non-empty list of \"output\", \"indices\", \"mask\"")
            return nil
        }
        var parts: [ReturnPart] = []
        for (k, item) in items.enumerated() {
            guard let part = choice(item, at: base / key / k, ReturnPart.self, problems: &problems) else { continue }
            if parts.contains(part) { problems.add(base / key / k, "\"\(part.rawValue)\" is listed twice") } else { parts.append(part) }
        }
        return parts.count == items.count ? parts : nil
    }

    /// The names of the members given.
    var present: Set<String> { Set(object.members.map(\.key)) }

    /// Records every member not in `allowed`, and every repeated member.
    func rejectUnknown(_ allowed: Set<String>, problems: inout ProblemList) {
        var seen = Set<String>()
        for (key, _) in object.members {
            let at = base / JSONPointer.token(key)
            if !allowed.contains(key) { problems.add(at, "unknown field \"\(key.prefix(60))\"") }
            if !seen.insert(key).inserted { problems.add(at, "field \"\(key.prefix(60))\" appears more than once") }
        }
    }
}
