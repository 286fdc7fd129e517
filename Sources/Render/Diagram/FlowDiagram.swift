internal import Model
internal import Resolution

/// An option's call as a left-to-right chain: "Lambda → STS → Role in B → DynamoDB", one box per hop,
/// numbered edges in step order.
struct FlowDiagram {
    var model: Model
    var option: AccessOption
    var resolution: ModelResolution
    var theme: Theme

    func diagram() -> Diagram {
        let style = DiagramStyle(theme: theme)
        let steps = StepAnnotation.annotate(option, in: model, resolution: resolution)
        var hops: [String] = []
        func hop(_ id: String) { if !hops.contains(id) { hops.append(id) } }
        for annotation in steps {
            let step = annotation.step
            hop(NodeID.caller(step.caller))
            if step.isAssumeRole { hop(NodeID.sts) }
            hop(NodeID.target(step, in: model))
            for implied in annotation.resolution.implied { hop(NodeID.resource(implied.step.target.key)) }
        }

        // A table and its index are one hop in words ("DynamoDB"): drop a name that repeats the one before it.
        var names: [String] = []
        for name in hops.map(hopName) where names.last != name { names.append(name) }
        let chain = names.joined(separator: " → ")
        var graph = style.graph(name: "\(Diagrams.stem(option))-flow", label: style.block(style.title(option.title, subtitle: chain)))
        graph.nodes = hops.map { node($0, style: style) }
        for annotation in steps {
            let step = annotation.step
            if step.isAssumeRole {
                graph.edges.append(style.step(from: NodeID.caller(step.caller), to: NodeID.sts, annotation: annotation, action: step.action, details: [], color: theme.iam))
                var returned = annotation
                returned.reason = annotation.denied ? "no credentials" : nil
                graph.edges.append(style.step(
                    from: NodeID.sts, to: NodeID.target(step, in: model), annotation: returned, action: "temporary credentials", details: [], color: theme.iam
                ))
            } else {
                graph.edges.append(style.step(from: NodeID.caller(step.caller), to: NodeID.target(step, in: model), annotation: annotation, action: step.action, details: [], color: theme.dynamoDB))
            }
            for implied in annotation.resolution.implied {
                graph.edges.append(style.step(
                    from: NodeID.caller(step.caller), to: NodeID.resource(implied.step.target.key), annotation: StepAnnotation.annotate(implied, model: model),
                    action: implied.step.action + " (via \(ResourceKind.serviceName(step.service)))", details: [], color: theme.iam))
            }
        }
        return Diagram(
            name: "\(Diagrams.stem(option))-flow", title: "\(option.title): \(chain)",
            summary: Diagrams.sentences(steps, model: model), graph: graph, aspectRatio: theme.aspectRatio
        )
    }

    /// "Lambda", "STS", "Role in B", "DynamoDB": what a hop is, in the words of the seed's chain.
    private func hopName(_ id: String) -> String {
        if id.hasPrefix("function:") {
            return model.function(String(id.dropFirst(9))).map { $0.kind == .lambdaFunction ? "Lambda" : $0.callerKind.noun } ?? "Lambda"
        }
        if id == NodeID.sts { return "STS" }
        if id.hasPrefix("role:"), let role = model.role(String(id.dropFirst(5))) { return "Role in \(role.accountKey)" }
        if id.hasPrefix("resource:"), let resource = model.resolvedResource(String(id.dropFirst(9))) { return resource.resourceKind.serviceName }
        if id.hasPrefix("user:") { return "IAM user" }
        return "DynamoDB"
    }

    private func node(_ id: String, style: DiagramStyle) -> DOTNode {
        func account(_ key: String) -> String {
            model.account(key).map { "Account \($0.key) · \($0.id)" } ?? key
        }
        if id == NodeID.sts { return style.node(id: id, kind: .sts, name: "AssumeRole", detail: "sts.amazonaws.com") }
        if id.hasPrefix("function:"), let function = model.function(String(id.dropFirst("function:".count))) {
            return style.node(id: id, kind: .resource(function.resourceKind), name: function.name, detail: account(function.accountKey), tooltip: function.arn)
        }
        if id.hasPrefix("role:"), let role = model.role(String(id.dropFirst("role:".count))) {
            return style.node(id: id, kind: .resource(.iamRole), name: role.name, detail: account(role.accountKey), tooltip: role.arn)
        }
        if id.hasPrefix("table:"), let table = model.table(String(id.dropFirst("table:".count))) {
            return style.node(id: id, kind: .resource(.dynamoDBTable), name: table.name, detail: account(table.accountKey), tooltip: table.arn)
        }
        if id.hasPrefix("resource:"), let resource = model.resolvedResource(String(id.dropFirst("resource:".count))) {
            return style.node(id: id, resource: resource, detail: account(resource.accountKey))
        }
        if id.hasPrefix("user:"), let user = model.user(String(id.dropFirst("user:".count))) {
            return style.node(id: id, kind: .resource(.iamUser), name: user.name, detail: account(user.accountKey), tooltip: user.arn)
        }
        let parts = id.dropFirst("index:".count).split(separator: "/", maxSplits: 1).map(String.init)
        let table = parts.first.flatMap { model.table($0) }
        return style.node(
            id: id, kind: .resource(.dynamoDBIndex), name: parts.last ?? id, detail: table.map { "index of \($0.name) · \(account($0.accountKey))" },
            tooltip: table.flatMap { t in parts.last.map(t.indexARN) }
        )
    }
}
