import Foundation

/// One operation of an AWS JSON service (1.0 or 1.1): a JSON object POSTed with `X-Amz-Target: <prefix>.<Operation>`,
/// a JSON object back. Shared by KMS, SQS and Secrets Manager (DynamoDB keeps its own, older copy).
struct JSONCall: Sendable {
    let call: ServiceCall
    /// `TrentService`, `AmazonSQS`, `secretsmanager`.
    let targetPrefix: String
    /// Headers every request of the service carries besides the target and content type (SQS's `x-amzn-query-mode`).
    var extraHeaders: [(name: String, value: String)] = []

    var contentType: String { call.wire == .json10 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1" }

    /// Sends `operation` with `body` and returns the answer's JSON object (`{}` for an empty body).
    func send(_ operation: String, _ body: [(String, JSONValue)]) async throws -> (HTTPResponse, JSONValue) {
        let response = try await call.send(
            operation: operation,
            headers: [(name: "Content-Type", value: contentType), (name: "X-Amz-Target", value: targetPrefix + "." + operation)] + extraHeaders,
            body: JSONValue.object(body).serialized
        )
        if response.body.isEmpty { return (response, .object([])) }
        // The body decides, not its content type (botocore reads it the same way): moto labels KMS's JSON `text/html`.
        do {
            let json = try JSONValue.parse(response.body)
            guard json.members != nil else { throw call.malformed(response, operation: operation, "expected a JSON object") }
            return (response, json)
        } catch let error as JSONValue.ParseError {
            throw call.malformed(response, operation: operation, "unreadable JSON (\(error)) in \(ServiceCall.describeBody(response))")
        }
    }

    /// A required string member, or a malformed-response error naming it.
    func string(_ json: JSONValue, _ name: String, _ response: HTTPResponse, operation: String) throws -> String {
        guard let value = json[name]?.string else { throw call.malformed(response, operation: operation, "\(operation) answer lacks \(name)") }
        return value
    }

    /// A required blob member (base64 on the wire), or a malformed-response error naming it.
    func blob(_ json: JSONValue, _ name: String, _ response: HTTPResponse, operation: String) throws -> [UInt8] {
        let text = try string(json, name, response, operation: operation)
        guard let bytes = Self.base64Decode(text) else {
            throw call.malformed(response, operation: operation, "\(operation) answer's \(name) is not base64")
        }
        return bytes
    }

    /// A blob member when present.
    func optionalBlob(_ json: JSONValue, _ name: String, _ response: HTTPResponse, operation: String) throws -> [UInt8]? {
        json[name] == nil ? nil : try blob(json, name, response, operation: operation)
    }

    static func base64(_ bytes: [UInt8]) -> JSONValue { .string(Data(bytes).base64EncodedString()) }

    static func base64Decode(_ text: String) -> [UInt8]? { Data(base64Encoded: text).map { Array($0) } }

    /// A string map as a JSON object, keys sorted (same input, same bytes).
    static func stringMap(_ map: [String: String]) -> JSONValue { .object(map.keys.sorted().map { ($0, .string(map[$0]!)) }) }

    /// A JSON timestamp: seconds since 1970 as a number (`1.478910250366E9`), as the JSON protocols send them.
    static func date(_ value: JSONValue?) -> Date? {
        guard case let .number(text)? = value, let seconds = Double(text) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
