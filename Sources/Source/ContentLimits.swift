/// The most content Trustflow reads: the one place every limit lives (README, "Limits", lists them).
///
/// Guide repositories take pull requests, and CI runs `trustflow check` on content strangers wrote, so every
/// reader checks these bounds *before* the work they protect: a file is not read past its limit, a string is not
/// kept past its limit, a tree stops growing at its value budget. Each limit is far above what a real
/// organisation writes (a thousand accounts, ten thousand roles) and far below what would hurt the machine.
/// Exceeding one is a located error (exit 2), never a crash, a hang or a silently cut model.
public struct ContentLimits: Sendable, Hashable {
    /// `model.yml`, in bytes.
    public var modelFileBytes = 16 << 20
    /// One policy document: a policy file's bytes, or an inline policy's JSON without whitespace. AWS's own
    /// limits (2,048 to 20,480 characters by kind) are far lower; exceeding those is a finding (TF-ERR-006).
    public var policyDocumentBytes = 2 << 20
    /// Everything read for one model: `model.yml` plus every policy file, counted each time the model names it.
    public var totalBytes = 64 << 20
    /// Values (scalars, lists and mappings) in all the documents of one model together, or in one other input
    /// (a `simulate` request).
    public var values = 2_000_000
    /// Values that YAML aliases (`*name`) may add to `model.yml` in all: each alias costs the values its anchor holds.
    /// Enough to reuse a trust policy across a few thousand roles; a policy shared more widely belongs in a file.
    public var aliasValues = 100_000
    /// How deeply lists and mappings may nest (a policy needs 7 levels, the model around it 5).
    public var depth = 64
    /// One string (a scalar or a key), in UTF-8 bytes.
    public var stringBytes = 16 << 10
    public var accounts = 2_000
    public var roles = 20_000
    public var functions = 20_000
    public var tables = 20_000
    public var options = 1_000
    /// Steps of all the options together.
    public var steps = 10_000
    /// Pages of the guide (`guide/*.md`), and the size of one.
    public var guidePages = 200
    public var guidePageBytes = 1 << 20
    /// Diagrams one `build` draws: an overview, and an architecture, a flow and a frame per step of each option (each
    /// is held in four formats, about 350 KB, until the output is swapped in). `check` has no such limit.
    public var diagrams = 500
    /// Errors reported before reading stops (as compilers stop): the first ones say what to fix.
    public var errors = 200

    public init() {}

    /// The limits Trustflow uses.
    public static let standard = ContentLimits()

    /// What one reader (YAML or JSON) may build from one document.
    public func reading(values: Int? = nil, stringBytes: Int? = nil) -> ReadLimits {
        ReadLimits(depth: depth, stringBytes: stringBytes ?? self.stringBytes, values: values ?? self.values, aliasValues: aliasValues, errors: errors)
    }

    /// `1,234,567`: limits are quoted in messages as the README writes them.
    public static func grouped(_ number: Int) -> String {
        let digits = String(number.magnitude)
        var out = ""
        for (position, digit) in digits.enumerated() {
            if position > 0 && (digits.count - position) % 3 == 0 { out.append(",") }
            out.append(digit)
        }
        return (number < 0 ? "-" : "") + out
    }

    /// `16 MiB`, `256 KiB`, `512 bytes`.
    public static func size(_ bytes: Int) -> String {
        if bytes >= 1 << 20 && bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10 && bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(grouped(bytes)) bytes"
    }
}

/// The bounds one reader works within for one document.
public struct ReadLimits: Sendable, Hashable {
    /// Deepest nesting of lists and mappings.
    public var depth: Int
    /// Longest string or key, in UTF-8 bytes.
    public var stringBytes: Int
    /// Most values (scalars, lists, mappings) the reader builds; reading stops at the first one past it.
    public var values: Int
    /// Most values YAML aliases may add (each alias costs the values its anchor holds).
    public var aliasValues: Int
    /// Most errors reported before reading stops.
    public var errors: Int

    public init(depth: Int, stringBytes: Int, values: Int, aliasValues: Int = ContentLimits.standard.aliasValues, errors: Int = ContentLimits.standard.errors) {
        self.depth = depth
        self.stringBytes = stringBytes
        self.values = values
        self.aliasValues = aliasValues
        self.errors = errors
    }

    /// For one JSON document read on its own (a test corpus, a request): strings may hold a whole policy, as AWS's
    /// APIs take them. The model's own files are read with `ContentLimits.reading()`, whose strings are shorter.
    public static let standard = ContentLimits.standard.reading(stringBytes: ContentLimits.standard.policyDocumentBytes)
}
