import AWSClient
import AWSMock
import Foundation

/// Hand-made wire requests, for what the client library would refuse to send or does not expose.
struct Wire {
    let simulator: AWSSimulator
    var credentials: AWSCredentials
    var now: Date
    var region = "us-east-1"
    var url = AWSSimulator.endpoint

    /// A signed STS query-protocol request; `service` and `region` go into the credential scope.
    func sts(_ parameters: [(String, String)], service: String = "sts", extraHeaders: [(name: String, value: String)] = []) -> HTTPResponse {
        let body = (([("Action", "AssumeRole"), ("Version", "2011-06-15")].filter { pair in !parameters.contains { $0.0 == pair.0 } }) + parameters)
            .map { "\(SigV4Signer.uriEncode($0.0))=\(SigV4Signer.uriEncode($0.1))" }.joined(separator: "&")
        let request = HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")] + extraHeaders,
            body: Array(body.utf8))
        return simulator.handle(SigV4Signer(credentials: credentials, region: region, service: service).sign(request, at: now))
    }

    /// A signed DynamoDB JSON 1.0 request.
    func dynamoDB(_ operation: String, _ body: String, service: String = "dynamodb") -> HTTPResponse {
        let request = HTTPRequest(
            method: "POST", url: url, headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.\(operation)")],
            body: Array(body.utf8))
        return simulator.handle(SigV4Signer(credentials: credentials, region: region, service: service).sign(request, at: now))
    }
}

extension HTTPResponse {
    var text: String { String(decoding: body, as: UTF8.self) }

    /// DynamoDB's `__type` without its namespace, or STS's `<Code>`.
    var code: String? {
        if let json = try? JSONValue.parse(body), let type = json["__type"]?.string { return String(type.split(separator: "#").last ?? "") }
        guard let start = text.range(of: "<Code>"), let end = text.range(of: "</Code>") else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }

    /// DynamoDB's `message`, or STS's `<Message>` (XML entities undone).
    var message: String? {
        if let json = try? JSONValue.parse(body), let message = json["message"]?.string { return message }
        guard let start = text.range(of: "<Message>"), let end = text.range(of: "</Message>") else { return nil }
        return String(text[start.upperBound..<end.lowerBound]).replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&quot;", with: "\"")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">").replacingOccurrences(of: "&amp;", with: "&")
    }

    /// A value of the XML answer (`AccessKeyId`, …).
    func xml(_ element: String) -> String? {
        guard let start = text.range(of: "<\(element)>"), let end = text.range(of: "</\(element)>") else { return nil }
        return String(text[start.upperBound..<end.lowerBound])
    }
}
