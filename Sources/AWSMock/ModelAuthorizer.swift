import Foundation
public import Model
import Policy
import Resolution

/// Authorizes simulated calls through the step resolution (`Resolution.Authorization`): the caller and resource of a
/// wire request are resolved to the model's sessions, roles and tables, with the same policies and derived context as
/// `trustflow check`, and the engine decides. Anything the model does not know is evaluated with no policy: denied.
///
/// The caller and resource of a request are resolved and their policies compiled once per pair; every request is still
/// evaluated in full with its own action and context.
public struct ModelAuthorizer: Authorizer {
    public let model: Model
    private let authorizations: AuthorizationCache
    /// The keys the model's steps give their calls (`context:`), attached to the matching wire request.
    private let stepContexts: [String: [String: [String]]]

    public init(model: Model) {
        self.model = model
        authorizations = AuthorizationCache(model: model)
        stepContexts = Resolver.stepContexts(Resolver.resolve(model))
    }

    public var name: String { "policy engine (the step resolution)" }

    public func authorize(_ request: AuthorizationRequest) -> AuthorizationDecision {
        if !stepContexts.isEmpty,
           let environment = stepContexts[Resolver.stepContextKey(principalARN: request.principalARN, action: request.action, resourceARN: request.resourceARN)] {
            // The environment the model describes for this call (a source IP, a VPC endpoint): the request's own keys win.
            var request = request
            request.context = environment.merging(request.context) { _, own in own }
            return decide(request)
        }
        return decide(request)
    }

    private func decide(_ request: AuthorizationRequest) -> AuthorizationDecision {
        let call = prepare(request)
        // The decision alone first: no matched statements, no denial text. A denial is evaluated again, in full, by
        // the same authorization with the same context, for AWS's words.
        if call.decide() == .allowed { return .allow }
        let evaluation = call.evaluate()
        return AuthorizationDecision(allowed: evaluation.decision == .allowed, message: AWSMessage.denial(evaluation) ?? "")
    }

    /// One call ready for the engine: the authorization of its caller and resource, its action, and its context,
    /// either completed with the derived keys already (`derived`) or to be completed by the evaluation.
    private struct PreparedCall {
        let authorization: Authorization
        let action: String
        let context: RequestContext
        let derived: Bool

        func decide() -> Decision {
            derived ? authorization.decide(action: action, derivedContext: context) : authorization.decide(action: action, context: context)
        }

        func evaluate() -> Evaluation {
            derived ? authorization.evaluate(action: action, derivedContext: context) : authorization.evaluate(action: action, context: context)
        }
    }

    private func prepare(_ request: AuthorizationRequest) -> PreparedCall {
        if let session = request.session, !ContextDerivation.isAssumeRole(request.action) {
            // The derived keys with the session's keys over them are made once per session and resource; each call
            // adds its own keys (the request time) over those, as `evaluate(action:context:)` would.
            let entry = authorizations.entry(principalARN: request.principalARN, resourceARN: request.resourceARN, session: session)
            if !entry.authorization.readsContext {
                // No condition and no policy variable: the call's own keys cannot change the decision.
                return PreparedCall(authorization: entry.authorization, action: request.action, context: entry.context, derived: true)
            } else if let context = Self.context(request.requestContext, over: entry.context, session: session) {
                return PreparedCall(authorization: entry.authorization, action: request.action, context: context, derived: true)
            } else {
                return PreparedCall(authorization: entry.authorization, action: request.action, context: Self.context(request.context), derived: false)
            }
        } else if let session = request.session, !session.policies.isEmpty {
            // A session with its own policies: its authorization is its own, never shared with another session's.
            let authorization = authorizations.entry(principalARN: request.principalARN, resourceARN: request.resourceARN, session: session).authorization
            return PreparedCall(authorization: authorization, action: request.action, context: Self.context(request), derived: false)
        } else {
            let authorization = authorizations.authorization(principalARN: request.principalARN, resourceARN: request.resourceARN)
            return PreparedCall(authorization: authorization, action: request.action, context: Self.context(request), derived: false)
        }
    }

    /// The simulator's context keys as the engine's typed context (one typing for the mock and `check`).
    static func context(_ entries: [String: [String]]) -> RequestContext { TypedContext.context(entries) }

    /// The engine's context for `request`: for a request of a simulated session, the session's keys converted once
    /// when the session began, and this request's own keys (the request time) converted now. When one of its own keys
    /// differs from another key in case alone, the whole context is converted as before, so the same spelling and
    /// value win.
    static func context(_ request: AuthorizationRequest) -> RequestContext {
        guard let session = request.session else { return context(request.context) }
        var context = session.engineContext
        for (key, values) in request.requestContext {
            let lowered = RequestContext.lowercasedKey(key)
            guard context.entries[lowered] == nil else { return Self.context(request.context) }
            context.set(value(values, lowercased: lowered), forKey: key, lowercased: lowered)
        }
        return context
    }

    /// `derived` (the derived keys with the session's over them) with a call's own keys over it; nil when one of
    /// them differs from a session key or another of its own in case alone (the caller then converts all of them).
    static func context(_ own: [String: [String]], over derived: RequestContext, session: SessionContext) -> RequestContext? {
        var context = derived
        var seen: [String] = []
        seen.reserveCapacity(own.count)
        for (key, values) in own {
            let lowered = RequestContext.lowercasedKey(key)
            guard session.engineContext.entries[lowered] == nil, !seen.contains(lowered) else { return nil }
            seen.append(lowered)
            context.set(value(values, lowercased: lowered), forKey: key, lowercased: lowered)
        }
        return context
    }

    private static func value(_ values: [String], lowercased lowered: String) -> ContextValue {
        TypedContext.value(values, lowercased: lowered)
    }
}

/// `Authorization`s of one model by caller and resource ARN; bounded, thread-safe. A class so that copies of
/// the authorizer share it.
private final class AuthorizationCache: @unchecked Sendable {
    private struct Key: Hashable {
        var principalARN: String
        var resourceARN: String
    }

    private let model: Model
    private let lock = NSLock()
    private var entries: [Key: Authorization] = [:]

    init(model: Model) { self.model = model }

    /// For calls of one simulated session on one resource: the derived keys with the session's over them. The entry
    /// holds the session, so its identity cannot pass to another while the entry lives.
    private struct SessionKey: Hashable {
        var session: ObjectIdentifier
        var resourceARN: String
    }

    /// One entry, by reference: a look-up hands out one retain instead of a copy of the authorization's fields.
    final class SessionEntry: Sendable {
        let session: SessionContext
        let principalARN: String
        let authorization: Authorization
        let context: RequestContext

        init(session: SessionContext, principalARN: String, authorization: Authorization) {
            self.session = session
            self.principalARN = principalARN
            self.authorization = authorization
            context = authorization.derivedContext(with: session.engineContext)
        }
    }

    private var derivedContexts: [SessionKey: SessionEntry] = [:]

    func entry(principalARN: String, resourceARN: String, session: SessionContext) -> SessionEntry {
        let key = SessionKey(session: ObjectIdentifier(session), resourceARN: resourceARN)
        lock.lock()
        if let found = derivedContexts[key], found.session === session, found.principalARN == principalARN {
            lock.unlock()
            return found
        }
        lock.unlock()
        let authorization =
            session.policies.isEmpty
            ? authorization(principalARN: principalARN, resourceARN: resourceARN)
            : Authorization(model: model, principalARN: principalARN, resourceARN: resourceARN, sessionPolicies: session.policies)
        let made = SessionEntry(session: session, principalARN: principalARN, authorization: authorization)
        lock.lock()
        if derivedContexts.count >= 1024 { derivedContexts.removeAll(keepingCapacity: true) }
        derivedContexts[key] = made
        lock.unlock()
        return made
    }

    func authorization(principalARN: String, resourceARN: String) -> Authorization {
        let key = Key(principalARN: principalARN, resourceARN: resourceARN)
        lock.lock()
        if let found = entries[key] {
            lock.unlock()
            return found
        }
        lock.unlock()
        let made = Authorization(model: model, principalARN: principalARN, resourceARN: resourceARN)
        lock.lock()
        if entries.count >= 1024 { entries.removeAll(keepingCapacity: true) }
        entries[key] = made
        lock.unlock()
        return made
    }
}
