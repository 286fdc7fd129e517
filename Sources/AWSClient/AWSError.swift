/// The one error every AWSClient call throws: an AWS service error or a client-side failure, with the context to act on it.
///
/// `code` is AWS's error code as the service sends it (`AccessDenied`, `AccessDeniedException`,
/// `ResourceNotFoundException`, …) — for DynamoDB with the `com.amazon.coral.service#` prefix stripped — or, for
/// failures detected by the client, one of the `Code` constants below. Match on `code`, show `description`.
public struct AWSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Where the failure was detected.
    public enum Kind: String, Sendable, Hashable {
        /// The service answered with an error document (XML `ErrorResponse` or JSON `__type`).
        case service
        /// The service answered, but not with something this client can read (truncated body, HTML page, wrong content type, missing field).
        case malformedResponse
        /// No credentials could be found or obtained.
        case missingCredentials
        /// The endpoint is not an `http`/`https` URL, or the region is missing.
        case invalidConfiguration
        /// A parameter failed client-side validation before anything was sent (e.g. RoleSessionName).
        case invalidParameter
        /// The request never got an HTTP answer (connection refused, DNS, TLS).
        case transport
    }

    /// Codes for failures detected on the client side.
    public enum Code {
        public static let malformedResponse = "MalformedResponse"
        public static let missingCredentials = "MissingCredentials"
        public static let invalidEndpoint = "InvalidEndpoint"
        public static let missingRegion = "MissingRegion"
        public static let invalidParameter = "InvalidParameterValue"
        public static let transport = "TransportError"
    }

    public var kind: Kind
    /// AWS's error code, or one of `AWSError.Code` for client-side failures.
    public var code: String
    /// AWS's message text verbatim, or the client's explanation.
    public var message: String
    /// The HTTP status of the response, when there was one.
    public var status: Int?
    /// `x-amzn-RequestId` / `<RequestId>`: what AWS support and CloudTrail need.
    public var requestID: String?
    /// The signing name of the service called (`sts`, `dynamodb`).
    public var service: String?
    /// The operation called (`AssumeRole`, `GetItem`).
    public var operation: String?

    public init(
        kind: Kind, code: String, message: String, status: Int? = nil, requestID: String? = nil, service: String? = nil,
        operation: String? = nil
    ) {
        self.kind = kind
        self.code = code
        self.message = message
        self.status = status
        self.requestID = requestID
        self.service = service
        self.operation = operation
    }

    /// True for access errors: `AccessDenied`, `AccessDeniedException`, `UnrecognizedClientException`, signature and token errors.
    /// These are never retried.
    public var isAccessError: Bool {
        Self.accessCodes.contains(code)
    }

    /// True for errors worth retrying: throttling and 5xx server errors (never access errors).
    public var isRetryable: Bool {
        guard kind == .service || kind == .malformedResponse, !isAccessError else { return false }
        if Self.throttlingCodes.contains(code) { return true }
        if let status, (500...599).contains(status) { return true }
        return false
    }

    static let accessCodes: Set<String> = [
        "AccessDenied", "AccessDeniedException", "UnrecognizedClientException", "InvalidClientTokenId",
        "SignatureDoesNotMatch", "InvalidSignatureException", "ExpiredToken", "ExpiredTokenException",
        "MissingAuthenticationToken", "MissingAuthenticationTokenException", "IncompleteSignature",
        "IncompleteSignatureException",
    ]
    static let throttlingCodes: Set<String> = [
        "ThrottlingException", "Throttling", "ProvisionedThroughputExceededException", "RequestLimitExceeded",
        "TooManyRequestsException", "RequestThrottled", "RequestThrottledException", "SlowDown",
    ]

    /// `sts AssumeRole: AccessDenied (HTTP 403, request id …): User: … is not authorized …`
    public var description: String {
        var head = ""
        if let service { head += service }
        if let operation { head += head.isEmpty ? operation : " \(operation)" }
        if !head.isEmpty { head += ": " }
        var details: [String] = []
        if let status { details.append("HTTP \(status)") }
        if let requestID { details.append("request id \(requestID)") }
        let detail = details.isEmpty ? "" : " (\(details.joined(separator: ", ")))"
        return "\(head)\(code)\(detail): \(message)"
    }
}
