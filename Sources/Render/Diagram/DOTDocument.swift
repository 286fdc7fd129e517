/// An intermediate DOT document: what a diagram says, before it becomes DOT text.
///
/// Renderers build these values; only `DOTWriter` turns them into text, so every piece of model text passes
/// through its one escaping function and can never become DOT syntax.
public struct DOTGraph: Sendable, Hashable {
    /// The graph's name; also the name Graphviz writes into the SVG's `<title>` of the drawing group.
    public var name: String
    public var attributes: DOTAttributes
    /// Defaults for every node (`node [...]`) and edge (`edge [...]`).
    public var nodeDefaults: DOTAttributes
    public var edgeDefaults: DOTAttributes
    public var clusters: [DOTCluster]
    public var nodes: [DOTNode]
    public var edges: [DOTEdge]
    /// Groups of node ids laid out in one rank (`{ rank="same"; … }`; across clusters with `newrank`).
    public var sameRank: [[String]] = []

    public init(
        name: String, attributes: DOTAttributes = [:], nodeDefaults: DOTAttributes = [:], edgeDefaults: DOTAttributes = [:],
        clusters: [DOTCluster] = [], nodes: [DOTNode] = [], edges: [DOTEdge] = []
    ) {
        self.name = name
        self.attributes = attributes
        self.nodeDefaults = nodeDefaults
        self.edgeDefaults = edgeDefaults
        self.clusters = clusters
        self.nodes = nodes
        self.edges = edges
    }

    /// Every node of the graph, its clusters' included, in document order.
    public var allNodes: [DOTNode] { clusters.flatMap(\.allNodes) + nodes }
}

/// A `subgraph cluster_…`: drawn as a box around its nodes (an AWS account).
public struct DOTCluster: Sendable, Hashable {
    /// Without the `cluster_` prefix, which the writer adds (Graphviz only boxes subgraphs named so).
    public var id: String
    public var attributes: DOTAttributes
    public var nodes: [DOTNode]
    public var clusters: [DOTCluster]

    public init(id: String, attributes: DOTAttributes = [:], nodes: [DOTNode] = [], clusters: [DOTCluster] = []) {
        self.id = id
        self.attributes = attributes
        self.nodes = nodes
        self.clusters = clusters
    }

    public var allNodes: [DOTNode] { clusters.flatMap(\.allNodes) + nodes }
}

public struct DOTNode: Sendable, Hashable {
    public var id: String
    public var attributes: DOTAttributes

    public init(id: String, attributes: DOTAttributes = [:]) {
        self.id = id
        self.attributes = attributes
    }
}

public struct DOTEdge: Sendable, Hashable {
    public var from: String
    public var to: String
    public var attributes: DOTAttributes

    public init(from: String, to: String, attributes: DOTAttributes = [:]) {
        self.from = from
        self.to = to
        self.attributes = attributes
    }
}

/// Attributes in the order they were set (so the DOT text is stable), one value per key.
public struct DOTAttributes: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(key: String, value: DOTValue)]

    public init(dictionaryLiteral elements: (String, DOTValue)...) {
        entries = []
        for (key, value) in elements { self[key] = value }
    }

    public subscript(key: String) -> DOTValue? {
        get { entries.first { $0.key == key }?.value }
        set {
            if let index = entries.firstIndex(where: { $0.key == key }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append((key, newValue))
            }
        }
    }

    /// `self` with `other`'s values added or replacing.
    public func merging(_ other: DOTAttributes) -> DOTAttributes {
        var result = self
        for (key, value) in other.entries { result[key] = value }
        return result
    }

    public var isEmpty: Bool { entries.isEmpty }

    public static func == (lhs: DOTAttributes, rhs: DOTAttributes) -> Bool {
        lhs.entries.elementsEqual(rhs.entries) { $0.key == $1.key && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for (key, value) in entries {
            hasher.combine(key)
            hasher.combine(value)
        }
    }
}

/// An attribute value: plain text (written as a quoted DOT string), or a rich label (written as an HTML-like label).
public enum DOTValue: Sendable, Hashable, ExpressibleByStringLiteral {
    case text(String)
    case label(DOTLabel)

    public init(stringLiteral value: String) { self = .text(value) }

    public static func number(_ value: Double) -> DOTValue {
        .text(value == value.rounded() ? String(Int(value)) : String(value))
    }
}

/// A rich label: lines of styled runs, or a table (legends). Every string in it is literal text.
public indirect enum DOTLabel: Sendable, Hashable {
    /// Lines stacked vertically, centred; each line is a sequence of runs.
    case lines([[DOTRun]])
    /// A borderless table of rows of cells, for legends and step lists.
    case table(DOTTable)
}

/// A piece of text with one style.
public struct DOTRun: Sendable, Hashable {
    public var text: String
    public var size: Double?
    public var color: String?
    public var bold: Bool
    public var italic: Bool

    public init(_ text: String, size: Double? = nil, color: String? = nil, bold: Bool = false, italic: Bool = false) {
        self.text = text
        self.size = size
        self.color = color
        self.bold = bold
        self.italic = italic
    }
}

public struct DOTTable: Sendable, Hashable {
    public struct Cell: Sendable, Hashable {
        public var runs: [[DOTRun]]
        public var background: String?
        public var align: String
        /// A fixed width in points (keeps a cell from resizing when its colour changes between frames).
        public var width: Int?
        /// How many columns the cell spans (a heading over a two-column list).
        public var columnSpan = 1

        public init(_ runs: [[DOTRun]], background: String? = nil, align: String = "LEFT", width: Int? = nil) {
            self.runs = runs
            self.background = background
            self.align = align
            self.width = width
        }
    }

    public var rows: [[Cell]]
    public var cellPadding: Int
    public var cellSpacing: Int

    public init(rows: [[Cell]], cellPadding: Int = 4, cellSpacing: Int = 2) {
        self.rows = rows
        self.cellPadding = cellPadding
        self.cellSpacing = cellSpacing
    }
}
