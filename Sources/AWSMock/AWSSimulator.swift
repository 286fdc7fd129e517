public import AWSClient
public import Foundation
public import Model
import Policy
import Resolution
import Source

/// An in-process AWS (STS, DynamoDB, S3, KMS, SQS, SNS, Secrets Manager, Lambda Invoke) behind the client's
/// `Transport`, built from a loaded model.
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
        var log: [AuthorizationRequest] = []
        /// S3 buckets by name, queues, topics and secrets by ARN, functions by ARN: what the model names, seeded so
        /// the snippets' calls find what they read (see ServiceState.swift).
        var buckets: [String: BucketState] = [:]
        var queues: [String: QueueState] = [:]
        var deliveries: [Delivery] = []
    }

    /// Credentials the simulator issued, and whom they stand for. Immutable once issued, and a class so that each
    /// request's look-up hands out one reference rather than a copy of every field (a role, its policies, tags).
    final class Session {
        let credentials: AWSCredentials
        /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`, or an IAM user's ARN.
        let principalARN: String
        let accountID: String
        /// The role of a role session; nil for an IAM user's long-term keys.
        let role: Role?
        /// The IAM user whose access keys these are; nil for a role session.
        let user: User?
        let sessionName: String
        /// Sessions made by AssumeRole from another role session (role chaining) are capped at one hour.
        let isChained: Bool
        /// Its tags, transitive tag keys, source identity and session policies.
        let attributes: SessionAttributes
        /// The request context keys that do not change during the session (all but `aws:CurrentTime`/`aws:EpochTime`).
        let baseContext: SessionContext

        init(
            credentials: AWSCredentials, principalARN: String, accountID: String, role: Role?, sessionName: String, isChained: Bool,
            attributes: SessionAttributes, user: User? = nil
        ) {
            self.credentials = credentials
            self.principalARN = principalARN
            self.accountID = accountID
            self.role = role
            self.user = user
            self.sessionName = sessionName
            self.isChained = isChained
            self.attributes = attributes
            baseContext = SessionContext(attributes.requestContext, policies: attributes.policies)
        }
    }

    let lock = NSLock()
    var state = State()
    /// The model's KMS keys (customer managed and AWS managed) with key material made for this simulator.
    let kms: KeyRing

    /// The request time as IAM's context keys write it, formatted once per second.
    let requestTime = RequestTimeText()

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
        kms = KeyRing(model: model)
        seedServices(&state)
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
            issue(&state, role: role, accountID: account.id, sessionName: function.sessionName, duration: 12 * 3600, chained: false)
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

    /// The variables the Lambda runtime sets for the function, for `AWSConfiguration.fromEnvironment(_:transport:)` or
    /// any SDK: its execution-role session, the region (both spellings: boto3 and the AWS CLI read
    /// `AWS_DEFAULT_REGION`), and `endpoint` as `AWS_ENDPOINT_URL` (the in-process address unless a server gives one).
    public func environment(forFunction key: String, endpoint: URL = AWSSimulator.endpoint) throws -> [String: String] {
        let credentials = try credentials(forFunction: key)
        let function = model.function(key) ?? model.functions.first { $0.name == key }
        return [
            "AWS_REGION": model.region, "AWS_DEFAULT_REGION": model.region, "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey, "AWS_SESSION_TOKEN": credentials.sessionToken ?? "",
            "AWS_ENDPOINT_URL": endpoint.absoluteString, "AWS_LAMBDA_FUNCTION_NAME": function?.name ?? key,
        ]
    }

    // MARK: - IAM users

    /// The long-term access keys of an IAM user of the model (`AKIA…`, no session token, no expiry). Each call
    /// issues a new key pair, as `CreateAccessKey` would.
    public func credentials(forUser key: String) throws -> AWSCredentials {
        guard let user = model.user(key) ?? model.users.first(where: { $0.name == key }) else {
            throw SimulatorError("no user '\(key)' in the model (users: \(model.users.map(\.key).joined(separator: ", ")))")
        }
        guard let account = model.account(user.accountKey) else { throw SimulatorError("user '\(key)' names an account the model does not have") }
        return withLock { state in
            var keyID = RandomIdentifiers.accessKeyID(longTerm: true)
            while state.sessions[keyID] != nil { keyID = RandomIdentifiers.accessKeyID(longTerm: true) }
            let credentials = AWSCredentials(accessKeyID: keyID, secretAccessKey: RandomIdentifiers.secretAccessKey())
            state.sessions[keyID] = Session(
                credentials: credentials, principalARN: user.arn, accountID: account.id, role: nil, sessionName: "", isChained: false,
                attributes: SessionAttributes(), user: user)
            return credentials
        }
    }

    /// A client configuration for code running as the user: its access keys, the model's region, this simulator as
    /// transport and the simulator's clock; retries off.
    public func configuration(forUser key: String) throws -> AWSConfiguration {
        AWSConfiguration(
            region: model.region, credentials: try credentials(forUser: key), transport: self, defaultEndpoint: Self.endpoint, retry: .none,
            clock: clock)
    }

    /// The variables an SDK reads for the user's access keys (no `AWS_SESSION_TOKEN`), the region and `endpoint`.
    public func environment(forUser key: String, endpoint: URL = AWSSimulator.endpoint) throws -> [String: String] {
        let credentials = try credentials(forUser: key)
        return [
            "AWS_REGION": model.region, "AWS_DEFAULT_REGION": model.region, "AWS_ACCESS_KEY_ID": credentials.accessKeyID,
            "AWS_SECRET_ACCESS_KEY": credentials.secretAccessKey, "AWS_ENDPOINT_URL": endpoint.absoluteString,
        ]
    }

    /// The names `environment(forFunction:endpoint:)` sets, in the order to print them.
    public static let environmentNames = [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL",
        "AWS_LAMBDA_FUNCTION_NAME",
    ]

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

    /// Answers one request synchronously (the bench and the HTTP endpoint call this directly).
    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        let headers = RequestHeaders(request)
        let endpoint = endpoint(of: request, headers: headers)
        let requestID = RandomIdentifiers.requestID(for: endpoint.service)
        var response: HTTPResponse
        switch authenticate(request, headers: headers, endpoint: endpoint) {
        case let .failure(error):
            response = error.response(service: endpoint.service, requestID: requestID)
        case let .success(session):
            let result: Result<HTTPResponse, WireError> =
                switch endpoint.service {
                case .sts: handleSTS(request, session: session, requestID: requestID)
                case .dynamodb: handleDynamoDB(request, headers: headers, session: session, region: endpoint.region, requestID: requestID)
                case .s3: handleS3(request, session: session, endpoint: endpoint, requestID: requestID)
                case .kms: handleKMS(request, session: session, region: endpoint.region, requestID: requestID)
                case .sqs: handleSQS(request, session: session, region: endpoint.region, requestID: requestID)
                case .sns: handleSNS(request, session: session, region: endpoint.region, requestID: requestID)
                case .secretsmanager: handleSecretsManager(request, session: session, region: endpoint.region, requestID: requestID)
                case .lambda: handleLambda(request, session: session, region: endpoint.region, requestID: requestID)
                }
            switch result {
            case let .success(answer): response = answer
            case let .failure(error): response = error.response(service: endpoint.service, requestID: requestID)
            }
        }
        if endpoint.service == .s3, request.method == "HEAD", response.status >= 300 {
            // An answer to HEAD has no body: S3's error is its status alone.
            response.body = []
        }
        if endpoint.service == .dynamodb {
            // DynamoDB checksums every response body; SDKs verify it.
            response.headers.append((name: "x-amz-crc32", value: String(CRC32.checksum(response.body))))
        }
        return response
    }

    // MARK: - Issuing credentials

    /// A new session of `role` with fresh random credentials, valid for `duration` seconds from now.
    func issue(
        _ state: inout State, role: Role, accountID: String, sessionName: String, duration: Int, chained: Bool,
        attributes: SessionAttributes = SessionAttributes()
    ) -> Session {
        var keyID = RandomIdentifiers.accessKeyID()
        while state.sessions[keyID] != nil { keyID = RandomIdentifiers.accessKeyID() }
        let credentials = AWSCredentials(
            accessKeyID: keyID, secretAccessKey: RandomIdentifiers.secretAccessKey(), sessionToken: RandomIdentifiers.sessionToken(),
            expiration: Date(timeIntervalSince1970: clock().timeIntervalSince1970.rounded(.down) + Double(duration))
        )
        let session = Session(
            credentials: credentials, principalARN: role.sessionARN(accountID: accountID, session: sessionName), accountID: accountID, role: role,
            sessionName: sessionName, isChained: chained, attributes: attributes
        )
        state.sessions[keyID] = session
        return session
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
        let time = requestTimeKeys()
        return AuthorizationRequest(
            principalARN: session.principalARN, action: action, resourceARN: resourceARN, session: session.baseContext,
            context: Self.context(extra, time: time)
        )
    }

    /// The same request with the call's keys (`extra()`, the request time) made only if the authorizer reads them.
    /// The time is the call's, read now.
    func authorizationRequest(
        for session: Session, action: String, resourceARN: String, deferredExtra extra: @escaping @Sendable () -> [String: [String]]
    ) -> AuthorizationRequest {
        let time = requestTimeKeys()
        return AuthorizationRequest(
            principalARN: session.principalARN, action: action, resourceARN: resourceARN, session: session.baseContext,
            deferredContext: { Self.context(extra(), time: time) }
        )
    }

    /// The request time, in both forms IAM offers, so date and epoch conditions see the simulator's clock.
    private func requestTimeKeys() -> (iso: [String], epoch: [String]) {
        requestTime.texts(Int(clock().timeIntervalSince1970.rounded(.down)))
    }

    /// The time keys with `extra` over them (its keys win), in one table made at its final size.
    private static func context(_ extra: [String: [String]], time: (iso: [String], epoch: [String])) -> [String: [String]] {
        var context: [String: [String]] = Dictionary(minimumCapacity: extra.count + 2)
        context["aws:CurrentTime"] = time.iso
        context["aws:EpochTime"] = time.epoch
        context.merge(extra) { _, own in own }
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
    case s3
    case kms
    case sqs
    case sns
    case secretsmanager
    case lambda
}

/// A misuse of the simulator itself (unknown function or table in test setup).
public struct SimulatorError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// `aws:CurrentTime` and `aws:EpochTime` of a second, kept for the next request of the same second (many per second).
final class RequestTimeText: @unchecked Sendable {
    private let lock = NSLock()
    private var second = Int.min
    private var cached: ([String], [String]) = ([], [])

    /// The two keys' values (one-element lists, as context values are), shared by the requests of a second.
    func texts(_ now: Int) -> (iso: [String], epoch: [String]) {
        lock.lock()
        defer { lock.unlock() }
        if now != second {
            second = now
            cached = ([CivilTime.iso8601(now)], [String(now)])
        }
        return cached
    }
}
