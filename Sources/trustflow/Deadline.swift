import ArgumentParser
import Foundation

/// `--timeout SECONDS`, shared by `build` and `check`: the time budget of one command.
struct TimeBudget: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "Stop with an error naming what was running after this many seconds (0: no limit; default 600, 3600 with --run-snippets).",
        valueName: "seconds"))
    var timeout: Int?

    func validate() throws {
        if let timeout, timeout < 0 { throw ValidationError("--timeout takes a number of seconds, 0 for no limit.") }
    }

    /// The budget in seconds: the one given, or the default for the command.
    func seconds(default fallback: Int) -> Int { timeout ?? fallback }

    static let defaultSeconds = 600
    static let defaultSecondsWithSnippets = 3600
}

/// Stops the process when a command runs past its time budget, with an error that says what was running.
///
/// Content strangers wrote must not keep a CI machine busy: every part of a command reports what it starts
/// (`activity`), and a watchdog thread, at the deadline, prints "timed out after N s while <activity>", runs the
/// command's clean-up (stopping a child `swift`, removing a temporary package) and exits with status 2 at once — the
/// work may be inside Graphviz, which cannot be interrupted any other way. Writing the output folder is the one
/// part that is never interrupted (`disarm` before it): it only moves what was generated, and a half-moved output
/// is exactly what the budget must never cause; until then nothing in the output folder has changed.
final class Deadline: @unchecked Sendable {
    private let lock = NSLock()
    private var current = "starting"
    private var armed: Bool
    private let seconds: Int

    /// `onExpiry` prints what the command's readers need (a JSON error for `--format json`) and cleans up; it runs on
    /// the watchdog thread, with the message, just before the process exits.
    init(seconds: Int, onExpiry: @escaping @Sendable (String) -> Void = { _ in }) {
        self.seconds = seconds
        armed = seconds > 0
        guard seconds > 0 else { return }
        let deadline = Date().addingTimeInterval(TimeInterval(seconds))
        let thread = Thread { [self] in
            Thread.sleep(until: deadline)
            expire(onExpiry)
        }
        thread.name = "trustflow deadline"
        thread.start()
    }

    /// What the command is doing now ("rendering diagram 'overview'").
    func activity(_ text: String) {
        lock.lock()
        current = text
        lock.unlock()
    }

    /// From here on the deadline does not apply (the output folder is being written).
    func disarm() {
        lock.lock()
        armed = false
        lock.unlock()
    }

    private func expire(_ onExpiry: @Sendable (String) -> Void) {
        lock.lock()
        guard armed else {
            lock.unlock()
            return
        }
        let message = "timed out after \(seconds) s (--timeout) while \(current)"
        lock.unlock()
        FileHandle.standardError.write(Data("error: \(message)\n".utf8))
        onExpiry(message)
        _exit(2)
    }
}
