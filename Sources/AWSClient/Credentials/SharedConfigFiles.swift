import Foundation

/// The shared `~/.aws/config` and `~/.aws/credentials` files, as the SDKs read them.
///
/// Paths come from `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else `$HOME/.aws/…`; a missing file is empty.
/// In the config file profiles are `[default]` and `[profile name]` (other sections, e.g. `[sso-session x]`, are
/// skipped); in the credentials file they are `[name]`. A key in the credentials file wins over the same key in the
/// config file. Nested settings (indented lines under `s3 =`) are skipped.
public struct SharedConfigFiles: Sendable, Hashable {
    /// Profile name → lowercased key → value.
    public var profiles: [String: [String: String]]
    /// Where they were read from, for messages.
    public var configPath: String?
    public var credentialsPath: String?

    public init(profiles: [String: [String: String]], configPath: String? = nil, credentialsPath: String? = nil) {
        self.profiles = profiles
        self.configPath = configPath
        self.credentialsPath = credentialsPath
    }

    /// The profile `AWS_PROFILE` names, else `default`.
    public static func profileName(_ environment: [String: String]) -> String {
        nonEmpty(environment["AWS_PROFILE"]) ?? nonEmpty(environment["AWS_DEFAULT_PROFILE"]) ?? "default"
    }

    /// Reads both files the environment points at. Unreadable existing files are an error; missing ones are empty.
    public static func load(_ environment: [String: String]) throws -> SharedConfigFiles {
        let home = nonEmpty(environment["HOME"])
        func path(_ variable: String, _ file: String) -> String? {
            if let explicit = nonEmpty(environment[variable]) {
                if explicit.hasPrefix("~/"), let home { return home + explicit.dropFirst() }
                return explicit
            }
            return home.map { "\($0)/.aws/\(file)" }
        }
        let configPath = path("AWS_CONFIG_FILE", "config")
        let credentialsPath = path("AWS_SHARED_CREDENTIALS_FILE", "credentials")
        func read(_ path: String?) throws -> String {
            guard let path, FileManager.default.fileExists(atPath: path) else { return "" }
            do {
                return try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw AWSError(kind: .invalidConfiguration, code: AWSError.Code.missingCredentials, message: "cannot read \(path): \(error.localizedDescription)")
            }
        }
        var files = parse(config: try read(configPath), credentials: try read(credentialsPath))
        files.configPath = configPath
        files.credentialsPath = credentialsPath
        return files
    }

    /// Both files' text merged into profiles.
    public static func parse(config: String, credentials: String) -> SharedConfigFiles {
        var profiles = sections(config, isConfigFile: true)
        for (name, settings) in sections(credentials, isConfigFile: false) {
            profiles[name, default: [:]].merge(settings) { _, credentialsValue in credentialsValue }
        }
        return SharedConfigFiles(profiles: profiles)
    }

    static func sections(_ text: String, isConfigFile: Bool) -> [String: [String: String]] {
        var result: [String: [String: String]] = [:]
        var current: String?
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            let line = String(rawLine)
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") || trimmed.hasPrefix(";") { continue }
            if trimmed.hasPrefix("[") {
                guard let close = trimmed.firstIndex(of: "]") else { current = nil; continue }
                let header = trimmed[trimmed.index(after: trimmed.startIndex)..<close].trimmingCharacters(in: .whitespaces)
                if !isConfigFile {
                    current = header
                } else if header == "default" {
                    current = "default"
                } else if header.hasPrefix("profile ") || header.hasPrefix("profile\t") {
                    current = header.dropFirst("profile".count).trimmingCharacters(in: .whitespaces)
                } else {
                    current = nil
                }
                if let current, result[current] == nil { result[current] = [:] }
                continue
            }
            // Indented lines continue a nested setting (`s3 =` then `  max_concurrent_requests = 10`): skip them.
            if line.first == " " || line.first == "\t" { continue }
            guard let current, let equals = trimmed.firstIndex(of: "=") else { continue }
            let key = trimmed[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var value = trimmed[trimmed.index(after: equals)...].trimmingCharacters(in: .whitespaces)
            for marker in [" #", "\t#", " ;", "\t;"] {
                if let range = value.range(of: marker) { value = value[..<range.lowerBound].trimmingCharacters(in: .whitespaces) }
            }
            if !key.isEmpty { result[current]?[key] = value }
        }
        return result
    }
}
