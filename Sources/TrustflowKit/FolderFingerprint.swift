internal import Foundation

/// A cheap fingerprint of a folder tree (paths, sizes, modification times) to notice edits by polling: portable
/// (FileManager only), and cheap enough to take every 250 ms on a content folder.
public enum FolderFingerprint {
    public static func of(_ folder: String) -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: folder) else { return [] }
        var entries: [String] = []
        while let relative = walker.nextObject() as? String {
            let attributes = try? FileManager.default.attributesOfItem(atPath: folder + "/" + relative)
            let size = (attributes?[.size] as? NSNumber)?.intValue ?? -1
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries.append("\(relative)\t\(size)\t\(modified)")
        }
        return entries.sorted()
    }
}
