internal import Model
internal import Resolution
internal import Graphviz

/// An option's architecture: accounts as clusters, the function and its execution role, STS, the target role, the
/// table and index, and numbered edges in flow order saying where each permission lives. Also the step frames.
struct ArchitectureDiagram {
    var model: Model
    var option: AccessOption
    var resolution: ModelResolution
    var theme: Theme
    /// Top to bottom (`TB`) or left to right (`LR`); slides pick whichever fills a 16:9 canvas at the larger scale.
    var rankdir = "TB"
    /// Where a step frame's title and list of steps go (slides choose whichever fits best).
    var legend = Legend.above
    /// A step list above the drawing in two columns (slides with four steps or more may choose it).
    var twoColumns = false

    enum Legend: CaseIterable {
        /// Title and step list above the drawing.
        case above
        /// Both beside the first caller: saves the height of the list and the title.
        case beside
        /// The title above, the step list beside the first caller.
        case split
    }

    /// The layout a 16:9 slide is read best in: of top-to-bottom and left-to-right, each with a step label's details
    /// on lines of their own or after their policy, the one whose drawing needs the smallest 16:9 canvas (so that its
    /// text is the largest on the slide). Measured on the first frame, used by every frame so the layout does not move.
    /// Themes without a canvas shape keep the default.
    static func fitted(model: Model, option: AccessOption, resolution: ModelResolution, theme: Theme) -> ArchitectureDiagram {
        let standard = ArchitectureDiagram(model: model, option: option, resolution: resolution, theme: theme)
        guard let aspect = theme.aspectRatio else { return standard }
        var best = standard, bestWidth = Double.infinity
        for rankdir in ["TB", "LR"] {
            let legends: [(Legend, Bool)] = [(.above, false), (.above, true), (.beside, false), (.split, false)]
            let layouts = [false, true].flatMap { own in [false, true].flatMap { oneLine in legends.map { (own, oneLine, $0.0, $0.1) } } }
            for (ownLine, oneLine, legend, twoColumns) in layouts where !twoColumns || option.steps.count >= 4 {
                var candidate = standard
                candidate.rankdir = rankdir
                candidate.legend = legend
                candidate.twoColumns = twoColumns
                candidate.theme.clusterLabelOneLine = oneLine
                if legend == .beside { candidate.theme.titleLineLength = 30 }
                candidate.theme.detailOnOwnLine = ownLine
                let frame = candidate.diagram(frame: option.steps.isEmpty ? nil : 1)
                guard let size = try? Graphviz.layoutSize(dot: frame.dot) else { continue }
                let width = max(size.width, size.height * aspect)
                if width < bestWidth - 0.5 {
                    best = candidate
                    bestWidth = width
                }
            }
        }
        return best
    }

    /// `frame == nil`: the whole option. `frame == n`: steps 1…n highlighted, the rest faded, same layout.
    func diagram(frame: Int?) -> Diagram {
        let style = DiagramStyle(theme: theme)
        let steps = StepAnnotation.annotate(option, in: model, resolution: resolution)
        let through = frame ?? Int.max
        let active = { (number: Int) in number <= through }

        // Which step first touches each node (nodes are highlighted from that step on).
        var firstUse: [String: Int] = [:]
        var order: [String] = []
        func use(_ id: String, _ number: Int) {
            if firstUse[id] == nil { order.append(id) }
            firstUse[id] = min(firstUse[id] ?? number, number)
        }
        var functionKeys: [String] = []
        for annotation in steps {
            let step = annotation.step
            if case .function(let key) = step.caller, !functionKeys.contains(key) { functionKeys.append(key) }
            use(NodeID.caller(step.caller), 0)
            if step.isAssumeRole { use(NodeID.sts, annotation.number) }
            if case .table(let key) = step.target, step.index != nil { use(NodeID.table(key), annotation.number) }
            use(NodeID.target(step, in: model), annotation.number)
            for implied in annotation.resolution.implied { use(NodeID.resource(implied.step.target.key), annotation.number) }
        }
        for key in functionKeys {
            if let function = model.function(key) {
                use(NodeID.function(key), 0)
                use(NodeID.role(function.roleKey), 0)
            }
        }

        // Nodes, grouped by account.
        var nodesByAccount: [String: [DOTNode]] = [:]
        var loose: [DOTNode] = []
        for id in sortedIDs(order) {
            let faded = !active(firstUse[id] ?? 0)
            if id == NodeID.sts {
                loose.append(style.node(id: id, kind: .sts, name: "AssumeRole", detail: "sts.amazonaws.com", faded: faded))
            } else if let (account, node) = node(for: id, style: style, faded: faded) {
                nodesByAccount[account, default: []].append(node)
            }
        }
        // Top to bottom: Account A above, STS between, Account B below. Side by side, the edges' permission labels
        // made the view three times as wide as high; stacked, it fills a 16:9 slide at a readable scale.
        let label: DOTValue?, besideLabel: DOTValue?
        switch (legend, frame) {
        case (.above, _), (.split, nil): (label, besideLabel) = (frame == nil ? style.block(titleLines(style)) : .label(.table(stepTable(steps, through: through, heading: true))), nil)
        case (.beside, nil): (label, besideLabel) = (nil, style.block(titleLines(style)))
        case (.beside, _): (label, besideLabel) = (nil, .label(.table(stepTable(steps, through: through, heading: true))))
        case (.split, _): (label, besideLabel) = (style.block(style.title(option.title, subtitle: nil)), .label(.table(stepTable(steps, through: through, heading: false))))
        }
        var graph = style.graph(name: name(frame), label: label, rankdir: rankdir)
        graph.clusters = model.accounts.enumerated().compactMap { index, account in
            nodesByAccount[account.key].map { nodes in
                let callers = functionKeys.contains { model.function($0)?.accountKey == account.key }
                return style.accountCluster(account, index: index, nodes: nodes, labelAtBottom: !callers)
            }
        }
        graph.nodes = loose
        if let besideLabel, let first = order.first {
            graph.nodes.append(DOTNode(id: "legend", attributes: ["shape": "plain", "label": besideLabel]))
            graph.sameRank = [["legend", first]]
        }

        // Structural edges: each function runs as its execution role; each index belongs to its table.
        for key in functionKeys {
            if let function = model.function(key) {
                graph.edges.append(style.structural(from: NodeID.function(key), to: NodeID.role(function.roleKey), label: "runs as"))
            }
        }
        for id in order where id.hasPrefix("index:") {
            let parts = id.dropFirst("index:".count).split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2 {
                graph.edges.append(style.structural(from: NodeID.table(parts[0]), to: id, label: "index of", faded: !active(firstUse[id] ?? 0)))
            }
        }

        // Numbered step edges, in flow order.
        for annotation in steps {
            let step = annotation.step
            let faded = !active(annotation.number)
            let current = frame == annotation.number
            let from = fromNode(step)
            if step.isAssumeRole {
                graph.edges.append(style.step(
                    from: from, to: NodeID.sts, annotation: annotation, action: step.action, details: details(annotation),
                    color: theme.iam, faded: faded, current: current
                ))
                let session = step.session.map { "session “\($0)”" }
                var returned = annotation
                returned.reason = annotation.denied ? "no credentials" : nil
                graph.edges.append(style.step(
                    from: NodeID.sts, to: NodeID.target(step, in: model), annotation: returned,
                    action: "credentials of \(model.role(step.target.key)?.name ?? step.target.key)", details: session.map { [$0] } ?? [],
                    color: theme.iam, faded: faded, current: current
                ))
            } else {
                graph.edges.append(style.step(
                    from: from, to: NodeID.target(step, in: model), annotation: annotation, action: step.action,
                    details: (step.object.map { ["object " + $0] } ?? []) + details(annotation), color: theme.dynamoDB, faded: faded, current: current
                ))
            }
            // The KMS calls the service makes with the caller's credentials: same number, to the key.
            for implied in annotation.resolution.implied {
                let keyAnnotation = StepAnnotation.annotate(implied, model: model)
                graph.edges.append(style.step(
                    from: from, to: NodeID.resource(implied.step.target.key), annotation: keyAnnotation,
                    action: implied.step.action + " (via \(ResourceKind.serviceName(step.service)))", details: details(keyAnnotation),
                    color: theme.iam, faded: faded, current: current
                ))
            }
        }

        let title = frame.map { "\(option.title): step \($0) of \(steps.count)" } ?? "\(option.title): architecture"
        return Diagram(name: name(frame), title: title, summary: Diagrams.sentences(Array(steps.prefix(through)), model: model), graph: graph, aspectRatio: theme.aspectRatio)
    }

    /// Where the permission lives; on a slide a denied step shows only its reason (which names the deciding statement).
    private func details(_ annotation: StepAnnotation) -> [String] {
        annotation.denied && !theme.showsSid ? [] : annotation.permissions
    }

    private func name(_ frame: Int?) -> String {
        frame.map { "\(Diagrams.stem(option))-step-\($0)" } ?? "\(Diagrams.stem(option))-architecture"
    }

    /// The caller's node: the function for a function's calls; the assumed role for calls made with its session.
    private func fromNode(_ step: Step) -> String { NodeID.caller(step.caller) }

    /// Functions first, then roles, tables and indexes; stable within a kind (first use).
    private func sortedIDs(_ ids: [String]) -> [String] {
        let rank = { (id: String) -> Int in
            for (position, prefix) in ["function:", "user:", "role:", "service:", "table:", "index:", "resource:"].enumerated() where id.hasPrefix(prefix) { return position }
            return 9
        }
        return ids.enumerated().sorted { (rank($0.element), $0.offset) < (rank($1.element), $1.offset) }.map(\.element)
    }

    private func node(for id: String, style: DiagramStyle, faded: Bool) -> (String, DOTNode)? {
        if id.hasPrefix("function:"), let function = model.function(String(id.dropFirst("function:".count))) {
            return (function.accountKey, style.node(id: id, kind: .resource(function.resourceKind), name: function.name, detail: function.arnResource, faded: faded, tooltip: function.arn))
        }
        if id.hasPrefix("role:"), let role = model.role(String(id.dropFirst("role:".count))) {
            return (role.accountKey, style.node(id: id, kind: .resource(.iamRole), name: role.name, detail: "role\(role.path)\(role.name)", faded: faded, tooltip: role.arn))
        }
        if id.hasPrefix("table:"), let table = model.table(String(id.dropFirst("table:".count))) {
            return (table.accountKey, style.node(id: id, kind: .resource(.dynamoDBTable), name: table.name, detail: "table/\(table.name)", faded: faded, tooltip: table.arn))
        }
        if id.hasPrefix("index:") {
            let parts = id.dropFirst("index:".count).split(separator: "/", maxSplits: 1).map(String.init)
            if parts.count == 2, let table = model.table(parts[0]) {
                return (table.accountKey, style.node(id: id, kind: .resource(.dynamoDBIndex), name: parts[1], detail: "index of \(table.name)", faded: faded, tooltip: table.indexARN(parts[1])))
            }
        }
        if id.hasPrefix("resource:"), let resource = model.resolvedResource(String(id.dropFirst("resource:".count))) {
            return (resource.accountKey, style.node(id: id, resource: resource, faded: faded))
        }
        if id.hasPrefix("user:"), let user = model.user(String(id.dropFirst("user:".count))) {
            return (user.accountKey, style.node(id: id, kind: .resource(.iamUser), name: user.name, detail: "user\(user.path)\(user.name)", faded: faded, tooltip: user.arn))
        }
        return nil
    }

    private func titleLines(_ style: DiagramStyle) -> [[DOTRun]] {
        style.title(option.title, subtitle: "Policy lives in " + option.policyLives)
    }

    /// The title and the list of steps; rows up to `through` in full colour, the current one marked, the rest faded.
    /// The text is the same in every frame so that the layout does not move.
    private func stepTable(_ steps: [StepAnnotation], through: Int, heading withHeading: Bool = true) -> DOTTable {
        // A slide's frames leave where the policy lives to the option's overview slide: the height goes to the drawing.
        let heading = theme.aspectRatio == nil ? titleLines(DiagramStyle(theme: theme)) : DiagramStyle(theme: theme).title(option.title, subtitle: nil)
        var rows: [[DOTTable.Cell]] = withHeading ? [[DOTTable.Cell(heading)]] : []
        for annotation in steps {
            let on = annotation.number <= through
            let current = annotation.number == through
            let color = on ? (annotation.denied ? theme.denied : theme.text) : theme.fadedText
            // On a slide the edge already says what decided: the list keeps to the verdict.
            let verdict = annotation.denied ? "✗ " + (theme.aspectRatio == nil ? annotation.reasonLine : CauseWordingVerdict.of(annotation)) : "✓ allowed"
            let target = Diagrams.targetName(annotation.step, model: model)
            let caller = callerName(annotation.step.caller)
            // The marker is in every row, drawn in the background colour except on the current step: same widths.
            let size = theme.stepListSize ?? theme.fontSize
            rows.append([DOTTable.Cell([[
                DOTRun("▶ ", size: size, color: current ? theme.lambda : theme.background),
                DOTRun(Diagrams.badge(annotation.number) + " ", size: size + 3, color: on ? (annotation.denied ? theme.denied : theme.lambda) : theme.fadedText),
                // On a slide the drawing shows who calls (the edge's tail); the list keeps to what is called on what.
                DOTRun((theme.aspectRatio == nil ? "\(caller) → " : "") + "\(annotation.step.action) → \(target)" + (theme.aspectRatio == nil ? "   " : "  "), size: size, color: color),
                DOTRun(verdict, size: size, color: on ? (annotation.denied ? theme.denied : theme.allowed) : theme.fadedText),
            ]])])
        }
        // Above a slide's drawing, four steps or more may take two columns: the height goes to the drawing.
        if withHeading && legend == .above && twoColumns {
            let list = rows.dropFirst().map { $0[0] }
            let half = (list.count + 1) / 2
            var paired: [[DOTTable.Cell]] = []
            for index in 0..<half {
                var left = list[index]
                if !left.runs.isEmpty { left.runs[left.runs.count - 1].append(DOTRun("  ", size: theme.stepListSize ?? theme.fontSize)) }
                paired.append([left, index + half < list.count ? list[index + half] : DOTTable.Cell([[DOTRun(" ", size: theme.stepListSize ?? theme.fontSize)]])])
            }
            var heading = rows[0][0]
            heading.columnSpan = 2
            rows = [[heading]] + paired
        }
        return DOTTable(rows: rows, cellPadding: 2, cellSpacing: 0)
    }

    /// "implicit deny", "explicit deny": the first line of the step's reason (`CauseWording.verdict`).
    private enum CauseWordingVerdict {
        static func of(_ annotation: StepAnnotation) -> String {
            (annotation.reason ?? "denied").split(separator: "\n").first.map(String.init) ?? "denied"
        }
    }

    private func callerName(_ caller: Step.Caller) -> String {
        switch caller {
        case .function(let key): model.function(key)?.name ?? key
        case .role(let key): model.role(key)?.name ?? key
        case .service(let key): model.resource(key)?.resourceKind.servicePrincipal ?? key
        case .user(let key): model.user(key)?.name ?? key
        }
    }
}
