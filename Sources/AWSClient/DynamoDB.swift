import Foundation

/// Amazon DynamoDB over AWS JSON 1.0 (`X-Amz-Target: DynamoDB_20120810.<Operation>`).
///
/// Every `table` parameter takes a table name (a table in the caller's own account) or a full table ARN, which is
/// how a call reaches a table in another account through its resource-based policy.
/// Expressions use placeholders: `names` maps `#n` to attribute names, `values` maps `:v` to values.
public struct DynamoDB: Sendable {
    public let configuration: AWSConfiguration
    private let call: ServiceCall

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
        call = ServiceCall(configuration: configuration, service: .dynamodb, wire: .json10)
    }

    /// A page of `Query` or `Scan` results.
    public struct Page: Sendable, Hashable {
        public var items: [Item]
        public var count: Int
        public var scannedCount: Int
        /// Pass as `startKey` to read the next page; `nil` on the last page.
        public var lastEvaluatedKey: Item?
    }

    /// A page of `ListTables`.
    public struct TableList: Sendable, Hashable {
        public var tableNames: [String]
        public var lastEvaluatedTableName: String?
    }

    /// What `DescribeTable` tells about a table.
    public struct TableDescription: Sendable, Hashable {
        public struct KeyElement: Sendable, Hashable {
            public var attributeName: String
            /// `HASH` or `RANGE`.
            public var keyType: String
        }
        public struct Index: Sendable, Hashable {
            public var name: String
            public var keySchema: [KeyElement]
            public var arn: String?
        }
        public var tableName: String
        public var tableARN: String?
        public var tableStatus: String?
        public var keySchema: [KeyElement]
        public var itemCount: Int?
        public var globalSecondaryIndexes: [Index]
    }

    /// What `UpdateItem`/`PutItem`/`DeleteItem` return (`ReturnValues`).
    public enum ReturnValues: String, Sendable {
        case none = "NONE"
        case allOld = "ALL_OLD"
        case updatedOld = "UPDATED_OLD"
        case allNew = "ALL_NEW"
        case updatedNew = "UPDATED_NEW"
    }

    // MARK: - Items

    /// `GetItem`: the item with that primary key, or `nil` when there is none.
    public func getItem(table: String, key: Item, consistentRead: Bool = false, projection: String? = nil, names: [String: String] = [:]) async throws -> Item? {
        var body: [(String, BodyMember)] = [("TableName", .string(table)), ("Key", .item(key))]
        if consistentRead { body.append(("ConsistentRead", .bool(true))) }
        if let projection { body.append(("ProjectionExpression", .string(projection))) }
        Self.addExpressionAttributes(&body, names: names, values: [:])
        let (response, json) = try await send("GetItem", body)
        guard let item = json["Item"] else { return nil }
        return try decodeItem(item, response: response, operation: "GetItem")
    }

    /// `PutItem`: writes the whole item, replacing any item with the same key (unless `condition` fails).
    @discardableResult
    public func putItem(
        table: String, item: Item, condition: String? = nil, names: [String: String] = [:], values: Item = [:], returnValues: ReturnValues = .none
    ) async throws -> Item? {
        var body: [(String, BodyMember)] = [("TableName", .string(table)), ("Item", .item(item))]
        if let condition { body.append(("ConditionExpression", .string(condition))) }
        if returnValues != .none { body.append(("ReturnValues", .string(returnValues.rawValue))) }
        Self.addExpressionAttributes(&body, names: names, values: values)
        let (response, json) = try await send("PutItem", body)
        return try json["Attributes"].map { try decodeItem($0, response: response, operation: "PutItem") }
    }

    /// `DeleteItem`: removes the item with that key (no error when there is none).
    @discardableResult
    public func deleteItem(
        table: String, key: Item, condition: String? = nil, names: [String: String] = [:], values: Item = [:], returnValues: ReturnValues = .none
    ) async throws -> Item? {
        var body: [(String, BodyMember)] = [("TableName", .string(table)), ("Key", .item(key))]
        if let condition { body.append(("ConditionExpression", .string(condition))) }
        if returnValues != .none { body.append(("ReturnValues", .string(returnValues.rawValue))) }
        Self.addExpressionAttributes(&body, names: names, values: values)
        let (response, json) = try await send("DeleteItem", body)
        return try json["Attributes"].map { try decodeItem($0, response: response, operation: "DeleteItem") }
    }

    /// `UpdateItem` with an update expression such as `SET #s = :s REMOVE note`.
    @discardableResult
    public func updateItem(
        table: String, key: Item, update: String, condition: String? = nil, names: [String: String] = [:], values: Item = [:],
        returnValues: ReturnValues = .none
    ) async throws -> Item? {
        var body: [(String, BodyMember)] = [("TableName", .string(table)), ("Key", .item(key)), ("UpdateExpression", .string(update))]
        if let condition { body.append(("ConditionExpression", .string(condition))) }
        if returnValues != .none { body.append(("ReturnValues", .string(returnValues.rawValue))) }
        Self.addExpressionAttributes(&body, names: names, values: values)
        let (response, json) = try await send("UpdateItem", body)
        return try json["Attributes"].map { try decodeItem($0, response: response, operation: "UpdateItem") }
    }

    // MARK: - Reads over many items

    /// `Query`: items of one partition (of the table, or of `index`), e.g.
    /// `keyCondition: "#s = :s", names: ["#s": "status"], values: [":s": .s("SHIPPED")]`.
    public func query(
        table: String, index: String? = nil, keyCondition: String, filter: String? = nil, names: [String: String] = [:], values: Item = [:],
        limit: Int? = nil, scanIndexForward: Bool = true, consistentRead: Bool = false, startKey: Item? = nil
    ) async throws -> Page {
        var body: [(String, BodyMember)] = [("TableName", .string(table))]
        if let index { body.append(("IndexName", .string(index))) }
        body.append(("KeyConditionExpression", .string(keyCondition)))
        if let filter { body.append(("FilterExpression", .string(filter))) }
        if let limit { body.append(("Limit", .number(String(limit)))) }
        if !scanIndexForward { body.append(("ScanIndexForward", .bool(false))) }
        if consistentRead { body.append(("ConsistentRead", .bool(true))) }
        if let startKey { body.append(("ExclusiveStartKey", .item(startKey))) }
        Self.addExpressionAttributes(&body, names: names, values: values)
        let (response, json) = try await send("Query", body)
        return try page(json, response: response, operation: "Query")
    }

    /// `Scan`: every item of the table (or `index`), a page at a time, optionally filtered.
    public func scan(
        table: String, index: String? = nil, filter: String? = nil, names: [String: String] = [:], values: Item = [:], limit: Int? = nil,
        startKey: Item? = nil
    ) async throws -> Page {
        var body: [(String, BodyMember)] = [("TableName", .string(table))]
        if let index { body.append(("IndexName", .string(index))) }
        if let filter { body.append(("FilterExpression", .string(filter))) }
        if let limit { body.append(("Limit", .number(String(limit)))) }
        if let startKey { body.append(("ExclusiveStartKey", .item(startKey))) }
        Self.addExpressionAttributes(&body, names: names, values: values)
        let (response, json) = try await send("Scan", body)
        return try page(json, response: response, operation: "Scan")
    }

    // MARK: - Tables

    /// `DescribeTable`: key schema, indexes, ARN and status.
    public func describeTable(table: String) async throws -> TableDescription {
        let (response, json) = try await send("DescribeTable", [("TableName", .string(table))])
        guard let description = json["Table"], let name = description["TableName"]?.string else {
            throw call.malformed(response, operation: "DescribeTable", "DescribeTable answer lacks Table.TableName")
        }
        func keys(_ value: JSONValue?) -> [TableDescription.KeyElement] {
            (value?.array ?? []).compactMap { element in
                guard let name = element["AttributeName"]?.string, let type = element["KeyType"]?.string else { return nil }
                return TableDescription.KeyElement(attributeName: name, keyType: type)
            }
        }
        let indexes = (description["GlobalSecondaryIndexes"]?.array ?? []).compactMap { index -> TableDescription.Index? in
            guard let name = index["IndexName"]?.string else { return nil }
            return TableDescription.Index(name: name, keySchema: keys(index["KeySchema"]), arn: index["IndexArn"]?.string)
        }
        return TableDescription(
            tableName: name, tableARN: description["TableArn"]?.string, tableStatus: description["TableStatus"]?.string,
            keySchema: keys(description["KeySchema"]), itemCount: description["ItemCount"]?.int, globalSecondaryIndexes: indexes
        )
    }

    /// `ListTables`: names of the tables in the caller's own account and region (never another account's).
    public func listTables(limit: Int? = nil, startTableName: String? = nil) async throws -> TableList {
        var body: [(String, BodyMember)] = []
        if let limit { body.append(("Limit", .number(String(limit)))) }
        if let startTableName { body.append(("ExclusiveStartTableName", .string(startTableName))) }
        let (response, json) = try await send("ListTables", body)
        guard let names = json["TableNames"]?.array else {
            throw call.malformed(response, operation: "ListTables", "ListTables answer lacks TableNames")
        }
        return TableList(tableNames: names.compactMap(\.string), lastEvaluatedTableName: json["LastEvaluatedTableName"]?.string)
    }

    // MARK: - Wire

    package static let targetPrefix = "DynamoDB_20120810."
    package static let contentType = "application/x-amz-json-1.0"

    private static func addExpressionAttributes(_ body: inout [(String, BodyMember)], names: [String: String], values: Item) {
        if !names.isEmpty { body.append(("ExpressionAttributeNames", .json(.object(names.keys.sorted().map { ($0, .string(names[$0]!)) })))) }
        if !values.isEmpty { body.append(("ExpressionAttributeValues", .item(values))) }
    }

    private func send(_ operation: String, _ body: [(String, BodyMember)]) async throws -> (HTTPResponse, JSONValue) {
        let response = try await call.send(
            operation: operation,
            headers: [(name: "Content-Type", value: Self.contentType), (name: "X-Amz-Target", value: Self.targetPrefix + operation)],
            body: BodyMember.serialized(body)
        )
        if let type = response.header("content-type"), !Self.mentionsJSON(type) {
            throw call.malformed(response, operation: operation, "expected a JSON answer, got \(ServiceCall.describeBody(response))")
        }
        do {
            let json = try JSONValue.parse(response.body)
            guard json.members != nil else { throw call.malformed(response, operation: operation, "expected a JSON object") }
            return (response, json)
        } catch let error as JSONValue.ParseError {
            throw call.malformed(response, operation: operation, "unreadable JSON (\(error)) in \(ServiceCall.describeBody(response))")
        }
    }

    /// Whether a content type names JSON (`application/x-amz-json-1.0`, `application/json`), without case.
    static func mentionsJSON(_ type: String) -> Bool {
        // A window of the last four bytes, lower-cased as they come, over the header's own buffer: no copy of it.
        func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
            var window: UInt32 = 0
            for byte in bytes {
                window = window << 8 | UInt32(byte >= 65 && byte <= 90 ? byte | 0x20 : byte)
                if window == 0x6A73_6F6E { return true }  // "json"
            }
            return false
        }
        var type = type
        return type.withUTF8(scan)
    }

    private func decodeItem(_ json: JSONValue, response: HTTPResponse, operation: String) throws -> Item {
        do {
            return try AttributeValue.item(json: json)
        } catch {
            throw call.malformed(response, operation: operation, "unreadable item: \(error.reason)")
        }
    }

    private func page(_ json: JSONValue, response: HTTPResponse, operation: String) throws -> Page {
        guard let items = json["Items"]?.array else { throw call.malformed(response, operation: operation, "\(operation) answer lacks Items") }
        var decoded: [Item] = []
        for item in items { decoded.append(try decodeItem(item, response: response, operation: operation)) }
        return Page(
            items: decoded, count: json["Count"]?.int ?? decoded.count, scannedCount: json["ScannedCount"]?.int ?? decoded.count,
            lastEvaluatedKey: try json["LastEvaluatedKey"].map { try decodeItem($0, response: response, operation: operation) }
        )
    }
}
