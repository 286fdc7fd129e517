public import Model

/// How diagrams look: colours, font, sizes and canvas. Chosen by `theme:` in model.yml or `build --theme`.
public struct Theme: Sendable, Hashable {
    /// The themes Trustflow ships; the raw value is what `theme:` and `--theme` accept.
    public enum Name: String, Sendable, CaseIterable {
        case light
        case dark
        case slide
    }

    public var name: Name
    /// One family that exists on the machine (Debian's `fonts-dejavu-core`), set on graph, nodes and edges.
    public var fontName = "DejaVu Sans"
    public var background: String
    public var text: String
    /// Secondary text (ARNs, kinds, captions).
    public var mutedText: String
    /// Structural edges ("runs as", "index of") and outlines.
    public var structure: String
    /// Colours of elements that are not part of the current step of a step frame.
    public var faded: String
    public var fadedFill: String
    public var fadedText: String

    // Service colours people recognise from AWS's architecture icons.
    public var lambda = "#ED7100"
    public var dynamoDB = "#4053D6"
    public var dynamoDBIndex: String
    public var iam = "#DD344C"
    /// S3's green, and the pink of SQS, SNS and EventBridge.
    public var storage = "#7AA116"
    public var integration = "#E7157B"
    public var roleFill: String
    public var onService = "#FFFFFF"
    /// Denied steps.
    public var denied: String
    public var allowed: String
    /// Soft tints for account clusters, in account order (cycled), and their outlines.
    public var accountFills: [String]
    public var accountBorder: String
    /// One colour per option in the overview, in option order (cycled).
    public var optionColors: [String]

    // Sizes in points.
    public var fontSize: Double
    public var titleSize: Double
    public var nameSize: Double
    public var detailSize: Double
    public var edgeSize: Double
    public var clusterSize: Double
    public var penWidth: Double
    public var edgePenWidth: Double
    /// Shape of the canvas (width / height): 16/9 for slides, `nil` for the drawing's natural shape.
    public var aspectRatio: Double?
    public var nodeSeparation: Double
    public var rankSeparation: Double
    /// Titles longer than this many characters wrap onto more lines instead of widening (and so shrinking) the
    /// drawing; `nil`: one line.
    public var titleLineLength: Int? = nil
    /// Space around the drawing and inside account boxes, in inches and points.
    public var pad = 0.5
    public var clusterMargin = 18.0
    /// Whether a step label's detail (a policy's Sid) goes on a line of its own (narrow labels) or after its policy
    /// (`slide`: short labels, for a drawing whose height decides its scale on a 16:9 slide).
    public var detailOnOwnLine = true
    /// Step labels' detail and reason lines wrap at this many characters; `nil`: as long as they are.
    public var labelLineLength: Int? = nil
    /// Whether service nodes carry a detail line under their name (the ARN's resource part); slides leave it out.
    public var nodeDetails = true
    /// Whether an account box's name and details share one line (slides choose it when height is scarcer than width).
    public var clusterLabelOneLine = false
    /// Whether step labels name the deciding statement's Sid under its policy (slides: the policy only).
    public var showsSid = true
    /// The type size of a step frame's list of steps; `nil`: `fontSize`. Slides list steps as large as step labels.
    public var stepListSize: Double? = nil

    public static let light = Theme(
        name: .light, background: "#FFFFFF", text: "#16191F", mutedText: "#545B64", structure: "#879196",
        faded: "#D5DBDB", fadedFill: "#F4F6F6", fadedText: "#AAB7B8",
        dynamoDBIndex: "#C9D1FA", roleFill: "#FDECEF", denied: "#D13212", allowed: "#1D8102",
        accountFills: ["#FFF6EC", "#EEF1FD", "#EEF8EC", "#F7EEFB"], accountBorder: "#AAB7B8",
        optionColors: ["#0F7B6C", "#8A4BD1", "#C2185B", "#2E7D32", "#B8860B"],
        fontSize: 14, titleSize: 22, nameSize: 17, detailSize: 11.5, edgeSize: 13, clusterSize: 16,
        penWidth: 2, edgePenWidth: 2.2, aspectRatio: nil, nodeSeparation: 0.45, rankSeparation: 0.45
    )

    public static let dark = Theme(
        name: .dark, background: "#0F1419", text: "#F2F3F3", mutedText: "#AAB7B8", structure: "#7D8998",
        faded: "#3A4450", fadedFill: "#1B232C", fadedText: "#56616E",
        dynamoDBIndex: "#2A3580", roleFill: "#3B1820", denied: "#FF5D4A", allowed: "#5FD35F",
        accountFills: ["#2A2016", "#171D33", "#17261A", "#261A2E"], accountBorder: "#56616E",
        optionColors: ["#2EC4B6", "#B388FF", "#FF6FA5", "#8BC34A", "#FFD166"],
        fontSize: 14, titleSize: 22, nameSize: 17, detailSize: 11.5, edgeSize: 13, clusterSize: 16,
        penWidth: 2, edgePenWidth: 2.2, aspectRatio: nil, nodeSeparation: 0.45, rankSeparation: 0.45
    )

    /// Light colours, larger type and a 16:9 canvas: reads from the back of a room. Sized so that at 1920×1080 every
    /// label is at least 22 px, step labels 28 px and titles 44 px (`SlideMeasureTests` measures every frame); long
    /// titles wrap rather than widen the drawing.
    public static let slide: Theme = {
        var theme = Theme.light
        theme.name = .slide
        theme.fontSize = 26
        theme.titleSize = 50
        theme.nameSize = 30
        theme.detailSize = 24
        theme.edgeSize = 31
        theme.clusterSize = 30
        theme.penWidth = 3
        theme.edgePenWidth = 3.2
        theme.aspectRatio = 16.0 / 9.0
        theme.nodeSeparation = 0.4
        theme.rankSeparation = 0.12
        theme.titleLineLength = 52
        theme.pad = 0.05
        theme.clusterMargin = 10
        theme.detailOnOwnLine = false
        theme.stepListSize = 31
        theme.showsSid = false
        theme.nodeDetails = false
        theme.labelLineLength = 40
        return theme
    }()

    public static let `default` = Theme.light

    public static func named(_ name: Name) -> Theme {
        switch name {
        case .light: .light
        case .dark: .dark
        case .slide: .slide
        }
    }

    /// The theme for a name as written by a user; `nil` when there is no such theme.
    public static func named(_ name: String) -> Theme? { Name(rawValue: name).map(named) }

    /// The theme a build uses: the command line's, else the content's (`theme:`), else `light`.
    /// Unknown names throw `Theme.Unknown` listing the themes.
    public static func resolve(commandLine: String?, model: Model) throws(Unknown) -> Theme {
        guard let name = commandLine ?? model.theme else { return .default }
        guard let theme = named(name) else { throw Unknown(name: name) }
        return theme
    }

    public struct Unknown: Error, Sendable, CustomStringConvertible {
        public var name: String
        public var description: String {
            "unknown theme '\(name)'; themes: \(Name.allCases.map(\.rawValue).joined(separator: ", "))"
        }
    }

    func accountFill(_ index: Int) -> String { accountFills[index % accountFills.count] }
    func optionColor(_ index: Int) -> String { optionColors[index % optionColors.count] }
}
