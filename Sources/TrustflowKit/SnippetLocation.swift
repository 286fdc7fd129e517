internal import Foundation
public import Render

/// Where a generated snippet package finds Trustflow and its content, worked out from where things really are (links
/// resolved), so that an output folder anywhere — inside this checkout or in another repository — gets a
/// `Package.swift` whose relative paths are right.
public enum SnippetLocation {
    /// The location for the package `<output>/snippets`, given the Trustflow checkout and the content folder.
    public static func forOutput(_ output: String, content: String, trustflowCheckout: String, release: Snippets.Location.Release? = nil) -> Snippets.Location {
        forPackage(output + "/snippets", content: content, trustflowCheckout: trustflowCheckout, release: release)
    }

    public static func forPackage(_ package: String, content: String, trustflowCheckout: String, release: Snippets.Location.Release? = nil) -> Snippets.Location {
        Snippets.Location.relative(
            package: resolved(package), trustflow: resolved(trustflowCheckout), content: resolved(content), release: release)
    }

    /// The absolute, standardized path with links resolved; for a path that does not exist yet, its nearest existing
    /// ancestor is resolved and the rest appended.
    static func resolved(_ path: String) -> String {
        var url = URL(fileURLWithPath: path).standardizedFileURL
        var missing: [String] = []
        while !FileManager.default.fileExists(atPath: url.path), url.path != "/" {
            missing.insert(url.lastPathComponent, at: 0)
            url = url.deletingLastPathComponent()
        }
        var real = url.resolvingSymlinksInPath()
        for part in missing { real.appendPathComponent(part) }
        return real.standardizedFileURL.path
    }
}
