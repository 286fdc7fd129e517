import AWSClient

/// An error the simulator answers with, rendered in the calling service's own wire format.
enum WireError: Error {
    case missingAuthentication
    case incompleteSignature(String)
    case signatureMismatch(String)
    case invalidClientToken
    case expiredToken
    case accessDenied(String)
    /// A service-specific error: STS `ValidationError`, DynamoDB `ValidationException`, `ResourceNotFoundException`, ….
    /// `namespace` is the DynamoDB `__type` prefix.
    case service(status: Int, code: String, message: String, namespace: String)

    static let signatureMismatchMessage =
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."

    static func dynamoDB(_ code: String, _ message: String) -> WireError {
        let namespace =
            switch code {
            case "ValidationException": "com.amazon.coral.validate"
            case "SerializationException", "UnknownOperationException": "com.amazon.coral.service"
            default: "com.amazonaws.dynamodb.v20120810"
            }
        return .service(status: 400, code: code, message: message, namespace: namespace)
    }

    static func sts(_ code: String, _ message: String, status: Int = 400) -> WireError {
        .service(status: status, code: code, message: message, namespace: "")
    }

    /// (HTTP status, STS code, DynamoDB code, message, DynamoDB namespace).
    private var parts: (Int, String, Int, String, String, String) {
        let coral = "com.amazon.coral.service"
        switch self {
        case .missingAuthentication:
            return (403, "MissingAuthenticationToken", 400, "MissingAuthenticationTokenException", "Request is missing Authentication Token", coral)
        case let .incompleteSignature(message):
            return (403, "IncompleteSignature", 400, "IncompleteSignatureException", message, coral)
        case let .signatureMismatch(message):
            return (403, "SignatureDoesNotMatch", 400, "InvalidSignatureException", message, coral)
        case .invalidClientToken:
            return (403, "InvalidClientTokenId", 400, "UnrecognizedClientException", "The security token included in the request is invalid.", coral)
        case .expiredToken:
            return (403, "ExpiredToken", 400, "ExpiredTokenException", "The security token included in the request is expired", coral)
        case let .accessDenied(message):
            return (403, "AccessDenied", 400, "AccessDeniedException", message, coral)
        case let .service(status, code, message, namespace):
            return (status, code, status, code, message, namespace)
        }
    }

    func response(service: SimulatedService, requestID: String) -> HTTPResponse {
        let (stsStatus, stsCode, dynamoStatus, dynamoCode, message, namespace) = parts
        switch service {
        case .s3, .kms, .sqs, .sns, .secretsmanager, .lambda:
            return shapedResponse(service: service, requestID: requestID)
        case .sts:
            let type = stsStatus >= 500 ? "Receiver" : "Sender"
            let xml = """
                <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
                  <Error>
                    <Type>\(type)</Type>
                    <Code>\(XMLNode.escape(stsCode))</Code>
                    <Message>\(XMLNode.escape(message))</Message>
                  </Error>
                  <RequestId>\(requestID)</RequestId>
                </ErrorResponse>

                """
            return HTTPResponse(
                status: stsStatus, headers: [(name: "Content-Type", value: "text/xml"), (name: "x-amzn-RequestId", value: requestID)],
                body: Array(xml.utf8)
            )
        case .dynamodb:
            var members: [(String, JSONValue)] = [("__type", .string(namespace.isEmpty ? dynamoCode : "\(namespace)#\(dynamoCode)"))]
            if !message.isEmpty { members.append(("message", .string(message))) }
            return HTTPResponse(
                status: dynamoStatus,
                headers: [(name: "Content-Type", value: DynamoDB.contentType), (name: "x-amzn-RequestId", value: requestID)],
                body: JSONValue.object(members).serialized
            )
        }
    }
}
