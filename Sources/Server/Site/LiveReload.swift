import Foundation
import Source

/// What `serve` knows about its builds: a generation that grows with every successful rebuild, and the located errors
/// of the last build when it failed (the site then stays the last good one). Read by every live-reload stream.
public final class LiveReload: @unchecked Sendable {
    public struct State: Sendable, Equatable {
        public var generation: Int
        /// `path:line:column: error: …`, one per problem; empty when the last build succeeded.
        public var errors: [String]
    }

    private let lock = NSLock()
    private var state = State(generation: 0, errors: [])

    public init() {}

    public var current: State {
        lock.lock()
        defer { lock.unlock() }
        return state
    }

    /// A rebuild succeeded: pages reload.
    public func succeeded() {
        lock.lock()
        state.generation += 1
        state.errors = []
        lock.unlock()
    }

    /// A rebuild failed: pages show `errors` over the last good site until a build succeeds.
    public func failed(_ errors: [String]) {
        lock.lock()
        state.errors = errors
        lock.unlock()
    }

    /// One server-sent event carrying the state as JSON: `{"generation":3,"errors":["…"]}`.
    static func event(_ state: State) -> [UInt8] {
        let errors = state.errors.map { JSONWriter.quote($0) }.joined(separator: ",")
        return Array("event: state\ndata: {\"generation\":\(state.generation),\"errors\":[\(errors)]}\n\n".utf8)
    }

    /// The events of one subscriber: the state at once, then each change (checked every 100 ms), and a comment every
    /// 15 s so that proxies and the browser keep the connection. Ends when the subscriber goes away.
    func events() -> AsyncStream<[UInt8]> {
        AsyncStream { continuation in
            let task = Task {
                continuation.yield(Array("retry: 500\n\n".utf8))
                var last = self.current
                continuation.yield(Self.event(last))
                var quiet = 0
                while !Task.isCancelled {
                    try? await Task.sleep(for: .milliseconds(100))
                    let now = self.current
                    if now != last {
                        last = now
                        quiet = 0
                        continuation.yield(Self.event(now))
                    } else {
                        quiet += 1
                        if quiet >= 150 {
                            quiet = 0
                            continuation.yield(Array(": keep-alive\n\n".utf8))
                        }
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The script `serve` adds to every page: subscribes to `/_trustflow/events`, reloads after a successful rebuild,
    /// and shows a failed build's located errors over the page until it is fixed. Not part of the built site.
    static let script = """
        "use strict";
        (function () {
          var generation = null;
          var overlay = null;
          function hide() { if (overlay) { overlay.remove(); overlay = null; } }
          function show(errors) {
            hide();
            overlay = document.createElement("div");
            overlay.id = "trustflow-build-errors";
            overlay.setAttribute("role", "alert");
            var s = overlay.style;
            s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0"; s.bottom = "0"; s.zIndex = "2147483647";
            s.background = "rgba(20, 22, 26, 0.94)"; s.color = "#ffdddd"; s.padding = "2rem"; s.overflow = "auto";
            s.font = "15px/1.5 'DejaVu Sans Mono', ui-monospace, monospace";
            var title = document.createElement("h1");
            title.textContent = "trustflow serve: the build failed (" + errors.length + " error" + (errors.length === 1 ? "" : "s") + ")";
            title.style.font = "bold 20px 'DejaVu Sans', system-ui, sans-serif"; title.style.color = "#ff8a80";
            overlay.appendChild(title);
            var note = document.createElement("p");
            note.textContent = "Still serving the last good site. Fix the content and this page reloads.";
            note.style.color = "#cccccc";
            overlay.appendChild(note);
            var list = document.createElement("pre");
            list.style.whiteSpace = "pre-wrap"; list.style.background = "#2a1416"; list.style.color = "#ffd7d7";
            list.style.border = "1px solid #ff8a80"; list.style.padding = "1rem"; list.style.fontSize = "15px";
            list.textContent = errors.join("\\n");
            overlay.appendChild(list);
            document.body.appendChild(overlay);
          }
          var source = new EventSource("/_trustflow/events");
          source.addEventListener("state", function (event) {
            var state = JSON.parse(event.data);
            if (state.errors.length > 0) { show(state.errors); }
            else if (generation !== null && state.generation !== generation) { location.reload(); return; }
            else { hide(); }
            generation = state.generation;
          });
        })();

        """
}
