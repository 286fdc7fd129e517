/// One problem found in the content, reported the way compilers do: `path:line:column: error: message`.
public struct Diagnostic: Sendable, Hashable, Error, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable, Comparable {
        case error
        case warning
        case suggestion

        private var rank: Int {
            switch self {
            case .error: 0
            case .warning: 1
            case .suggestion: 2
            }
        }
        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// A stable code for findings (`TF-SEC-001`…); `nil` for plain load errors.
    public var code: String?
    public var message: String
    public var location: SourceLocation

    public init(_ severity: Severity = .error, code: String? = nil, _ message: String, at location: SourceLocation) {
        self.severity = severity
        self.code = code
        self.message = message
        self.location = location
    }

    public static func error(_ message: String, at location: SourceLocation) -> Diagnostic {
        Diagnostic(.error, message, at: location)
    }

    public var description: String {
        let codePart = code.map { " [\($0)]" } ?? ""
        return "\(location): \(severity.rawValue): \(message)\(codePart)"
    }
}

/// Several diagnostics at once: loading reports every problem it finds, not the first only.
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics.sorted { ($0.location, $0.message) < ($1.location, $1.message) }
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// Suggests the closest known spelling for an unknown word ("did you mean …?").
public enum Spelling {
    public static func suggestion(for word: String, among candidates: some Sequence<String>) -> String? {
        // Nothing longer than a key is worth a suggestion, and the cost of one stays bounded.
        guard word.utf8.count <= 256 else { return nil }
        let lowered = Array(word.lowercased().unicodeScalars)
        var best: (String, Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            let limit = max(2, candidate.count / 3)
            // Lengths that differ by more than the limit cannot be within it: skip the table.
            guard abs(other.count - lowered.count) <= limit else { continue }
            let distance = editDistance(lowered, other)
            if distance <= limit, best.map({ distance < $0.1 }) ?? true {
                best = (candidate, distance)
            }
        }
        return best?.0
    }

    /// The "did you mean" tail of a message, or an empty string.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        suggestion(for: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        editDistance(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }

    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
