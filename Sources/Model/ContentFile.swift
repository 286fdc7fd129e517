internal import Foundation

/// Reads a file of the content without ever holding more of it than a limit allows: a file larger than the limit
/// is reported as such after reading one byte past it, so a 10 GB file (or a device) costs the limit, not its size.
public enum ContentFile {
    public enum Failure: Error, Sendable, Hashable {
        /// Missing, a folder, or not readable.
        case unreadable
        /// Larger than the limit; nothing past the limit was read.
        case tooLarge
    }

    public static func read(atPath path: String, limit: Int) -> Result<[UInt8], Failure> {
        guard let handle = FileHandle(forReadingAtPath: path) else { return .failure(.unreadable) }
        defer { try? handle.close() }  // closing a file only read from cannot lose data
        var bytes: [UInt8] = []
        do {
            while bytes.count <= limit {
                guard let chunk = try handle.read(upToCount: min(1 << 20, limit + 1 - bytes.count)), !chunk.isEmpty else { break }
                bytes += chunk
            }
        } catch {
            return .failure(.unreadable)
        }
        return bytes.count > limit ? .failure(.tooLarge) : .success(bytes)
    }
}
