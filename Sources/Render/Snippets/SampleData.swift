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

    /// The attribute an index is keyed by: the one the model declares (`{ name: ByStatus, partitionKey: state }`), else
    /// the one its name suggests (`indexAttribute(_:)`).
    public func indexAttribute(_ index: String) -> String {
        table.indexKey(index)?.partitionKey ?? Self.indexAttribute(index)
    }

    /// The value the seeded item has for an index's partition attribute; the query asks for it.
    public func indexValue(_ index: String) -> String {
        let attribute = indexAttribute(index)
        return attribute.lowercased() == "status" ? "SHIPPED" : "\(attribute)-1"
    }

    /// The attribute an index written as a plain name is keyed by, from its name (`TableIndex.conventionalPartitionKey`).
    public static func indexAttribute(_ index: String) -> String { TableIndex.conventionalPartitionKey(index) }

    /// The seeded item: the key, and one value per index attribute.
    public var seedItem: [(name: String, value: String)] {
        var item = key
        for index in table.indexes {
            let attribute = indexAttribute(index)
            if !item.contains(where: { $0.name == attribute }) { item.append((name: attribute, value: indexValue(index))) }
            if let sort = table.indexKey(index)?.sortKey, !item.contains(where: { $0.name == sort }) {
                item.append((name: sort, value: Self.value(for: sort, number: 1)))
            }
        }
        return item
    }

    /// The bytes of a seeded bucket object: says what it is, so a reader of a real bucket knows where it came from.
    public static func objectBody(_ key: String) -> String { "sample object \(key), seeded for Trustflow's snippets\n" }

    /// The value of a seeded secret: clearly not a real credential.
    public static let secretString = #"{"username": "example", "password": "EXAMPLE-ONLY-NOT-A-SECRET"}"#

    /// `["customerId": "customer-1", "orderId": "order-1"]` as Swift source.
    static func swiftItem(_ pairs: [(name: String, value: String)]) -> String {
        "[" + pairs.map { "\(SwiftText.literal($0.name)): \(SwiftText.literal($0.value))" }.joined(separator: ", ") + "]"
    }
}
