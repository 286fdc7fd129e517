import ArgumentParser
import Foundation
import Model
import Policy
import Resolution
import TrustflowKit
import Source

struct Explain: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Trace one request through the policies, statement by statement, to AWS's decision and message.",
        discussion: """
            The caller is a function key (its execution-role session) or a role key (a session of that role); the
            target is a role key (sts:AssumeRole) or a table key. When the model has this request as a step, its
            session name, ExternalId and context are used, exactly as `check` evaluates it; a role caller's session
            is the one the model's AssumeRole step makes. --session, --external-id and --context override them.

            Example:
              trustflow explain --caller ordersFunction --action dynamodb:Query --target Orders --index ByStatus
              trustflow explain --caller DynamoDBAccessRole --action dynamodb:DeleteItem --target Orders
              trustflow explain --caller ordersFunction --action sts:AssumeRole --target DynamoDBAccessRole --context aws:SourceIp=10.0.0.1
              trustflow explain --caller ordersFunction --action sts:AssumeRole --target DynamoDBAccessRole --external-id wrong-id
            """
    )

    @OptionGroup var contentOptions: ContentOptions

    @Option(name: .long, help: ArgumentHelp("A function, task, instance, user or role key of the model, or a resource whose service delivers (an SNS topic).", valueName: "key"))
    var caller: String

    @Option(name: .long, help: ArgumentHelp("The action, service:Action (e.g. dynamodb:GetItem).", valueName: "action"))
    var action: String

    @Option(name: .long, help: ArgumentHelp("A role, table or resource key of the model (or a function, invoked).", valueName: "key"))
    var target: String

    @Option(name: .long, help: ArgumentHelp("An index of the target table (Query/Scan).", valueName: "name"))
    var index: String?

    @Option(name: .long, help: ArgumentHelp("The object key of an S3 object operation on the target bucket.", valueName: "key"))
    var object: String?

    @Option(name: .long, help: ArgumentHelp("The session name of an AssumeRole request, or of the caller role's session (default: the model's AssumeRole step's, else LambdaSession).", valueName: "name"))
    var session: String?

    @Option(name: .long, help: ArgumentHelp("The ExternalId of an AssumeRole request (default: the model's step's).", valueName: "id"))
    var externalId: String?

    @Option(name: .long, parsing: .singleValue, help: ArgumentHelp("A request context key: key=value (repeatable; repeat a key for a list).", valueName: "key=value"))
    var context: [String] = []

    func run() async throws {
        // Unusable arguments exit 2, like unusable content (not ArgumentParser's usage code).
        let parts = action.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, !action.contains("*"), !action.contains("?") else {
            Report.error("--action must be service:Action without wildcards, found '\(action)'")
            throw unusableInput
        }
        // The action must exist in AWS's catalog, as in a policy, a step or a simulate request.
        if let service = ServiceCatalog.service(String(parts[0])) {
            if service.action(named: String(parts[1])) == nil {
                let suggestion = ServiceCatalog.suggestion(forAction: String(parts[1]), service: service.prefix).map { "; did you mean '\(service.prefix):\($0)'?" } ?? ""
                Report.error("--action \"\(action)\" is no \(service.name) action\(suggestion)")
                throw unusableInput
            }
        } else if ServiceCatalog.isAvailable {
            Report.error("--action \"\(action)\" names no AWS service \"\(parts[0])\"\(Spelling.didYouMean(String(parts[0]), among: ServiceCatalog.servicePrefixes))")
            throw unusableInput
        }
        for entry in context where !entry.contains("=") || entry.hasPrefix("=") {
            Report.error("--context takes key=value, found '\(entry)'")
            throw unusableInput
        }
        let model = try contentOptions.loadModel()
        let here = SourceLocation.synthesized("command line")
        let callerValue: Step.Caller
        if model.function(caller) != nil {
            callerValue = .function(caller)
        } else if model.role(caller) != nil {
            callerValue = .role(caller)
        } else if model.user(caller) != nil {
            callerValue = .user(caller)
        } else if let resource = model.resource(caller), resource.resourceKind.servicePrincipal != nil {
            callerValue = .service(caller)
        } else {
            let known = model.functions.map(\.key) + model.roles.map(\.key) + model.users.map(\.key)
                + model.resources.filter { $0.resourceKind.servicePrincipal != nil }.map(\.key)
            Report.error("unknown caller '\(caller)'\(Spelling.didYouMean(caller, among: known)); callers: \(known.joined(separator: ", "))")
            throw unusableInput
        }
        let targetValue: Step.Target
        if model.role(target) != nil {
            targetValue = .role(target)
        } else if let table = model.table(target) {
            targetValue = .table(target)
            if let index, !table.indexes.contains(index) {
                Report.error("table '\(target)' has no index '\(index)'; indexes: \(table.indexes.joined(separator: ", "))")
                throw unusableInput
            }
        } else if let resource = model.resource(target) {
            guard resource.resourceKind.service == String(parts[0]).lowercased() else {
                Report.error("\(resource.resourceKind.noun) '\(target)' is acted on by \(resource.resourceKind.service) actions, not \(action)")
                throw unusableInput
            }
            targetValue = .resource(target)
            let onObject = resource.kind == .s3Bucket
                && (ServiceCatalog.service("s3")?.action(named: String(parts[1]))?.resourceTypes.contains { $0.name == "object" } ?? false)
            if onObject != (object != nil) {
                Report.error(onObject ? "\(action) acts on an object: give --object <key>" : "--object is only meaningful for an S3 object operation on a bucket")
                throw unusableInput
            }
        } else {
            let known = model.roles.map(\.key) + model.tables.map(\.key) + model.resources.map(\.key)
            Report.error("unknown target '\(target)'\(Spelling.didYouMean(target, among: known)); targets: \(known.joined(separator: ", "))")
            throw unusableInput
        }
        // The model's own step for this request, when it has one: its session name, ExternalId and context.
        let modelled = model.options.flatMap(\.steps).first {
            $0.caller == callerValue && $0.action.lowercased() == action.lowercased() && $0.target == targetValue && $0.index == index
                && $0.object == object
        }
        var contextValues = modelled?.context ?? [:]
        var given: [String: [String]] = [:]
        for entry in context {
            let parts = entry.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            given[String(parts[0]), default: []].append(String(parts[1]))
        }
        for (key, values) in given { contextValues[key] = values }
        let isAssumeRole = action.lowercased() == "sts:assumerole"
        let step = Step(
            caller: callerValue, action: action, target: targetValue, index: index, object: object,
            session: isAssumeRole ? (session ?? modelled?.session) : nil,
            externalId: isAssumeRole ? (externalId ?? given["sts:ExternalId"]?.first ?? modelled?.externalId) : nil,
            context: contextValues, location: modelled?.location ?? here)
        let resolution = Resolver.resolve(adHoc: step, session: isAssumeRole ? nil : session, in: model)
        print(ExplainReport.text(resolution, model: model), terminator: "")
    }
}
