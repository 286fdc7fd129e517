public import Source

/// Writes `simulate`'s `{"EvaluationResults": [...]}` as it evaluates, in chunks, byte for byte what
/// `JSONWriter.write(SimulateRequest.json(request.run()), pretty: true)` prints, without building a result list or a
/// JSON tree: the caller's context is derived once per resource, each statement's `MatchedStatements` entry is
/// written out once, and memory stays flat however many action × resource pairs there are.
public struct SimulateStream {
    /// The output is handed over in chunks of about this many bytes.
    public static let chunkSize = 1 << 16

    /// Evaluates `request` at `now` and hands the JSON text to `sink` chunk by chunk.
    public static func write(_ request: SimulateRequest, now: Double, to sink: (UnsafeBufferPointer<UInt8>) -> Void) {
        let compiled = CompiledPolicySet(request.policySet)
        var requests = request.resourceRequests(now: now)
        let fragments = compiled.statements.map { statement -> [UInt8] in
            let policy = compiled.policies[statement.policy]
            let text = """
                        {
                          "SourcePolicyId": \(JSONWriter.quote(policy.name)),
                          "SourcePolicyType": \(JSONWriter.quote(SimulateRequest.sourceType(policy.name))),
                          "StartPosition": {
                            "Line": \(statement.location.line),
                            "Column": \(statement.location.column)
                          }
                        }
                """
            return Array(text.utf8)
        }
        let caller = body(request.callerARN)
        let resources = request.resourceARNs.map { Array(JSONWriter.quote($0).utf8) }
        let resourceBodies = request.resourceARNs.map(body)

        var out: [UInt8] = []
        out.reserveCapacity(chunkSize + 4096)
        func flushIfFull() {
            if out.count >= chunkSize {
                out.withUnsafeBufferPointer(sink)
                out.removeAll(keepingCapacity: true)
            }
        }
        func append(_ text: StaticString) {
            text.withUTF8Buffer { out.append(contentsOf: $0) }
        }

        let total = request.actionNames.count * request.resourceARNs.count
        append(total == 0 ? "{\n  \"EvaluationResults\": []" : "{\n  \"EvaluationResults\": [\n")
        var matched: [Int] = []
        var missing: [String] = []
        var trace: [TraceEntry]? = nil
        var written = 0
        for action in request.actionNames {
            let assumes = ContextDerivation.isAssumeRole(action)
            let accountWide = ServiceCatalog.isAccountWide(action)
            let actionQuoted = Array(JSONWriter.quote(action).utf8)
            let actionBody = body(action)
            for index in request.resourceARNs.indices {
                matched.removeAll(keepingCapacity: true)
                missing.removeAll(keepingCapacity: true)
                let reason: DenialReason?
                if assumes {
                    requests.assumeRole[index].set(action: action, accountWide: accountWide)
                    reason = compiled.run(requests.assumeRole[index], matched: &matched, trace: &trace, missing: &missing, record: true, recordMissing: true)
                } else {
                    requests.plain[index].set(action: action, accountWide: accountWide)
                    reason = compiled.run(requests.plain[index], matched: &matched, trace: &trace, missing: &missing, record: true, recordMissing: true)
                }
                append("    {\n      \"EvalActionName\": ")
                out.append(contentsOf: actionQuoted)
                append(",\n      \"EvalResourceName\": ")
                out.append(contentsOf: resources[index])
                switch reason {
                case nil: append(",\n      \"EvalDecision\": \"allowed\",\n      \"MatchedStatements\": ")
                case .explicitDeny?: append(",\n      \"EvalDecision\": \"explicitDeny\",\n      \"MatchedStatements\": ")
                case .noAllow?: append(",\n      \"EvalDecision\": \"implicitDeny\",\n      \"MatchedStatements\": ")
                }
                if matched.isEmpty {
                    append("[]")
                } else {
                    append("[\n")
                    for (offset, statement) in matched.enumerated() {
                        if offset > 0 { append(",\n") }
                        out.append(contentsOf: fragments[statement])
                    }
                    append("\n      ]")
                }
                append(",\n      \"MissingContextValues\": ")
                if missing.isEmpty {
                    append("[]")
                } else {
                    append("[\n")
                    for (offset, key) in missing.enumerated() {
                        if offset > 0 { append(",\n") }
                        append("        ")
                        out.append(contentsOf: JSONWriter.quote(key).utf8)
                    }
                    append("\n      ]")
                }
                if let reason {
                    // "User: <caller> is not authorized to perform: <action> on resource: <resource> …", as Evaluation.message.
                    append(",\n      \"DenialMessage\": \"User: ")
                    out.append(contentsOf: caller)
                    append(" is not authorized to perform: ")
                    out.append(contentsOf: actionBody)
                    append(" on resource: ")
                    out.append(contentsOf: resourceBodies[index])
                    switch reason {
                    case .explicitDeny(let slot):
                        append(" with an explicit deny in ")
                        out.append(contentsOf: slot.withArticle.utf8)
                    case .noAllow(let slot):
                        append(" because no ")
                        out.append(contentsOf: slot.wording.utf8)
                        append(" allows the ")
                        out.append(contentsOf: actionBody)
                        append(" action")
                    }
                    append("\"")
                }
                written += 1
                append(written == total ? "\n    }\n" : "\n    },\n")
                flushIfFull()
            }
        }
        append(total == 0 ? "\n}\n" : "  ]\n}\n")
        out.withUnsafeBufferPointer(sink)
    }

    /// The JSON string body of `text`: escaped, without the quotes.
    static func body(_ text: String) -> [UInt8] {
        Array(JSONWriter.quote(text).utf8.dropFirst().dropLast())
    }
}
