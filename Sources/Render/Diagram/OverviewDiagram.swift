internal import Model
internal import Resolution

/// Everything in the model at once: accounts as clusters (name and id), every function, role, table (and index),
/// STS, and each option's path in its own colour, with a legend.
struct OverviewDiagram {
    var model: Model
    var resolution: ModelResolution
    var theme: Theme

    /// Past this many functions, roles, tables and indexes, the overview draws only those the options use: a drawing
    /// of every role of a large organisation is neither readable nor something Graphviz lays out in reasonable time.
    static let entityLimit = 80

    /// Node ids of what the options' steps use: callers (a function with its execution role), targets, tables of
    /// indexes.
    func usedNodes() -> Set<String> {
        var used: Set<String> = []
        for option in model.options {
            for step in option.steps {
                used.insert(NodeID.caller(step.caller))
                if case .function(let key) = step.caller, let function = model.function(key) { used.insert(NodeID.role(function.roleKey)) }
                used.insert(NodeID.target(step, in: model))
                if case .table(let key) = step.target { used.insert(NodeID.table(key)) }
                if case .resource(let key) = step.target, let encryption = model.resource(key)?.encryptionKey { used.insert(NodeID.resource(encryption)) }
            }
        }
        return used
    }

    /// How many resources the model has, and which are drawn (`nil`: all of them).
    var selection: (total: Int, drawn: Set<String>?) {
        let total = model.functions.count + model.roles.count + model.tables.reduce(0) { $0 + 1 + $1.indexes.count } + model.resources.count + model.users.count
        return (total, total > Self.entityLimit ? usedNodes() : nil)
    }

    func diagram() -> Diagram {
        let style = DiagramStyle(theme: theme)
        let (_, drawn) = selection
        let shown = { (id: String) in drawn?.contains(id) ?? true }
        var graph = style.graph(name: "overview", label: .label(.table(legend(style))))

        var nodesByAccount: [String: [DOTNode]] = [:]
        for function in model.functions where shown(NodeID.function(function.key)) {
            nodesByAccount[function.accountKey, default: []].append(
                style.node(id: NodeID.function(function.key), kind: .resource(function.resourceKind), name: function.name, detail: function.arnResource, tooltip: function.arn)
            )
        }
        for role in model.roles where shown(NodeID.role(role.key)) {
            nodesByAccount[role.accountKey, default: []].append(style.node(id: NodeID.role(role.key), kind: .resource(.iamRole), name: role.name, detail: "role\(role.path)\(role.name)", tooltip: role.arn))
        }
        for table in model.tables where shown(NodeID.table(table.key)) {
            nodesByAccount[table.accountKey, default: []].append(
                style.node(id: NodeID.table(table.key), kind: .resource(.dynamoDBTable), name: table.name, detail: "table/\(table.name)", tooltip: table.arn)
            )
            for index in table.indexes where shown(NodeID.index(table.key, index)) {
                nodesByAccount[table.accountKey, default: []].append(
                    style.node(id: NodeID.index(table.key, index), kind: .resource(.dynamoDBIndex), name: index, detail: "index of \(table.name)", tooltip: table.indexARN(index))
                )
            }
        }
        for user in model.users where shown(NodeID.user(user.key)) {
            nodesByAccount[user.accountKey, default: []].append(
                style.node(id: NodeID.user(user.key), kind: .resource(.iamUser), name: user.name, detail: "user\(user.path)\(user.name)", tooltip: user.arn))
        }
        for resource in model.resources where shown(NodeID.resource(resource.key)) {
            nodesByAccount[resource.accountKey, default: []].append(style.node(id: NodeID.resource(resource.key), resource: resource))
        }
        // AWS managed keys the options' implied calls use (a secret without a key of its own).
        var managedKeys: [String] = []
        for step in resolution.options.flatMap(\.steps) {
            for implied in step.implied where model.resource(implied.step.target.key) == nil && !managedKeys.contains(implied.step.target.key) {
                managedKeys.append(implied.step.target.key)
                if let key = model.resolvedResource(implied.step.target.key) {
                    nodesByAccount[key.accountKey, default: []].append(style.node(id: NodeID.resource(key.key), resource: key, detail: "AWS managed key"))
                }
            }
        }
        let accountsWithFunctions = Set(model.functions.map(\.accountKey))
        graph.clusters = model.accounts.enumerated().compactMap { index, account in
            // Accounts without functions are where paths arrive: their name goes below, clear of the edges.
            guard drawn == nil || nodesByAccount[account.key] != nil else { return nil }
            return style.accountCluster(
                account, index: index, nodes: nodesByAccount[account.key] ?? [],
                labelAtBottom: !accountsWithFunctions.contains(account.key)
            )
        }
        if model.options.contains(where: { $0.steps.contains(where: \.isAssumeRole) }) {
            graph.nodes = [style.node(id: NodeID.sts, kind: .sts, name: "AssumeRole", detail: "sts.amazonaws.com")]
        }

        for function in model.functions where shown(NodeID.function(function.key)) {
            graph.edges.append(style.structural(from: NodeID.function(function.key), to: NodeID.role(function.roleKey), label: "runs as"))
        }
        for table in model.tables where shown(NodeID.table(table.key)) {
            for index in table.indexes where shown(NodeID.index(table.key, index)) {
                graph.edges.append(style.structural(from: NodeID.table(table.key), to: NodeID.index(table.key, index), label: "index of"))
            }
        }
        for resource in model.resources where shown(NodeID.resource(resource.key)) {
            if let key = resource.encryptionKey, shown(NodeID.resource(key)) {
                graph.edges.append(style.structural(from: NodeID.resource(resource.key), to: NodeID.resource(key), label: "encrypted with"))
            }
        }

        // Each option's path in its colour: one edge per hop, listing the steps that take it.
        for (optionIndex, option) in model.options.enumerated() {
            let color = theme.optionColor(optionIndex)
            var hops: [(from: String, to: String, denied: Bool, steps: [String])] = []
            func add(_ from: String, _ to: String, denied: Bool, _ text: String) {
                if let position = hops.firstIndex(where: { $0.from == from && $0.to == to && $0.denied == denied }) {
                    hops[position].steps.append(text)
                } else {
                    hops.append((from, to, denied, [text]))
                }
            }
            for annotation in StepAnnotation.annotate(option, in: model, resolution: resolution) {
                let step = annotation.step
                let text = Diagrams.badge(annotation.number) + " " + step.shortAction + (annotation.denied ? " ✗" : "")
                if step.isAssumeRole {
                    add(NodeID.caller(step.caller), NodeID.sts, denied: annotation.denied, text)
                    add(NodeID.sts, NodeID.target(step, in: model), denied: annotation.denied, Diagrams.badge(annotation.number) + " credentials")
                } else {
                    add(NodeID.caller(step.caller), NodeID.target(step, in: model), denied: annotation.denied, text)
                }
                for implied in annotation.resolution.implied {
                    add(NodeID.caller(step.caller), NodeID.resource(implied.step.target.key), denied: implied.decision != .allowed,
                        Diagrams.badge(annotation.number) + " " + implied.step.actionName + (implied.decision != .allowed ? " ✗" : ""))
                }
            }
            for hop in hops {
                var attributes: DOTAttributes = [
                    "label": .label(.lines(hop.steps.map { [DOTRun($0, size: theme.edgeSize, color: hop.denied ? theme.denied : color, bold: true)] })),
                    "color": .text(color),
                    "tooltip": .text(option.title),
                ]
                if hop.denied {
                    attributes["style"] = "dashed"
                    attributes["arrowhead"] = "tee"
                }
                graph.edges.append(DOTEdge(from: hop.from, to: hop.to, attributes: attributes))
            }
        }

        let summary = "Accounts: " + model.accounts.map { "\($0.name) (\($0.id))" }.joined(separator: ", ") + ". "
            + model.options.enumerated().map { index, option in
                "Option \(index + 1), \(option.title): " + Diagrams.sentences(StepAnnotation.annotate(option, in: model, resolution: resolution), model: model)
            }.joined(separator: " ")
        return Diagram(name: "overview", title: "\(model.title): overview", summary: summary, graph: graph, aspectRatio: theme.aspectRatio)
    }

    /// Title, then one row per option: a swatch in its colour, its number and title; then what dashed means.
    private func legend(_ style: DiagramStyle) -> DOTTable {
        var rows: [[DOTTable.Cell]] = [[DOTTable.Cell(style.title(model.title, subtitle: nil))]]
        for (index, option) in model.options.enumerated() {
            let color = theme.optionColor(index)
            rows.append([DOTTable.Cell([[
                DOTRun("━━ ", size: theme.fontSize + 2, color: color, bold: true),
                DOTRun("Option \(index + 1) · \(option.id): ", size: theme.fontSize, color: color, bold: true),
                DOTRun(option.title, size: theme.fontSize, color: theme.text),
            ]])])
        }
        rows.append([DOTTable.Cell([[
            DOTRun("╌╌ ", size: theme.fontSize + 2, color: theme.denied, bold: true),
            DOTRun("dashed, ✗: the step is denied", size: theme.fontSize, color: theme.mutedText),
        ]])])
        let (total, drawn) = selection
        if let drawn {
            rows.append([DOTTable.Cell([[
                DOTRun("Showing the \(drawn.count) functions, roles, tables and indexes the options use, of \(total) in the model", size: theme.fontSize, color: theme.mutedText, italic: true),
            ]])])
        }
        return DOTTable(rows: rows, cellPadding: 2, cellSpacing: 0)
    }
}
