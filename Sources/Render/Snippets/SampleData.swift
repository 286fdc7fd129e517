public import Model

/// The items the snippets read and write, derived from each table's key schema, so that the code, the generated
/// tests (which seed them into the simulator) and the guide agree.
public struct SampleData: Sendable {
    public let table: Table

    public init(table: Table) { self.table = table }

    /// `customerId` → `customer-1`; `pk` → `pk-1`.
    static func value(for attribute: String, number: Int) -> String {
        var stem = attribute
        for suffix in ["Id", "ID", "_id", "Key"] where stem.hasSuffix(suffix) && stem.count > suffix.count {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        return "\(stem)-\(number)"
    }

    /// The key attributes of the item every read uses, in schema order (partition key, then sort key).
    public var key: [(name: String, value: String)] {
        var key = [(name: table.partitionKey, value: Self.value(for: table.partitionKey, number: 1))]
        if let sortKey = table.sortKey { key.append((name: sortKey, value: Self.value(for: sortKey, number: 1))) }
        return key
    }

    /// The key of the item a `PutItem` writes: the same partition, the next sort key (or the next partition).
    public var newKey: [(name: String, value: String)] {
        if let sortKey = table.sortKey {
            return [(name: table.partitionKey, value: Self.value(for: table.partitionKey, number: 1)), (name: sortKey, value: Self.value(for: sortKey, number: 2))]
        }
        return [(name: table.partitionKey, value: Self.value(for: table.partitionKey, number: 2))]
    }

    /// The attribute an index is keyed by. The model names indexes but not their key schema, so the name says it:
    /// `ByStatus` → `status`, `status-index` → `status`, anything else → the index name itself.
    public static func indexAttribute(_ index: String) -> String {
        var stem = index
        if stem.hasPrefix("By"), stem.count > 2, stem.dropFirst(2).first!.isUppercase { stem = String(stem.dropFirst(2)) }
        for suffix in ["-index", "_index", "Index", "-idx", "_idx"] where stem.hasSuffix(suffix) && stem.count > suffix.count {
            stem = String(stem.dropLast(suffix.count))
            break
        }
        let characters = Array(stem)
        guard let first = characters.first else { return index }
        let name = String(first).lowercased() + String(characters.dropFirst())
        return name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) ? name : index
    }

    /// The value the seeded item has for an index attribute; the query asks for it.
    public static func indexValue(_ index: String) -> String {
        indexAttribute(index).lowercased() == "status" ? "SHIPPED" : "\(indexAttribute(index))-1"
    }

    /// The seeded item: the key, and one value per index attribute.
    public var seedItem: [(name: String, value: String)] {
        var item = key
        for index in table.indexes {
            let attribute = Self.indexAttribute(index)
            if !item.contains(where: { $0.name == attribute }) { item.append((name: attribute, value: Self.indexValue(index))) }
        }
        return item
    }

    /// `["customerId": "customer-1", "orderId": "order-1"]` as Swift source.
    static func swiftItem(_ pairs: [(name: String, value: String)]) -> String {
        "[" + pairs.map { "\(SwiftText.literal($0.name)): \(SwiftText.literal($0.value))" }.joined(separator: ", ") + "]"
    }
}
