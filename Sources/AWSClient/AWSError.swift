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
        /// An attempt got no answer within `Timeouts.attempt`, or the call ran past `Timeouts.total`.
        case timeout
    }

    /// Codes for failures detected on the client side.
    public enum Code {
        public static let malformedResponse = "MalformedResponse"
        public static let missingCredentials = "MissingCredentials"
        public static let invalidEndpoint = "InvalidEndpoint"
        public static let missingRegion = "MissingRegion"
        public static let invalidParameter = "InvalidParameterValue"
        public static let transport = "TransportError"
        /// One attempt got no answer within `Timeouts.attempt`.
        public static let attemptTimeout = "AttemptTimeout"
        /// The call as a whole (attempts and backoff) ran past `Timeouts.total`.
        public static let deadlineExceeded = "DeadlineExceeded"
        /// A retry was refused because the client's retry quota is spent (many failures in a row).
        public static let retryQuotaExceeded = "RetryQuotaExceeded"
    }

    public var kind: Kind
    /// AWS's error code, or one of `AWSError.Code` for client-side failures. Kept as the raw string so
    /// `error.code == "AccessDenied"` keeps working; `errorCode` is the same value, typed.
    public var code: String
    /// `code` as a typed value: `.accessDenied`, `.throttlingException`, … or `.other("…")` for codes this client does not list.
    public var errorCode: AWSErrorCode { AWSErrorCode(rawValue: code) }
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
    /// The error's shape name when `code` is a legacy Query code: SQS over JSON answers `__type`
    /// `QueueDoesNotExist` with `x-amzn-query-error: AWS.SimpleQueueService.NonExistentQueue;Sender`; `code` is
    /// the legacy code, as the SDKs match it, and this the shape's name. `nil` for every other error.
    public var shapeName: String?

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
    /// These are never retried as such (an expired token is refreshed once, see `isExpiredToken`).
    public var isAccessError: Bool { errorCode.isAccessError }

    /// True when the session token has expired: the client refreshes the credentials and retries once.
    public var isExpiredToken: Bool { errorCode.isExpiredToken }

    /// True for throttling codes (botocore's standard mode list) and HTTP 429.
    public var isThrottling: Bool {
        guard kind == .service || kind == .malformedResponse else { return false }
        return errorCode.isThrottling || status == 429
    }

    /// True for transient failures: no answer (connection errors, attempt timeouts), `RequestTimeout`,
    /// `PriorRequestNotComplete`, HTTP 500/502/503/504 (botocore's standard mode).
    public var isTransient: Bool {
        switch kind {
        case .transport: return true
        case .timeout: return code == Code.attemptTimeout
        case .service, .malformedResponse:
            if errorCode.isTransient { return true }
            if let status, [500, 502, 503, 504].contains(status) { return true }
            return false
        default: return false
        }
    }

    /// True for errors worth retrying: throttling and transient errors, never access errors (botocore's standard mode).
    public var isRetryable: Bool {
        !isAccessError && (isThrottling || isTransient)
    }

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
