import AWSClient
import Foundation
import Model
import Resolution

extension AWSSimulator {
    /// Who makes a call: a wire request's credentials, or a service principal acting for a resource of the model
    /// (SNS delivering a topic's message to a queue).
    enum Caller {
        case session(Session)
        case service(ServiceCaller)

        var accountID: String {
            switch self {
            case .session(let session): session.accountID
            case .service(let service): service.accountID
            }
        }
    }

    /// Asks the authorizer about `action` on `resourceARN` for `caller`, with the request time and `extra` keys.
    func decide(_ caller: Caller, action: String, resourceARN: String, extra: [String: [String]] = [:]) -> AuthorizationDecision {
        switch caller {
        case .session(let session):
            return authorize(authorizationRequest(for: session, action: action, resourceARN: resourceARN, extra: extra))
        case .service(let service):
            let (iso, epoch) = requestTime.texts(Int(clock().timeIntervalSince1970.rounded(.down)))
            var context = service.context.merging(extra) { _, own in own }
            if context["aws:CurrentTime"] == nil { context["aws:CurrentTime"] = iso }
            if context["aws:EpochTime"] == nil { context["aws:EpochTime"] = epoch }
            return authorize(AuthorizationRequest(principalARN: service.principalARN, action: action, resourceARN: resourceARN, context: context))
        }
    }

    /// Authorizes `action` on `resourceARN`, then each call to KMS the service makes with the same credentials for
    /// it — as the resolution derives them (`Resolver.impliedKeyCalls`) for `resource` acting on `targetARN` —
    /// and throws the first refusal: the service's own denial, with KMS's message when the key refused.
    /// `resource` is the resource as it is encrypted for this call (an object's own key, for S3).
    func authorizeCall(
        _ caller: Caller, action: String, resourceARN: String, extra: [String: [String]] = [:], encrypted resource: Resource? = nil,
        targetARN: String? = nil
    ) throws(WireError) {
        let decision = decide(caller, action: action, resourceARN: resourceARN, extra: extra)
        guard decision.allowed else { throw .accessDenied(decision.message) }
        guard let resource else { return }
        try authorizeKeyCalls(caller, action: action, encrypted: resource, targetARN: targetARN ?? resourceARN)
    }

    /// The KMS calls alone (see `authorizeCall`), for a call already authorized.
    func authorizeKeyCalls(_ caller: Caller, action: String, encrypted resource: Resource, targetARN: String) throws(WireError) {
        for call in Resolver.impliedKeyCalls(
            action: action, on: resource, targetARN: targetARN, callerAccountID: caller.accountID, model: model)
        {
            let implied = decide(caller, action: call.action, resourceARN: call.keyARN, extra: call.context)
            guard implied.allowed else { throw .accessDenied(implied.message) }
        }
    }
}
