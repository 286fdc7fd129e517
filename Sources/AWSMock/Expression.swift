import AWSClient
import Foundation

/// DynamoDB condition, filter and key-condition expressions: a parser and an evaluator over items.
///
/// Supported: comparisons (`= <> < <= > >=`), `BETWEEN … AND …`, `IN (…)`, `AND`, `OR`, `NOT`, parentheses, and
/// the functions `attribute_exists`, `attribute_not_exists`, `attribute_type`, `begins_with`, `contains`, `size`.
/// Paths are top-level attribute names or `#placeholders`; nested paths (`a.b`, `a[0]`) are rejected with a
/// `ValidationException` naming the limitation.
indirect enum Condition: Equatable {
    case compare(Operand, String, Operand)
    case between(Operand, Operand, Operand)
    case `in`(Operand, [Operand])
    case and(Condition, Condition)
    case or(Condition, Condition)
    case not(Condition)
    case function(String, [Operand])
}

enum Operand: Equatable {
    /// A resolved top-level attribute name.
    case path(String)
    case value(AttributeValue)
    case size(String)
}

struct ExpressionError: Error {
    var message: String
    init(_ message: String) { self.message = message }
}

/// Splits and parses an expression, resolving `#name` and `:value` placeholders and recording which were used.
struct ExpressionParser {
    enum Token: Equatable {
        case word(String)
        case name(String)
        case value(String)
        case symbol(String)
    }

    let names: [String: String]
    let values: [String: AttributeValue]
    private(set) var usedNames: Set<String> = []
    private(set) var usedValues: Set<String> = []
    private var tokens: [Token] = []
    private var index = 0
    /// Nesting of parentheses, NOT and function calls; bounded so hostile input cannot exhaust the stack.
    private var depth = 0
    private static let maximumDepth = 64

    init(names: [String: String], values: [String: AttributeValue]) {
        self.names = names
        self.values = values
    }

    static func tokenize(_ text: String) throws(ExpressionError) -> [Token] {
        var tokens: [Token] = []
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func isWordScalar(_ s: Unicode.Scalar) -> Bool { s.properties.isAlphabetic || ("0"..."9").contains(s) || s == "_" || s == "-" }
        while i < scalars.count {
            let c = scalars[i]
            if c == " " || c == "\t" || c == "\n" || c == "\r" { i += 1; continue }
            if c == "#" || c == ":" {
                var j = i + 1
                while j < scalars.count, isWordScalar(scalars[j]) { j += 1 }
                guard j > i + 1 else { throw ExpressionError("Invalid expression: syntax error at '\(c)'") }
                let word = String(String.UnicodeScalarView(scalars[i..<j]))
                tokens.append(c == "#" ? .name(word) : .value(word))
                i = j
                continue
            }
            if isWordScalar(c) {
                var j = i
                while j < scalars.count, isWordScalar(scalars[j]) { j += 1 }
                tokens.append(.word(String(String.UnicodeScalarView(scalars[i..<j]))))
                i = j
                continue
            }
            if i + 1 < scalars.count {
                let pair = String(String.UnicodeScalarView(scalars[i...i + 1]))
                if ["<=", ">=", "<>"].contains(pair) { tokens.append(.symbol(pair)); i += 2; continue }
            }
            if "=<>(),.[]+-".unicodeScalars.contains(c) {
                tokens.append(.symbol(String(c)))
                i += 1
                continue
            }
            throw ExpressionError("Invalid expression: unexpected character '\(c)'")
        }
        return tokens
    }

    // MARK: Conditions

    mutating func parseCondition(_ text: String) throws(ExpressionError) -> Condition {
        guard text.utf8.count <= 4096 else { throw ExpressionError("Invalid expression: the expression is longer than 4 KB") }
        tokens = try Self.tokenize(text)
        index = 0
        depth = 0
        guard !tokens.isEmpty else { throw ExpressionError("Invalid expression: the expression is empty") }
        let condition = try orExpression()
        guard index == tokens.count else { throw ExpressionError("Invalid expression: syntax error near \(describe(tokens[index]))") }
        return condition
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case let .word(w), let .name(w), let .value(w), let .symbol(w): "'\(w)'"
        }
    }

    private func peekWord(_ word: String) -> Bool {
        if index < tokens.count, case let .word(w) = tokens[index], w.uppercased() == word { return true }
        return false
    }

    private func peekSymbol(_ symbol: String) -> Bool {
        index < tokens.count && tokens[index] == .symbol(symbol)
    }

    private mutating func expectSymbol(_ symbol: String) throws(ExpressionError) {
        guard peekSymbol(symbol) else {
            throw ExpressionError("Invalid expression: expected '\(symbol)'\(index < tokens.count ? " near \(describe(tokens[index]))" : " at the end")")
        }
        index += 1
    }

    private mutating func orExpression() throws(ExpressionError) -> Condition {
        var left = try andExpression()
        while peekWord("OR") {
            index += 1
            left = .or(left, try andExpression())
        }
        return left
    }

    private mutating func andExpression() throws(ExpressionError) -> Condition {
        var left = try notExpression()
        while peekWord("AND") {
            index += 1
            left = .and(left, try notExpression())
        }
        return left
    }

    private mutating func notExpression() throws(ExpressionError) -> Condition {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ExpressionError("Invalid expression: the expression is nested too deeply") }
        if peekWord("NOT") {
            index += 1
            return .not(try notExpression())
        }
        return try primary()
    }

    private static let functions: Set<String> = ["attribute_exists", "attribute_not_exists", "attribute_type", "begins_with", "contains"]

    private mutating func primary() throws(ExpressionError) -> Condition {
        if peekSymbol("(") {
            index += 1
            let inner = try orExpression()
            try expectSymbol(")")
            return inner
        }
        if index < tokens.count, case let .word(w) = tokens[index], Self.functions.contains(w), index + 1 < tokens.count, tokens[index + 1] == .symbol("(") {
            index += 2
            var arguments: [Operand] = []
            repeat {
                if peekSymbol(",") { index += 1 }
                arguments.append(try operand())
            } while peekSymbol(",")
            try expectSymbol(")")
            let expected = (w == "attribute_exists" || w == "attribute_not_exists") ? 1 : 2
            guard arguments.count == expected else {
                throw ExpressionError("Invalid expression: incorrect number of operands for function \(w); expected \(expected)")
            }
            if case .path = arguments[0] {} else {
                throw ExpressionError("Invalid expression: the first operand of \(w) must be an attribute path")
            }
            return .function(w, arguments)
        }
        let left = try operand()
        if peekWord("BETWEEN") {
            index += 1
            let low = try operand()
            guard peekWord("AND") else { throw ExpressionError("Invalid expression: BETWEEN needs AND") }
            index += 1
            return .between(left, low, try operand())
        }
        if peekWord("IN") {
            index += 1
            try expectSymbol("(")
            var list: [Operand] = [try operand()]
            while peekSymbol(",") {
                index += 1
                list.append(try operand())
            }
            try expectSymbol(")")
            return .in(left, list)
        }
        guard index < tokens.count, case let .symbol(op) = tokens[index], ["=", "<>", "<", "<=", ">", ">="].contains(op) else {
            throw ExpressionError("Invalid expression: expected a comparison\(index < tokens.count ? " near \(describe(tokens[index]))" : " at the end")")
        }
        index += 1
        return .compare(left, op, try operand())
    }

    mutating func operand() throws(ExpressionError) -> Operand {
        guard index < tokens.count else { throw ExpressionError("Invalid expression: the expression ends early") }
        let token = tokens[index]
        index += 1
        switch token {
        case let .value(placeholder):
            guard let value = values[placeholder] else {
                throw ExpressionError("Invalid expression: An expression attribute value used in expression is not defined; attribute value: \(placeholder)")
            }
            usedValues.insert(placeholder)
            return .value(value)
        case .name, .word:
            if case let .word(w) = token, w == "size", peekSymbol("(") {
                index += 1
                guard case let .path(path) = try operand() else { throw ExpressionError("Invalid expression: size() takes an attribute path") }
                try expectSymbol(")")
                return .size(path)
            }
            index -= 1
            return .path(try path())
        case let .symbol(s):
            throw ExpressionError("Invalid expression: syntax error at '\(s)'")
        }
    }

    /// One top-level attribute name (`#n` resolved).
    mutating func path() throws(ExpressionError) -> String {
        guard index < tokens.count else { throw ExpressionError("Invalid expression: the expression ends early") }
        let resolved: String
        switch tokens[index] {
        case let .name(placeholder):
            guard let name = names[placeholder] else {
                throw ExpressionError("Invalid expression: An expression attribute name used in the document path is not defined; attribute name: \(placeholder)")
            }
            usedNames.insert(placeholder)
            resolved = name
        case let .word(word):
            if Self.reserved.contains(word.uppercased()) {
                throw ExpressionError("Invalid expression: Attribute name is a reserved keyword; reserved keyword: \(word)")
            }
            resolved = word
        default:
            throw ExpressionError("Invalid expression: expected an attribute name near \(describe(tokens[index]))")
        }
        index += 1
        if peekSymbol(".") || peekSymbol("[") {
            throw ExpressionError("Invalid expression: nested document paths are not supported by the Trustflow simulator")
        }
        return resolved
    }

    /// DynamoDB's reserved words, every one of them.
    static var reserved: Set<String> { ReservedWords.all }

    // MARK: Projection and update expressions

    mutating func parseProjection(_ text: String) throws(ExpressionError) -> [String] {
        tokens = try Self.tokenize(text)
        index = 0
        var paths = [try path()]
        while peekSymbol(",") {
            index += 1
            paths.append(try path())
        }
        guard index == tokens.count else { throw ExpressionError("Invalid ProjectionExpression: syntax error near \(describe(tokens[index]))") }
        return paths
    }

    enum UpdateAction {
        case set(String, UpdateValue)
        case remove(String)
        case add(String, AttributeValue)
        case delete(String, AttributeValue)
    }

    indirect enum UpdateValue {
        case operand(Operand)
        case plus(UpdateValue, UpdateValue)
        case minus(UpdateValue, UpdateValue)
        case ifNotExists(String, UpdateValue)
    }

    mutating func parseUpdate(_ text: String) throws(ExpressionError) -> [UpdateAction] {
        guard text.utf8.count <= 4096 else { throw ExpressionError("Invalid UpdateExpression: the expression is longer than 4 KB") }
        tokens = try Self.tokenize(text)
        index = 0
        depth = 0
        var actions: [UpdateAction] = []
        var seenClauses: Set<String> = []
        guard !tokens.isEmpty else { throw ExpressionError("Invalid UpdateExpression: the expression is empty") }
        while index < tokens.count {
            guard case let .word(clause) = tokens[index], ["SET", "REMOVE", "ADD", "DELETE"].contains(clause.uppercased()) else {
                throw ExpressionError("Invalid UpdateExpression: syntax error near \(describe(tokens[index]))")
            }
            let upper = clause.uppercased()
            guard seenClauses.insert(upper).inserted else {
                throw ExpressionError("Invalid UpdateExpression: The \"\(upper)\" section can only be used once in an update expression")
            }
            index += 1
            repeat {
                if peekSymbol(",") { index += 1 }
                let target = try path()
                switch upper {
                case "SET":
                    try expectSymbol("=")
                    actions.append(.set(target, try updateValue()))
                case "REMOVE":
                    actions.append(.remove(target))
                default:
                    guard case let .value(value) = try operand() else {
                        throw ExpressionError("Invalid UpdateExpression: \(upper) takes a value placeholder")
                    }
                    actions.append(upper == "ADD" ? .add(target, value) : .delete(target, value))
                }
            } while peekSymbol(",")
        }
        return actions
    }

    private mutating func updateValue() throws(ExpressionError) -> UpdateValue {
        var left = try updateTerm()
        while peekSymbol("+") || peekSymbol("-") {
            let plus = peekSymbol("+")
            index += 1
            let right = try updateTerm()
            left = plus ? .plus(left, right) : .minus(left, right)
        }
        return left
    }

    private mutating func updateTerm() throws(ExpressionError) -> UpdateValue {
        depth += 1
        defer { depth -= 1 }
        guard depth <= Self.maximumDepth else { throw ExpressionError("Invalid UpdateExpression: the expression is nested too deeply") }
        if index + 1 < tokens.count, tokens[index] == .word("if_not_exists"), tokens[index + 1] == .symbol("(") {
            index += 2
            let target = try path()
            try expectSymbol(",")
            let fallback = try updateValue()
            try expectSymbol(")")
            return .ifNotExists(target, fallback)
        }
        return .operand(try operand())
    }
}

/// Evaluation of parsed expressions against one item.
enum Evaluate {
    static func condition(_ condition: Condition, _ item: Item) throws(ExpressionError) -> Bool {
        switch condition {
        case let .and(a, b):
            guard try Evaluate.condition(a, item) else { return false }
            return try Evaluate.condition(b, item)
        case let .or(a, b):
            if try Evaluate.condition(a, item) { return true }
            return try Evaluate.condition(b, item)
        case let .not(a): return try !Evaluate.condition(a, item)
        case let .compare(left, op, right):
            guard let l = resolve(left, item), let r = resolve(right, item) else { return op == "<>" && (resolve(left, item) != nil || resolve(right, item) != nil) }
            switch op {
            case "=": return l == r
            case "<>": return l != r
            default:
                guard let order = compare(l, r) else { return false }
                switch op {
                case "<": return order < 0
                case "<=": return order <= 0
                case ">": return order > 0
                default: return order >= 0
                }
            }
        case let .between(value, low, high):
            guard let v = resolve(value, item), let lo = resolve(low, item), let hi = resolve(high, item), let a = compare(v, lo), let b = compare(v, hi)
            else { return false }
            return a >= 0 && b <= 0
        case let .in(value, list):
            guard let v = resolve(value, item) else { return false }
            return list.contains { resolve($0, item) == v }
        case let .function(name, arguments):
            guard case let .path(path) = arguments[0] else { return false }
            let attribute = item[path]
            switch name {
            case "attribute_exists": return attribute != nil
            case "attribute_not_exists": return attribute == nil
            case "attribute_type":
                guard let attribute, case let .value(.s(type)) = arguments[1] else { return false }
                return attribute.typeName == type
            case "begins_with":
                guard let attribute, let prefix = resolve(arguments[1], item) else { return false }
                switch (attribute, prefix) {
                case let (.s(a), .s(p)): return a.hasPrefix(p)
                case let (.b(a), .b(p)): return a.starts(with: p)
                default: return false
                }
            default:  // contains
                guard let attribute, let needle = resolve(arguments[1], item) else { return false }
                switch (attribute, needle) {
                case let (.s(a), .s(n)): return a.contains(n)
                case let (.ss(set), .s(n)): return set.contains(n)
                case let (.ns(set), .n(n)): return set.contains { compareNumbers($0, n) == 0 }
                case let (.l(list), value): return list.contains(value)
                default: return false
                }
            }
        }
    }

    static func resolve(_ operand: Operand, _ item: Item) -> AttributeValue? {
        switch operand {
        case let .path(path): return item[path]
        case let .value(value): return value
        case let .size(path):
            guard let value = item[path] else { return nil }
            let size: Int =
                switch value {
                case let .s(s): s.utf8.count
                case let .b(b): b.count
                case let .l(l): l.count
                case let .m(m): m.count
                case let .ss(s): s.count
                case let .ns(s): s.count
                case let .bs(s): s.count
                default: 0
                }
            return .n(String(size))
        }
    }

    /// Orders two scalars of the same type (S by UTF-8 bytes, N numerically, B by bytes); `nil` otherwise.
    static func compare(_ a: AttributeValue, _ b: AttributeValue) -> Int? {
        switch (a, b) {
        case let (.s(x), .s(y)): return Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : (x == y ? 0 : 1)
        case let (.n(x), .n(y)): return compareNumbers(x, y)
        case let (.b(x), .b(y)): return x.lexicographicallyPrecedes(y) ? -1 : (x == y ? 0 : 1)
        default: return nil
        }
    }

    static func compareNumbers(_ x: String, _ y: String) -> Int? {
        guard let a = Decimal(string: x), let b = Decimal(string: y) else { return nil }
        return a < b ? -1 : (a == b ? 0 : 1)
    }

    static func number(_ text: String) -> Decimal? { Decimal(string: text) }

    static func numberText(_ value: Decimal) -> String {
        var value = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &value, 38, .plain)
        return NSDecimalNumber(decimal: rounded).stringValue
    }
}
