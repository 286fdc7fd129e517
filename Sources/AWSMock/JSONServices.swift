import AWSClient
import Foundation

extension AWSSimulator {
    /// The operation and body of an AWS JSON request (`X-Amz-Target: <prefix>.<Operation>`), or the service's error:
    /// `UnknownOperationException` for an operation it does not serve, `SerializationException` for a body that is
    /// not a JSON object.
    func jsonRequest(_ request: HTTPRequest, prefix: String, operations: Set<String>) -> Result<(String, JSONValue), WireError> {
        guard let target = request.header("x-amz-target"), target.hasPrefix(prefix + "."),
            case let operation = String(target.dropFirst(prefix.count + 1)), operations.contains(operation)
        else {
            return .failure(.of(400, "UnknownOperationException", ""))
        }
        guard let body = try? JSONValue.parse(request.body.isEmpty ? Array("{}".utf8) : request.body), body.members != nil else {
            return .failure(.of(400, "SerializationException", "The request body must be a JSON object"))
        }
        return .success((operation, body))
    }

    /// A 200 answer of an AWS JSON service.
    func jsonAnswer(_ members: [(String, JSONValue)], contentType: String, requestID: String) -> HTTPResponse {
        HTTPResponse(
            status: 200, headers: [(name: "Content-Type", value: contentType), (name: "x-amzn-RequestId", value: requestID)],
            body: JSONValue.object(members).serialized)
    }

    /// A required string member, or the service's `ValidationException` naming it as AWS does.
    static func required(_ body: JSONValue, _ member: String, code: String = "ValidationException") throws(WireError) -> String {
        guard let value = body[member]?.string else {
            let name = member.prefix(1).lowercased() + member.dropFirst()
            throw .of(400, code, "1 validation error detected: Value null at '\(name)' failed to satisfy constraint: Member must not be null")
        }
        return value
    }

    /// Seconds since 1970 as the JSON protocols send a timestamp.
    static func jsonDate(_ date: Date) -> JSONValue { .number(String(Int(date.timeIntervalSince1970.rounded(.down)))) }

    /// A random version-4 UUID (message ids, request ids).
    static func uuid() -> String { RandomIdentifiers.requestID(for: .sts) }

    /// A UUID-shaped id that stays the same for the same text (secret version ids).
    static func stableUUID(_ text: String) -> String {
        let hex = Hex.string(SHA256Digest.of(text).prefix(16))
        let digits = Array(hex)
        return [0..<8, 8..<12, 12..<16, 16..<20, 20..<32].map { String(digits[$0]) }.joined(separator: "-")
    }
}
