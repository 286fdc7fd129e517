internal import Foundation
internal import Yams
import Policy
public import Source

/// Reads YAML into the same located value tree the JSON reader produces.
public enum YAMLReader {
    public static func parse(_ text: String, file: String) -> (value: LocatedValue?, diagnostics: [Diagnostic]) {
        let reading = read(text, file: file)
        return (reading.value, reading.tabs + reading.diagnostics)
    }

    /// The result of `read`: the tree, the tabs that indented lines, and every other problem.
    struct Reading {
        /// `nil` when the text is not YAML (or not YAML even with its indenting tabs read as spaces).
        var value: LocatedValue?
        /// One "tabs cannot indent YAML" error per tab that YAML refused as indentation.
        var tabs: [Diagnostic] = []
        /// Every other problem.
        var diagnostics: [Diagnostic] = []
    }

    /// How many indenting tabs are reported before reading stops (each one costs a parse).
    static let tabLimit = 100

    /// Parses `text`. A tab that indents a line stops libyaml at that tab; it is reported there and read as one
    /// space, and the text is parsed again, so that every such tab is reported at once and, when the text is
    /// YAML once they are spaces, so is every problem of the model. A syntax error that appears only after that
    /// repair is not reported: it may be an artefact of reading a tab as one space.
    static func read(_ text: String, file: String) -> Reading {
        var reading = Reading()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { Array($0.utf8) }
        var repaired: String?
        var node: Node?
        while true {
            do {
                node = try Yams.compose(yaml: repaired ?? text)
                break
            } catch let error as YamlError {
                if let (line, column) = indentingTab(error, lines: lines), reading.tabs.count < tabLimit {
                    reading.tabs.append(.error("tabs cannot indent YAML", at: SourceLocation(file: file, line: line, column: column)))
                    lines[line - 1][column - 1] = UInt8(ascii: " ")
                    repaired = String(decoding: Array(lines.joined(separator: [UInt8(ascii: "\n")])), as: UTF8.self)
                    continue
                }
                if reading.tabs.isEmpty { reading.diagnostics.append(diagnostic(for: error, file: file)) }
                return reading
            } catch {
                if reading.tabs.isEmpty {
                    reading.diagnostics.append(.error("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1)))
                }
                return reading
            }
        }
        guard let node else {
            if reading.tabs.isEmpty { reading.diagnostics.append(.error("the file is empty", at: SourceLocation(file: file, line: 1, column: 1))) }
            return reading
        }
        reading.value = convert(node, file: file, depth: 0, diagnostics: &reading.diagnostics)
        return reading
    }

    /// The 1-based line and column of the tab a syntax error stopped at, when that tab indents its line: only
    /// spaces, tabs and sequence dashes come before it.
    static func indentingTab(_ error: YamlError, lines: [[UInt8]]) -> (line: Int, column: Int)? {
        let mark: Mark
        switch error {
        case .scanner(_, _, let at, _), .parser(_, _, let at, _): mark = at
        default: return nil
        }
        guard lines.indices.contains(mark.line - 1) else { return nil }
        let line = lines[mark.line - 1]
        // Only blanks and dashes precede the tab, so libyaml's column (in characters) is its byte offset too.
        guard line.indices.contains(mark.column - 1), line[mark.column - 1] == UInt8(ascii: "\t"),
            line[..<(mark.column - 1)].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "-") })
        else { return nil }
        return (mark.line, mark.column)
    }

    private static func location(_ mark: Mark?, file: String) -> SourceLocation {
        SourceLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func convert(_ node: Node, file: String, depth: Int, diagnostics: inout [Diagnostic]) -> LocatedValue {
        let at = location(node.mark, file: file)
        guard depth < 256 else {
            diagnostics.append(.error("nesting deeper than 256 levels", at: at))
            return LocatedValue(.null, at: at)
        }
        switch node {
        case .scalar(let scalar):
            if scalar.style != .plain { return LocatedValue(.string(scalar.string), at: at) }
            switch node.tag.description {
            case Tag.Name.null.rawValue: return LocatedValue(.null, at: at)
            case Tag.Name.bool.rawValue: return LocatedValue(.bool(Bool.construct(from: scalar) ?? false), at: at)
            case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return LocatedValue(.number(scalar.string), at: at)
            default: return LocatedValue(.string(scalar.string), at: at)
            }
        case .sequence(let sequence):
            return LocatedValue(.array(sequence.map { convert($0, file: file, depth: depth + 1, diagnostics: &diagnostics) }), at: at)
        case .mapping(let mapping):
            var members: [LocatedValue.Member] = []
            for (key, value) in mapping {
                let keyLocation = location(key.mark, file: file)
                guard case .scalar(let keyScalar) = key else {
                    diagnostics.append(.error("mapping keys must be plain text", at: keyLocation))
                    continue
                }
                members.append(.init(key: keyScalar.string, keyLocation: keyLocation, value: convert(value, file: file, depth: depth + 1, diagnostics: &diagnostics)))
            }
            return LocatedValue(.object(members), at: at)
        case .alias:
            return LocatedValue(.null, at: at)
        }
    }

    static func diagnostic(for error: YamlError, file: String) -> Diagnostic {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            let prefix = context.map { "\($0.text) " } ?? ""
            return .error("invalid YAML: \(prefix)\(problem)".replacingOccurrences(of: "  ", with: " "), at: location(mark, file: file))
        case .duplicatedKeysInMapping(let duplicates, let context):
            return .error("duplicate key\(duplicates.count > 1 ? "s" : "") \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) in one mapping", at: location(context.mark, file: file))
        default:
            return .error("invalid YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))
        }
    }
}

