/// The `Decoder` of one value of a parsed document (see ``JSONDocumentDecoder``).
struct DocumentValueDecoder: ProblemCollectingDecoder, TensorDecoder {
    let state: DocumentState
    let value: JSONValue
    let codingPath: [any CodingKey]
    /// The document whose text the value's numbers point into.
    let document: JSONDocument
    /// For an object assembled from several documents: each member's own document.
    var memberDocuments: [String: JSONDocument] = [:]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let object) = value else {
            throw mismatch(Key.self, codingPath.isEmpty ? "the request body must be a JSON object" : "must be an object")
        }
        state.register(object, at: JSONPointer(codingPath), keys: Key.self)
        return KeyedDecodingContainer(DocumentKeyedContainer<Key>(decoder: self, object: object))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let array) = value else { throw mismatch([Any].self, "must be an array") }
        return DocumentUnkeyedContainer(decoder: self, array: array)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { DocumentSingleValueContainer(decoder: self) }

    func collect(_ error: any Error) { state.record(error) }

    func decodeTensor() throws -> any TensorSource { try TensorPayload(from: self) }

    /// The decoder of a member or element of this value.
    func child(_ value: JSONValue, _ key: any CodingKey) -> DocumentValueDecoder {
        DocumentValueDecoder(state: state, value: value, codingPath: codingPath + [key],
                             document: memberDocuments[key.stringValue] ?? document)
    }

    /// A type mismatch: "`expected`, got <what the value is>".
    func mismatch(_ type: Any.Type, _ expected: String) -> DecodingError {
        let found = value.typeName
        return .typeMismatch(type, DecodingError.Context(codingPath: codingPath, debugDescription: "\(expected), got \(found)",
                                                         underlyingError: ValueMismatch(kind: .type, found: found)))
    }

    /// A value of the right JSON type outside the Swift type's range.
    func outOfRange(_ type: Any.Type, _ detail: String, found: String) -> DecodingError {
        .dataCorrupted(DecodingError.Context(codingPath: codingPath, debugDescription: detail,
                                             underlyingError: ValueMismatch(kind: .range, found: found)))
    }

    /// Decodes `T` from this value, through the fast paths for the scalars.
    func decode<T: Decodable>(_: T.Type) throws -> T {
        let single = DocumentSingleValueContainer(decoder: self)
        switch T.self {
        case is Bool.Type: return try single.decode(Bool.self) as! T
        case is String.Type: return try single.decode(String.self) as! T
        case is Int.Type: return try single.decode(Int.self) as! T
        case is Int64.Type: return try single.decode(Int64.self) as! T
        case is Double.Type: return try single.decode(Double.self) as! T
        case is Float.Type: return try single.decode(Float.self) as! T
        default: return try T(from: self)
        }
    }
}

/// Members of an object.
struct DocumentKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: DocumentValueDecoder
    let object: JSONObject

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { object.members.compactMap { Key(stringValue: $0.key) } }

    func contains(_ key: Key) -> Bool { object[key.stringValue] != nil }

    func decodeNil(forKey key: Key) throws -> Bool {
        guard let value = object[key.stringValue] else { throw notFound(key) }
        if case .null = value { return true }
        return false
    }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let value = object[key.stringValue] else { throw notFound(key) }
        return try decoder.child(value, key).decode(T.self)
    }

    /// A member that is absent decodes as nil; one that is present (`null` included) but does not
    /// decode as `T` is recorded as a problem and decodes as nil too.
    func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
        guard let value = object[key.stringValue] else { return nil }
        do {
            return try decoder.child(value, key).decode(T.self)
        } catch {
            decoder.state.record(error)
            return nil
        }
    }

    func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try decodeIfPresent(Wrapped<Bool>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try decodeIfPresent(Wrapped<String>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try decodeIfPresent(Wrapped<Int>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try decodeIfPresent(Wrapped<Int64>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try decodeIfPresent(Wrapped<Double>.self, forKey: key)?.value }
    func decodeIfPresent(_ type: Float.Type, forKey key: Key) throws -> Float? { try decodeIfPresent(Wrapped<Float>.self, forKey: key)?.value }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        guard let value = object[key.stringValue] else { throw notFound(key) }
        return try decoder.child(value, key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        guard let value = object[key.stringValue] else { throw notFound(key) }
        return try decoder.child(value, key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder {
        guard let value = object[key.stringValue] else { throw notFound(key) }
        return decoder.child(value, key)
    }

    private func notFound(_ key: Key) -> DecodingError {
        .keyNotFound(key, DecodingError.Context(codingPath: codingPath, debugDescription: "is required"))
    }
}

/// A scalar decoded through the generic `decodeIfPresent`, so that the scalar overloads record
/// problems the same way.
private struct Wrapped<T: Decodable>: Decodable {
    let value: T
    init(from decoder: any Decoder) throws {
        value = try (decoder as! DocumentValueDecoder).decode(T.self)
    }
}

/// Elements of an array, each read from the text when it is decoded (a long array costs no
/// memory per element beyond what it decodes into).
struct DocumentUnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: DocumentValueDecoder
    let count: Int?
    private var items: JSONArray.Iterator
    /// The element at `currentIndex`, once read.
    private var current: JSONValue?
    private(set) var currentIndex = 0

    init(decoder: DocumentValueDecoder, array: JSONArray) {
        self.decoder = decoder
        count = array.count
        items = array.makeIterator()
        current = items.next()
    }

    var codingPath: [any CodingKey] { decoder.codingPath }
    var isAtEnd: Bool { current == nil }

    private mutating func next() throws -> DocumentValueDecoder {
        guard let value = current else {
            throw DecodingError.valueNotFound(Any.self, DecodingError.Context(codingPath: codingPath, debugDescription: "has too few elements"))
        }
        defer {
            currentIndex += 1
            current = items.next()
        }
        return decoder.child(value, AnyKey(intValue: currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard case .null? = current else { return false }
        currentIndex += 1
        current = items.next()
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try next().decode(T.self) }

    /// An element that does not decode as `T` (`null` included) is recorded and decodes as nil.
    mutating func decodeIfPresent<T: Decodable>(_ type: T.Type) throws -> T? {
        let element = try next()
        do { return try element.decode(T.self) } catch {
            decoder.state.record(error)
            return nil
        }
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}

/// One scalar value.
struct DocumentSingleValueContainer: SingleValueDecodingContainer {
    let decoder: DocumentValueDecoder
    var codingPath: [any CodingKey] { decoder.codingPath }
    private var value: JSONValue { decoder.value }

    func decodeNil() -> Bool {
        if case .null = value { return true }
        return false
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let b) = value else { throw decoder.mismatch(Bool.self, "must be true or false") }
        return b
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let s) = value else { throw decoder.mismatch(String.self, "must be a string") }
        return s
    }

    func decode(_ type: Int64.Type) throws -> Int64 {
        guard case .number(let n) = value else { throw decoder.mismatch(Int64.self, "must be an integer") }
        let document = decoder.document
        let text = document.echo(n)
        let result = document.bytes.withUnsafeBufferPointer { NumberConversion.int64($0, n) }
        switch result {
        case .success(let v): return v
        case .failure(.notInteger):
            throw DecodingError.typeMismatch(Int64.self, DecodingError.Context(
                codingPath: codingPath, debugDescription: "must be an integer, got \(text)", underlyingError: ValueMismatch(kind: .type, found: text)))
        case .failure(let problem):
            throw decoder.outOfRange(Int64.self, problem.message(text), found: text)
        }
    }

    func decode(_ type: Int.Type) throws -> Int { Int(try decode(Int64.self)) }

    func decode(_ type: Double.Type) throws -> Double {
        guard case .number(let n) = value else { throw decoder.mismatch(Double.self, "must be a number") }
        let document = decoder.document
        switch document.bytes.withUnsafeBufferPointer({ NumberConversion.double($0, n) }) {
        case .success(let v): return v
        case .failure(let problem):
            let text = document.echo(n)
            throw decoder.outOfRange(Double.self, problem.message(text), found: text)
        }
    }

    func decode(_ type: Float.Type) throws -> Float {
        guard case .number(let n) = value else { throw decoder.mismatch(Float.self, "must be a number") }
        let document = decoder.document
        switch document.bytes.withUnsafeBufferPointer({ NumberConversion.float($0, n) }) {
        case .success(let v): return v
        case .failure(let problem):
            let text = document.echo(n)
            throw decoder.outOfRange(Float.self, problem.message(text), found: text)
        }
    }

    func decode(_ type: Int8.Type) throws -> Int8 { try narrow(Int8.self) }
    func decode(_ type: Int16.Type) throws -> Int16 { try narrow(Int16.self) }
    func decode(_ type: Int32.Type) throws -> Int32 { try narrow(Int32.self) }
    func decode(_ type: UInt.Type) throws -> UInt { try narrow(UInt.self) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try narrow(UInt8.self) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try narrow(UInt16.self) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try narrow(UInt32.self) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try narrow(UInt64.self) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decoder.decode(T.self) }

    /// An integer of a narrower type: exact, or out of range.
    private func narrow<I: FixedWidthInteger>(_: I.Type) throws -> I {
        let wide = try decode(Int64.self)
        guard let v = I(exactly: wide) else {
            throw decoder.outOfRange(I.self, "\(wide) is outside \(I.min)...\(I.max)", found: String(wide))
        }
        return v
    }
}
