import AWSClient
import AWSMock
import Foundation
import Model

/// GetItem through the simulator on one core: the client signs, the simulator verifies the signature and session
/// token, authorizes and executes, the client decodes the answer. Figures only; nothing is asserted.
@Sendable func runSimulatorBench(_ arguments: [String]) async throws {
    let content = arguments.first ?? "content"
    let model = try ModelLoader.load(contentDirectory: content)
    // The real authorizer: every call includes one policy evaluation by the engine, as `trustflow check` does it.
    let authorizer: any Authorizer = ModelAuthorizer(model: model)
    let simulator = AWSSimulator(model: model, authorizer: authorizer, recordsRequests: false)
    guard let function = model.functions.first, let table = model.tables.first else {
        print("simulator: the content has no function or no table to call")
        return
    }
    var key: Item = [table.partitionKey: .s("c-1")]
    if let sort = table.sortKey { key[sort] = .s("o-1") }
    var item = key
    item["status"] = .s("SHIPPED")
    try simulator.put(item, inTable: table.key)

    // The function's own session calls the table by ARN: option 2 of the default content (the table policy in B and
    // the execution role's identity policy in A) allows it without AssumeRole. A denial throws and ends the bench.
    let configuration = try simulator.configuration(forFunction: function.key)
    let dynamoDB = DynamoDB(configuration: configuration)
    let tableARN = table.arn
    // A fixed number of calls and nothing else, for instruction counts (valgrind), which a noisy machine does not move.
    if let fixed = ProcessInfo.processInfo.environment["TRUSTFLOW_SIMULATOR_CALLS"].flatMap(Int.init) {
        try await Task.detached {
            for _ in 0..<fixed { _ = try await dynamoDB.getItem(table: tableARN, key: key) }
        }.value
        print("simulator: \(fixed) GetItem calls")
        return
    }
    // A detached task: the loop must not hop back to the main actor after every call.
    let (operations, elapsed, cpu) = try await Task.detached { () async throws -> (Int, Duration, Double) in
        let clock = ContinuousClock()
        for _ in 0..<2000 { _ = try await dynamoDB.getItem(table: tableARN, key: key) }  // warm up caches
        var operations = 0
        let cpuStart = processCPUSeconds()
        let start = clock.now
        var elapsed = Duration.zero
        repeat {
            for _ in 0..<500 { _ = try await dynamoDB.getItem(table: tableARN, key: key) }
            operations += 500
            elapsed = clock.now - start
        } while elapsed < .seconds(2)
        return (operations, elapsed, processCPUSeconds() - cpuStart)
    }.value
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let perCPUSecond = Double(operations) / cpu
    print(
        String(
            format:
                "simulator: %.0f GetItem/s wall clock, %.0f per CPU-second (%.1f µs CPU each; target >= 60,000 per CPU-second: %.2fx), one task: client signs, simulator verifies, authorizes, executes, client decodes; authorizer: %@",
            Double(operations) / seconds, perCPUSecond, cpu / Double(operations) * 1e6, perCPUSecond / 60_000, authorizer.name))
    let credentials = try await configuration.credentials.credentials()
    print(simulatorBreakdown(simulator: simulator, credentials: credentials, region: model.region, tableARN: table.arn, key: key))
    // The other services, on the example models (the default content has only STS and DynamoDB).
    try await runServiceBench(examples: arguments.dropFirst().first ?? "examples")
}

/// The two halves on their own, synchronously: the client's signing and the simulator's handling of a signed request.
func simulatorBreakdown(simulator: AWSSimulator, credentials: AWSCredentials, region: String, tableARN: String, key: Item) -> String {
    let body = Array(#"{"TableName":"\#(tableARN)","Key":{"customerId":{"S":"c-1"},"orderId":{"S":"o-1"}}}"#.utf8)
    let request = HTTPRequest(
        method: "POST", url: AWSSimulator.endpoint,
        headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "DynamoDB_20120810.GetItem"), ("Content-Length", String(body.count))],
        body: body)
    let signer = SigV4Signer(credentials: credentials, region: region, service: "dynamodb")
    let sign = cpuMeasure { _ = signer.sign(request, at: Date()) }
    let signed = signer.sign(request, at: Date())
    let handle = cpuMeasure { _ = simulator.handle(signed) }
    // The same request through a simulator that allows everything: what the authorization itself costs.
    let open = AWSSimulator(model: simulator.model, authorizer: AllowAllAuthorizer(), recordsRequests: false)
    var openSigned = signed
    if let credentials = try? open.credentials(forFunction: simulator.model.functions.first?.key ?? "") {
        for table in simulator.model.tables { try? open.put(simulator.items(inTable: table.key).first ?? [:], inTable: table.key) }
        openSigned = SigV4Signer(credentials: credentials, region: region, service: "dynamodb").sign(request, at: Date())
    }
    let unauthorized = cpuMeasure { _ = open.handle(openSigned) }
    // Where the handling goes: a request without Authorization is answered after the fixed work (routing, request
    // id, the error document); one with an unknown key after parsing the signature's parts; one with a wrong
    // signature after verifying it.
    var anonymous = signed
    anonymous.headers.removeAll { $0.name == "Authorization" }
    var unknownKey = signed
    unknownKey.headers = signed.headers.map {
        $0.name == "Authorization" ? (name: $0.name, value: $0.value.replacingOccurrences(of: credentials.accessKeyID, with: "ASIAUNKNOWNUNKNOWN00")) : $0
    }
    var badSignature = signed
    badSignature.headers = signed.headers.map { $0.name == "Authorization" ? (name: $0.name, value: String($0.value.dropLast(4)) + "0000") : $0 }
    let fixed = cpuMeasure { _ = simulator.handle(anonymous) }
    let lookup = cpuMeasure { _ = simulator.handle(unknownKey) }
    let verify = cpuMeasure { _ = simulator.handle(badSignature) }
    print(
        String(
            format: "simulator: handling answered early (CPU time): without Authorization %.1f µs, at an unknown key %.1f µs, at a wrong signature %.1f µs",
            fixed.nanosecondsPerOp / 1000, lookup.nanosecondsPerOp / 1000, verify.nanosecondsPerOp / 1000))
    return String(
        format: "simulator: breakdown (CPU time): sign %.1f µs, simulator handle (verify, authorize, execute) %.1f µs, of which authorization %.1f µs",
        sign.nanosecondsPerOp / 1000, handle.nanosecondsPerOp / 1000, (handle.nanosecondsPerOp - unauthorized.nanosecondsPerOp) / 1000)
}

/// CPU nanoseconds per run of `body`, over about a second of wall clock (the machines are shared).
func cpuMeasure(_ body: () -> Void) -> (perSecond: Double, nanosecondsPerOp: Double) {
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = processCPUSeconds()
    var operations = 0
    repeat {
        for _ in 0..<200 { body() }
        operations += 200
    } while clock.now - start < .seconds(1)
    let cpu = processCPUSeconds() - cpuStart
    return (Double(operations) / cpu, cpu / Double(operations) * 1e9)
}

/// User + system CPU time of the process: on a shared machine the wall clock also counts other processes' turns.
func processCPUSeconds() -> Double {
    var usage = rusage()
    #if os(Linux)
        getrusage(RUSAGE_SELF.rawValue, &usage)
    #else
        getrusage(RUSAGE_SELF, &usage)
    #endif
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6 + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}
