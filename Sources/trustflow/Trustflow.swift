import ArgumentParser

@main
struct Trustflow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trustflow",
        abstract: "One model of AWS accounts, roles, policies and a call flow → diagrams, a guide, runnable snippets, and a proof of every step.",
        discussion: """
            Content lives in a folder (default: content/) holding model.yml and, optionally, guide/*.md.
            Exit codes: 0 success, 1 a check failed, 2 the content or the arguments cannot be used.
            """,
        version: TrustflowVersion.current,
        subcommands: [Build.self, Check.self, Explain.self, Simulate.self]
    )
}

enum TrustflowVersion {
    static let current = "0.1.0"
}
