import Glibc

/// The environment variables that give every flag its default (the flag wins).
enum Environment {
    /// The variable's value, or nil.
    static func string(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The variable as an integer, or nil.
    static func int(_ name: String) -> Int? { string(name).flatMap { Int($0) } }

    /// The variable as a number, or nil.
    static func double(_ name: String) -> Double? { string(name).flatMap { Double($0) } }

    /// The variable as a switch (`1`, `true`, `on`, `yes` / `0`, `false`, `off`, `no`), or nil.
    static func bool(_ name: String) -> Bool? {
        switch string(name)?.lowercased() {
        case "1", "true", "on", "yes": return true
        case "0", "false", "off", "no": return false
        default: return nil
        }
    }
}
