// `make bench` runs this in release mode; each area of Trustflow adds one file here with a `run…` function
// and one case below. It prints figures, never asserts them: the machines are noisy.
import Foundation

let arguments = Array(CommandLine.arguments.dropFirst())
guard let area = arguments.first else {
    print("usage: trustflow-bench <area> [options]   areas: \(Bench.areas.keys.sorted().joined(separator: ", "))")
    exit(2)
}
guard let run = Bench.areas[area] else {
    print("unknown area '\(area)'; areas: \(Bench.areas.keys.sorted().joined(separator: ", "))")
    exit(2)
}
try await run(Array(arguments.dropFirst()))
