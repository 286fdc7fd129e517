import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import TrustflowKit

@Suite struct StaticSiteTests {
    static func site() throws -> (StaticSite, String) {
        let root = NSTemporaryDirectory() + "trustflow-site-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/site/diagrams", withIntermediateDirectories: true)
        try "<!DOCTYPE html><title>x</title>".write(toFile: root + "/site/index.html", atomically: true, encoding: .utf8)
        try "<svg/>".write(toFile: root + "/site/diagrams/a b.svg", atomically: true, encoding: .utf8)
        try "secret".write(toFile: root + "/secret.txt", atomically: true, encoding: .utf8)
        return (try StaticSite(root: root + "/site", port: 0), root)
    }

    @Test func servesFilesUnderTheRootOnly() throws {
        let (site, root) = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(site.respond(method: "GET", target: "/").status == 200)
        #expect(site.respond(method: "GET", target: "/").contentType == "text/html; charset=utf-8")
        #expect(site.respond(method: "GET", target: "/diagrams/a%20b.svg").contentType == "image/svg+xml")
        #expect(site.respond(method: "GET", target: "/../secret.txt").status == 404)
        #expect(site.respond(method: "GET", target: "/%2e%2e/secret.txt").status == 404)
        #expect(site.respond(method: "GET", target: "/nope.html").status == 404)
        #expect(site.respond(method: "DELETE", target: "/").status == 405)
        #expect(site.respond(method: "GET", target: "nope").status == 400)
    }

    @Test func answersOverHTTPOnLoopback() async throws {
        let (site, root) = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        site.start()
        #expect(site.port > 0)
        let url = try #require(URL(string: "http://127.0.0.1:\(site.port)/index.html"))
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self) == "<!DOCTYPE html><title>x</title>")
    }
}
