/// The state one document decoding shares between its decoders and containers: the problems
/// found, and the member names each object's models accept.
final class DocumentState {
    let maxElements: Int
    var problems = ProblemList()
    /// Per object (by pointer): the object and the names its models read, or nil once a model
    /// read it with keys that cannot be listed (then unknown members are not reported).
    private var objects: [ObjectEntry] = []
    private var index: [String: Int] = [:]

    /// An object read by some model, and the member names its models accept (nil: any).
    private struct ObjectEntry {
        let object: JSONObject
        let pointer: JSONPointer
        var names: Set<String>?
    }

    init(maxElements: Int) {
        self.maxElements = maxElements
    }

    /// Records a decoding error as a problem at its coding path.
    func record(_ error: any Error) {
        if error is ProblemsRecorded { return }
        guard let error = error as? DecodingError else {
            problems.add(.root, "\(error)")
            return
        }
        switch error {
        case .keyNotFound(let key, let context):
            problems.add(JSONPointer(context.codingPath + [key]), "is required")
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            problems.add(JSONPointer(context.codingPath), context.debugDescription)
        @unknown default:
            problems.add(.root, "\(error)")
        }
    }

    /// Notes that `object` at `pointer` is read with the keys of `Key`.
    func register<Key: CodingKey>(_ object: JSONObject, at pointer: JSONPointer, keys: Key.Type) {
        let id = pointer.description
        let names: Set<String>? = (Key.self as? any CaseIterable.Type).map { type in
            Set((type.allCases as any Collection).compactMap { ($0 as? any CodingKey)?.stringValue })
        }
        if let k = index[id] {
            let known = objects[k].names
            objects[k].names = known.flatMap { a in names.map { a.union($0) } }
        } else {
            index[id] = objects.count
            objects.append(ObjectEntry(object: object, pointer: pointer, names: names))
        }
    }

    /// Records every member no model read and every repeated member, for each object read.
    func checkMembers() {
        for entry in objects {
            var seen = Set<String>()
            for (key, _) in entry.object.members {
                let at = entry.pointer / key
                if let names = entry.names, !names.contains(key) { problems.add(at, "unknown field \(Echo.quoted(key))") }
                if !seen.insert(key).inserted { problems.add(at, "field \(Echo.quoted(key)) appears more than once") }
            }
        }
    }
}

/// A coding key for an array element or a member name that no `CodingKeys` lists.
struct AnyKey: CodingKey {
    let stringValue: String
    let intValue: Int?

    init(stringValue: String) { self.stringValue = stringValue; intValue = nil }
    init(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}
