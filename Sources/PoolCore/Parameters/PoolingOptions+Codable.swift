import Pooling

// The core's option enumerations on the wire, by their raw values.
extension Layout: Codable {}
extension TieRule: Codable {}
extension NaNPolicy: Codable {}
extension IndexSpace: Codable {}
extension IndexOrder: Codable {}
