/// Decodes Codable models from a parsed ``JSONDocument``, recording every problem with its JSON
/// pointer instead of stopping at the first.
///
/// - A member given with a value of the wrong type or range is recorded where the model decodes
///   it with `decodeIfPresent`, and decodes as nil, so that the rest of the model is still read.
///   `null` is a value like any other (and a wrong one for every field that is not optional JSON).
/// - Members an object's models do not name in their `CodingKeys` (which must be `CaseIterable`
///   for this check) are recorded as unknown fields, and a repeated member as a duplicate.
/// - Integers are read exactly from their text (a JSON integer literal, no fraction or exponent),
///   floats correctly rounded, never through Foundation's `JSONDecoder`.
/// - A ``TensorPayload`` keeps its place in the document: only its form and shape are checked
///   (its element count held to ``maxElements``); its elements are read later, in the type wanted.
public struct JSONDocumentDecoder: Sendable {
    /// The most elements a tensor may have (a larger one is a size-limit problem).
    public var maxElements: Int

    /// A decoder that holds tensors to `maxElements` elements.
    public init(maxElements: Int = .max) {
        self.maxElements = maxElements
    }

    /// The model of `document`'s root as `T`, and every problem found; the model is nil only
    /// when its root could not be decoded at all.
    public func decode<T: Decodable>(_ type: T.Type, from document: JSONDocument) -> (value: T?, problems: ProblemList) {
        let state = DocumentState(maxElements: maxElements)
        return decode(T.self, DocumentValueDecoder(state: state, value: document.root, codingPath: [], document: document), state)
    }

    /// The model of an object whose members come from several documents (each value is decoded
    /// where it was parsed, with no text in between): the parameters a protocol carries one by
    /// one, for example. Problems are recorded as for a document whose root is that object.
    public func decode<T: Decodable>(_ type: T.Type, members: [(key: String, value: JSONValue, document: JSONDocument)])
        -> (value: T?, problems: ProblemList) {
        let state = DocumentState(maxElements: maxElements)
        // The assembled object has no text of its own: each member is read in its document.
        var decoder = DocumentValueDecoder(state: state, value: .object(JSONObject(members: members.map { ($0.key, $0.value) })),
                                           codingPath: [], document: JSONDocument(bytes: [], root: .null))
        for member in members { decoder.memberDocuments[member.key] = member.document }
        return decode(T.self, decoder, state)
    }

    private func decode<T: Decodable>(_: T.Type, _ decoder: DocumentValueDecoder, _ state: DocumentState) -> (value: T?, problems: ProblemList) {
        var value: T?
        do {
            value = try T(from: decoder)
        } catch {
            state.record(error)
        }
        state.checkMembers()
        return (value, state.problems)
    }
}
