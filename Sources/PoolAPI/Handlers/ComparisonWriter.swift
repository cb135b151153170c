import PoolCore
import TensorJSON

/// Writes a ``Comparison`` as `/pool/compare`'s JSON answer.
struct ComparisonWriter {
    let comparison: Comparison
    let encoding: TensorEncoding

    func write(into w: inout JSONWriter) {
        w.raw("{\"answers\":[")
        for (k, a) in comparison.answers.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            answer(a, into: &w)
        }
        w.raw("],\"agreement\":{")
        for (k, a) in comparison.agreement.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.key(a.tensor)
            w.byte(UInt8(ascii: "["))
            for (j, g) in a.groups.enumerated() {
                if j > 0 { w.byte(UInt8(ascii: ",")) }
                names(g, into: &w)
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.raw("},\"differences\":[")
        for (k, d) in comparison.differences.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            difference(d, into: &w)
        }
        w.raw("]}")
    }

    func answer(_ a: Comparison.Answer, into w: inout JSONWriter) {
        w.raw("{\"convention\":")
        w.string(a.convention.rawValue)
        if let setting = a.setting {
            w.byte(UInt8(ascii: ","))
            w.key("rules")
            setting.summary.writeObject(into: &w)
        }
        if let g = a.geometry {
            tensor("output", a.output, shape: g.outputShape, into: &w)
            if let indices = a.indices {
                w.raw(",\"indices\":")
                TensorWriter.write(indices, shape: g.outputShape, encoding: encoding, into: &w)
            }
            tensor("gradInput", a.gradInput, shape: g.inputShape, into: &w)
        }
        if let refusals = a.refusals {
            w.raw(",\"unsupported\":[")
            for (k, p) in refusals.problems.enumerated() {
                if k > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"pointer\":")
                w.string(p.pointer.description)
                w.raw(",\"detail\":")
                w.string(p.detail)
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        }
        w.raw(",\"call\":")
        if let call = a.call { w.string(call) } else { w.raw("null") }
        w.byte(UInt8(ascii: "}"))
    }

    func tensor(_ name: String, _ values: [Double]?, shape: [Int], into w: inout JSONWriter) {
        guard let values else { return }
        w.byte(UInt8(ascii: ","))
        w.key(name)
        if comparison.dtype == .float32 {
            TensorWriter.write(values.map { Float($0) }, shape: shape, encoding: encoding, into: &w)
        } else {
            TensorWriter.write(values, shape: shape, encoding: encoding, into: &w)
        }
    }

    func difference(_ d: Comparison.Difference, into w: inout JSONWriter) {
        w.raw("{\"tensor\":")
        w.string(d.tensor)
        w.raw(",\"conventions\":")
        names([d.conventions.0, d.conventions.1], into: &w)
        w.raw(",\"rule\":")
        w.string(d.rule)
        if let (a, b) = d.shapes {
            w.raw(",\"shapes\":{")
            w.key(d.conventions.0.rawValue)
            TensorWriter.writeShape(a, into: &w)
            w.byte(UInt8(ascii: ","))
            w.key(d.conventions.1.rawValue)
            TensorWriter.writeShape(b, into: &w)
            w.byte(UInt8(ascii: "}"))
        }
        w.raw(",\"cellCount\":")
        w.int(Int64(d.cellCount))
        w.raw(",\"cells\":[")
        for (k, cell) in d.cells.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"at\":")
            TensorWriter.writeShape(cell.at, into: &w)
            w.raw(",\"values\":{")
            w.key(d.conventions.0.rawValue)
            number(cell.values.0, tensor: d.tensor, into: &w)
            w.byte(UInt8(ascii: ","))
            w.key(d.conventions.1.rawValue)
            number(cell.values.1, tensor: d.tensor, into: &w)
            w.raw("}}")
        }
        w.raw("]}")
    }

    /// A value as the contract writes numbers ("NaN", "±Infinity" as strings); an index
    /// difference writes the selected cell (−1: none).
    func number(_ v: Double, tensor: String, into w: inout JSONWriter) {
        if v.isNaN { return w.string("NaN") }
        if v.isInfinite { return w.string(v > 0 ? "Infinity" : "-Infinity") }
        if tensor == "indices" { return w.int(Int64(v)) }
        let text = comparison.dtype == .float32 ? Float(v).description : v.description
        w.append(Array(text.utf8))
    }

    func names(_ conventions: [Convention], into w: inout JSONWriter) {
        w.byte(UInt8(ascii: "["))
        for (k, c) in conventions.enumerated() {
            if k > 0 { w.byte(UInt8(ascii: ",")) }
            w.string(c.rawValue)
        }
        w.byte(UInt8(ascii: "]"))
    }
}
