public import Policy

/// The engine's verdict on one step of an option: what was asked, what AWS would decide, and why.
public struct StepProof: Sendable, Hashable {
    public var optionID: String
    /// 1-based position of the step in its option.
    public var index: Int
    public var step: Step
    /// The full ARN of the caller (a function's execution-role session, or an assumed-role session).
    public var callerARN: String
    public var action: String
    /// The full ARN of the resource (a role, a table, a table's index, or `*`-style for ListTables).
    public var resourceARN: String
    public var decision: Decision
    public var expected: Expectation
    /// Every statement that matched, allow and deny, in evaluation order.
    public var matched: [MatchedStatement]
    /// AWS's denial message when denied (`User: … is not authorized to perform: …`), else `nil`.
    public var message: String?
    /// When denied: the piece of the content that denies it, in words ("the trust policy of DynamoDBAccessRole
    /// (content/model.yml:30:5) does not allow …"). Set by the prover.
    public var blame: String?

    public init(
        optionID: String, index: Int, step: Step, callerARN: String, action: String, resourceARN: String,
        decision: Decision, expected: Expectation, matched: [MatchedStatement], message: String?
    ) {
        self.optionID = optionID
        self.index = index
        self.step = step
        self.callerARN = callerARN
        self.action = action
        self.resourceARN = resourceARN
        self.decision = decision
        self.expected = expected
        self.matched = matched
        self.message = message
    }

    /// Whether the decision is the one the step expects.
    public var ok: Bool { decision.rawValue == expected.rawValue }
}

public struct OptionProof: Sendable, Hashable {
    public var id: String
    public var steps: [StepProof]

    public init(id: String, steps: [StepProof]) {
        self.id = id
        self.steps = steps
    }

    public var ok: Bool { steps.allSatisfy(\.ok) }
}

/// `trustflow check`'s result for a whole model: every step of every option, and the validation findings.
public struct ModelProof: Sendable, Hashable {
    public var options: [OptionProof]
    public var findings: [Diagnostic]

    public init(options: [OptionProof], findings: [Diagnostic]) {
        self.options = options
        self.findings = findings
    }

    public var ok: Bool { options.allSatisfy(\.ok) && !findings.contains { $0.severity == .error } }
    public func option(_ id: String) -> OptionProof? { options.first { $0.id == id } }
}
