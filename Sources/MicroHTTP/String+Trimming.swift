extension String {
    /// The string without leading and trailing spaces, tabs, carriage returns and line feeds.
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while let c = s.first, c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\r\n" { s.removeLast() }
        return String(s)
    }
}
