import AWSClient
import Foundation
import Model

extension AWSSimulator {
    /// Lambda over REST-JSON: `Invoke` (`POST /2015-03-31/functions/<name>/invocations`) of a function of the model,
    /// authorized as `lambda:InvokeFunction` on the function's ARN. The simulator runs no code: a function answers
    /// with a small JSON document naming itself and the size of the event it got (`RequestResponse`), 202 for
    /// `Event`, 204 for `DryRun`.
    func handleLambda(_ request: HTTPRequest, session: Session, region: String, requestID: String) -> Result<HTTPResponse, WireError> {
        let (path, query) = SigV4Signer.wirePathAndQuery(request.url)
        let prefix = "/2015-03-31/functions/"
        guard request.method == "POST", path.hasPrefix(prefix), path.hasSuffix("/invocations") else {
            return .failure(.of(404, "UnknownOperationException", "Unknown operation \(request.method) \(path)"))
        }
        var name = SigV4Signer.percentDecode(String(path.dropFirst(prefix.count).dropLast("/invocations".count)))
        var qualifier = Self.queryParameters(query)["Qualifier"]
        // A name, a partial ARN (`<account>:function:<name>`) or a full ARN, each optionally with `:<qualifier>`.
        var account = session.accountID
        let parts = name.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if name.hasPrefix("arn:"), parts.count >= 7 {
            account = parts[4]
            name = parts[6]
            if parts.count == 8 { qualifier = parts[7] }
        } else if parts.count >= 3, parts[1] == "function" {
            account = parts[0]
            name = parts[2]
            if parts.count == 4 { qualifier = parts[3] }
        } else if parts.count == 2 {
            name = parts[0]
            qualifier = parts[1]
        }
        let arn = "arn:aws:lambda:\(region):\(account):function:\(name)"
        do throws(WireError) {
            try authorizeCall(.session(session), action: "lambda:InvokeFunction", resourceARN: arn)
            let known = model.functions.contains { $0.kind == .lambdaFunction && $0.arn == arn }
                || model.resources.contains { $0.kind == .lambdaFunction && $0.arn == arn }
            guard known else { throw .of(404, "ResourceNotFoundException", "Function not found: \(arn)") }
            if let qualifier, qualifier != "$LATEST" {
                throw .of(404, "ResourceNotFoundException", "Function not found: \(arn):\(qualifier)")
            }
            var headers: [(name: String, value: String)] = [(name: "x-amzn-RequestId", value: requestID)]
            switch request.header("x-amz-invocation-type") ?? "RequestResponse" {
            case "Event":
                return .success(HTTPResponse(status: 202, headers: headers, body: []))
            case "DryRun":
                return .success(HTTPResponse(status: 204, headers: headers, body: []))
            case "RequestResponse":
                headers += [(name: "Content-Type", value: "application/json"), (name: "X-Amz-Executed-Version", value: "$LATEST")]
                let answer = JSONValue.object([("function", .string(arn)), ("eventBytes", .number(String(request.body.count)))]).serialized
                return .success(HTTPResponse(status: 200, headers: headers, body: answer))
            case let other:
                throw .of(400, "InvalidParameterValueException", "Unsupported invocation type: \(other)")
            }
        } catch {
            return .failure(error)
        }
    }
}
