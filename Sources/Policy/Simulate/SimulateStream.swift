import Source

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

        var out = ByteWriter(capacity: chunkSize + 4096)
        let articles = PolicySlot.allCases.map { Array($0.withArticle.utf8) }
        let wordings = PolicySlot.allCases.map { Array($0.wording.utf8) }

        let total = request.actionNames.count * request.resourceARNs.count
        out.append(total == 0 ? "{\n  \"EvaluationResults\": []" : "{\n  \"EvaluationResults\": [\n")
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
                out.append("    {\n      \"EvalActionName\": ")
                out.append(actionQuoted)
                out.append(",\n      \"EvalResourceName\": ")
                out.append(resources[index])
                switch reason {
                case nil: out.append(",\n      \"EvalDecision\": \"allowed\",\n      \"MatchedStatements\": ")
                case .explicitDeny?: out.append(",\n      \"EvalDecision\": \"explicitDeny\",\n      \"MatchedStatements\": ")
                case .noAllow?: out.append(",\n      \"EvalDecision\": \"implicitDeny\",\n      \"MatchedStatements\": ")
                }
                if matched.isEmpty {
                    out.append("[]")
                } else {
                    out.append("[\n")
                    for (offset, statement) in matched.enumerated() {
                        if offset > 0 { out.append(",\n") }
                        out.append(fragments[statement])
                    }
                    out.append("\n      ]")
                }
                out.append(",\n      \"MissingContextValues\": ")
                if missing.isEmpty {
                    out.append("[]")
                } else {
                    out.append("[\n")
                    for (offset, key) in missing.enumerated() {
                        if offset > 0 { out.append(",\n") }
                        out.append("        ")
                        out.append(Array(JSONWriter.quote(key).utf8))
                    }
                    out.append("\n      ]")
                }
                if let reason {
                    // "User: <caller> is not authorized to perform: <action> on resource: <resource> …", as Evaluation.message.
                    out.append(",\n      \"DenialMessage\": \"User: ")
                    out.append(caller)
                    out.append(" is not authorized to perform: ")
                    out.append(actionBody)
                    out.append(" on resource: ")
                    out.append(resourceBodies[index])
                    switch reason {
                    case .explicitDeny(let slot):
                        out.append(" with an explicit deny in ")
                        out.append(articles[slot.rawValue])
                    case .noAllow(let slot):
                        out.append(" because no ")
                        out.append(wordings[slot.rawValue])
                        out.append(" allows the ")
                        out.append(actionBody)
                        out.append(" action")
                    }
                    out.append("\"")
                }
                written += 1
                out.append(written == total ? "\n    }\n" : "\n    },\n")
                if out.count >= chunkSize { out.flush(sink) }
            }
        }
        out.append(total == 0 ? "\n}\n" : "  ]\n}\n")
        out.flush(sink)
    }

    /// The output buffer: memory the writer owns (no array bounds, growth or exclusivity checks per append), filled
    /// by `memcpy` and handed to the sink when a chunk is full.
    struct ByteWriter: ~Copyable {
        private var base: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        private(set) var count = 0

        init(capacity: Int) {
            self.capacity = capacity
            base = .allocate(capacity: capacity)
        }

        deinit { base.deallocate() }

        @inline(__always) mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { append(UnsafeRawBufferPointer($0)) }
        }

        @inline(__always) mutating func append(_ more: [UInt8]) {
            more.withUnsafeBytes { append($0) }
        }

        @inline(__always) mutating func append(_ raw: UnsafeRawBufferPointer) {
            let length = raw.count
            guard length > 0 else { return }
            if count + length > capacity {
                let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: max(capacity * 2, count + length))
                grown.update(from: base, count: count)
                base.deallocate()
                base = grown
                capacity = max(capacity * 2, count + length)
            }
            UnsafeMutableRawPointer(base + count).copyMemory(from: raw.baseAddress!, byteCount: length)
            count += length
        }

        /// Hands what was written to `sink` and starts over.
        mutating func flush(_ sink: (UnsafeBufferPointer<UInt8>) -> Void) {
            sink(UnsafeBufferPointer(start: base, count: count))
            count = 0
        }
    }

    /// The JSON string body of `text`: escaped, without the quotes.
    static func body(_ text: String) -> [UInt8] {
        Array(JSONWriter.quote(text).utf8.dropFirst().dropLast())
    }
}
