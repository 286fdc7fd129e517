import Foundation

/// AWS Lambda over REST-JSON: `Invoke` (`POST /2015-03-31/functions/{FunctionName}/invocations`).
public struct Lambda: Sendable {
    public let configuration: AWSConfiguration
    private var call: ServiceCall { ServiceCall(configuration: configuration, service: .lambda, wire: .restJSON) }

    public init(configuration: AWSConfiguration) {
        self.configuration = configuration
    }

    /// `X-Amz-Invocation-Type`.
    public enum InvocationType: String, Sendable, Hashable, CaseIterable {
        /// Waits for the function and returns its result (HTTP 200).
        case requestResponse = "RequestResponse"
        /// Queues the event and returns at once (HTTP 202), no payload.
        case event = "Event"
        /// Checks the caller may invoke, runs nothing (HTTP 204).
        case dryRun = "DryRun"
    }

    /// What `Invoke` returns. A function that threw still answers HTTP 200: `functionError` says so, and
    /// `payload` holds its error document.
    public struct Invocation: Sendable, Hashable {
        /// 200, 202 or 204, by invocation type.
        public var statusCode: Int
        /// `X-Amz-Function-Error`: `Unhandled` (or `Handled`) when the function failed; `nil` when it returned.
        public var functionError: String?
        /// The last 4 KB of the execution log, decoded from base64 (asked for with `tailLog: true`).
        public var logResult: String?
        /// `X-Amz-Executed-Version`: `$LATEST` or the version number that ran.
        public var executedVersion: String?
        /// The function's response (or error document), as bytes.
        public var payload: [UInt8]
        public var requestID: String?
    }

    /// `lambda:InvokeFunction`. `functionName` is a name (`orders-api`), a full ARN
    /// (`arn:aws:lambda:us-east-1:222222222222:function:orders-api`), a partial ARN (`222222222222:function:orders-api`),
    /// any of them with `:alias` or `:version`; another account's function needs an ARN. `qualifier` picks a version
    /// or alias when the name has none.
    public func invoke(
        functionName: String, payload: [UInt8] = [], invocationType: InvocationType = .requestResponse, qualifier: String? = nil,
        tailLog: Bool = false, clientContext: String? = nil
    ) async throws -> Invocation {
        let operation = "Invoke"
        guard !functionName.isEmpty else {
            throw AWSError(kind: .invalidParameter, code: AWSError.Code.invalidParameter, message: "FunctionName must not be empty", service: "lambda", operation: operation)
        }
        // The payload is a blob: `application/octet-stream`, as the Smithy-based SDKs label it. Sent explicitly, because a
        // transport that adds a form content type to an unlabelled POST (URLSession does) gets the body parsed as a form.
        var headers: [(name: String, value: String)] = [
            (name: "Content-Type", value: "application/octet-stream"), (name: "X-Amz-Invocation-Type", value: invocationType.rawValue),
        ]
        if tailLog { headers.append((name: "X-Amz-Log-Type", value: "Tail")) }
        if let clientContext { headers.append((name: "X-Amz-Client-Context", value: Data(clientContext.utf8).base64EncodedString())) }
        let route = Route(
            method: "POST", path: "/2015-03-31/functions/" + SigV4Signer.uriEncode(functionName) + "/invocations",
            query: qualifier.map { "Qualifier=" + SigV4Signer.uriEncode($0) } ?? ""
        )
        let response = try await call.send(operation: operation, route: route, headers: headers, body: payload)
        return Invocation(
            statusCode: response.status, functionError: response.header("X-Amz-Function-Error"),
            logResult: response.header("X-Amz-Log-Result").flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) },
            executedVersion: response.header("X-Amz-Executed-Version"), payload: response.body,
            requestID: response.header("x-amzn-RequestId")
        )
    }
}
