import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Server
import Testing

@Suite struct SiteHandlerTests {
    static func site() throws -> (SiteHandler, String) {
        let root = NSTemporaryDirectory() + "trustflow-site-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: root + "/site/diagrams", withIntermediateDirectories: true)
        let page = "<!DOCTYPE html><html><head><meta http-equiv=\"Content-Security-Policy\" content=\"default-src &#39;none&#39;\"><title>x</title></head><body></body></html>"
        try page.write(toFile: root + "/site/index.html", atomically: true, encoding: .utf8)
        try "<svg/>".write(toFile: root + "/site/diagrams/a b.svg", atomically: true, encoding: .utf8)
        try "secret".write(toFile: root + "/secret.txt", atomically: true, encoding: .utf8)
        return (SiteHandler(root: root + "/site", live: LiveReload()), root)
    }

    static func get(_ handler: SiteHandler, _ target: String, method: String = "GET") async -> ServerResponse {
        await handler.respond(to: ServerRequest(method: method, target: target, headers: [], body: []))
    }

    @Test func servesFilesUnderTheRootOnly() async throws {
        let (site, root) = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        #expect(await Self.get(site, "/").status == 200)
        #expect(await Self.get(site, "/diagrams/a%20b.svg").headers.first?.value == "image/svg+xml")
        #expect(await Self.get(site, "/../secret.txt").status == 404)
        #expect(await Self.get(site, "/%2e%2e/secret.txt").status == 404)
        #expect(await Self.get(site, "/nope.html").status == 404)
        #expect(await Self.get(site, "/", method: "DELETE").status == 405)
        #expect(await Self.get(site, "nope").status == 400)
        #expect(await Self.get(site, "/", method: "HEAD").body.isEmpty)
    }

    @Test func pagesGetTheLiveReloadScriptOnlyAsServed() async throws {
        let (site, root) = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let page = String(decoding: await Self.get(site, "/index.html").body, as: UTF8.self)
        #expect(page.contains("<script src=\"/_trustflow/live.js\" defer></script>\n</head>"))
        #expect(page.contains("content=\"connect-src &#39;self&#39;; default-src &#39;none&#39;\""))
        // The file on disk is untouched.
        #expect(try !String(contentsOfFile: root + "/site/index.html", encoding: .utf8).contains("_trustflow"))
        #expect(String(decoding: await Self.get(site, "/diagrams/a%20b.svg").body, as: UTF8.self) == "<svg/>")
        let script = String(decoding: await Self.get(site, "/_trustflow/live.js").body, as: UTF8.self)
        #expect(script.contains("new EventSource(\"/_trustflow/events\")"))
    }

    @Test func eventsCarryTheBuildState() async throws {
        let live = LiveReload()
        let (site, root) = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let handler = SiteHandler(root: site.root, live: live)
        let response = await Self.get(handler, "/_trustflow/events")
        #expect(response.headers.first?.value == "text/event-stream; charset=utf-8")
        let makeEvents = try #require(response.events)
        let stream = makeEvents()
        var iterator = stream.makeAsyncIterator()
        let event1 = await iterator.next()
        let textevent1 = event1.map { String(decoding: $0, as: UTF8.self) }
        #expect(textevent1 == "retry: 500\n\n")
        let event2 = await iterator.next()
        let textevent2 = event2.map { String(decoding: $0, as: UTF8.self) }
        #expect(textevent2 == "event: state\ndata: {\"generation\":0,\"errors\":[]}\n\n")
        live.failed(["content/model.yml:3:7: error: \"bad\" value"])
        let event3 = await iterator.next()
        let textevent3 = event3.map { String(decoding: $0, as: UTF8.self) }
        #expect(textevent3 == "event: state\ndata: {\"generation\":0,\"errors\":[\"content/model.yml:3:7: error: \\\"bad\\\" value\"]}\n\n")
        live.succeeded()
        let event4 = await iterator.next()
        let textevent4 = event4.map { String(decoding: $0, as: UTF8.self) }
        #expect(textevent4 == "event: state\ndata: {\"generation\":1,\"errors\":[]}\n\n")
    }

    @Test func answersOverHTTPOnLoopback() async throws {
        let (site, root) = try Self.site()
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ready = AsyncStream<Int>.makeStream()
        let server = Task { try await LoopbackServer(port: 0, handler: site).run(handlingSignals: false) { port in ready.continuation.yield(port) } }
        defer { server.cancel() }
        var ports = ready.stream.makeAsyncIterator()
        let port = try #require(await ports.next())
        let url = try #require(URL(string: "http://127.0.0.1:\(port)/index.html"))
        let (data, response) = try await URLSession.shared.data(from: url)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("/_trustflow/live.js"))
    }
}
