import AWSClient
import Model

/// One table's items, keyed by the model's key schema.
struct TableState {
    /// What never changes about the table, shared by reference: each request takes the table out of the simulator's
    /// state, and a copy of `Table`'s fields per request cost more than the look-up.
    private final class Schema: Sendable {
        let table: Table
        let accountID: String
        /// The key attributes (partition, then sort), with the type the table declares for each.
        let keyNames: [String]
        let keyTypes: [String]

        init(table: Table, accountID: String) {
            self.table = table
            self.accountID = accountID
            keyNames = [table.partitionKey] + (table.sortKey.map { [$0] } ?? [])
            keyTypes = keyNames.map(table.attributeType)
        }
    }

    private let schema: Schema
    private(set) var items: [String: Item] = [:]

    var table: Table { schema.table }
    var accountID: String { schema.accountID }
    var keyNames: [String] { schema.keyNames }
    private var keyTypes: [String] { schema.keyTypes }

    init(table: Table, accountID: String) {
        schema = Schema(table: table, accountID: accountID)
    }

    /// The storage key of a full primary key (`S:…|N:…`), after checking it matches the schema exactly: the key
    /// attributes, no other, each of the type the table declares.
    func storageKey(_ key: Item) throws(WireError) -> String {
        guard key.count == keyNames.count else {
            throw .dynamoDB("ValidationException", "The provided key element does not match the schema")
        }
        var values: [AttributeValue] = []
        values.reserveCapacity(keyNames.count)
        for (name, type) in zip(keyNames, keyTypes) {
            guard let value = key[name], value.typeName == type else {
                throw .dynamoDB("ValidationException", "The provided key element does not match the schema")
            }
            values.append(value)
        }
        return try Self.join(keyNames, values)
    }

    /// The key attributes' encodings joined with `|`.
    private static func join(_ names: [String], _ values: [AttributeValue]) throws(WireError) -> String {
        var out = ""
        for (index, name) in names.enumerated() {
            if index > 0 { out += "|" }
            try encode(values[index], name: name, into: &out)
        }
        return out
    }

    /// The storage key of an item (its key attributes), checking they are present and of the declared types, and
    /// that the attributes an index is keyed by have that index's types.
    func storageKey(ofItem item: Item) throws(WireError) -> String {
        for name in keyNames where item[name] == nil {
            throw .dynamoDB("ValidationException", "One or more parameter values were invalid: Missing the key \(name) in the item")
        }
        for name in keyNames where item[name]!.typeName != table.attributeType(name) {
            throw .dynamoDB(
                "ValidationException",
                "One or more parameter values were invalid: Type mismatch for key \(name) expected: \(table.attributeType(name)) actual: \(item[name]!.typeName)")
        }
        for index in table.indexes {
            guard let schema = table.indexSchema(index) else { continue }
            for name in [schema.partitionKey] + (schema.sortKey.map { [$0] } ?? []) {
                guard let value = item[name], value.typeName != table.attributeType(name) else { continue }
                throw .dynamoDB(
                    "ValidationException",
                    "One or more parameter values were invalid: Type mismatch for Index Key \(name) Expected: \(table.attributeType(name)) Actual: \(value.typeName) IndexName: \(index)")
            }
        }
        return try Self.join(keyNames, keyNames.map { item[$0]! })
    }

    private static func encode(_ value: AttributeValue, name: String, into out: inout String) throws(WireError) {
        switch value {
        case let .s(text):
            guard !text.isEmpty else {
                throw .dynamoDB("ValidationException", "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: \(name)")
            }
            out += "S:"
            out += text.utf8.contains(UInt8(ascii: "|")) ? text.replacingOccurrences(of: "|", with: "||") : text
        case let .n(text):
            out += "N:"
            out += Evaluate.number(text).map(Evaluate.numberText) ?? text
        case let .b(bytes):
            out += "B:"
            out += bytes.map { String($0) }.joined(separator: ",")
        default:
            throw .dynamoDB("ValidationException", "One or more parameter values were invalid: Type mismatch for key \(name) expected: S, N or B actual: \(value.typeName)")
        }
    }

    func key(of item: Item) -> Item {
        var key: Item = [:]
        for name in keyNames { key[name] = item[name] }
        return key
    }

    func get(_ key: Item) throws(WireError) -> Item? { items[try storageKey(key)] }

    mutating func put(_ item: Item) throws(WireError) {
        items[try storageKey(ofItem: item)] = item
    }

    @discardableResult
    mutating func delete(_ key: Item) throws(WireError) -> Item? {
        items.removeValue(forKey: try storageKey(key))
    }

    /// Items ordered by partition key then sort key (DynamoDB orders within a partition; across, any stable order).
    func sortedItems(by attributes: [String]? = nil) -> [Item] {
        let order = attributes ?? keyNames
        return items.values.sorted { a, b in
            for name in order {
                guard let x = a[name], let y = b[name] else { continue }
                if let c = Evaluate.compare(x, y), c != 0 { return c < 0 }
            }
            return (try? storageKey(ofItem: a)) ?? "" < (try? storageKey(ofItem: b)) ?? ""
        }
    }
}

extension WireError {
    var message: String {
        switch self {
        case let .service(_, _, message, _), let .accessDenied(message), let .signatureMismatch(message), let .incompleteSignature(message): message
        case .missingAuthentication: "Request is missing Authentication Token"
        case .invalidClientToken: "The security token included in the request is invalid."
        case .expiredToken: "The security token included in the request is expired"
        }
    }
}
