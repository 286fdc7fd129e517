internal import Model

/// The building blocks every diagram shares: graph defaults, account clusters and service nodes, in one theme.
struct DiagramStyle {
    var theme: Theme

    /// What a node is: a resource of one of the model's kinds (drawn as its `ResourceKind.look` says), or STS.
    enum Kind {
        case resource(ResourceKind)
        case sts
    }

    // MARK: Graph

    func graph(name: String, label: DOTValue?, rankdir: String = "LR") -> DOTGraph {
        var attributes: DOTAttributes = [
            "rankdir": .text(rankdir),
            "bgcolor": .text(theme.background),
            "fontname": .text(theme.fontName),
            "fontsize": .number(theme.fontSize),
            "fontcolor": .text(theme.text),
            "pad": .number(theme.pad),
            "nodesep": .number(theme.nodeSeparation),
            "ranksep": .number(theme.rankSeparation),
            "newrank": "true",
            "labelloc": "t",
            "labeljust": "l",
        ]
        if let label { attributes["label"] = label }
        return DOTGraph(
            name: name, attributes: attributes,
            nodeDefaults: [
                "fontname": .text(theme.fontName), "fontsize": .number(theme.fontSize), "fontcolor": .text(theme.text),
                "penwidth": .number(theme.penWidth), "margin": "0.22,0.1",
            ],
            edgeDefaults: [
                "fontname": .text(theme.fontName), "fontsize": .number(theme.edgeSize), "fontcolor": .text(theme.text),
                "penwidth": .number(theme.edgePenWidth), "arrowsize": "1.1", "color": .text(theme.text),
            ]
        )
    }

    /// A left-aligned block for a graph label.
    func block(_ lines: [[DOTRun]]) -> DOTValue {
        .label(.table(DOTTable(rows: [[DOTTable.Cell(lines)]], cellPadding: 2, cellSpacing: 0)))
    }

    /// Title and subtitle lines for a graph label.
    func title(_ title: String, subtitle: String?) -> [[DOTRun]] {
        var lines = Self.wrap(title, width: theme.titleLineLength).map { [DOTRun($0, size: theme.titleSize, color: theme.text, bold: true)] }
        if let subtitle {
            lines += Self.wrap(subtitle, width: theme.titleLineLength.map { $0 * 2 }).map { [DOTRun($0, size: theme.fontSize, color: theme.mutedText)] }
        }
        lines.append([DOTRun(" ", size: theme.fontSize / 2)])
        return lines
    }

    /// `text` in lines of at most `width` characters, broken between words (a longer word keeps its own line);
    /// `nil`: one line.
    static func wrap(_ text: String, width: Int?) -> [String] {
        guard let width, text.count > width else { return [text] }
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if line.isEmpty {
                line = String(word)
            } else if line.count + 1 + word.count <= width {
                line += " " + word
            } else {
                lines.append(line)
                line = String(word)
            }
        }
        lines.append(line)
        return lines
    }

    // MARK: Clusters

    /// `labelAtBottom`: for clusters that edges enter from above, so that no edge crosses the account's name.
    func accountCluster(_ account: Account, index: Int, nodes: [DOTNode], labelAtBottom: Bool = false) -> DOTCluster {
        DOTCluster(
            id: "account_" + account.key,
            attributes: [
                "label": block(clusterLabel(account)),
                "style": "rounded,filled",
                "fillcolor": .text(theme.accountFill(index)),
                "color": .text(theme.accountBorder),
                "penwidth": "1.5",
                "labeljust": "l",
                "labelloc": labelAtBottom ? "b" : "t",
                "margin": .number(theme.clusterMargin),
            ],
            nodes: nodes
        )
    }

    /// The account's name, then its key, id and organization (which decides aws:PrincipalOrgID conditions); on one
    /// line where height is scarcer than width (a slide may choose it).
    func clusterLabel(_ account: Account) -> [[DOTRun]] {
        let name = DOTRun(account.name, size: theme.clusterSize, color: theme.text, bold: true)
        let details = "Account \(account.key) · \(account.id)" + (account.organization.map { " · organization \($0)" } ?? "")
        if theme.clusterLabelOneLine { return [[name, DOTRun("   " + details, size: theme.detailSize, color: theme.mutedText)]] }
        return [[name], [DOTRun(details, size: theme.detailSize + 1, color: theme.mutedText)]]
    }

    // MARK: Nodes

    /// A service node: a caption saying what it is, its name, and a detail line (an ARN or its account).
    func node(id: String, kind: Kind, name: String, detail: String?, faded: Bool = false, tooltip: String? = nil) -> DOTNode {
        let fill: String, border: String, textColor: String, captionColor: String
        var attributes: DOTAttributes = [:]
        let caption: String
        switch kind {
        case .resource(let resource):
            (fill, border, textColor, captionColor) = colors(resource.look.palette)
            caption = resource.look.caption
            attributes["shape"] = .text(resource.look.shape)
            attributes["style"] = .text(resource.look.style)
        case .sts:
            (fill, border, textColor, captionColor) = (theme.iam, theme.iam, theme.onService, theme.onService)
            caption = "AWS STS"
            attributes["shape"] = "ellipse"
            attributes["style"] = "filled"
        }
        let colors = faded ? (theme.fadedFill, theme.faded, theme.fadedText, theme.fadedText) : (fill, border, textColor, captionColor)
        attributes["fillcolor"] = .text(colors.0)
        attributes["color"] = .text(colors.1)
        var lines: [[DOTRun]] = [
            [DOTRun(caption, size: theme.detailSize, color: colors.3, bold: true)],
            [DOTRun(name, size: theme.nameSize, color: colors.2, bold: true)],
        ]
        if let detail, theme.nodeDetails { lines.append([DOTRun(detail, size: theme.detailSize, color: colors.2)]) }
        attributes["label"] = .label(.lines(lines))
        if let tooltip { attributes["tooltip"] = .text(tooltip) }
        return DOTNode(id: id, attributes: attributes)
    }

    /// Fill, border, name and caption colours of a kind's palette slot in this theme.
    func colors(_ palette: ResourceKind.Palette) -> (String, String, String, String) {
        switch palette {
        case .compute: (theme.lambda, theme.lambda, theme.onService, theme.onService)
        case .iam: (theme.roleFill, theme.iam, theme.text, theme.iam)
        case .dynamoDB: (theme.dynamoDB, theme.dynamoDB, theme.onService, theme.onService)
        case .dynamoDBIndex:
            (theme.dynamoDBIndex, theme.dynamoDB, theme.name == .dark ? theme.text : "#16191F", theme.name == .dark ? theme.text : theme.dynamoDB)
        case .storage: (theme.storage, theme.storage, theme.onService, theme.onService)
        case .security: (theme.iam, theme.iam, theme.onService, theme.onService)
        case .integration: (theme.integration, theme.integration, theme.onService, theme.onService)
        }
    }

    /// A node for a resource of `resources:` (or a function invoked, or an AWS managed key): drawn as its kind says,
    /// named by its name (a key by its alias when it has one), its ARN's resource part as detail.
    func node(id: String, resource: Resource, detail: String? = nil, faded: Bool = false) -> DOTNode {
        let kind = resource.resourceKind
        let arnDetail = ARNText.resourcePart(resource.arn)
        return node(
            id: id, kind: .resource(kind), name: resource.alias ?? resource.name,
            detail: detail ?? (resource.alias != nil ? "key/\(resource.name)" : arnDetail), faded: faded, tooltip: resource.arn)
    }

    // MARK: Edges

    /// A structural edge ("runs as", "index of"): thin, dashed, unnumbered, not part of the flow's ranking.
    func structural(from: String, to: String, label: String, faded: Bool = false) -> DOTEdge {
        let color = faded ? theme.faded : theme.structure
        return DOTEdge(from: from, to: to, attributes: [
            // xlabel, not label: Graphviz 2.43 frees memory it does not own in gvFreeLayout when a labelled edge has
            // constraint=false (seen as "malloc_consolidate(): invalid chunk size" on a valid model, and as invalid
            // frees under valgrind); an external label is placed after layout and avoids that code.
            "xlabel": .label(.lines([[DOTRun(label, size: theme.detailSize, color: faded ? theme.fadedText : theme.mutedText, italic: true)]])),
            "style": "dashed", "color": .text(color), "penwidth": .number(theme.edgePenWidth * 0.6),
            "arrowhead": "none", "constraint": "false",
        ])
    }

    /// A numbered step edge: badge and action, then where the permission lives, or the reason of the denial.
    func step(
        from: String, to: String, annotation: StepAnnotation, action: String, details: [String], color: String? = nil,
        faded: Bool = false, current: Bool = false
    ) -> DOTEdge {
        let base = annotation.denied ? theme.denied : (color ?? theme.text)
        let lineColor = faded ? theme.faded : base
        let textColor = faded ? theme.fadedText : (annotation.denied ? theme.denied : theme.text)
        let mutedColor = faded ? theme.fadedText : theme.mutedText
        var lines: [[DOTRun]] = [[
            DOTRun(Diagrams.badge(annotation.number) + " ", size: theme.edgeSize + 5, color: faded ? theme.fadedText : base),
            DOTRun(action, size: theme.edgeSize, color: textColor, bold: true),
        ]]
        for detail in details {
            var parts = detail.split(separator: "\n", omittingEmptySubsequences: false)
            // A slide names the policy; the statement's Sid is in the speaker notes.
            if !theme.showsSid { parts = Array(parts.prefix(1)) }
            if !theme.detailOnOwnLine {
                for line in Self.wrap(parts.joined(separator: " · "), width: theme.labelLineLength) {
                    lines.append([DOTRun(line, size: theme.detailSize, color: mutedColor)])
                }
                continue
            }
            for (position, part) in parts.enumerated() {
                lines.append([DOTRun((position == 0 ? "" : "   ") + part, size: theme.detailSize, color: mutedColor)])
            }
        }
        if annotation.denied {
            let reason = (annotation.reason ?? "denied").split(separator: "\n", omittingEmptySubsequences: false)
                .flatMap { Self.wrap(String($0), width: theme.labelLineLength) }
            for (position, part) in reason.enumerated() {
                lines.append([DOTRun((position == 0 ? "✗ " : "") + part, size: theme.detailSize, color: faded ? theme.fadedText : theme.denied, bold: position == 0)])
            }
        }
        var attributes: DOTAttributes = [
            // A padded, left-aligned block: the padding keeps neighbouring edges from grazing the text.
            "label": .label(.table(DOTTable(rows: [[DOTTable.Cell(lines)]], cellPadding: 5, cellSpacing: 0))),
            "color": .text(lineColor),
            "penwidth": .number(theme.edgePenWidth),
        ]
        if annotation.denied {
            attributes["style"] = "dashed"
            attributes["arrowhead"] = "tee"
        }
        attributes["tooltip"] = .text(annotation.message ?? "Step \(annotation.number): \(annotation.step.action)")
        return DOTEdge(from: from, to: to, attributes: attributes)
    }
}

/// Node ids shared by the diagrams (stable: derived from model keys).
enum NodeID {
    static func function(_ key: String) -> String { "function:" + key }
    static func role(_ key: String) -> String { "role:" + key }
    static func table(_ key: String) -> String { "table:" + key }
    static func index(_ table: String, _ index: String) -> String { "index:" + table + "/" + index }
    static func resource(_ key: String) -> String { "resource:" + key }
    static func user(_ key: String) -> String { "user:" + key }
    static let sts = "service:sts"

    static func caller(_ caller: Step.Caller) -> String {
        switch caller {
        case .function(let key): function(key)
        case .role(let key): role(key)
        case .service(let key): resource(key)
        case .user(let key): user(key)
        }
    }

    /// A function invoked is drawn as the function it is (one node, whether it calls or is called).
    static func target(_ step: Step, in model: Model) -> String {
        switch step.target {
        case .role(let key): role(key)
        case .table(let key): step.index.map { index(key, $0) } ?? table(key)
        case .resource(let key): model.function(key) != nil ? function(key) : resource(key)
        }
    }
}

/// The part of an ARN after its account (`key/1234…`, `reports`, `secret:db-AbC123`); a bucket's, its name.
enum ARNText {
    static func resourcePart(_ arn: String) -> String {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        return parts.count == 6 ? String(parts[5]) : arn
    }
}

extension Step {
    /// `GetItem`-style short action for tight labels.
    var shortAction: String { actionName }
}
