import Foundation
import Source
import FuzzDriver

/// The located JSON reader on any bytes: what it reads, written back and read again, must be the same JSON.
func fuzzJSONReader(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let reading = JSONReader.read(text, file: "fuzz.json", limits: ReadLimits(depth: 64, stringBytes: 4096, values: 20_000))
    guard let value = reading.value else { return 0 }
    for pretty in [true, false] {
        let written = JSONWriter.write(value, pretty: pretty)
        let again = JSONReader.read(written, file: "again.json")
        guard let reread = again.value else { fatalError("written JSON does not read back: \(again.diagnostics)\n\(written)") }
        precondition(reread.jsonText == value.jsonText, "JSON changed in a round trip:\n\(value.jsonText)\n\(reread.jsonText)")
        precondition(again.valueCount == reading.valueCount, "value count changed in a round trip")
    }
    return 0
}

exit(TrustflowFuzz(CommandLine.argc, CommandLine.unsafeArgv, fuzzJSONReader))
