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

    /// The AWS error code of a denial by `service` (`sts` answers `AccessDenied` with HTTP 403; DynamoDB answers
    /// `AccessDeniedException` with HTTP 400).
    public static func denialCode(service: String) -> String {
        service.lowercased() == "sts" ? "AccessDenied" : "AccessDeniedException"
    }

    /// "HTTP 403 and error code AccessDenied", "HTTP 400 and error type AccessDeniedException".
    public static func denialStatus(service: String) -> String {
        service.lowercased() == "sts" ? "HTTP 403 and error code AccessDenied" : "HTTP 400 and error type AccessDeniedException"
    }
}
