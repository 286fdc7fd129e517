/// What kind of principal makes a request; the value of `aws:PrincipalType` where AWS sets one.
public enum PrincipalType: String, Sendable, Hashable, CaseIterable {
    case assumedRole = "AssumedRole"
    case user = "User"
    /// The account's root user (`arn:aws:iam::ACCOUNT:root`).
    case account = "Account"
    case federatedUser = "FederatedUser"
    /// An AWS service principal (`lambda.amazonaws.com`), e.g. assuming a function's execution role.
    case service = "Service"
    case anonymous = "Anonymous"
}

/// The type of a context value, as `simulate-custom-policy` spells `ContextKeyType`.
public enum ContextKeyType: String, Sendable, Hashable, CaseIterable {
    case string, stringList, numeric, numericList, boolean, booleanList, ip, ipList, binary, binaryList, date, dateList

    public var isList: Bool { rawValue.hasSuffix("List") }
}

/// One context key's values. A single-valued key holds one value.
public struct ContextValue: Sendable, Hashable {
    public var values: [String]
    public var type: ContextKeyType

    public init(_ values: [String], type: ContextKeyType = .string) {
        self.values = values
        self.type = type
    }

    public init(_ value: String, type: ContextKeyType = .string) {
        self.init([value], type: type)
    }
}

/// The request context: keys compare case-insensitively, so they are stored lower-cased.
public struct RequestContext: Sendable, Hashable {
    public private(set) var entries: [String: ContextValue] = [:]
    /// The keys as first written, for display.
    public private(set) var spellings: [String: String] = [:]

    public init() {}

    /// An empty context with room for `capacity` keys, so that filling it does not grow its tables step by step.
    public init(minimumCapacity capacity: Int) {
        entries.reserveCapacity(capacity)
        spellings.reserveCapacity(capacity)
    }

    public subscript(key: String) -> ContextValue? {
        get { entries[Self.lowercasedKey(key)] }
        set {
            let lowered = Self.lowercasedKey(key)
            entries[lowered] = newValue
            if newValue == nil { spellings[lowered] = nil } else if spellings[lowered] == nil { spellings[lowered] = key }
        }
    }

    /// `key.lowercased()`, without Unicode case mapping when the key is ASCII (context keys are): the same result,
    /// and no allocation when the key is lower-case already.
    public static func lowercasedKey(_ key: String) -> String {
        var hasUpper = false
        for byte in key.utf8 {
            if byte >= 0x80 { return key.lowercased() }
            if byte >= 65 && byte <= 90 { hasUpper = true }
        }
        guard hasUpper else { return key }
        let utf8 = key.utf8
        return String(unsafeUninitializedCapacity: utf8.count) { buffer in
            var index = 0
            for byte in utf8 {
                buffer[index] = byte >= 65 && byte <= 90 ? byte | 0x20 : byte
                index += 1
            }
            return index
        }
    }

    /// `self[key] = value` for a caller that has `lowercasedKey(key)` already: the same entry, lower-cased once.
    package mutating func set(_ value: ContextValue, forKey key: String, lowercased lowered: String) {
        entries[lowered] = value
        if spellings[lowered] == nil { spellings[lowered] = key }
    }

    /// Looks a key up that is already lower-cased (the compiled policies lower-case theirs once).
    @inline(__always) func lookup(lowercased key: String) -> ContextValue? { entries[key] }

    /// The keys in a stable order, as written.
    public var sortedKeys: [String] { entries.keys.sorted().map { spellings[$0] ?? $0 } }
}

/// One authorization request: who asks, for what, on which resource, with which context.
///
/// A value type whose fields live in one shared box (copy on write), so that passing or copying a request costs
/// one reference count instead of one per string: the engine decides a request in about a microsecond.
public struct Request: Sendable, Hashable {
    final class Storage: @unchecked Sendable, Hashable {
        var principalARN: String
        var principalAccount: String
        var principalType: PrincipalType
        var roleARN: String?
        var action: String
        var resourceARN: String
        var resourceAccount: String
        var context: RequestContext
        /// The action has no resource-level permissions (the catalog says so): AWS authorizes it on `*`.
        var accountWide: Bool
        /// The resource is a KMS key, whose key policy must allow every use (AWS KMS Developer Guide, "Key policies").
        var resourceIsKey: Bool

        convenience init(_ principalARN: String, _ principalAccount: String, _ principalType: PrincipalType, _ roleARN: String?, _ action: String, _ resourceARN: String, _ resourceAccount: String, _ context: RequestContext) {
            self.init(
                principalARN, principalAccount, principalType, roleARN, action, resourceARN, resourceAccount, context,
                accountWide: ServiceCatalog.isAccountWide(action), resourceIsKey: Request.isKMSKey(resourceARN))
        }

        private init(
            _ principalARN: String, _ principalAccount: String, _ principalType: PrincipalType, _ roleARN: String?, _ action: String,
            _ resourceARN: String, _ resourceAccount: String, _ context: RequestContext, accountWide: Bool, resourceIsKey: Bool
        ) {
            self.principalARN = principalARN
            self.principalAccount = principalAccount
            self.principalType = principalType
            self.roleARN = roleARN
            self.action = action
            self.resourceARN = resourceARN
            self.resourceAccount = resourceAccount
            self.context = context
            self.accountWide = accountWide
            self.resourceIsKey = resourceIsKey
        }

        /// A copy with the flags as they are: each was derived from its field when that was set, so copying need not
        /// derive them again (a catalog look-up and an ARN parse per copy, which dominated setting an action).
        func copy() -> Storage {
            Storage(
                principalARN, principalAccount, principalType, roleARN, action, resourceARN, resourceAccount, context,
                accountWide: accountWide, resourceIsKey: resourceIsKey)
        }

        static func == (lhs: Storage, rhs: Storage) -> Bool {
            lhs.principalARN == rhs.principalARN && lhs.principalAccount == rhs.principalAccount && lhs.principalType == rhs.principalType
                && lhs.roleARN == rhs.roleARN && lhs.action == rhs.action && lhs.resourceARN == rhs.resourceARN
                && lhs.resourceAccount == rhs.resourceAccount && lhs.context == rhs.context
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(principalARN)
            hasher.combine(action)
            hasher.combine(resourceARN)
        }
    }

    var storage: Storage

    private mutating func unique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    /// The caller as AWS names it: a user ARN, an assumed-role session ARN, `arn:aws:iam::A:root`, a service
    /// principal (`lambda.amazonaws.com`) or `*` for anonymous.
    public var principalARN: String {
        get { storage.principalARN }
        set { unique(); storage.principalARN = newValue }
    }
    public var principalAccount: String {
        get { storage.principalAccount }
        set { unique(); storage.principalAccount = newValue }
    }
    public var principalType: PrincipalType {
        get { storage.principalType }
        set { unique(); storage.principalType = newValue }
    }
    /// For an assumed-role session, the role's ARN with its path (`aws:PrincipalArn`).
    public var roleARN: String? {
        get { storage.roleARN }
        set { unique(); storage.roleARN = newValue }
    }
    public var action: String {
        get { storage.action }
        set {
            unique()
            storage.action = newValue
            storage.accountWide = ServiceCatalog.isAccountWide(newValue)
        }
    }
    public var resourceARN: String {
        get { storage.resourceARN }
        set {
            unique()
            storage.resourceARN = newValue
            storage.resourceIsKey = Request.isKMSKey(newValue)
        }
    }

    /// Sets the action with its catalog answer already known (`simulate` asks once per action, not per request).
    mutating func set(action: String, accountWide: Bool) {
        unique()
        storage.action = action
        storage.accountWide = accountWide
    }

    /// True when the action has no resource-level permissions (Service Authorization Reference): only a `Resource`
    /// that matches `*` grants it, whatever resource the request names.
    public var isAccountWideAction: Bool { storage.accountWide }

    /// Whether `arn` is a KMS key (`arn:aws:kms:<region>:<account>:key/<id>`).
    public static func isKMSKey(_ arn: String) -> Bool {
        guard arn.utf8.count > 12, arn.hasPrefix("arn:"), let parsed = ARN(arn) else { return false }
        return parsed.service == "kms" && parsed.resource.hasPrefix("key/")
    }
    /// The account that owns the resource; same as the principal's account unless cross-account.
    public var resourceAccount: String {
        get { storage.resourceAccount }
        set { unique(); storage.resourceAccount = newValue }
    }
    public var context: RequestContext {
        get { storage.context }
        set { unique(); storage.context = newValue }
    }

    public init(
        principalARN: String, principalAccount: String, principalType: PrincipalType, roleARN: String? = nil,
        action: String, resourceARN: String, resourceAccount: String? = nil, context: RequestContext = RequestContext()
    ) {
        storage = Storage(principalARN, principalAccount, principalType, roleARN, action, resourceARN, resourceAccount ?? principalAccount, context)
    }

    public var isCrossAccount: Bool { principalAccount != resourceAccount && principalType != .service && principalType != .anonymous }

    /// The role name of an assumed-role session, the user name of a user.
    public var principalName: String? {
        guard let arn = ARN(principalARN) else { return nil }
        let parts = arn.resource.split(separator: "/")
        switch principalType {
        case .assumedRole: return parts.count >= 2 ? String(parts[1]) : nil
        case .user, .federatedUser: return parts.last.map(String.init)
        default: return nil
        }
    }

    /// The session name of an assumed-role session.
    public var sessionName: String? {
        guard principalType == .assumedRole, let arn = ARN(principalARN) else { return nil }
        let parts = arn.resource.split(separator: "/", maxSplits: 2)
        return parts.count == 3 ? String(parts[2]) : nil
    }
}

/// How to describe a principal from its ARN alone (the `simulate` `CallerArn`, the mock's wire requests).
public enum PrincipalARN {
    /// Classifies `text`; returns the type, the account and (for sessions) the role ARN without path.
    public static func classify(_ text: String) -> (type: PrincipalType, account: String, roleARN: String?)? {
        if text == "*" { return (.anonymous, "", nil) }
        if !text.hasPrefix("arn:"), text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") { return (.service, "", nil) }
        guard let arn = ARN(text), arn.account.count == 12, arn.account.allSatisfy(\.isASCIIDigit) else { return nil }
        switch (arn.service, arn.resource) {
        case ("iam", "root"): return (.account, arn.account, nil)
        case ("iam", let resource) where resource.hasPrefix("user/"): return (.user, arn.account, nil)
        case ("iam", let resource) where resource.hasPrefix("role/"): return (.assumedRole, arn.account, text)
        case ("sts", let resource) where resource.hasPrefix("assumed-role/"):
            let parts = resource.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count >= 3, !parts[1].isEmpty, !parts[2].isEmpty else { return nil }
            return (.assumedRole, arn.account, "arn:\(arn.partition):iam::\(arn.account):role/\(parts[1])")
        case ("sts", let resource) where resource.hasPrefix("federated-user/"): return (.federatedUser, arn.account, nil)
        default: return nil
        }
    }
}
