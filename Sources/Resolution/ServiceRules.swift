import Policy
/// Rules of AWS services that decide what a request acts on, in one place (DynamoDB Developer Guide, "Using
/// resource-based policies for DynamoDB", "DynamoDB API permissions: actions, resources, and conditions reference").
public enum ServiceRules {
    /// A DynamoDB action without resource-level permissions (AWS's catalog says so: `ListTables`, `DescribeLimits`, …)
    /// acts on the caller's own account (`…:table/*`), never on another account's tables; the engine authorizes it
    /// on `*`.
    public static func actsOnAccountTables(_ action: String) -> Bool {
        action.lowercased().hasPrefix("dynamodb:") && ServiceCatalog.isAccountWide(action)
    }

    /// `Query` and `Scan` with an index act on the index ARN (`…:table/T/index/I`), which the table's policy covers.
    public static func actsOnIndex(_ action: String) -> Bool {
        let lowered = action.lowercased()
        return lowered == "dynamodb:query" || lowered == "dynamodb:scan"
    }

    /// How a service answers a denial on its wire: the error code its SDKs match, and the HTTP status (from each
    /// service's API model and error documentation). A denial of a call a service makes to KMS for its caller (an
    /// implied key step) comes back the same way, with KMS's message.
    public struct Denial: Sendable, Hashable {
        /// `AccessDenied`, `AccessDeniedException`, `AuthorizationError`.
        public var code: String
        public var httpStatus: Int
    }

    /// The denial of `service` (its signing name: `sts`, `dynamodb`, `s3`, `kms`, `sqs`, `sns`, `secretsmanager`,
    /// `lambda`). STS answers `AccessDenied` with HTTP 403 (Query XML); DynamoDB, KMS and Secrets Manager
    /// `AccessDeniedException` with 400 (JSON `__type`); S3 `AccessDenied` with 403 (REST-XML `<Error>`); SQS
    /// `AccessDenied` with 403 (its JSON error names the legacy Query code in `x-amzn-query-error`, which the SDKs
    /// report); SNS `AuthorizationError` with 403 (Query XML); Lambda `AccessDeniedException` with 403 (REST-JSON).
    /// Any other service: `AccessDeniedException` with 400, as most JSON services answer.
    public static func denial(service: String) -> Denial {
        switch service.lowercased() {
        case "sts", "s3", "sqs": Denial(code: "AccessDenied", httpStatus: 403)
        case "sns": Denial(code: "AuthorizationError", httpStatus: 403)
        case "lambda": Denial(code: "AccessDeniedException", httpStatus: 403)
        default: Denial(code: "AccessDeniedException", httpStatus: 400)
        }
    }

    /// The AWS error code of a denial by `service` (`denial(service:)`): `AccessDenied` for STS, S3 and SQS,
    /// `AuthorizationError` for SNS, `AccessDeniedException` for the others.
    public static func denialCode(service: String) -> String { denial(service: service).code }

    /// "HTTP 403 and error code AccessDenied" (the XML services and SQS's legacy code), "HTTP 400 and error type
    /// AccessDeniedException" (the JSON services).
    public static func denialStatus(service: String) -> String {
        let denial = denial(service: service)
        let noun = ["sts", "s3", "sqs", "sns"].contains(service.lowercased()) ? "error code" : "error type"
        return "HTTP \(denial.httpStatus) and \(noun) \(denial.code)"
    }
}
