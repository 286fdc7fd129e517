import AWSClient
import Foundation
import Model
import Policy
import Resolution

extension AWSSimulator {
    static let dynamoDBOperations: Set<String> = ["GetItem", "PutItem", "DeleteItem", "UpdateItem", "Query", "Scan", "DescribeTable", "ListTables"]

    /// DynamoDB over AWS JSON 1.0.
    func handleDynamoDB(
        _ request: HTTPRequest, headers: RequestHeaders, session: Session, region: String, requestID: String
    ) -> Result<HTTPResponse, WireError> {
        guard let target = headers.target, let operation = Self.operation(target), Self.dynamoDBOperations.contains(operation) else {
            return .failure(.dynamoDB("UnknownOperationException", ""))
        }
        guard let type = headers.contentType, Self.startsWithJSON10(type) else {
            return .failure(.dynamoDB("SerializationException", "Content-Type must be application/x-amz-json-1.0"))
        }
        let body: JSONValue
        do {
            body = try JSONValue.parse(request.body)
        } catch {
            return .failure(.dynamoDB("SerializationException", "Could not parse the request body: \(error)"))
        }
        guard body.members != nil else {
            return .failure(.dynamoDB("SerializationException", "The request body must be a JSON object"))
        }
        do {
            let answer = try dynamoDB(operation, body, session: session, region: region)
            var headers: [(name: String, value: String)] = []
            // Room for the checksum `handle` adds to every DynamoDB answer.
            headers.reserveCapacity(3)
            headers.append((name: "Content-Type", value: DynamoDB.contentType))
            headers.append((name: "x-amzn-RequestId", value: requestID))
            return .success(HTTPResponse(status: 200, headers: headers, body: BodyMember.serialized(answer)))
        } catch {
            return .failure(error)
        }
    }

    /// The operation an `X-Amz-Target` names after `DynamoDB_20120810.`, or nil when it does not start so.
    static func operation(_ target: String) -> String? {
        var target = target
        var prefix = DynamoDB.targetPrefix
        return target.withUTF8 { bytes in
            prefix.withUTF8 { prefix in
                guard bytes.count >= prefix.count, memcmp(bytes.baseAddress!, prefix.baseAddress!, prefix.count) == 0 else { return nil }
                return String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix.count...]), as: UTF8.self)
            }
        }
    }

    /// Whether a content type starts with `application/x-amz-json-1.0` without case, as `lowercased().hasPrefix`
    /// decides it: byte by byte with ASCII folding when the prefix's span and the byte after it are ASCII (the
    /// answer is then the same), by Unicode rules otherwise.
    static func startsWithJSON10(_ type: String) -> Bool {
        let prefix: StaticString = "application/x-amz-json-1.0"
        var type = type
        let answer: Bool? = type.withUTF8 { bytes in
            let expected = UnsafeBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            for index in 0..<expected.count {
                guard index < bytes.count else { return false }
                let byte = bytes[index]
                if byte >= 0x80 { return nil }
                if (byte >= 65 && byte <= 90 ? byte | 0x20 : byte) != expected[index] { return false }
            }
            if expected.count < bytes.count, bytes[expected.count] >= 0x80 { return nil }
            return true
        }
        return answer ?? type.lowercased().hasPrefix(prefix.description)
    }

    /// A parsed DynamoDB request: its table, the ARN IAM sees, and the expression attributes.
    private struct Call {
        var operation: String
        var tableARN: String
        var resourceARN: String
        var body: JSONValue
        var names: [String: String]
        var values: Item
        /// `Key`, `Item` and `ExclusiveStartKey`, decoded before authorization (as DynamoDB rejects bad shapes first).
        var key: Item?
        var item: Item?
        var startKey: Item?
    }

    /// The answer's members.
    private func dynamoDB(_ operation: String, _ body: JSONValue, session: Session, region: String) throws(WireError) -> [(String, BodyMember)] {
        if operation == "ListTables" {
            try authorizeCall(session, operation: operation, resource: Authorization.accountTablesARN(callerAccountID: session.accountID, model: model))
            let names = withLock { state in
                state.tables.values.filter { $0.accountID == session.accountID }.map(\.table.name).sorted()
            }
            var start = 0
            if let exclusive = body["ExclusiveStartTableName"]?.string {
                start = names.firstIndex { $0 > exclusive } ?? names.count
            }
            let limit = try boundedLimit(body, maximum: 100)
            let page = Array(names[start...].prefix(limit ?? 100))
            var members: [(String, BodyMember)] = [("TableNames", .json(.array(page.map { .string($0) })))]
            if start + page.count < names.count, let last = page.last { members.append(("LastEvaluatedTableName", .string(last))) }
            return members
        }
        let call = try parseCall(operation, body, session: session, region: region)
        // The fine-grained keys (LeadingKeys, Attributes, Select, ReturnValues) of this request, by the resolution's rules.
        let schema = model.tables.first { $0.arn == call.tableARN }
        let access = try self.access(call, table: schema)
        // The fine-grained keys are made only if a policy reads the context: `access` has checked the request already.
        try authorizeCall(session, operation: operation, resource: call.resourceARN) { DynamoDBRules.context(access) }
        return try withLock { state throws(WireError) -> [(String, BodyMember)] in
            // The table is mutated where it lies in the state: taking a copy out and storing it back would copy its
            // whole item dictionary on every write (the copy shares the storage until the first mutation). A failed
            // request changes nothing: every write's checks come before its one mutation.
            guard let position = state.tables.index(forKey: call.tableARN) else {
                let name = call.tableARN.split(separator: "/", maxSplits: 1).last.map(String.init) ?? call.tableARN
                throw .dynamoDB(
                    "ResourceNotFoundException", operation == "DescribeTable" ? "Requested resource not found: Table: \(name) not found" : "Requested resource not found"
                )
            }
            if let index = call.body["IndexName"]?.string, state.tables.values[position].table.indexSchema(index) == nil {
                throw .dynamoDB("ValidationException", "The table does not have the specified index: \(index)")
            }
            return try execute(call, table: &state.tables.values[position])
        }
    }

    private func authorizeCall(
        _ session: Session, operation: String, resource: String, extra: @escaping @Sendable () -> [String: [String]] = { [:] }
    ) throws(WireError) {
        let decision = authorize(authorizationRequest(for: session, action: "dynamodb:" + operation, resourceARN: resource, deferredExtra: extra))
        guard decision.allowed else { throw .accessDenied(decision.message) }
    }

    /// Resolves `TableName` (a name in the caller's account, or an ARN of any account) and the expression attributes.
    private func parseCall(_ operation: String, _ body: JSONValue, session: Session, region: String) throws(WireError) -> Call {
        guard let tableName = body["TableName"]?.string else {
            throw .dynamoDB(
                "ValidationException", "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"
            )
        }
        let tableARN: String
        if tableName.hasPrefix("arn:") {
            guard Self.isTableARN(tableName) else {
                throw .dynamoDB("ValidationException", "Invalid TableName: \(tableName) is not a valid table name or table ARN")
            }
            tableARN = tableName
        } else {
            guard Self.isTableName(tableName) else {
                throw .dynamoDB(
                    "ValidationException",
                    "1 validation error detected: Value '\(tableName)' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"
                )
            }
            // A bare name is a table of the caller's own account, in the region of the endpoint called.
            tableARN = ARN.dynamoDBTable(region: region, account: session.accountID, name: tableName).description
        }
        var resourceARN = tableARN
        if let index = body["IndexName"]?.string, ServiceRules.actsOnIndex("dynamodb:\(operation)") {
            resourceARN = ARN(tableARN).map { $0.index(index).description } ?? "\(tableARN)/index/\(index)"
        }
        var names: [String: String] = [:]
        for (key, value) in body["ExpressionAttributeNames"]?.members ?? [] {
            guard let name = value.string else { throw .dynamoDB("SerializationException", "ExpressionAttributeNames values must be strings") }
            names[key] = name
        }
        let values = try item(body["ExpressionAttributeValues"], field: "ExpressionAttributeValues") ?? [:]
        return Call(
            operation: operation, tableARN: tableARN, resourceARN: resourceARN, body: body, names: names, values: values,
            key: try item(body["Key"], field: "Key"), item: try item(body["Item"], field: "Item"),
            startKey: try item(body["ExclusiveStartKey"], field: "ExclusiveStartKey")
        )
    }

    /// What the request reads or writes, for the fine-grained keys: the partition-key values, the top-level attribute
    /// names (the key attributes, the projected ones, the written ones), `Select`, `ReturnValues`.
    private func access(_ call: Call, table: Table?) throws(WireError) -> DynamoDBRules.Access {
        var access = DynamoDBRules.Access(
            operation: call.operation, select: call.body["Select"]?.string, projects: call.body["ProjectionExpression"] != nil,
            onIndex: call.body["IndexName"] != nil, returnValues: call.body["ReturnValues"]?.string,
            returnConsumedCapacity: call.body["ReturnConsumedCapacity"]?.string)
        guard let table else { return access }
        var parser = ExpressionParser(names: call.names, values: call.values)
        var projection: [String]?
        if let text = call.body["ProjectionExpression"]?.string {
            projection = try Self.parse("ProjectionExpression", &parser) { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseProjection(text) }
        }
        var keyNames: [String] = []
        keyNames.reserveCapacity(4)
        keyNames.append(table.partitionKey)
        if let sortKey = table.sortKey { keyNames.append(sortKey) }
        var partitionKey = table.partitionKey
        if let index = call.body["IndexName"]?.string, let schema = table.indexSchema(index) {
            partitionKey = schema.partitionKey
            for name in [schema.partitionKey] + (schema.sortKey.map { [$0] } ?? []) where !keyNames.contains(name) { keyNames.append(name) }
        }
        func leading(_ item: Item?) -> [String] { item?[partitionKey].flatMap(Self.keyText).map { [$0] } ?? [] }
        switch call.operation {
        case "GetItem":
            access.leadingKeys = leading(call.key)
            access.attributes = projection.map { keyNames + $0 }
        case "DeleteItem":
            access.leadingKeys = leading(call.key)
            access.attributes = keyNames
        case "PutItem":
            access.leadingKeys = leading(call.item)
            access.attributes = call.item.map { item in keyNames.filter { item[$0] != nil } + item.keys.filter { !keyNames.contains($0) }.sorted() }
        case "UpdateItem":
            access.leadingKeys = leading(call.key)
            var written = keyNames
            if let text = call.body["UpdateExpression"]?.string {
                let actions = try Self.parse("UpdateExpression", &parser) { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseUpdate(text) }
                for action in actions where !written.contains(Self.target(action)) { written.append(Self.target(action)) }
            }
            access.attributes = written
        case "Query":
            if let text = call.body["KeyConditionExpression"]?.string {
                let condition = try Self.parse("KeyConditionExpression", &parser) { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseCondition(text) }
                access.leadingKeys = Self.equalityValue(of: partitionKey, in: condition).flatMap(Self.keyText).map { [$0] } ?? []
            }
            access.attributes = projection.map { keyNames + $0 }
        case "Scan":
            access.attributes = projection.map { keyNames + $0 }
        default:
            break
        }
        return access
    }

    /// A key value as IAM compares it: a string as is, a number as written, binary as base64.
    static func keyText(_ value: AttributeValue) -> String? {
        switch value {
        case let .s(text), let .n(text): text
        case let .b(bytes): Data(bytes).base64EncodedString()
        default: nil
        }
    }

    /// The value a key condition requires `attribute` to equal.
    static func equalityValue(of attribute: String, in condition: Condition) -> AttributeValue? {
        switch condition {
        case let .compare(.path(name), "=", .value(value)) where name == attribute: value
        case let .compare(.value(value), "=", .path(name)) where name == attribute: value
        case let .and(a, b): equalityValue(of: attribute, in: a) ?? equalityValue(of: attribute, in: b)
        default: nil
        }
    }

    /// Runs one parse of the expression in `field`, with DynamoDB's wording of a syntax error (`Invalid
    /// ProjectionExpression: …`).
    static func parse<T>(
        _ field: String, _ parser: inout ExpressionParser, _ body: (inout ExpressionParser) throws(ExpressionError) -> T
    ) throws(WireError) -> T {
        do throws(ExpressionError) {
            return try body(&parser)
        } catch {
            var message = error.message
            if message.hasPrefix("Invalid expression:") { message = "Invalid \(field):" + message.dropFirst("Invalid expression:".count) }
            throw .dynamoDB("ValidationException", message)
        }
    }

    /// `arn:<partition>:dynamodb:<region>:<12 digits>:table/<table name>`, read over the UTF-8 in place (the same
    /// test as splitting at the first five colons).
    static func isTableARN(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            // The offsets of the first five colons.
            var colons: (Int, Int, Int, Int, Int) = (0, 0, 0, 0, 0)
            var found = 0
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: ":") {
                switch found {
                case 0: colons.0 = index
                case 1: colons.1 = index
                case 2: colons.2 = index
                case 3: colons.3 = index
                default: colons.4 = index
                }
                found += 1
                if found == 5 { break }
            }
            guard found == 5 else { return false }
            let service = UnsafeBufferPointer(rebasing: bytes[(colons.1 + 1)..<colons.2])
            let account = UnsafeBufferPointer(rebasing: bytes[(colons.3 + 1)..<colons.4])
            let resource = UnsafeBufferPointer(rebasing: bytes[(colons.4 + 1)...])
            guard equals(service[...], "dynamodb"), account.count == 12, account.allSatisfy({ (48...57).contains($0) }), resource.count >= 6,
                equals(resource[0..<6], "table/")
            else { return false }
            return isTableName(String(decoding: UnsafeBufferPointer(rebasing: resource[6...]), as: UTF8.self))
        }
    }

    static func isTableName(_ name: String) -> Bool {
        // [a-zA-Z0-9_.-]{3,255}, byte by byte (all ASCII, so bytes are characters).
        name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default: false
            }
        } && (3...255).contains(name.utf8.count)
    }

    private func item(_ json: JSONValue?, field: String) throws(WireError) -> Item? {
        guard let json else { return nil }
        do {
            return try AttributeValue.item(json: json)
        } catch {
            throw .dynamoDB("SerializationException", "\(field): \(error.reason)")
        }
    }

    private func boundedLimit(_ body: JSONValue, maximum: Int? = nil) throws(WireError) -> Int? {
        guard let limitValue = body["Limit"] else { return nil }
        guard let limit = limitValue.int, limit >= 1, maximum.map({ limit <= $0 }) ?? true else {
            throw .dynamoDB(
                "ValidationException",
                "1 validation error detected: Value at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"
            )
        }
        return limit
    }

    // MARK: - Operations

    private func execute(_ call: Call, table: inout TableState) throws(WireError) -> [(String, BodyMember)] {
        var parser = ExpressionParser(names: call.names, values: call.values)
        func parse<T>(_ field: String, _ body: (inout ExpressionParser) throws(ExpressionError) -> T) throws(WireError) -> T {
            try Self.parse(field, &parser, body)
        }
        func condition(_ field: String) throws(WireError) -> Condition? {
            guard let text = call.body[field]?.string else { return nil }
            return try parse(field) { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseCondition(text) }
        }
        func checkAllUsed() throws(WireError) {
            let unusedValues = Set(call.values.keys).subtracting(parser.usedValues)
            if !unusedValues.isEmpty {
                throw .dynamoDB("ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {\(unusedValues.sorted().joined(separator: ", "))}")
            }
            let unusedNames = Set(call.names.keys).subtracting(parser.usedNames)
            if !unusedNames.isEmpty {
                throw .dynamoDB("ValidationException", "Value provided in ExpressionAttributeNames unused in expressions: keys: {\(unusedNames.sorted().joined(separator: ", "))}")
            }
        }
        func checkCondition(_ condition: Condition?, _ existing: Item?) throws(WireError) {
            guard let condition else { return }
            let passed: Bool
            do { passed = try Evaluate.condition(condition, existing ?? [:]) } catch { throw .dynamoDB("ValidationException", error.message) }
            if !passed { throw .dynamoDB("ConditionalCheckFailedException", "The conditional request failed") }
        }
        func returned(_ item: Item?, _ mode: String) -> [(String, BodyMember)] {
            guard let item, call.body["ReturnValues"]?.string == mode else { return [] }
            return [("Attributes", .item(item))]
        }
        func requiredKey() throws(WireError) -> Item {
            guard let key = call.key else {
                throw .dynamoDB("ValidationException", "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null")
            }
            return key
        }

        switch call.operation {
        case "GetItem":
            let key = try requiredKey()
            var projection: [String]?
            if let text = call.body["ProjectionExpression"]?.string {
                projection = try parse("ProjectionExpression") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseProjection(text) }
            }
            try checkAllUsed()
            guard var found = try table.get(key) else { return [] }
            if let projection { found = found.filter { projection.contains($0.key) } }
            return [("Item", .item(found))]

        case "PutItem":
            guard let newItem = call.item else {
                throw .dynamoDB("ValidationException", "1 validation error detected: Value null at 'item' failed to satisfy constraint: Member must not be null")
            }
            let check = try condition("ConditionExpression")
            try checkAllUsed()
            _ = try table.storageKey(ofItem: newItem)
            let existing = try table.get(table.key(of: newItem))
            try checkCondition(check, existing)
            try table.put(newItem)
            return returned(existing, "ALL_OLD")

        case "DeleteItem":
            let key = try requiredKey()
            let check = try condition("ConditionExpression")
            try checkAllUsed()
            let existing = try table.get(key)
            try checkCondition(check, existing)
            try table.delete(key)
            return returned(existing, "ALL_OLD")

        case "UpdateItem":
            let key = try requiredKey()
            guard let text = call.body["UpdateExpression"]?.string else {
                throw .dynamoDB("ValidationException", "The UpdateExpression is required by the Trustflow simulator (AttributeUpdates is not supported)")
            }
            let actions = try parse("UpdateExpression") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseUpdate(text) }
            let check = try condition("ConditionExpression")
            try checkAllUsed()
            let existing = try table.get(key)
            try checkCondition(check, existing)
            var updated = existing ?? key
            for action in actions {
                try apply(action, to: &updated, keyNames: table.keyNames)
            }
            try table.put(updated)
            let mode = call.body["ReturnValues"]?.string ?? "NONE"
            switch mode {
            case "ALL_NEW": return [("Attributes", .item(updated))]
            case "ALL_OLD": return returned(existing, "ALL_OLD")
            case "UPDATED_NEW", "UPDATED_OLD":
                let touched = Set(actions.map(Self.target))
                let source = mode == "UPDATED_NEW" ? updated : (existing ?? [:])
                let attributes = source.filter { touched.contains($0.key) }
                return attributes.isEmpty ? [] : [("Attributes", .item(attributes))]
            default: return []
            }

        case "Query", "Scan":
            let indexName = call.body["IndexName"]?.string
            let schema = indexName.flatMap { table.table.indexSchema($0) }
            let partitionKey = schema?.partitionKey ?? table.table.partitionKey
            let sortKey = indexName == nil ? table.table.sortKey : schema?.sortKey
            let indexKeyNames = [partitionKey] + (sortKey.map { [$0] } ?? [])
            var keyCondition: Condition?
            if call.operation == "Query" {
                guard let text = call.body["KeyConditionExpression"]?.string else {
                    throw .dynamoDB("ValidationException", "Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
                }
                let parsed = try parse("KeyConditionExpression") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseCondition(text) }
                let (partition, sort) = try Self.keyAttributes(parsed)
                guard partition == partitionKey else {
                    throw .dynamoDB("ValidationException", "Query condition missed key schema element: \(partitionKey)")
                }
                if let sort, sort != sortKey { throw .dynamoDB("ValidationException", "Query key condition not supported") }
                for (attribute, value) in Self.comparedValues(parsed) where value.typeName != table.table.attributeType(attribute) {
                    throw .dynamoDB("ValidationException", "One or more parameter values were invalid: Condition parameter type does not match schema type")
                }
                keyCondition = parsed
            }
            var projection: [String]?
            if let text = call.body["ProjectionExpression"]?.string {
                projection = try parse("ProjectionExpression") { (p: inout ExpressionParser) throws(ExpressionError) in try p.parseProjection(text) }
            }
            let select = call.body["Select"]?.string ?? (projection != nil ? "SPECIFIC_ATTRIBUTES" : indexName != nil ? "ALL_PROJECTED_ATTRIBUTES" : "ALL_ATTRIBUTES")
            guard ["ALL_ATTRIBUTES", "ALL_PROJECTED_ATTRIBUTES", "SPECIFIC_ATTRIBUTES", "COUNT"].contains(select) else {
                throw .dynamoDB(
                    "ValidationException",
                    "1 validation error detected: Value '\(select)' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]")
            }
            if let indexName, let schema, select == "ALL_ATTRIBUTES", schema.projection != .all {
                throw .dynamoDB(
                    "ValidationException",
                    "One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index \(indexName) because its projection type is not ALL")
            }
            if select == "SPECIFIC_ATTRIBUTES", projection == nil {
                throw .dynamoDB("ValidationException", "One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression or AttributesToGet")
            }
            let filter = try condition("FilterExpression")
            try checkAllUsed()
            let limit = try boundedLimit(call.body)
            let startKey = call.startKey
            // An index holds only the items that have its key attributes (a sparse index), ordered by its keys.
            var candidates = table.sortedItems(by: indexKeyNames)
            if indexName != nil { candidates = candidates.filter { item in indexKeyNames.allSatisfy { item[$0] != nil } } }
            if let keyCondition {
                var matching: [Item] = []
                for candidate in candidates {
                    do { if try Evaluate.condition(keyCondition, candidate) { matching.append(candidate) } } catch {
                        throw .dynamoDB("ValidationException", error.message)
                    }
                }
                candidates = matching
                if call.body["ScanIndexForward"]?.bool == false { candidates.reverse() }
            }
            if let startKey {
                let start = try table.storageKey(table.key(of: startKey).count == table.keyNames.count ? table.key(of: startKey) : startKey)
                var position: Int?
                for (offset, candidate) in candidates.enumerated() where try table.storageKey(ofItem: candidate) == start {
                    position = offset
                    break
                }
                if let position { candidates = Array(candidates[(position + 1)...]) }
            }
            var evaluated = candidates
            var lastKey: Item?
            if let limit, candidates.count > limit {
                evaluated = Array(candidates.prefix(limit))
                if let last = evaluated.last {
                    var key = table.key(of: last)
                    for name in indexKeyNames { key[name] = last[name] }
                    lastKey = key
                }
            }
            // What an index read can see: the table's and the index's keys, and what the index projects.
            let visible: Set<String>? =
                switch schema?.projection {
                case .keysOnly?: Set(table.keyNames + indexKeyNames)
                case let .include(attributes)?: Set(table.keyNames + indexKeyNames + attributes)
                default: nil
                }
            var items: [Item] = []
            for candidate in evaluated {
                if let filter {
                    do { if try !Evaluate.condition(filter, candidate) { continue } } catch { throw .dynamoDB("ValidationException", error.message) }
                }
                var item = candidate
                if let visible { item = item.filter { visible.contains($0.key) } }
                if let projection { item = item.filter { projection.contains($0.key) } }
                items.append(item)
            }
            var members: [(String, BodyMember)] = [("Count", .number(String(items.count)))]
            if select != "COUNT" { members.append(("Items", .items(items))) }
            members.append(("ScannedCount", .number(String(evaluated.count))))
            if let lastKey { members.append(("LastEvaluatedKey", .item(lastKey))) }
            return members

        default:  // DescribeTable
            try checkAllUsed()
            let described = table.table
            func keySchema(_ partition: String, _ sort: String?) -> JSONValue {
                var schema: [JSONValue] = [.object([("AttributeName", .string(partition)), ("KeyType", .string("HASH"))])]
                if let sort { schema.append(.object([("AttributeName", .string(sort)), ("KeyType", .string("RANGE"))])) }
                return .array(schema)
            }
            // Every key attribute of the table and its indexes, with its declared type, once, in name order (as AWS lists them).
            var keyAttributes = Set([described.partitionKey] + (described.sortKey.map { [$0] } ?? []))
            let indexSchemas = described.indexes.compactMap { described.indexSchema($0) }
            for schema in indexSchemas { keyAttributes.formUnion([schema.partitionKey] + (schema.sortKey.map { [$0] } ?? [])) }
            let definitions: [JSONValue] = keyAttributes.sorted().map {
                .object([("AttributeName", .string($0)), ("AttributeType", .string(described.attributeType($0)))])
            }
            var description: [(String, JSONValue)] = [
                ("AttributeDefinitions", .array(definitions)),
                ("BillingModeSummary", .object([("BillingMode", .string("PAY_PER_REQUEST"))])),
                ("ItemCount", .number(String(table.items.count))),
                ("KeySchema", keySchema(described.partitionKey, described.sortKey)), ("TableArn", .string(described.arn)),
                ("TableName", .string(described.name)), ("TableStatus", .string("ACTIVE")),
            ]
            if !indexSchemas.isEmpty {
                let indexes: [JSONValue] = indexSchemas.map { schema in
                    var projection: [(String, JSONValue)] = [("ProjectionType", .string(schema.projection.type))]
                    if case let .include(attributes) = schema.projection { projection.append(("NonKeyAttributes", .array(attributes.map { .string($0) }))) }
                    let count = table.items.values.filter { item in ([schema.partitionKey] + (schema.sortKey.map { [$0] } ?? [])).allSatisfy { item[$0] != nil } }.count
                    return .object([
                        ("IndexArn", .string(described.indexARN(schema.name))), ("IndexName", .string(schema.name)), ("IndexStatus", .string("ACTIVE")),
                        ("ItemCount", .number(String(count))), ("KeySchema", keySchema(schema.partitionKey, schema.sortKey)),
                        ("Projection", .object(projection)),
                    ])
                }
                description.append(("GlobalSecondaryIndexes", .array(indexes)))
            }
            return [("Table", .json(.object(description)))]
        }
    }

    /// Every attribute a key condition compares with a value, and that value.
    static func comparedValues(_ condition: Condition) -> [(String, AttributeValue)] {
        switch condition {
        case let .compare(.path(name), _, .value(value)), let .compare(.value(value), _, .path(name)): [(name, value)]
        case let .between(.path(name), .value(low), .value(high)): [(name, low), (name, high)]
        case let .function(_, arguments):
            if arguments.count == 2, case let .path(name) = arguments[0], case let .value(value) = arguments[1] { [(name, value)] } else { [] }
        case let .and(a, b): comparedValues(a) + comparedValues(b)
        default: []
        }
    }

    /// The partition attribute (equality) and the optional sort attribute of a key condition.
    private static func keyAttributes(_ condition: Condition) throws(WireError) -> (String, String?) {
        var conditions: [Condition] = []
        func flatten(_ c: Condition) throws(WireError) {
            switch c {
            case let .and(a, b):
                try flatten(a)
                try flatten(b)
            case .compare, .between, .function("begins_with", _): conditions.append(c)
            default: throw .dynamoDB("ValidationException", "Invalid operator used in KeyConditionExpression")
            }
        }
        try flatten(condition)
        guard (1...2).contains(conditions.count) else {
            throw .dynamoDB("ValidationException", "Conditions can be of length 1 or 2 only")
        }
        var partition: String?
        var sort: String?
        for c in conditions {
            switch c {
            case let .compare(.path(name), "=", .value), let .compare(.value, "=", .path(name)):
                if partition == nil { partition = name } else { sort = name }
            case let .compare(.path(name), op, .value) where op != "<>": sort = name
            case let .between(.path(name), .value, .value): sort = name
            case let .function(_, arguments): if case let .path(name) = arguments[0] { sort = name }
            default: throw .dynamoDB("ValidationException", "Invalid KeyConditionExpression: each condition compares a key attribute with a value")
            }
        }
        guard let partition else {
            throw .dynamoDB("ValidationException", "Query key condition not supported: the partition key needs an equality condition")
        }
        if sort == partition { throw .dynamoDB("ValidationException", "KeyConditionExpressions must only contain one condition per key") }
        return (partition, sort)
    }

    private static func target(_ action: ExpressionParser.UpdateAction) -> String {
        switch action {
        case let .set(path, _), let .remove(path), let .add(path, _), let .delete(path, _): path
        }
    }

    private func apply(_ action: ExpressionParser.UpdateAction, to item: inout Item, keyNames: [String]) throws(WireError) {
        let path = Self.target(action)
        if keyNames.contains(path) {
            throw .dynamoDB("ValidationException", "One or more parameter values were invalid: Cannot update attribute \(path). This attribute is part of the key")
        }
        switch action {
        case let .set(_, value): item[path] = try evaluate(value, item)
        case .remove: item[path] = nil
        case let .add(_, value):
            switch (item[path], value) {
            case (nil, _): item[path] = value
            case let (.n(a)?, .n(b)): item[path] = .n(try arithmetic(a, b, +))
            case let (.ss(a)?, .ss(b)): item[path] = .ss(a + b.filter { !a.contains($0) })
            case let (.ns(a)?, .ns(b)): item[path] = .ns(a + b.filter { !a.contains($0) })
            default: throw .dynamoDB("ValidationException", "An operand in the update expression has an incorrect data type")
            }
        case let .delete(_, value):
            switch (item[path], value) {
            case (nil, _): break
            case let (.ss(a)?, .ss(b)): let rest = a.filter { !b.contains($0) }; item[path] = rest.isEmpty ? nil : .ss(rest)
            case let (.ns(a)?, .ns(b)): let rest = a.filter { !b.contains($0) }; item[path] = rest.isEmpty ? nil : .ns(rest)
            default: throw .dynamoDB("ValidationException", "An operand in the update expression has an incorrect data type")
            }
        }
    }

    private func evaluate(_ value: ExpressionParser.UpdateValue, _ item: Item) throws(WireError) -> AttributeValue {
        switch value {
        case let .operand(operand):
            guard let resolved = Evaluate.resolve(operand, item) else {
                throw .dynamoDB("ValidationException", "The provided expression refers to an attribute that does not exist in the item")
            }
            return resolved
        case let .ifNotExists(path, fallback):
            if let existing = item[path] { return existing }
            return try evaluate(fallback, item)
        case let .plus(a, b), let .minus(a, b):
            guard case let .n(x) = try evaluate(a, item), case let .n(y) = try evaluate(b, item) else {
                throw .dynamoDB("ValidationException", "An operand in the update expression has an incorrect data type")
            }
            if case .plus = value { return .n(try arithmetic(x, y, +)) }
            return .n(try arithmetic(x, y, -))
        }
    }

    private func arithmetic(_ a: String, _ b: String, _ op: (Decimal, Decimal) -> Decimal) throws(WireError) -> String {
        guard let x = Evaluate.number(a), let y = Evaluate.number(b) else {
            throw .dynamoDB("ValidationException", "An operand in the update expression has an incorrect data type")
        }
        return Evaluate.numberText(op(x, y))
    }
}
