/// The error codes STS and DynamoDB document, plus the client's own, as a type; any other code is kept as `.other`.
///
/// `AWSError.code` stays the raw string; `AWSError.errorCode` is this view of it, for `switch`:
///
/// ```swift
/// switch error.errorCode {
/// case .accessDenied, .accessDeniedException: …
/// case .conditionalCheckFailedException: …
/// default: …
/// }
/// ```
public enum AWSErrorCode: Sendable, Hashable, RawRepresentable, CustomStringConvertible {
    // STS (AssumeRole, AssumeRoleWithWebIdentity, GetCallerIdentity) and common Query errors.
    case accessDenied
    case expiredToken
    case idpCommunicationError
    case idpRejectedClaim
    case invalidIdentityToken
    case malformedPolicyDocument
    case packedPolicyTooLarge
    case regionDisabledException
    case invalidClientTokenId
    case signatureDoesNotMatch
    case incompleteSignature
    case missingAuthenticationToken
    case invalidParameterValue
    case throttling
    case requestExpired
    // DynamoDB.
    case accessDeniedException
    case conditionalCheckFailedException
    case expiredTokenException
    case internalServerError
    case invalidSignatureException
    case itemCollectionSizeLimitExceededException
    case limitExceededException
    case missingAuthenticationTokenException
    case incompleteSignatureException
    case provisionedThroughputExceededException
    case requestLimitExceeded
    case resourceInUseException
    case resourceNotFoundException
    case serviceUnavailable
    case throttlingException
    case transactionCanceledException
    case transactionConflictException
    case transactionInProgressException
    case unrecognizedClientException
    case validationException
    // Other throttling and transient codes botocore's standard retry mode knows.
    case throttledException
    case requestThrottled
    case requestThrottledException
    case tooManyRequestsException
    case bandwidthLimitExceeded
    case slowDown
    case ec2ThrottledException
    case requestTimeout
    case requestTimeoutException
    case priorRequestNotComplete
    // Detected by this client (`AWSError.Code`).
    case malformedResponse
    case missingCredentials
    case invalidEndpoint
    case missingRegion
    case transportError
    case attemptTimeout
    case deadlineExceeded
    case retryQuotaExceeded
    /// A code this client does not list, verbatim.
    case other(String)

    private static let known: [String: AWSErrorCode] = {
        var table: [String: AWSErrorCode] = [:]
        for code in listed { table[code.rawValue] = code }
        return table
    }()

    private static let listed: [AWSErrorCode] = [
        .accessDenied, .expiredToken, .idpCommunicationError, .idpRejectedClaim, .invalidIdentityToken, .malformedPolicyDocument,
        .packedPolicyTooLarge, .regionDisabledException, .invalidClientTokenId, .signatureDoesNotMatch, .incompleteSignature,
        .missingAuthenticationToken, .invalidParameterValue, .throttling, .requestExpired, .accessDeniedException,
        .conditionalCheckFailedException, .expiredTokenException, .internalServerError, .invalidSignatureException,
        .itemCollectionSizeLimitExceededException, .limitExceededException, .missingAuthenticationTokenException,
        .incompleteSignatureException, .provisionedThroughputExceededException, .requestLimitExceeded, .resourceInUseException,
        .resourceNotFoundException, .serviceUnavailable, .throttlingException, .transactionCanceledException,
        .transactionConflictException, .transactionInProgressException, .unrecognizedClientException, .validationException,
        .throttledException, .requestThrottled, .requestThrottledException, .tooManyRequestsException, .bandwidthLimitExceeded,
        .slowDown, .ec2ThrottledException, .requestTimeout, .requestTimeoutException, .priorRequestNotComplete, .malformedResponse,
        .missingCredentials, .invalidEndpoint, .missingRegion, .transportError, .attemptTimeout, .deadlineExceeded,
        .retryQuotaExceeded,
    ]

    public init(rawValue: String) {
        self = Self.known[rawValue] ?? .other(rawValue)
    }

    /// The code as AWS spells it on the wire.
    public var rawValue: String {
        switch self {
        case .accessDenied: "AccessDenied"
        case .expiredToken: "ExpiredToken"
        case .idpCommunicationError: "IDPCommunicationError"
        case .idpRejectedClaim: "IDPRejectedClaim"
        case .invalidIdentityToken: "InvalidIdentityToken"
        case .malformedPolicyDocument: "MalformedPolicyDocument"
        case .packedPolicyTooLarge: "PackedPolicyTooLarge"
        case .regionDisabledException: "RegionDisabledException"
        case .invalidClientTokenId: "InvalidClientTokenId"
        case .signatureDoesNotMatch: "SignatureDoesNotMatch"
        case .incompleteSignature: "IncompleteSignature"
        case .missingAuthenticationToken: "MissingAuthenticationToken"
        case .invalidParameterValue: "InvalidParameterValue"
        case .throttling: "Throttling"
        case .requestExpired: "RequestExpired"
        case .accessDeniedException: "AccessDeniedException"
        case .conditionalCheckFailedException: "ConditionalCheckFailedException"
        case .expiredTokenException: "ExpiredTokenException"
        case .internalServerError: "InternalServerError"
        case .invalidSignatureException: "InvalidSignatureException"
        case .itemCollectionSizeLimitExceededException: "ItemCollectionSizeLimitExceededException"
        case .limitExceededException: "LimitExceededException"
        case .missingAuthenticationTokenException: "MissingAuthenticationTokenException"
        case .incompleteSignatureException: "IncompleteSignatureException"
        case .provisionedThroughputExceededException: "ProvisionedThroughputExceededException"
        case .requestLimitExceeded: "RequestLimitExceeded"
        case .resourceInUseException: "ResourceInUseException"
        case .resourceNotFoundException: "ResourceNotFoundException"
        case .serviceUnavailable: "ServiceUnavailable"
        case .throttlingException: "ThrottlingException"
        case .transactionCanceledException: "TransactionCanceledException"
        case .transactionConflictException: "TransactionConflictException"
        case .transactionInProgressException: "TransactionInProgressException"
        case .unrecognizedClientException: "UnrecognizedClientException"
        case .validationException: "ValidationException"
        case .throttledException: "ThrottledException"
        case .requestThrottled: "RequestThrottled"
        case .requestThrottledException: "RequestThrottledException"
        case .tooManyRequestsException: "TooManyRequestsException"
        case .bandwidthLimitExceeded: "BandwidthLimitExceeded"
        case .slowDown: "SlowDown"
        case .ec2ThrottledException: "EC2ThrottledException"
        case .requestTimeout: "RequestTimeout"
        case .requestTimeoutException: "RequestTimeoutException"
        case .priorRequestNotComplete: "PriorRequestNotComplete"
        case .malformedResponse: AWSError.Code.malformedResponse
        case .missingCredentials: AWSError.Code.missingCredentials
        case .invalidEndpoint: AWSError.Code.invalidEndpoint
        case .missingRegion: AWSError.Code.missingRegion
        case .transportError: AWSError.Code.transport
        case .attemptTimeout: AWSError.Code.attemptTimeout
        case .deadlineExceeded: AWSError.Code.deadlineExceeded
        case .retryQuotaExceeded: AWSError.Code.retryQuotaExceeded
        case .other(let code): code
        }
    }

    public var description: String { rawValue }

    /// Denials, bad signatures and bad or expired tokens: never retried as such.
    public var isAccessError: Bool {
        switch self {
        case .accessDenied, .accessDeniedException, .unrecognizedClientException, .invalidClientTokenId, .signatureDoesNotMatch,
            .invalidSignatureException, .expiredToken, .expiredTokenException, .missingAuthenticationToken,
            .missingAuthenticationTokenException, .incompleteSignature, .incompleteSignatureException:
            true
        default: false
        }
    }

    /// The session token has expired: refresh the credentials and retry once.
    public var isExpiredToken: Bool {
        self == .expiredToken || self == .expiredTokenException
    }

    /// botocore standard mode's throttling codes.
    public var isThrottling: Bool {
        switch self {
        case .throttling, .throttlingException, .throttledException, .requestThrottledException, .tooManyRequestsException,
            .provisionedThroughputExceededException, .transactionInProgressException, .requestLimitExceeded, .bandwidthLimitExceeded,
            .limitExceededException, .requestThrottled, .slowDown, .ec2ThrottledException:
            true
        default: false
        }
    }

    /// botocore standard mode's transient codes (with HTTP 500/502/503/504 and connection errors, checked in `AWSError`).
    public var isTransient: Bool {
        self == .requestTimeout || self == .requestTimeoutException || self == .priorRequestNotComplete
    }
}
