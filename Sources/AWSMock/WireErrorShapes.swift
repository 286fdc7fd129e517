import AWSClient
import Resolution

/// How S3, KMS, SQS, SNS, Secrets Manager and Lambda shape an error on their wire (their API models in botocore and
/// each service's "Common errors"): S3 a REST-XML `<Error>` document, KMS, SQS and Secrets Manager a JSON `__type`
/// (SQS with its legacy Query code in `x-amzn-query-error`), SNS a Query `<ErrorResponse>`, Lambda a JSON body named
/// by `x-amzn-ErrorType`. A denial's code and status come from `ServiceRules.denial(service:)`, the one place the
/// snippets read them too.
extension WireError {
    /// A service error of S3, KMS, SQS, SNS, Secrets Manager or Lambda: `code` as its SDKs match it.
    static func of(_ status: Int, _ code: String, _ message: String) -> WireError {
        .service(status: status, code: code, message: message, namespace: "")
    }

    /// (HTTP status, code, message) of an authentication or authorization failure as `service` answers it.
    private func fields(_ service: SimulatedService) -> (status: Int, code: String, message: String) {
        let denial = ServiceRules.denial(service: service.name)
        let xmlService = service == .s3 || service == .sns
        let jsonStatus = service == .lambda ? 403 : 400
        switch self {
        case .missingAuthentication:
            if service == .s3 { return (403, "AccessDenied", "Access Denied") }
            return (xmlService ? 403 : jsonStatus, xmlService ? "MissingAuthenticationToken" : "MissingAuthenticationTokenException", "Request is missing Authentication Token")
        case let .incompleteSignature(message):
            if service == .s3 { return (400, "AuthorizationHeaderMalformed", message) }
            return (xmlService ? 403 : jsonStatus, xmlService ? "IncompleteSignature" : "IncompleteSignatureException", message)
        case let .signatureMismatch(message):
            return (xmlService ? 403 : jsonStatus, xmlService ? "SignatureDoesNotMatch" : "InvalidSignatureException", message)
        case .invalidClientToken:
            if service == .s3 { return (403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.") }
            return (xmlService ? 403 : jsonStatus, xmlService ? "InvalidClientTokenId" : "UnrecognizedClientException", "The security token included in the request is invalid.")
        case .expiredToken:
            if service == .s3 { return (400, "ExpiredToken", "The provided token has expired.") }
            return (xmlService ? 403 : jsonStatus, xmlService ? "ExpiredToken" : "ExpiredTokenException", "The security token included in the request is expired")
        case let .accessDenied(message):
            return (denial.httpStatus, denial.code, message)
        case let .service(status, code, message, _):
            return (status, code, message)
        }
    }

    /// SQS's legacy Query code for an error (`x-amzn-query-error`), which the SDKs report as the error's code.
    private static func sqsQueryCode(_ code: String) -> String {
        switch code {
        case "QueueDoesNotExist": "AWS.SimpleQueueService.NonExistentQueue"
        case "KmsAccessDenied": "KMS.AccessDeniedException"
        case "MissingAuthenticationTokenException": "MissingAuthenticationToken"
        case "IncompleteSignatureException": "IncompleteSignature"
        case "InvalidSignatureException": "SignatureDoesNotMatch"
        case "UnrecognizedClientException": "InvalidClientTokenId"
        case "ExpiredTokenException": "ExpiredToken"
        default: code
        }
    }

    func shapedResponse(service: SimulatedService, requestID: String) -> HTTPResponse {
        let (status, code, message) = fields(service)
        switch service {
        case .s3:
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <Error><Code>\(XMLNode.escape(code))</Code><Message>\(XMLNode.escape(message))</Message><RequestId>\(requestID)</RequestId><HostId>\(S3Wire.hostID(requestID))</HostId></Error>
                """
            return HTTPResponse(
                status: status,
                headers: [(name: "Content-Type", value: "application/xml"), (name: "x-amz-request-id", value: requestID), (name: "x-amz-id-2", value: S3Wire.hostID(requestID))],
                body: Array(xml.utf8))
        case .sns:
            let type = status >= 500 ? "Receiver" : "Sender"
            let xml = """
                <ErrorResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/">
                  <Error>
                    <Type>\(type)</Type>
                    <Code>\(XMLNode.escape(code))</Code>
                    <Message>\(XMLNode.escape(message))</Message>
                  </Error>
                  <RequestId>\(requestID)</RequestId>
                </ErrorResponse>

                """
            return HTTPResponse(
                status: status, headers: [(name: "Content-Type", value: "text/xml"), (name: "x-amzn-RequestId", value: requestID)], body: Array(xml.utf8))
        case .lambda:
            // REST-JSON: the error's name in `x-amzn-ErrorType`, the body `{"Type": "User", "Message": …}`.
            let body = JSONValue.object([("Type", .string(status >= 500 ? "Service" : "User")), ("Message", .string(message))]).serialized
            return HTTPResponse(
                status: status,
                headers: [(name: "Content-Type", value: "application/json"), (name: "x-amzn-RequestId", value: requestID), (name: "x-amzn-ErrorType", value: code)],
                body: body)
        case .sqs:
            // SQS speaks JSON now, but its SDKs match the legacy Query code it names in `x-amzn-query-error`.
            let legacy = Self.sqsQueryCode(code)
            let shape = code == "AccessDenied" ? "AccessDeniedException" : code
            let body = JSONValue.object([("__type", .string("com.amazonaws.sqs#" + shape)), ("message", .string(message))]).serialized
            return HTTPResponse(
                status: status,
                headers: [(name: "Content-Type", value: "application/x-amz-json-1.0"), (name: "x-amzn-RequestId", value: requestID),
                    (name: "x-amzn-query-error", value: "\(legacy);\(status >= 500 ? "Receiver" : "Sender")")],
                body: body)
        case .kms, .secretsmanager:
            let body = JSONValue.object([("__type", .string(code)), ("message", .string(message))]).serialized
            return HTTPResponse(
                status: status, headers: [(name: "Content-Type", value: "application/x-amz-json-1.1"), (name: "x-amzn-RequestId", value: requestID)],
                body: body)
        case .sts, .dynamodb:
            return response(service: service, requestID: requestID)
        }
    }
}
