internal import Foundation
internal import Yams
public import Policy

/// Reads YAML into the same located value tree the JSON reader produces.
public enum YAMLReader {
    public static func parse(_ text: String, file: String) -> (value: LocatedValue?, diagnostics: [Diagnostic]) {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            return (nil, [diagnostic(for: error, file: file)])
        } catch {
            return (nil, [.error("cannot read YAML: \(error)", at: SourceLocation(file: file, line: 1, column: 1))])
        }
        guard let node else {
            return (nil, [.error("the file is empty", at: SourceLocation(file: file, line: 1, column: 1))])
        }
        var diagnostics: [Diagnostic] = []
        let value = convert(node, file: file, depth: 0, diagnostics: &diagnostics)
        return (value, diagnostics)
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

