/// Where a value came from: a file (as the user named it), a 1-based line and a 1-based column.
///
/// Every node the loaders produce carries one, so that every message a user sees can point at the
/// offending key in `model.yml` or in a policy `.json` file.
public struct SourceLocation: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// A location for values that were not read from a file (built in code, or given on the command line).
    public static func synthesized(_ what: String) -> SourceLocation {
        SourceLocation(file: "<\(what)>", line: 0, column: 0)
    }

    public var description: String { "\(file):\(line):\(column)" }

    public static func < (lhs: SourceLocation, rhs: SourceLocation) -> Bool {
        (lhs.file, lhs.line, lhs.column) < (rhs.file, rhs.line, rhs.column)
    }
}
