public import AWSClient
public import Foundation
public import Model
import Crypto
import Policy
import Source

/// An in-process AWS (STS + DynamoDB) behind the client's `Transport`, built from a loaded model.
///
/// Like AWS, it verifies each request's SigV4 signature and session token with the secret it issued, rejects
/// unknown keys, expired credentials and clocks more than 5 minutes off, then asks the `Authorizer` — the policy
/// engine over the model — whether the caller may perform the action on the resource. Errors come back in each
/// service's own wire format, so the client sees exactly what it would see from AWS.
public final class AWSSimulator: Transport, @unchecked Sendable {
    public let model: Model
    public let authorizer: any Authorizer
    /// The simulator's idea of now; inject a fixed or stepping clock in tests.
    public let clock: @Sendable () -> Date
    /// The allowed difference between a request's `X-Amz-Date` and `clock()`.
    public let maximumSkew: TimeInterval = 300
    /// The base URL handed out in `environment(forFunction:)`; any host works, the simulator never dials out.
    public static let endpoint = URL(string: "https://aws.simulator.invalid")!

    /// Everything mutable, guarded by `lock`.
    struct State {
        var sessions: [String: Session] = [:]
        var tables: [String: TableState] = [:]
        var serial = 0
        var log: [AuthorizationRequest] = []
    }

    /// Credentials the simulator issued, and whom they stand for.
    struct Session {
        var credentials: AWSCredentials
        /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
        var principalARN: String
        var accountID: String
        var role: Role
        var sessionName: String
        /// Sessions made by AssumeRole from another role session (role chaining) are capped at one hour.
        var isChained: Bool
        var sourceIdentity: String?
        /// The request context keys that do not change during the session (all but `aws:CurrentTime`/`aws:EpochTime`).
        var baseContext = SessionContext([:])
    }

    let lock = NSLock()
    var state = State()

    /// Whether `requestLog` records authorization requests (tests inspect it; the bench turns it off).
    public let recordsRequests: Bool

    public init(model: Model, authorizer: any Authorizer, clock: @escaping @Sendable () -> Date = { Date() }, recordsRequests: Bool = true) {
        self.model = model
        self.recordsRequests = recordsRequests
        self.authorizer = authorizer
        self.clock = clock
        for table in model.tables {
            state.tables[table.arn] = TableState(table: table, accountID: model.account(table.accountKey)?.id ?? "")
        }
    }

    // MARK: - What Lambda provides

    /// The credentials of the function's execution-role session (`assumed-role/<execution role>/<function name>`),
    /// valid for 12 hours, as the Lambda runtime puts them in the environment. Each call issues a new session.
    public func credentials(forFunction key: String) throws -> AWSCredentials {
        guard let function = model.function(key) ?? model.functions.first(where: { $0.name == key }) else {
            throw SimulatorError("no function '\(key)' in the model (functions: \(model.functions.map(\.key).joined(separator: ", ")))")
        }
        guard let role = model.role(function.roleKey), let account = model.account(function.accountKey) else {
            throw SimulatorError("function '\(key)' names a role or account the model does not have")
        }
        return withLock { state in
            issue(&state, role: role, accountID: account.id, sessionName: function.name, duration: 12 * 3600, chained: false, sourceIdentity: nil)
                .credentials
        }
    }

    /// A client configuration for the function's code: its execution-role session, the model's region, this simulator
    /// as transport and the simulator's clock. Retries are off so tests see each answer as sent.
    public func configuration(forFunction key: String) throws -> AWSConfiguration {
        AWSConfiguration(
            region: model.region, credentials: try credentials(forFunction: key), transport: self, defaultEndpoint: Self.endpoint,
            retry: .none, clock: clock
        )
    }

    /// The variables the Lambda runtime sets for the function, for `AWSConfiguration.fromEnvironment(_:transport:)`.
    public func environment(forFunction key: String) throws -> [String: String] {
        let credentials = try credentials(forFunction: key)
        let function = model.function(key) ?? model.functions.first { $0.name == key }
        return [
            "AWS_REGION": model.region, "AWS_DEFAULT_REGION": model.region, "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey, "AWS_SESSION_TOKEN": credentials.sessionToken ?? "",
            "AWS_ENDPOINT_URL": Self.endpoint.absoluteString, "AWS_LAMBDA_FUNCTION_NAME": function?.name ?? key,
        ]
    }

    // MARK: - Table contents

    /// Stores an item directly (test setup), bypassing authorization. `table` is a model key, a table name or an ARN.
    public func put(_ item: Item, inTable table: String) throws {
        try withLock { state throws(SimulatorError) in
            guard let arn = tableARN(state, table) else { throw SimulatorError("no table '\(table)' in the model") }
            do throws(WireError) {
                try state.tables[arn]!.put(item)
            } catch {
                throw SimulatorError("item for \(table) is invalid: \(error.message)")
            }
        }
    }

    /// The items of a table in key order. `table` is a model key, a table name or an ARN.
    public func items(inTable table: String) -> [Item] {
        withLock { state in tableARN(state, table).map { state.tables[$0]!.sortedItems() } ?? [] }
    }

    /// Every authorization request the simulator made, in order.
    public var requestLog: [AuthorizationRequest] { withLock { $0.log } }

    private func tableARN(_ state: State, _ name: String) -> String? {
        if state.tables[name] != nil { return name }
        return model.table(name)?.arn ?? model.tables.first { $0.name == name }?.arn
    }

    // MARK: - Transport

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        handle(request)
    }

    /// Answers one request synchronously (the bench calls this directly too).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let requestID = withLock { state in
            state.serial += 1
            return Self.requestID(state.serial)
        }
        let authorization = request.header("authorization").flatMap(Self.parseAuthorization)
        let service = Self.service(of: request, authorization: authorization)
        switch authenticate(request, authorization: authorization) {
        case let .failure(error):
            return error.response(service: service, requestID: requestID)
        case let .success(session):
            let result: Result<HTTPResponse, WireError> =
                switch service {
                case .sts: handleSTS(request, session: session, requestID: requestID)
                case .dynamodb: handleDynamoDB(request, session: session, requestID: requestID)
                }
            switch result {
            case let .success(response): return response
            case let .failure(error): return error.response(service: service, requestID: requestID)
            }
        }
    }

    // MARK: - Authentication

    /// The service from the credential scope, else from `X-Amz-Target`, else STS.
    static func service(of request: HTTPRequest, authorization: ParsedAuthorization?) -> SimulatedService {
        if let scope = authorization?.scope {
            let parts = scope.utf8.split(separator: UInt8(ascii: "/"))
            if parts.count == 4, parts[2].elementsEqual("dynamodb".utf8) { return .dynamodb }
            if parts.count == 4, parts[2].elementsEqual("sts".utf8) { return .sts }
        }
        return request.header("x-amz-target") != nil ? .dynamodb : .sts
    }

    package struct ParsedAuthorization {
        package var accessKeyID: String
        package var scope: String
        package var signedHeaders: [String]
        package var signature: String
    }

    package static func parseAuthorization(_ value: String) -> ParsedAuthorization? {
        let bytes = Array(value.utf8)
        let prefix = "AWS4-HMAC-SHA256 ".utf8
        guard bytes.count > prefix.count, bytes.starts(with: prefix) else { return nil }
        // `name=value` fields separated by commas; the three we need, the last of each name winning.
        var credential: String?
        var signedHeaders: String?
        var signature: String?
        var index = prefix.count
        while index < bytes.count {
            var end = index
            while end < bytes.count, bytes[end] != UInt8(ascii: ",") { end += 1 }
            var start = index
            while start < end, bytes[start] == 0x20 { start += 1 }
            var stop = end
            while stop > start, bytes[stop - 1] == 0x20 { stop -= 1 }
            if let equals = bytes[start..<stop].firstIndex(of: UInt8(ascii: "=")) {
                let name = bytes[start..<equals]
                let text = { String(decoding: bytes[(equals + 1)..<stop], as: UTF8.self) }
                if name.elementsEqual("Credential".utf8) {
                    credential = text()
                } else if name.elementsEqual("SignedHeaders".utf8) {
                    signedHeaders = text()
                } else if name.elementsEqual("Signature".utf8) {
                    signature = text()
                }
            } else if stop > start {
                return nil
            }
            index = end + 1
        }
        guard let credential, let signedHeaders, let signature,
            let slash = credential.utf8.firstIndex(of: UInt8(ascii: "/"))
        else { return nil }
        return ParsedAuthorization(
            accessKeyID: String(credential[..<slash]), scope: String(credential[credential.utf8.index(after: slash)...]),
            signedHeaders: signedHeaders.utf8.split(separator: UInt8(ascii: ";")).map { String(decoding: $0, as: UTF8.self) },
            signature: signature
        )
    }

    func authenticate(_ request: HTTPRequest, authorization: ParsedAuthorization?) -> Result<Session, WireError> {
        guard request.header("authorization") != nil else {
            return .failure(.missingAuthentication)
        }
        guard let parsed = authorization else {
            return .failure(.incompleteSignature("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters."))
        }
        let scopeParts = parsed.scope.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard scopeParts.count == 4, scopeParts[3] == "aws4_request" else {
            return .failure(.incompleteSignature("Credential should be scoped to a valid region, not '\(parsed.scope)'."))
        }
        let now = clock()
        guard let dateText = request.header("x-amz-date"), let date = SigV4Signer.parseTimestamp(dateText) else {
            return .failure(.incompleteSignature("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header."))
        }
        if abs(date.timeIntervalSince(now)) > maximumSkew {
            let nowText = SigV4Signer.timestamp(now)
            let relation = date < now ? "earlier than" : "later than"
            let bound = SigV4Signer.timestamp(date < now ? now.addingTimeInterval(-maximumSkew) : now.addingTimeInterval(maximumSkew))
            let sign = date < now ? "-" : "+"
            return .failure(.signatureMismatch("Signature expired: \(dateText) is now \(relation) \(bound) (\(nowText) \(sign) 5 min.)"))
        }
        guard scopeParts[0] == SigV4Signer.day(date) else {
            return .failure(.signatureMismatch("Credential should be scoped to a valid date: \(scopeParts[0]) does not match \(dateText)."))
        }
        guard scopeParts[1] == model.region else {
            return .failure(.signatureMismatch("Credential should be scoped to a valid region. '\(scopeParts[1])' is not '\(model.region)'."))
        }
        guard let session = withLock({ $0.sessions[parsed.accessKeyID] }) else {
            return .failure(.invalidClientToken)
        }
        guard let token = request.header("x-amz-security-token"), token == session.credentials.sessionToken,
            parsed.signedHeaders.contains("x-amz-security-token")
        else {
            return .failure(.invalidClientToken)
        }
        guard parsed.signedHeaders.contains("host"), parsed.signedHeaders.contains("x-amz-date") else {
            return .failure(.signatureMismatch(WireError.signatureMismatchMessage))
        }
        if let expiration = session.credentials.expiration, now >= expiration {
            return .failure(.expiredToken)
        }
        // Recompute the signature over exactly the headers the client says it signed.
        let signedNames = parsed.signedHeaders
        var headers: [(name: String, value: String)] = []
        var seen: [String] = []
        for header in request.headers {
            let name = SigV4Signer.lowercasedASCII(header.name)
            guard signedNames.contains(name) else { continue }
            headers.append((name: name, value: header.value))
            if !seen.contains(name) { seen.append(name) }
        }
        if signedNames.contains("host"), !seen.contains("host") {
            headers.append((name: "host", value: SigV4Signer.hostHeader(for: request.url)))
            seen.append("host")
        }
        guard seen.count == signedNames.count, signedNames.allSatisfy(seen.contains) else {
            return .failure(.signatureMismatch(WireError.signatureMismatchMessage))
        }
        let signer = SigV4Signer(credentials: session.credentials, region: scopeParts[1], service: scopeParts[2])
        let (path, query) = SigV4Signer.wirePathAndQuery(request.url)
        let bodyHash = SigV4Signer.hexSHA256(request.body)
        if let claimed = request.header("x-amz-content-sha256"), claimed != bodyHash, claimed != "UNSIGNED-PAYLOAD" {
            return .failure(.signatureMismatch("The provided 'x-amz-content-sha256' header does not match what was computed."))
        }
        let (canonical, _) = signer.canonicalRequestBytes(method: request.method, path: path, query: query, headers: headers, payloadHash: bodyHash)
        let stringToSign = signer.stringToSignBytes(canonicalRequest: canonical, at: date)
        guard let provided = Self.bytes(hex: parsed.signature), provided.count == 32,
            SigV4Signer.isValidSignature(
                provided, stringToSign: stringToSign, secret: session.credentials.secretAccessKey, day: scopeParts[0], region: scopeParts[1],
                service: scopeParts[2])
        else {
            return .failure(.signatureMismatch(WireError.signatureMismatchMessage))
        }
        return .success(session)
    }

    static func bytes(hex: String) -> [UInt8]? {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = nibble(digits[index]), let low = nibble(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 48...57: byte - 48
        case 97...102: byte - 87
        case 65...70: byte - 55
        default: nil
        }
    }

    // MARK: - Issuing credentials

    func issue(_ state: inout State, role: Role, accountID: String, sessionName: String, duration: Int, chained: Bool, sourceIdentity: String?) -> Session {
        state.serial += 1
        let serial = state.serial
        let seed = Array("\(role.arn)/\(sessionName)/\(serial)".utf8)
        let digest = Array(SHA256.hash(data: seed))
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        let keyID = "ASIA" + String(decoding: digest.prefix(16).map { alphabet[Int($0) % 32] }, as: UTF8.self)
        let secret = Data(digest).base64EncodedString().prefix(40)
        let token = "IQoJb3JpZ2luX2VjE" + Data(Array(SHA256.hash(data: digest))).base64EncodedString()
        let credentials = AWSCredentials(
            accessKeyID: keyID, secretAccessKey: String(secret), sessionToken: token,
            expiration: Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down) + Double(duration))
        )
        var session = Session(
            credentials: credentials, principalARN: role.sessionARN(accountID: accountID, session: sessionName), accountID: accountID, role: role,
            sessionName: sessionName, isChained: chained, sourceIdentity: sourceIdentity
        )
        session.baseContext = SessionContext(baseContext(for: session))
        state.sessions[keyID] = session
        return session
    }

    /// A stable, unique id per request: `00000000-0000-4000-8000-<serial>`.
    static func requestID(_ serial: Int) -> String {
        var out = Array("00000000-0000-4000-8000-000000000000".utf8)
        let digits = String(serial, radix: 16).utf8
        if digits.count > 12 { return "00000000-0000-4000-8000-" + String(serial, radix: 16) }
        out.replaceSubrange((out.count - digits.count)..., with: digits)
        return String(decoding: out, as: UTF8.self)
    }

    /// Runs `body` with the state locked.
    func withLock<T, E: Error>(_ body: (inout State) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(&state)
    }

    /// Asks the authorizer, and records the request.
    func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision {
        if recordsRequests { withLock { $0.log.append(request) } }
        var decision = authorizer.authorize(request)
        if !decision.allowed, decision.message.isEmpty {
            decision.message =
                "User: \(request.principalARN) is not authorized to perform: \(request.action) on resource: \(request.resourceARN)"
        }
        return decision
    }

    /// The request IAM authorizes for a call from `session`: the session's context keys, the request time, `extra`.
    func authorizationRequest(
        for session: Session, action: String, resourceARN: String, extra: [String: [String]] = [:]
    ) -> AuthorizationRequest {
        // The request time, in both forms IAM offers, so date and epoch conditions see the simulator's clock.
        let now = clock()
        var context = ["aws:CurrentTime": [Self.iso8601(now)], "aws:EpochTime": [String(Int(now.timeIntervalSince1970))]]
        for (key, value) in extra { context[key] = value }
        return AuthorizationRequest(
            principalARN: session.principalARN, action: action, resourceARN: resourceARN, session: session.baseContext, context: context
        )
    }

    /// The keys a session carries that the model cannot derive (its source identity). Everything AWS derives from the
    /// principal — `aws:PrincipalArn`, `aws:userid`, `aws:PrincipalOrgID`, … — comes from the resolution's one
    /// derivation when the request is authorized, exactly as `check` derives it.
    private func baseContext(for session: Session) -> [String: [String]] {
        var context: [String: [String]] = [:]
        if let sourceIdentity = session.sourceIdentity { context["aws:SourceIdentity"] = [sourceIdentity] }
        return context
    }

    /// A role's unique id (`AROA…`), as the engine derives it for `aws:userid`.
    static func roleID(_ role: Role) -> String { ContextDerivation.roleUniqueID(role.arn) }

    static func iso8601(_ date: Date) -> String { CivilTime.iso8601(Int(date.timeIntervalSince1970.rounded(.down))) }
}

/// The services the simulator answers.
enum SimulatedService {
    case sts
    case dynamodb
}

/// A misuse of the simulator itself (unknown function or table in test setup).
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
